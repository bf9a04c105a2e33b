"""Global sensitivity indices with SALib: Sobol (S1, ST, S2 with confidence intervals; Saltelli
2002, Saltelli et al. 2010) and Morris elementary effects (μ*, σ; Campolongo et al. 2007), as one
tidy table: outcome, parameter, parameter_2, index, value, ci (the half-width of the 95% CI)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiment.design import MORRIS_LEVELS, salib_problem, second_order
from sim.i18n import text

COLUMNS = ("outcome", "parameter", "parameter_2", "index", "value", "ci")
INDICES = {"sobol": ("S1", "ST", "S2"), "morris": ("mu_star", "sigma")}
RESAMPLES = 1000  # bootstrap resamples for the confidence intervals
LEVEL = 0.95
INTERACTION = ("dialogue.continuity", "norms.strength")  # the pair the users ask about


def _rows(outcome: str, names: Sequence[str], result: Mapping, method: str) -> list[dict]:
    """Tidy rows of one SALib result."""
    rows = []
    for index in INDICES[method]:
        if index == "S2":
            continue
        ci = result.get(f"{index}_conf")
        for i, name in enumerate(names):
            rows.append({"outcome": outcome, "parameter": name, "parameter_2": "", "index": index,
                         "value": float(result[index][i]),
                         "ci": float(ci[i]) if ci is not None else np.nan})
    if "S2" in INDICES[method] and "S2" in result:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                rows.append({"outcome": outcome, "parameter": names[i], "parameter_2": names[j],
                             "index": "S2", "value": float(result["S2"][i, j]),
                             "ci": float(result["S2_conf"][i, j])})
    return rows


def _constant(outcome: str, names: Sequence[str], method: str) -> list[dict]:
    """Rows for an outcome that does not vary at all: every index is zero, known exactly."""
    d = len(names)
    fake = {i: np.zeros(d) for i in INDICES[method]} | {f"{i}_conf": np.zeros(d)
                                                        for i in INDICES[method]}
    if method == "sobol":
        fake |= {"S2": np.zeros((d, d)), "S2_conf": np.zeros((d, d))}
        if not second_order(d):
            del fake["S2"]
    return _rows(outcome, names, fake, method)


def indices(names: Sequence[str], bounds: Sequence[tuple[float, float]], method: str,
            x: np.ndarray, outputs: Mapping[str, np.ndarray], seed: int) -> pd.DataFrame:
    """Sensitivity indices of each output (rows in SALib's sample order x) as a tidy table."""
    from SALib.analyze import morris, sobol

    prob = salib_problem(names, bounds)
    rows: list[dict] = []
    for outcome, y in outputs.items():
        y = np.asarray(y, float)
        if np.ptp(y) == 0:
            rows += _constant(outcome, names, method)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if method == "sobol":
                result = sobol.analyze(prob, y, calc_second_order=second_order(len(names)),
                                       num_resamples=RESAMPLES, conf_level=LEVEL, seed=seed)
            else:
                result = morris.analyze(prob, np.asarray(x, float), y, num_resamples=RESAMPLES,
                                        conf_level=LEVEL, num_levels=MORRIS_LEVELS, seed=seed)
        rows += _rows(outcome, names, result, method)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def point_means(runs: pd.DataFrame, point_of: Mapping[int, int], n_points: int,
                outcomes: Sequence[str]) -> dict[str, np.ndarray]:
    """Each outcome's mean over replications per design point, in the design's order (what SALib
    must receive); raises ValueError when a point has no finished run."""
    point = runs["run_id"].map(point_of)
    means = runs.assign(point=point).groupby("point")[list(outcomes)].mean()
    missing = sorted(set(range(n_points)) - set(means.index))
    if missing:
        raise ValueError(f"{len(missing)} design point(s) without a finished run "
                         f"(first: point {missing[0]})")
    return {o: means[o].reindex(range(n_points)).to_numpy(float) for o in outcomes}


def write_indices(folder: Path, table: pd.DataFrame) -> Path:
    """indices.csv in the folder (written whole or not at all)."""
    from sim.experiment.exports import atomic

    return atomic(Path(folder) / "indices.csv",
                  lambda p: table.to_csv(p, index=False, float_format="%.6g"))


def pair_value(table: pd.DataFrame, outcome: str, a: str, b: str) -> tuple[float, float] | None:
    """(S2, ci) of the pair (a, b) for an outcome, whichever order the table lists them in."""
    rows = table[(table["outcome"] == outcome) & (table["index"] == "S2")
                 & (((table["parameter"] == a) & (table["parameter_2"] == b))
                    | ((table["parameter"] == b) & (table["parameter_2"] == a)))]
    if rows.empty:
        return None
    return float(rows["value"].iloc[0]), float(rows["ci"].iloc[0])


def interaction_words(outcome_label: str, s2: float, ci: float, a: str, b: str) -> str:
    """One sentence reading the second-order index of (a, b) for an outcome."""
    low, high = s2 - ci, s2 + ci
    share = text("sensitivity.share", s2=100 * s2, low=100 * low, high=100 * high)
    if low > 0:
        size = text("sensitivity.clear" if s2 >= 0.05 else "sensitivity.small_clear")
        return text("sensitivity.interact", outcome=outcome_label, a=a, b=b, size=size,
                    share=share)
    if high < 0:
        return text("sensitivity.negative", outcome=outcome_label, a=a, b=b, share=share)
    return text("sensitivity.no_interaction", outcome=outcome_label, a=a, b=b, share=share)


def interaction_readings(table: pd.DataFrame, outcomes: Sequence[str], name
                         ) -> dict[str, tuple[float, float, str]]:
    """(S2, ci, sentence) of the pair INTERACTION for each outcome the table has it for; `name`
    gives an outcome's name for the sentence."""
    a, b = INTERACTION
    found = ((o, pair_value(table, o, a, b)) for o in outcomes)
    return {o: (*pair, interaction_words(name(o), *pair, a, b)) for o, pair in found if pair}
