"""Running an experiment into its results folder: resume what is missing, record each run as it
finishes, then rewrite the exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.experiment.backends import Job, backend
from sim.experiment.exports import export_all, load_analysis, write_manifest
from sim.experiment.plan import Plan, Task
from sim.experiment.progress import Progress
from sim.experiment.store import Store
from sim.i18n import text


@dataclass
class Outcome:
    """What a command did: its folder, and runs in scope, already done, run now, failed."""

    folder: Path
    total: int
    done: int
    ran: int
    failed: int


def in_shard(tasks: list[Task], shard: tuple[int, int] | None) -> list[Task]:
    """The I-th of N slices (run_id mod N = I − 1), so every slice mixes all scenarios."""
    if not shard:
        return tasks
    i, n = shard
    return [t for t in tasks if t.run_id % n == i - 1]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_experiment(plan: Plan, folder: Path, *, workers: int | None = None,
                   scheduler: str | None = None, shard: tuple[int, int] | None = None,
                   figures: bool = True, command: str = "", say: Callable[[str], Any] = print,
                   progress: bool = False) -> Outcome:
    """Run the plan's missing runs into `folder` and rewrite its exports."""
    store = Store(folder / "results.sqlite")
    try:
        store.claim(plan.info())
        scope = in_shard(plan.tasks(), shard)
        finished = store.finished()
        todo = [t for t in scope if t.run_id not in finished]
        say(text("cli.resume", done=len(scope) - len(todo), scope=len(scope), todo=len(todo),
                 folder=folder))
        started = now()
        extra = {"command": command, "started": started, "finished": None,
                 "shard": f"{shard[0]}/{shard[1]}" if shard else None,
                 "backend": scheduler or f"{workers or 'all'} local worker(s)"}
        write_manifest(folder, store, extra)  # from the start, so a cut-short folder has one
        jobs = [Job(t, plan.scenario_for(t), plan.steps[t.scenario]) for t in todo]
        failed = 0
        results = backend(jobs, workers, scheduler)
        try:
            with Progress(len(jobs), enabled=progress) as bar:
                for n, result in enumerate(results):
                    store.record(result["row"], result["series"], result.get("sampled"))
                    failed += result["row"]["status"] == "failed"
                    bar.advance(failed)
                    if n == 0:  # the workers are busy now: load the analysis meanwhile
                        load_analysis(figures)
        finally:
            results.close()  # stop the workers even when interrupted between two results
        export_all(folder, store, {**extra, "finished": now()}, figures)
        return Outcome(folder, len(scope), len(scope) - len(todo), len(todo),
                       len(store.failed()))
    finally:
        store.close()
