"""Verification patterns: directions the rules build in, checked as paired differences on fixed
replications and seeds (issue 4, validation item 3; MODEL.md "What the model must show").

Each pattern moves one key from a low to a high level within its documented range, on every
scenario given, and pairs the two levels replication by replication (common random numbers). It
holds on a scenario when the 95% CI of the mean paired difference (high − low, in the expected
direction) excludes 0 and Cohen's d_z ≥ 0.5. The measure of a run is the outcome's mean over
months 24 to the end (MODEL.md: "tested as such over 24+ months").

    python -m sim.validation.verification [--replications R] [--steps N] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.statistics import paired
from sim.experiment.design import Vary
from sim.experiment.plan import ExperimentSpec
from sim.scenario import ScenarioError
from sim.scenario.library import library_root
from sim.validation.runs import HORIZON_START, run_study, window_means

MIN_EFFECT = 0.5


@dataclass(frozen=True)
class Verification:
    """One built-in direction: raising `key` from low to high moves each outcome by `sign`."""

    name: str
    key: str
    low: float
    high: float
    outcomes: tuple[str, ...]
    sign: int = 1
    source: str = ""


VERIFICATIONS = (
    Verification("continuity raises trust and agreements", "dialogue.continuity", 0.3, 0.9,
                 ("trust", "agreements"), source="S3 (tightening the bolts); Dal Bó 2005"),
    Verification("stronger norms raise compliance", "norms.strength", 0.2, 0.8, ("compliance",),
                 source="S3 (common norms); Bicchieri 2006"),
    Verification("shorter official tenure lowers trust", "context.official_tenure_months", 6, 60,
                 ("trust",), source="S4 (soft power lost on rotation); MODEL.md tenure [6–60]"),
)


def default_scenarios() -> list[Path]:
    """The four Khon Kaen scenarios of the library (the issue's verification set)."""
    return sorted(library_root().glob("khon_kaen/*.toml"))


def verify(pattern: Verification, scenarios: Sequence[Path], folder: Path, replications: int = 30,
           steps: int = 120, seed: int = 1, workers: int | None = None) -> pd.DataFrame:
    """One row per scenario and outcome: the paired difference (high − low) × sign, its CI, d_z
    and whether the pattern holds there."""
    spec = ExperimentSpec(name=f"verification-{pattern.key}", scenarios=list(scenarios),
                          vary=[Vary(pattern.key, (pattern.low, pattern.high))],
                          replications=replications, steps=steps, seed=seed)
    _, runs, series = run_study(spec, folder, workers)
    runs = window_means(runs, series, pattern.outcomes, HORIZON_START)
    rows = []
    for scenario, part in runs.groupby("scenario", sort=False):
        level = part.pivot(index="replication", columns=pattern.key, values=list(pattern.outcomes))
        for outcome in pattern.outcomes:
            stats = paired(pattern.sign * level[(outcome, pattern.high)],
                           pattern.sign * level[(outcome, pattern.low)])
            rows.append({"pattern": pattern.name, "key": pattern.key, "low": pattern.low,
                         "high": pattern.high, "scenario": scenario, "outcome": outcome, **stats,
                         "holds": holds(stats)})
    return pd.DataFrame(rows)


def holds(stats: dict) -> bool:
    """The criterion: the 95% CI excludes 0 on the expected side and d_z ≥ 0.5."""
    return bool(stats["ci_low"] > 0 and stats["effect_size"] >= MIN_EFFECT)


def verify_all(scenarios: Sequence[Path], out: Path, replications: int, steps: int, seed: int,
               workers: int | None = None) -> pd.DataFrame:
    """Every verification pattern, each in its own results folder under `out`."""
    tables = [verify(p, scenarios, out / f"verification-{i}", replications, steps, seed, workers)
              for i, p in enumerate(VERIFICATIONS)]
    return pd.concat(tables, ignore_index=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run the verification patterns and write verification.csv."""
    ap = argparse.ArgumentParser(prog="python -m sim.validation.verification",
                                 description="Verification patterns on the Khon Kaen scenarios.")
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--out", type=Path, default=Path("results/validation"))
    ap.add_argument("scenarios", nargs="*", type=Path, help="default: scenarios/khon_kaen/*.toml")
    args = ap.parse_args(argv)
    try:
        table = verify_all(args.scenarios or default_scenarios(), args.out, args.replications,
                           args.steps, args.seed, args.workers)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    path = args.out / "verification.csv"
    table.to_csv(path, index=False, float_format="%.6g")
    cols = ["pattern", "scenario", "outcome", "mean_difference", "ci_low", "ci_high",
            "effect_size", "holds"]
    print(table[cols].to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
