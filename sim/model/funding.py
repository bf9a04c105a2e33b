"""Funding: the secretariat's reserve, paid in by funding streams and out as operating cost."""

from __future__ import annotations


def stream_payment(model, stream: dict) -> float:
    """One stream's payment this month: amount × operating cost × (private_strength/0.5)^e,
    monthly, or twelve months' worth each October if renewed."""
    v = model.values
    base = stream["amount"] * model.gov["governance.operating_cost"] * (
        v["context.private_strength"] / 0.5) ** stream["elasticity"]
    if stream["cycle"] == "monthly":
        return base
    if model.calendar_month != 10:
        return 0.0
    renewed = model.streams.funding.random() < stream["renewal_prob"]
    first = model.month - model.governance_since < 12
    return 12 * base if (renewed or first) else 0.0


def fund(model) -> None:
    """Where the arrangement has a secretariat, its reserve gains the funding streams and pays the
    operating cost; an empty reserve raises every forum's suspension hazard."""
    gov = model.gov
    if not gov["governance.secretariat"]:
        model.funded = True
        return
    paid = sum(stream_payment(model, s) for s in gov["governance.funding"])
    cost = gov["governance.operating_cost"]
    available = model.reserve + paid
    model.secretariat_spending = min(cost, available)
    model.reserve = available - model.secretariat_spending
    model.funded = model.reserve > 0 or paid >= cost
