"""Where runs execute: in-process, local worker processes, or a Dask cluster. Each backend
yields finished runs as they complete; only the coordinating process writes results."""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import socket
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from sim.experiment.plan import Task
from sim.model.outcomes import COLUMNS
from sim.scenario import Scenario


@dataclass(frozen=True)
class Job:
    """What a worker needs for one run: the task, its resolved scenario and the months."""

    task: Task
    scenario: Scenario
    steps: int


def execute(job: Job) -> dict[str, Any]:
    """Simulate one run; an exception is caught and returned as a failed run, never raised."""
    from sim.model.model import CollaborationModel

    t = job.task
    row: dict[str, Any] = {"run_id": t.run_id, "scenario": job.scenario.name, "point": t.point,
                           "replication": t.replication, "seed": t.seed,
                           "host": f"{socket.gethostname()}:{os.getpid()}"}
    start = time.perf_counter()
    try:
        model = CollaborationModel.from_scenario(job.scenario, seed=t.seed).run_for(job.steps)
        series = model.timeseries()[list(COLUMNS)].to_numpy(dtype=float)
        row.update({c: _real(v) for c, v in zip(COLUMNS, series[-1])})
        row.update({k: _real(v) for k, v in model.run_results().items()})
        row["status"], row["error"] = "done", None
    except Exception as exc:  # noqa: BLE001 — a failing run is data, reported with its error
        series = None
        row["status"] = "failed"
        row["error"] = f"{type(exc).__name__}: {exc} | " + traceback.format_exc(limit=-2
                                                                               ).replace("\n", " ")
    row["seconds"] = time.perf_counter() - start
    return {"row": row, "series": series}


def _real(x: Any) -> float | None:
    x = float(x) if x is not None else math.nan
    return None if math.isnan(x) else x


def in_process(jobs: Iterable[Job]) -> Iterator[dict[str, Any]]:
    """Run each job here, one after another."""
    for job in jobs:
        yield execute(job)


def processes(jobs: Iterable[Job], workers: int) -> Iterator[dict[str, Any]]:
    """Run jobs on `workers` spawned processes, started once; keep a bounded queue in flight."""
    ctx = multiprocessing.get_context("spawn")
    pending, queue = set(), iter(jobs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        try:
            for job in itertools.islice(queue, 4 * workers):
                pending.add(pool.submit(execute, job))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    for job in itertools.islice(queue, 1):
                        pending.add(pool.submit(execute, job))
        finally:
            for future in pending:
                future.cancel()


def dask(jobs: Iterable[Job], address: str) -> Iterator[dict[str, Any]]:
    """Run jobs on the Dask cluster whose scheduler listens at `address`."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        from sim.scenario import ScenarioError

        raise ScenarioError("--scheduler", None, "needs dask.distributed; install it with "
                            "pip install 'collabsim[cluster]'") from None
    with Client(address, set_as_default=False) as client:
        futures = client.map(execute, list(jobs), pure=False)
        try:
            for future in as_completed(futures, loop=client.loop):
                yield future.result()
        finally:
            unfinished = [f for f in futures if not f.done()]
            if unfinished:
                client.cancel(unfinished)


def backend(jobs: list[Job], workers: int | None, scheduler: str | None
            ) -> Iterator[dict[str, Any]]:
    """The chosen backend: a Dask scheduler if named, else `workers` processes (all cores by
    default; 1 runs in-process)."""
    if scheduler:
        return dask(jobs, scheduler)
    workers = min(workers or os.cpu_count() or 1, max(1, len(jobs)))
    return in_process(jobs) if workers == 1 else processes(jobs, workers)


__all__ = ["Job", "backend", "execute"]
