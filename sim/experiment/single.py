"""One run of one scenario: simulate, then write timeseries.csv, manifest.json, timeseries.png."""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from sim.model.model import CollaborationModel
from sim.provenance import lock_hash, versions
from sim.scenario import Scenario


@dataclass
class RunResult:
    scenario: Scenario
    seed: int
    steps: int
    timeseries: pd.DataFrame
    results: dict
    n_actors: int
    seconds: float
    sampled: dict = field(default_factory=dict)  # this run's draws of plausible ranges


def run_scenario(scenario: Scenario, seed: int, steps: int | None = None) -> RunResult:
    """Simulate `scenario` for `steps` months (default run.steps) from `seed`."""
    steps = int(steps if steps is not None else scenario["run.steps"])
    start = time.perf_counter()
    model = CollaborationModel.from_scenario(scenario, seed=seed).run_for(steps)
    return RunResult(scenario, seed, steps, model.timeseries(), model.run_results(),
                     model.n_actors, time.perf_counter() - start, model.sampled)


def _jsonable(x):
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    return x


def manifest(run: RunResult) -> dict:
    """Everything needed to reproduce and cite the run (NaN is written as null)."""
    sc = run.scenario
    return _jsonable({
        "scenario": str(sc.path) if sc.path else None, "name": sc.name,
        "description": sc.description, "files": sc.files, "seed": run.seed, "steps": run.steps,
        "n_actors": run.n_actors, "results": run.results, "resolved": sc.nested(),
        "ranges": {k: list(v) for k, v in sc.ranges.items()}, "sampled": run.sampled,
        "pre_founding_governance": sc.pre_founding, "versions": versions(),
        "lock_sha256": lock_hash(), "seconds": round(run.seconds, 3),
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
    })


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".part")
    write(tmp)
    os.replace(tmp, path)


def write_run(run: RunResult, folder: Path, figure: bool = True) -> Path:
    """Write the run's three files into `folder` (each appears whole or not at all)."""
    from sim.analysis.figures import plot_timeseries

    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / "timeseries.csv",
                  lambda p: run.timeseries.to_csv(p, index=False, float_format="%.10g"))
    if figure:
        title = f"{run.scenario.name} — seed {run.seed}"
        _atomic_write(folder / "timeseries.png",
                      lambda p: plot_timeseries(run.timeseries, title, p))
    _atomic_write(folder / "manifest.json",
                  lambda p: p.write_text(json.dumps(manifest(run), indent=2, ensure_ascii=False)))
    return folder
