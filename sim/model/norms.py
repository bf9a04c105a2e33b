"""Norm internalisation: legitimate forums and complying peers make the standard one's own."""

from __future__ import annotations

import numpy as np

from sim.model.compliance import public_trust, stringency
from sim.model.memo import run_memo


def internalise(model, standard: tuple | None = None, tau: float | None = None) -> None:
    """n_i += 0.01·(target − n_i), target = 0.5·n0_i + 0.25·L·d_i + 0.25·peer compliance, L the
    public's trust in the forums that set the standard, d_i the depth of i's forum; gains are ×0.3
    under an imposed standard and × crowding under a contract (Tyler 2006; Frey 1997). `standard`
    and `tau` are this month's stringency() and public_trust() when known."""
    v, a, gov = model.values, model.actors, model.gov
    firms = model.firm_rows
    if not len(model.firms):
        return
    legitimacy = public_trust(model) if tau is None else tau
    depth = 0.5 if (model.forums[-1].in_force) else 0.25
    target = half_anchor(model) + 0.25 * legitimacy * depth
    target += 0.25 * model.compliance
    _, _, imposed = standard or stringency(model)
    gain = (0.3 if imposed else 1.0) * (gov["governance.crowding"]
                                        if gov["governance.mandate"] == "contract" else 1.0)
    norm = a.norm[firms]
    step = np.subtract(target, norm, out=target)
    step *= v["norms.internalisation_rate"]
    if gain != 1.0:
        step = np.where(step > 0, gain * step, step)
    np.add(norm, step, out=step)
    np.maximum(step, 0, out=step)
    a.norm[firms] = np.minimum(step, 1, out=step)  # clip to [0, 1]


def half_anchor(model) -> np.ndarray:
    """0.5·n0_i of every firm: the anchors do not change in a run, so it is worked out once."""
    memo = run_memo(model)
    if "norms.half_anchor" not in memo:
        memo["norms.half_anchor"] = 0.5 * model.actors.norm_anchor[model.firm_rows]
    return memo["norms.half_anchor"]
