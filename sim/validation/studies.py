"""The studies behind the validation patterns: which arms run over the Latin hypercube, and the
per-point measures read back from their runs (every study shares the same points and seeds)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiment.plan import ExperimentSpec
from sim.experiment.store import RUN_LEVEL
from sim.scenario.library import library_root
from sim.validation.arms import Arm, write_arms
from sim.validation.runs import HORIZON_START, run_study, window_means
from sim.validation.space import space_keys, space_vary

COMPANY = "arrangements/city_development_company.toml"
PPP = "arrangements/ppp.toml"
STUDY_CENTER = "arrangements/study_center.toml"
NO_INTERMEDIARY = "arrangements/no_intermediary.toml"
DRR = "arrangements/drr_committee.toml"
# Used only if the library has no DRR committee file: MODEL.md's DRR committee (S3) composed
# from the study center (a provincial committee under the governor) with the DRR keys set.
DRR_FALLBACK = (STUDY_CENTER, {"governance.drr_groups": True, "governance.drr_kpi": True,
                               "governance.authority": 0.7})
FOUNDED_WITHIN = 60  # months: "within a few years"
OUTCOMES = ("trust", "compliance", "target_attainment", "wellbeing")


def stem(layer: str) -> str:
    return Path(layer).stem


def drr_arm() -> Arm:
    """The DRR committee arm: the library's file when it exists, else the composed fallback."""
    if (library_root() / DRR).exists():
        return Arm(stem(DRR), (DRR,))
    layer, settings = DRR_FALLBACK
    return Arm(stem(DRR), (layer,), settings)


@dataclass(frozen=True)
class Study:
    """Arms run over the same Latin-hypercube points; `horizon` multiplies the run length."""

    name: str
    arms: tuple[Arm, ...]
    horizon: int = 1
    windows: tuple[tuple[str, int, int | None], ...] = ()  # (suffix, start, stop) extra means


A_COMPANY, A_PPP, A_STUDY = (Arm(stem(f), (f,)) for f in (COMPANY, PPP, STUDY_CENTER))
A_NONE = Arm(stem(NO_INTERMEDIARY), (NO_INTERMEDIARY,))
A_SMALL = Arm(f"{stem(PPP)}-small_wins", (PPP,), {"governance.milestone_interval_months": 6})
A_BIG = Arm(f"{stem(PPP)}-one_target", (PPP,), {"governance.milestone_interval_months": 60})
A_BARE = Arm(f"{stem(PPP)}-bare_norms", (PPP,),
             {"governance.authority": 0.0, "norms.metanorms": False})
A_ENFORCED = Arm(f"{stem(PPP)}-enforced_norms", (PPP,),
                 {"governance.authority": 0.8, "norms.metanorms": True})


def studies() -> tuple[Study, ...]:
    """Every study (the DRR arm is resolved now, so a file added meanwhile is used)."""
    return (
        Study("arrangements", (A_COMPANY, A_PPP, A_STUDY)),
        Study("drr", (drr_arm(), A_NONE)),
        Study("small_wins", (A_SMALL, A_BIG)),
        Study("norms", (A_BARE, A_ENFORCED), horizon=2,
              windows=(("year2", 13, 24), ("last_year", -12, None))),
    )


def run_studies(out: Path, points: int, replications: int, steps: int, seed: int,
                workers: int | None = None) -> pd.DataFrame:
    """Run every study and return one row per design point: the space values and, for each
    arm, the means over replications of its measures (columns `<study>/<arm>:<measure>`)."""
    frames = []
    for study in studies():
        files = write_arms(out / "arms" / study.name, study.arms)
        spec = ExperimentSpec(name=f"validation-{study.name}", scenarios=files,
                              vary=space_vary(), design="lhs", points=points,
                              replications=replications, steps=steps * study.horizon, seed=seed)
        _, runs, series = run_study(spec, out / f"validation-{study.name}", workers)
        frames.append(point_measures(runs, series, study, steps * study.horizon))
    table = frames[0]
    for frame in frames[1:]:
        table = table.merge(frame, on=["point", *space_keys()], how="outer")
    return table.sort_values("point").reset_index(drop=True)


def run_measures(runs: pd.DataFrame, series: pd.DataFrame, study: Study, steps: int
                 ) -> pd.DataFrame:
    """Per run: outcome means from month 24, extra windows, and run-level results as flags."""
    out = window_means(runs, series, OUTCOMES, HORIZON_START)
    for suffix, start, stop in study.windows:
        lo = steps + 1 + start if start < 0 else start
        part = window_means(runs, series, OUTCOMES, lo, stop)
        for o in OUTCOMES:
            out[f"{o}_{suffix}"] = part[o].to_numpy()
    founded = pd.to_numeric(out["company_founded_month"], errors="coerce")
    out["founded"] = founded.notna().astype(float)
    out["founded_early"] = (founded <= FOUNDED_WITHIN).astype(float)
    return out


def point_measures(runs: pd.DataFrame, series: pd.DataFrame, study: Study, steps: int
                   ) -> pd.DataFrame:
    """Means over replications per design point and arm, as one wide row per point."""
    per_run = run_measures(runs, series, study, steps)
    measures = [*OUTCOMES, *(f"{o}_{w[0]}" for w in study.windows for o in OUTCOMES), *RUN_LEVEL,
                "founded", "founded_early"]
    grouped = per_run.groupby(["point", "scenario"])[measures].agg(_nanmean).unstack("scenario")
    grouped.columns = [f"{scenario}:{measure}" for measure, scenario in grouped.columns]
    keys = per_run.groupby("point")[space_keys()].first()
    return keys.join(grouped).reset_index()


def _nanmean(x: pd.Series) -> float:
    x = pd.to_numeric(x, errors="coerce").to_numpy(float)
    return float(np.nanmean(x)) if np.isfinite(x).any() else np.nan


def column(study: str, arm: Arm, measure: str) -> str:
    """The wide table's column for one study's arm and measure."""
    return f"{study}/{arm.name}:{measure}"

