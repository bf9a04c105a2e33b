"""Running a validation study through the experiment layer and reading back per-run measures."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.experiment.plan import ExperimentSpec, Plan
from sim.experiment.runner import run_experiment

HORIZON_START = 24  # MODEL.md: verification "over 24+ months"


def run_study(spec: ExperimentSpec, folder: Path, workers: int | None = None
              ) -> tuple[Plan, pd.DataFrame, pd.DataFrame]:
    """Run (or resume) `spec` into `folder` without figures; return the plan, runs.csv with a
    `point` column, and timeseries.csv. Failed runs are reported on stderr and left out."""
    plan = Plan(spec)
    outcome = run_experiment(plan, folder, workers=workers, figures=False, say=lambda _: None,
                             command=f"validation study {spec.name}")
    if outcome.failed:
        print(f"{folder}: {outcome.failed} run(s) failed; see results.sqlite", file=sys.stderr)
    runs = pd.read_csv(folder / "runs.csv")
    per_point = spec.replications
    runs["point"] = (runs["run_id"] // per_point) % len(plan.points)
    series = pd.read_csv(folder / "timeseries.csv")
    return plan, runs, series


def window_means(runs: pd.DataFrame, series: pd.DataFrame, outcomes: Sequence[str],
                 start: int = HORIZON_START, stop: int | None = None) -> pd.DataFrame:
    """Runs with each outcome replaced by its mean over months start..stop (inclusive; to the
    end when stop is None): a run's level over the horizon rather than one noisy last month."""
    month = "step" if "step" in series.columns else "month"
    keep = series[month] >= start
    if stop is not None:
        keep &= series[month] <= stop
    means = series.loc[keep].groupby("run_id")[list(outcomes)].mean()
    out = runs.drop(columns=[o for o in outcomes if o in runs.columns])
    return out.merge(means, left_on="run_id", right_index=True, how="left")


def pivot_arms(runs: pd.DataFrame, value: str) -> pd.DataFrame:
    """One row per (point, replication), one column per scenario: the arms side by side, paired
    by replication (common random numbers) within each design point."""
    return runs.pivot_table(index=["point", "replication"], columns="scenario", values=value,
                            aggfunc="first")
