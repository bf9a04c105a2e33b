"""Founding: organised firms pledge to found the intermediary in a threshold cascade."""

from __future__ import annotations

import numpy as np

from sim.model.forums import apply_governance


def pledge_cascade(commitment: np.ndarray, theta: np.ndarray, benefit: float, base: float
                   ) -> np.ndarray:
    """Granovetter's cascade: firm i pledges once C_i·b·(f0 + pledged share) ≥ θ_i; iterate to
    the fixed point and return who pledged."""
    pledged = np.zeros(len(theta), bool)
    while True:
        share = pledged.mean() if len(theta) else 0.0
        now = commitment * benefit * (base + share) >= theta
        if (now == pledged).all():
            return pledged
        pledged = now


def found(model) -> bool:
    """Each October from month 12, organised firms hold a pledging round (θ_i ~ U(0,1) redrawn);
    the intermediary is founded once pledging firms reach min_founders_share of all firms and
    their pledges cover reserve_months of operating cost (scaled with the number of firms)."""
    v, a = model.values, model.actors
    if model.founded or v["governance.founding"] == "none":
        return False
    if model.calendar_month != 10 or model.month < 12:
        return False
    firms = model.firms
    organised = firms[a.organised[firms]]
    theta = model.streams.founding.random(len(organised))
    pledged = organised[pledge_cascade(a.commitment[organised], theta,
                                       v["collaboration.founding_benefit"],
                                       v["collaboration.founding_base"])]
    model.pledged_share = len(pledged) / max(len(organised), 1)
    needed = v["governance.reserve_months"] * v["governance.operating_cost"] * v["actors.scale"]
    enough = len(pledged) >= v["governance.min_founders_share"] * len(firms)
    if not (enough and a.resources[pledged].sum() >= needed and len(pledged)):
        return False
    model.founded, model.company_founded_month = True, model.month
    apply_governance(model, model.main_governance)
    model.governance_since = model.month
    model.reserve = v["governance.reserve_months"] * v["governance.operating_cost"]
    for f in model.forums:
        f.year_start, f.year_start_progress, f.target = model.month, f.progress, None
        f.active = True
    model.log("event.founded", n=len(pledged))
    return True

