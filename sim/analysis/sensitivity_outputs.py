"""A sensitivity experiment's outputs: indices.csv, sensitivity.json (the design and the reading
of the continuity × norms interaction) and the figures, from the finished runs of its folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import sensitivity as sa
from sim.analysis.experiment_figures import label
from sim.experiment.design import LHS_STREAM, stream_seed
from sim.experiment.plan import Plan
from sim.i18n import text


def analysis_seed(root_seed: int) -> int:
    """The seed of the bootstrap behind the confidence intervals (its own stream)."""
    return stream_seed(root_seed, LHS_STREAM, 1)


def interactions(table: pd.DataFrame, outcomes: list[str]) -> dict[str, dict[str, Any]]:
    """The S2 index of (dialogue.continuity, norms.strength) per outcome, with its reading."""
    return {o: {"S2": s2, "ci": ci, "words": words}
            for o, (s2, ci, words) in sa.interaction_readings(table, outcomes, label).items()}


def design(plan: Plan, seed: int) -> dict[str, Any]:
    """What sensitivity.json records about the design."""
    return {"method": plan.spec.design, "samples": plan.spec.points,
            "parameters": [{"key": v.key, "low": v.start, "high": v.stop} for v in plan.spec.vary],
            "design_points": len(plan.points), "replications": plan.spec.replications,
            "runs": plan.total, "outcomes": list(plan.spec.outcomes), "bootstrap_seed": seed,
            "confidence_level": sa.LEVEL, "resamples": sa.RESAMPLES}


def write_sensitivity(folder: Path, plan: Plan, figures: bool = True) -> list[str]:
    """Compute the indices from the folder's runs and write the outputs; return lines to show."""
    from sim.experiment.exports import atomic

    folder = Path(folder)
    runs = pd.read_csv(folder / "runs.csv")
    outcomes = list(plan.spec.outcomes)
    point_of = {t.run_id: t.point for t in plan.tasks()}
    outputs = sa.point_means(runs, point_of, len(plan.points), outcomes)
    keys = [v.key for v in plan.spec.vary]
    x = np.array([[p[k] for k in keys] for p in plan.points], float)
    seed = analysis_seed(plan.root_seed)
    table = sa.indices(keys, [v.bounds for v in plan.spec.vary], plan.spec.design, x, outputs,
                       seed)
    written = [sa.write_indices(folder, table)]
    doc = {**design(plan, seed), "interaction": interactions(table, outcomes)}
    body = json.dumps(doc, indent=2, ensure_ascii=False)
    written.append(atomic(folder / "sensitivity.json",
                          lambda p: p.write_text(body, encoding="utf-8")))
    if figures:
        from sim.analysis.sensitivity_figures import write_sensitivity_figures

        written += write_sensitivity_figures(folder, table, plan.spec.design)
    lines = [text("cli.wrote", path=p) for p in written]
    return lines + [v["words"] for v in doc["interaction"].values()]
