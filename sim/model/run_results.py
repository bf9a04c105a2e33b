"""Run-level results: recovery after floods, resilience loss, founding month, collapse."""

from __future__ import annotations

import numpy as np

from sim.model.outcomes import cross_sector_t0


def recovery(progress: np.ndarray, flood_months: list[int]) -> tuple[float, float]:
    """(mean months to regain 90% of the pre-flood 12-month mean progress, censored at the horizon;
    summed resilience-triangle areas as Σ max(0, 1 − P_t/pre) over each recovery)."""
    if not flood_months:
        return float("nan"), 0.0
    months, loss = [], 0.0
    for m in flood_months:
        pre = float(progress[max(0, m - 12):m].mean()) if m > 0 else 0.0
        after = progress[m:]
        ok = np.flatnonzero(after >= 0.9 * pre)
        months.append(float(ok[0]) if len(ok) else float(len(after)))
        window = after[: int(months[-1]) + 1]
        if pre > 0:
            loss += float(np.maximum(0.0, 1 - window / pre).sum())
    return float(np.mean(months)), loss


def run_results(model) -> dict[str, float]:
    """The run-level results of a finished run."""
    progress = np.asarray(model.progress_history)
    rec, loss = recovery(progress, [m for m, _ in model.floods])
    columns = model.datacollector.model_vars  # the monthly outcomes, one list per column
    agreements, trust = columns["agreements"][-12:], columns["trust"][-12:]
    t0 = cross_sector_t0(model)
    collapsed = bool(agreements) and all(n == 0 for n in agreements) and all(
        t <= t0 for t in trust)
    return {"recovery_months": rec, "resilience_loss": loss,
            "company_founded_month": model.company_founded_month, "collapsed": int(collapsed),
            "floods": len(model.floods)}
