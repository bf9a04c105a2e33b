"""Floods: a yearly chance of a November or December flood that destroys part of the progress."""

from __future__ import annotations

import numpy as np

from sim.model.forums import working_groups


def flood_this_month(model) -> float:
    """Severity of this month's flood (0 for none); a year's flood is drawn each November from the
    shocks stream alone, so every arrangement meets the same floods."""
    v, cal = model.values, model.calendar_month
    if cal == 11:
        rng, sigma = model.streams.shocks, v["context.flood_severity_sigma"]
        occurs, november, z = rng.random(), rng.random(), rng.normal()
        severity = float(np.exp(sigma * z - sigma**2 / 2))  # lognormal with mean 1
        model.pending_flood = (0.0 if occurs >= v["context.flood_rate"] else severity,
                               11 if november < v["context.flood_november_share"] else 12)
    severity, month = model.pending_flood
    drawn = severity if month == cal else 0.0
    return max(drawn, scheduled_severity(model))


def scheduled_severity(model) -> float:
    """1 in a run month listed in context.flood_months (a scenario's flood year), else 0."""
    return 1.0 if model.month + 1 in model.values["context.flood_months"] else 0.0


def protection_ratios(model) -> tuple[float, float]:
    """min(1, progress ÷ cumulative agreed target) of the structural and non-structural groups
    (the overall ratio for both where there are no DRR groups)."""
    def ratio(groups):
        target = sum(f.cumulative_target for f in groups)
        return min(1.0, sum(f.progress for f in groups) / target) if target > 0 else 0.0
    wgs = working_groups(model.forums)
    structural = [f for f in wgs if f.drr_role == "structural"]
    non_structural = [f for f in wgs if f.drr_role == "non_structural"]
    if structural and non_structural:
        return ratio(structural), ratio(non_structural)
    overall = ratio(wgs)
    return overall, overall


def flood(model) -> float:
    """A flood raises perceived interdependence and removes a share of each group's progress:
    P −= P·min(1, 0.1·severity·(1 − 0.4·P_struct − 0.3·P_nonstruct·evacuation compliance)·(1 − L)),
    L the lessons of a common learning forum (0 without one)."""
    severity = flood_this_month(model)
    if severity <= 0:
        return 0.0
    v = model.values
    p_struct, p_non = protection_ratios(model)
    evacuation = float(model.actors.public_trust[model.operation_rows].mean()) if len(
        model.operation) else 0.0
    share = min(1.0, v["context.flood_damage"] * severity
                * max(0.0, 1 - 0.4 * p_struct - 0.3 * p_non * evacuation) * (1 - model.lessons))
    lost = 0.0
    for f in working_groups(model.forums):
        lost += f.progress * share
        f.milestone_flood_loss += f.progress * share
        f.progress -= f.progress * share
    model.floods.append((model.month, severity))
    model.flood_losses.append((model.month, lost, lost + model.total_progress()))
    model.counters["floods"] += 1
    model.log("event.flood", severity=severity, share=100 * share)
    return severity


def interdependence(model) -> float:
    """I: each past flood adds 0.3, fading linearly to 0 over 12 months."""
    gain = model.values["collaboration.flood_interdependence"]
    return sum(gain * max(0.0, 1 - (model.month - m) / 12) for m, _ in model.floods)
