"""Where runs execute: in-process, local worker processes, or a Dask cluster. Each backend
yields finished runs as they complete; only the coordinating process writes results."""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import re
import signal
import socket
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from sim.experiment.plan import Task
from sim.forking import fork_context, quiet_fork
from sim.i18n import text as _t
from sim.model.outcomes import COLUMNS
from sim.scenario import Scenario


@dataclass(frozen=True)
class Job:
    """What a worker needs for one run: the task, its resolved scenario and the months."""

    task: Task
    scenario: Scenario
    steps: int


def _identity(job: Job) -> dict[str, Any]:
    t = job.task
    return {"run_id": t.run_id, "scenario": job.scenario.name, "point": t.point,
            "replication": t.replication, "seed": t.seed}


def failed(job: Job, exc: BaseException, seconds: float = 0.0, host: str = "") -> dict[str, Any]:
    """A failed run: its identity and the error, one line."""
    trace = " ".join(traceback.format_exception(exc, limit=-2)).replace("\n", " ")
    return {"row": {**_identity(job), "host": host, "status": "failed", "seconds": seconds,
                    "error": f"{type(exc).__name__}: {exc} | {trace}"}, "series": None}


def execute(job: Job) -> dict[str, Any]:
    """Simulate one run; an exception is caught and returned as a failed run, never raised."""
    from sim.model.model import CollaborationModel

    host = f"{socket.gethostname()}:{os.getpid()}"
    start = time.perf_counter()
    try:
        model = CollaborationModel.from_scenario(job.scenario, seed=job.task.seed)
        series = model.run_for(job.steps).outcome_array(COLUMNS)
        results = model.run_results()
    except Exception as exc:  # noqa: BLE001 — a failing run is data, reported with its error
        return failed(job, exc, time.perf_counter() - start, host)
    row = {**_identity(job), "host": host, "status": "done", "error": None,
           **{c: _real(v) for c, v in zip(COLUMNS, series[-1])},
           **{k: _real(v) for k, v in results.items()}, "seconds": time.perf_counter() - start}
    return {"row": row, "series": series, "sampled": model.sampled}


def _real(x: Any) -> float | None:
    x = float(x) if x is not None else math.nan
    return None if math.isnan(x) else x


def in_process(jobs: Iterable[Job]) -> Iterator[dict[str, Any]]:
    """Run each job here, one after another."""
    for job in jobs:
        yield execute(job)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the coordinator, which stops them cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it (sim.forking), spawn elsewhere. The coordinator starts no
    threads of its own before forking."""
    return fork_context() or multiprocessing.get_context("spawn")


def processes(jobs: Iterable[Job], workers: int) -> Iterator[dict[str, Any]]:
    """Run jobs on `workers` worker processes, started once; keep a bounded queue in flight.
    On Ctrl-C (or when the caller stops early) queued runs are cancelled, the runs in flight
    finish, and the workers exit."""
    pending: dict = {}
    queue = iter(jobs)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=worker_context(),
                               initializer=_ignore_interrupts)
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # workers start ignoring it
        try:
            with quiet_fork():
                for job in itertools.islice(queue, 4 * workers):  # the first forks them all
                    pending[pool.submit(execute, job)] = job
        finally:
            signal.signal(signal.SIGINT, previous)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield _result(future, pending.pop(future))
                for job in itertools.islice(queue, 1):
                    pending[pool.submit(execute, job)] = job
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future, job: Job) -> dict[str, Any]:
    """The future's run, or a failed run when the worker itself broke (killed, unpicklable)."""
    exc = future.exception()
    return failed(job, exc) if exc is not None else future.result()


ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx)://\[?[\w.:-]+\]?:\d+$")


def check_scheduler(address: str) -> str:
    """A Dask scheduler address like tcp://host:8786, or a one-line error."""
    if not ADDRESS.match(address):
        from sim.scenario import ScenarioError

        raise ScenarioError("--scheduler", None, _t("error.scheduler_address",
                                                    address=repr(address)))
    return address


def dask(jobs: Iterable[Job], address: str) -> Iterator[dict[str, Any]]:
    """Run jobs on the Dask cluster whose scheduler listens at `address`."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        from sim.scenario import ScenarioError

        raise ScenarioError("--scheduler", None, _t("error.scheduler_needs_dask")) from None
    try:
        client = Client(address, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        from sim.scenario import ScenarioError

        raise ScenarioError("--scheduler", None, _t("error.scheduler_unreachable",
                                                    address=address, detail=exc)) from None
    with client:
        jobs = list(jobs)
        futures = client.map(execute, jobs, pure=False)
        by_future = dict(zip(futures, jobs))
        try:
            for future in as_completed(futures, loop=client.loop):
                yield _result(future, by_future[future])
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
