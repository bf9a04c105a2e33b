"""Statistics of an experiment's runs: summaries with 95% CIs, paired differences, regime shares.

A group is a scenario or a design point: the `scenario` column plus the varied-key columns.
Paired differences compare an arm's run with its baseline's run of the same replication and the
same varied values (common random numbers: same population, same shocks).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.model.outcomes import OUTCOMES

LEVEL = 0.95
RUN_RESULTS = ("recovery_months", "resilience_loss", "company_founded_month", "collapsed", "floods")
DIFFERENCE_RESULTS = ("recovery_months", "resilience_loss", "company_founded_month")
SUMMARY_STATS = ("n", "mean", "sd", "q05", "q25", "median", "q75", "q95", "ci_low", "ci_high")
DIFFERENCE_STATS = ("n_pairs", "mean_difference", "sd", "ci_low", "ci_high", "effect_size",
                    "p_value")
QUANTILES = {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}
FLOAT_FORMAT = "%.6g"


# --- the experiment's structure (manifest["experiment"]) -------------------------------------

def varied_keys(info: Mapping) -> list[str]:
    """The varied key paths, in the order of the experiment's `vary` list."""
    return [v["key"] for v in info.get("vary") or []]


def group_columns(info: Mapping, runs: pd.DataFrame | None = None) -> list[str]:
    """Columns that define a group: `scenario` + the varied keys (those present in runs)."""
    keys = varied_keys(info)
    if runs is not None:
        keys = [k for k in keys if k in runs.columns]
    return ["scenario", *keys]


def outcomes_of_interest(info: Mapping) -> list[str]:
    """The experiment's outcomes of interest, in its order; all nine when it names none."""
    return [o for o in info.get("outcomes") or OUTCOMES if o in OUTCOMES] or list(OUTCOMES)


def scenario_order(runs: pd.DataFrame, info: Mapping) -> list[str]:
    """Scenario names in the manifest's order, then any others in order of appearance in runs."""
    names = [s["name"] for s in info.get("scenarios") or []]
    seen = list(pd.unique(runs["scenario"])) if "scenario" in runs else []
    return [n for n in names if n in seen or not seen] + [n for n in seen if n not in names]


def baselines(runs: pd.DataFrame, info: Mapping) -> dict[str, str]:
    """Each arm's baseline scenario (arm ≠ baseline, both with runs); empty when none applies.

    The experiment's `baseline` applies to every other scenario; a `baselines` mapping
    (scenario → its own baseline or null) is used when the experiment has no single baseline.
    """
    names = scenario_order(runs, info)
    present = set(runs["scenario"]) if "scenario" in runs else set()
    if len(names) < 2:
        return {}
    single = info.get("baseline")
    pairs = ({n: single for n in names} if single is not None
             else dict(info.get("baselines") or {}))
    return {arm: base for arm, base in pairs.items()
            if base is not None and arm != base and arm in present and base in present}


def differences_apply(runs: pd.DataFrame, info: Mapping) -> bool:
    """True when the experiment has several scenarios and at least one arm with a baseline."""
    return bool(baselines(runs, info))


def sort_runs(runs: pd.DataFrame, info: Mapping) -> pd.DataFrame:
    """Runs ordered by scenario (manifest order), varied values and replication: stable tables."""
    rank = {n: i for i, n in enumerate(scenario_order(runs, info))}
    cols = [c for c in [*group_columns(info, runs)[1:], "replication"] if c in runs.columns]
    ranked = runs.assign(_rank=runs["scenario"].map(rank))
    try:
        ranked = ranked.sort_values(["_rank", *cols], kind="stable")
    except TypeError:  # mixed types in a varied column: keep their order of appearance
        ranked = ranked.sort_values(["_rank"], kind="stable")
    return ranked.drop(columns="_rank").reset_index(drop=True)


# --- statistics of one sample -------------------------------------------------------------

def _clean(values: Iterable) -> np.ndarray:
    """Values as floats without NaNs."""
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
    return x[~np.isnan(x)]


def mean_ci(values: Iterable, level: float = LEVEL) -> tuple[float, float]:
    """The t-interval of the mean of the non-NaN values; NaN with n<2, the mean with zero spread."""
    x = _clean(values)
    if x.size < 2:
        return np.nan, np.nan
    mean, sd = float(x.mean()), float(x.std(ddof=1))
    if sd == 0 or np.ptp(x) == 0:
        return mean, mean
    low, high = stats.t.interval(level, x.size - 1, loc=mean, scale=sd / np.sqrt(x.size))
    return float(low), float(high)


def t_halfwidth(sd: np.ndarray | pd.Series, n: np.ndarray | pd.Series,
                level: float = LEVEL) -> np.ndarray:
    """Half-width of the t-interval of a mean from arrays of sd and n (bands over many months)."""
    sd, n = np.asarray(sd, float), np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, np.where(n >= 2, n - 1, 1)) * sd / np.sqrt(n)
    return np.where(n < 2, np.nan, np.where(sd == 0, 0.0, half))


def describe(values: Iterable) -> dict[str, float]:
    """n, mean, sd, quantiles and the 95% t-interval of the non-NaN values."""
    x = _clean(values)
    out: dict[str, float] = {"n": int(x.size)}
    out["mean"] = float(x.mean()) if x.size else np.nan
    out["sd"] = float(x.std(ddof=1)) if x.size > 1 else np.nan
    for name, q in QUANTILES.items():
        out[name] = float(np.quantile(x, q)) if x.size else np.nan
    out["ci_low"], out["ci_high"] = mean_ci(x)
    return out


def paired(arm: Iterable, base: Iterable) -> dict[str, float]:
    """Statistics of arm − baseline over pairs where both are known: mean, sd, CI, d_z, p."""
    a = pd.to_numeric(pd.Series(arm), errors="coerce").to_numpy(float)
    b = pd.to_numeric(pd.Series(base), errors="coerce").to_numpy(float)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    d = a - b
    n = int(d.size)
    mean = float(d.mean()) if n else np.nan
    sd = float(d.std(ddof=1)) if n > 1 else np.nan
    low, high = mean_ci(d)
    effect = mean / sd if n > 1 and sd > 0 else np.nan
    p = np.nan
    if n > 1 and np.ptp(d) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(stats.ttest_rel(a, b).pvalue)
    return {"n_pairs": n, "mean_difference": mean, "sd": sd, "ci_low": low, "ci_high": high,
            "effect_size": float(effect), "p_value": p if np.isfinite(p) else np.nan}


def wilson(k: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """A share k/n with its Wilson score interval; NaNs when n is 0."""
    if n == 0:
        return np.nan, np.nan, np.nan
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return k / n, float(ci.low), float(ci.high)


# --- tables ----------------------------------------------------------------------------------

def _groups(df: pd.DataFrame, cols: Sequence[str]):
    """(values tuple, part) for each group in order of appearance; the whole frame without cols."""
    if not cols:
        yield (), df
        return
    for key, part in df.groupby(list(cols), sort=False, dropna=False):
        yield (key if isinstance(key, tuple) else (key,)), part


def summarise(runs: pd.DataFrame, groups: Sequence[str], outcomes: Sequence[str]) -> pd.DataFrame:
    """Per group and outcome: n, mean, sd, quantiles and the 95% t-interval of the mean."""
    groups, names = list(groups), [o for o in outcomes if o in runs.columns]
    rows = [{**dict(zip(groups, key)), "outcome": o, **describe(part[o])}
            for key, part in _groups(runs, groups) for o in names]
    return pd.DataFrame(rows, columns=[*groups, "outcome", *SUMMARY_STATS])


def paired_differences(runs: pd.DataFrame, baseline: str | Mapping[str, str | None],
                       groups_without_scenario: Sequence[str],
                       outcomes: Sequence[str]) -> pd.DataFrame:
    """Per arm, varied point and outcome: statistics of (arm − baseline) paired by replication.

    `baseline` is one scenario (every other scenario is an arm) or a mapping arm → baseline.
    """
    keys = [*groups_without_scenario, "replication"]
    names = [o for o in outcomes if o in runs.columns]
    if isinstance(baseline, str):
        arms = {a: baseline for a in pd.unique(runs["scenario"]) if a != baseline}
    else:
        arms = {a: b for a, b in baseline.items() if b is not None and a != b}
    rows = []
    for arm, base in arms.items():
        left = runs.loc[runs["scenario"] == arm, [*keys, *names]]
        right = runs.loc[runs["scenario"] == base, [*keys, *names]]
        pairs = left.merge(right, on=keys, suffixes=("", "__base"), validate="one_to_one")
        for point, part in _groups(pairs, groups_without_scenario):
            for o in names:
                rows.append({"scenario": arm, "baseline": base,
                             **dict(zip(groups_without_scenario, point)), "outcome": o,
                             **paired(part[o], part[f"{o}__base"])})
    return pd.DataFrame(rows, columns=["scenario", "baseline", *groups_without_scenario, "outcome",
                                       *DIFFERENCE_STATS])


def regimes(runs: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Per group: share of runs that collapsed and share with a company founded (Wilson CIs)."""
    groups = list(groups)
    rows = []
    for key, part in _groups(runs, groups):
        row = {**dict(zip(groups, key)), "n": len(part)}
        if "collapsed" in part:
            c = _clean(part["collapsed"])
            row.update(zip(("collapsed_share", "collapsed_ci_low", "collapsed_ci_high"),
                           wilson(int((c > 0.5).sum()), c.size)))
        if "company_founded_month" in part:
            k = int(pd.to_numeric(part["company_founded_month"], errors="coerce").notna().sum())
            row.update(zip(("company_founded_share", "company_founded_ci_low",
                            "company_founded_ci_high"), wilson(k, len(part))))
        rows.append(row)
    return pd.DataFrame(rows, columns=[*groups, "n", "collapsed_share", "collapsed_ci_low",
                                       "collapsed_ci_high", "company_founded_share",
                                       "company_founded_ci_low", "company_founded_ci_high"])


def write_tables(folder: Path, runs: pd.DataFrame, info: dict) -> list[Path]:
    """Write summary.csv, regimes.csv and (with a baseline) differences.csv into folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    runs = sort_runs(runs, info)
    groups = group_columns(info, runs)
    written = []
    summary = summarise(runs, groups, [*OUTCOMES, *RUN_RESULTS])
    written.append(_write(summary, folder / "summary.csv"))
    pairs = baselines(runs, info)
    if pairs:
        diffs = paired_differences(runs, pairs, groups[1:],
                                   [*outcomes_of_interest(info), *DIFFERENCE_RESULTS])
        written.append(_write(diffs, folder / "differences.csv"))
    written.append(_write(regimes(runs, groups), folder / "regimes.csv"))
    return written


def _write(table: pd.DataFrame, path: Path) -> Path:
    """Write one table as CSV with 6 significant digits."""
    table.to_csv(path, index=False, float_format=FLOAT_FORMAT)
    return path
