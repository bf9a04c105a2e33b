"""A one-at-a-time screen of every numeric key, grouped into families, on one baseline scenario:
which numbers matter (issue 4, validation item 5).

Each key moves from the baseline's value to the low and to the high end of a plausible range —
the validation space's bounds (sim.validation.space) or the trust half-life's documented 6–120
months where MODEL.md gives one, else ±50% of the value clipped to the admissible range — with
the same replications (common random numbers) as the baseline. A run is measured by the
outcome's mean from month 24; the change is the paired difference from the baseline. Keys are
ranked by their largest change relative to the baseline mean over the main outcomes.

    python -m sim.validation.screen [--replications R] [--out DIR] [SCENARIO]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.statistics import paired
from sim.experiment.plan import ExperimentSpec
from sim.i18n import text as _t
from sim.scenario import PARAMETERS, ScenarioError, load_scenario
from sim.scenario.library import library_root
from sim.validation.arms import Arm, write_arms
from sim.validation.runs import HORIZON_START, run_study, window_means
from sim.validation.space import SPACE

MAIN_OUTCOMES = ("trust", "agreements", "compliance", "target_attainment", "wellbeing")
PLAUSIBLE: dict[str, tuple[float, float]] = {
    **{b.key: (b.low, b.high) for b in SPACE},
    "dialogue.trust_half_life_months": (6.0, 120.0),   # MODEL.md's documented range
}
SKIPPED = {"collaboration.target_reference": "only rescales target_attainment (MODEL.md)"}
SPREAD = 0.5
BASELINE = "baseline"


def default_scenario() -> Path:
    """The issue's baseline: the Khon Kaen PPP."""
    return library_root() / "khon_kaen/ppp.toml"


def levels(key: str, value: Any) -> tuple[Any, Any] | None:
    """(low, high) for one key at the baseline's value; None when it cannot move."""
    p = PARAMETERS[key]
    if key in PLAUSIBLE:
        low, high = PLAUSIBLE[key]
    else:
        low, high = value * (1 - SPREAD), value * (1 + SPREAD)
    low = max(low, p.low) if p.low is not None else low
    high = min(high, p.high) if p.high is not None else high
    if p.kind == "int":
        low, high = round(low), round(high)
    else:
        low, high = float(f"{low:.6g}"), float(f"{high:.6g}")
    return None if low == value and high == value else (low, high)


def screened_keys(values: dict[str, Any], only: Sequence[str] | None = None
                  ) -> dict[str, tuple[Any, Any, Any]]:
    """{key: (baseline, low, high)} of every numeric key that can move (or of `only`)."""
    out = {}
    for key, p in PARAMETERS.items():
        if not p.numeric or p.optional or p.table == "run" or key in SKIPPED:
            continue
        if only and key not in only:
            continue
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # a trust matrix is not screened as one number
        moves = levels(key, value)
        if moves:
            out[key] = (value, *moves)
    return out


def family(key: str, keys: Sequence[str]) -> str:
    """`table.word_*` when several screened keys of the table share the leaf's first word,
    else `table.*`."""
    table, leaf = key.split(".", 1)
    first = leaf.split("_", 1)[0].split(".", 1)[0]
    shared = Counter(k.split(".", 1)[0] + "." + k.split(".", 1)[1].split("_", 1)[0].split(".")[0]
                     for k in keys)
    return f"{table}.{first}_*" if shared[f"{table}.{first}"] > 1 else f"{table}.*"


def arms(scenario: Path, keys: dict[str, tuple[Any, Any, Any]]) -> list[Arm]:
    """The baseline arm and one arm per key and side."""
    layer = (str(Path(scenario).resolve()),)
    out = [Arm(BASELINE, layer)]
    for key, (_, low, high) in keys.items():
        out += [Arm(f"{key}-low", layer, {key: low}), Arm(f"{key}-high", layer, {key: high})]
    return out


def screen(scenario: Path, out: Path, replications: int = 5, steps: int = 120, seed: int = 1,
           workers: int | None = None, only: Sequence[str] | None = None) -> pd.DataFrame:
    """Run the screen; one row per key: its levels, each outcome's change at low and high
    (paired, from the baseline), and the effect used to rank it."""
    base = load_scenario(scenario)
    keys = screened_keys(base.values, only)
    if not keys:
        raise ScenarioError("--keys", None, _t("validation.no_numeric_key"))
    files = write_arms(out / "arms" / "screen", arms(scenario, keys))
    spec = ExperimentSpec(name="screen", scenarios=files, replications=replications, steps=steps,
                          seed=seed, baseline=f"screen/{BASELINE}")
    _, runs, series = run_study(spec, out / "screen", workers)
    runs = window_means(runs, series, MAIN_OUTCOMES, HORIZON_START)
    table = runs.pivot(index="replication", columns="scenario", values=list(MAIN_OUTCOMES))
    return effects(table, keys)


def effects(table: pd.DataFrame, keys: dict[str, tuple[Any, Any, Any]]) -> pd.DataFrame:
    """Per key: paired changes from the baseline and the relative effect (sorted, largest first)."""
    rows = []
    for key, (value, low, high) in keys.items():
        row: dict[str, Any] = {"key": key, "family": family(key, list(keys)), "baseline": value,
                               "low": low, "high": high}
        best = (0.0, "", False)
        for o in MAIN_OUTCOMES:
            ref = table[(o, f"screen/{BASELINE}")]
            scale = abs(float(ref.mean())) or 1.0
            for side in ("low", "high"):
                stats = paired(table[(o, f"screen/{key}-{side}")], ref)
                row[f"{o}_{side}"] = stats["mean_difference"]
                rel = abs(stats["mean_difference"]) / scale
                if np.isfinite(rel) and rel > best[0]:
                    excludes = bool(stats["ci_low"] > 0 or stats["ci_high"] < 0)
                    best = (rel, f"{o} ({side})", excludes)
        row["effect"], row["largest"], row["ci_excludes_0"] = best
        rows.append(row)
    return pd.DataFrame(rows).sort_values("effect", ascending=False, kind="stable"
                                          ).reset_index(drop=True)


def families(table: pd.DataFrame) -> pd.DataFrame:
    """Per family: how many keys, the largest effect and the key that gives it."""
    top = table.loc[table.groupby("family")["effect"].idxmax()]
    counts = table.groupby("family").size().rename("keys")
    out = top[["family", "effect", "key", "largest"]].merge(counts, left_on="family",
                                                             right_index=True)
    return out.sort_values("effect", ascending=False).reset_index(drop=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run the screen, write screen.csv, screen_families.csv and the figure."""
    ap = argparse.ArgumentParser(prog="python -m sim.validation.screen",
                                 description="One-at-a-time screen of every numeric key.")
    ap.add_argument("scenario", nargs="?", type=Path, default=None,
                    help="baseline scenario (default scenarios/khon_kaen/ppp.toml)")
    ap.add_argument("--replications", type=int, default=5)
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--keys", default=None, help="comma-separated key paths (default: all)")
    ap.add_argument("--out", type=Path, default=Path("results/validation"))
    ap.add_argument("--figures", type=Path, default=None, help="default OUT/figures")
    args = ap.parse_args(argv)
    only = [k.strip() for k in args.keys.split(",")] if args.keys else None
    try:
        for key in only or ():
            if key not in PARAMETERS:
                raise ScenarioError("--keys", key, _t("validation.unknown_key"))
        table = screen(args.scenario or default_scenario(), args.out, args.replications,
                       args.steps, args.seed, args.workers, only)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    fams = families(table)
    table.to_csv(args.out / "screen.csv", index=False, float_format="%.6g")
    fams.to_csv(args.out / "screen_families.csv", index=False, float_format="%.4g")
    from sim.validation.screen_figures import write_figure

    figure = write_figure(table, fams, args.figures or args.out / "figures")
    print(table[["key", "low", "high", "effect", "largest"]].head(20).to_string(
        index=False, float_format=lambda x: f"{x:.3g}"))
    print(args.out / "screen.csv")
    print(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
