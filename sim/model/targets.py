"""Targets and milestones: agreed targets follow achievement, milestones count small wins."""

from __future__ import annotations

from sim.model.forums import working_groups


def review_targets(model) -> None:
    """Each year of a group's life its agreed target is set to the first year's progress, then
    moves half-way to what was achieved at every revision; milestones every interval from month 18
    are met (a win) or missed (a failure) against the pro-rated target (Ansell & Gash's small wins);
    under a DRR KPI (governance.drr_kpi) a milestone counts the progress built before flood losses."""
    t, gov = model.month + 1, model.gov
    for f in working_groups(model.forums):
        elapsed = t - f.year_start
        if elapsed > 0 and elapsed % 12 == 0:
            achieved = f.progress - f.year_start_progress
            if f.target is None:
                f.target = achieved
            elif elapsed % gov["governance.revision_interval_months"] == 0:
                f.target += 0.5 * (achieved - f.target)
            f.cumulative_target += f.target
            f.year_start_progress = f.progress
        interval = gov["governance.milestone_interval_months"]
        if t >= 18 and (t - 18) % interval == 0 and f.target is not None:
            expected = f.target * interval / 12
            met = milestone_progress(f, bool(gov["governance.drr_kpi"])) >= expected
            f.events.append((t, 1 if met else -1))
            f.milestone_start_progress = f.progress
            f.milestone_flood_loss = 0.0


def milestone_progress(f, drr_kpi: bool) -> float:
    """Progress since the last milestone check; with a DRR KPI, counted before flood losses."""
    built = f.progress - f.milestone_start_progress
    return built + f.milestone_flood_loss if drr_kpi else built


def raise_ambition(model) -> None:
    """A board agreement raises every working group's agreed target by 20% (ambition)."""
    for f in working_groups(model.forums):
        if f.target is not None:
            f.target *= 1 + model.values["collaboration.board_ambition"]


def wins(model, f) -> float:
    """W = clip((wins − failures)/3, −1, 1) over the last 12 months (events are kept in month
    order, so the count stops at the first older one)."""
    now = model.month + 1
    recent = 0
    for m, e in reversed(f.events):
        if now - m >= 12:
            break
        recent += e
    return max(-1.0, min(1.0, recent / 3))
