"""Runs per second of the flagship (scenarios/experiments/flagship.toml) with 1 and 2 local
workers and, when dask.distributed is installed, a LocalCluster of 2 workers; and the wall time
of the whole `collabsim experiment` command (runs, exports, figures) with 2 workers (the median
of three runs).

Steady-state speed counts the runs completed after the first wave (one run per worker), so
worker start-up is left out; the command's wall time includes everything.
Prints one JSON line, then a readable table.
Usage: python benchmarks/throughput.py [--replications 30] [--no-command] [--command-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.experiment.backends import Job, backend
from sim.experiment.files import load_experiment
from sim.experiment.plan import Plan

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "experiments" / "flagship.toml"


def jobs_of(replications: int) -> list[Job]:
    spec = load_experiment(FLAGSHIP)
    spec.replications = replications
    plan = Plan(spec)
    return [Job(t, plan.scenario_for(t), plan.steps[t.scenario]) for t in plan.tasks()]


def measure(jobs: list[Job], label: str, workers: int, scheduler: str | None = None) -> dict:
    """Wall time of all runs and steady-state runs per second after the first wave."""
    start = time.perf_counter()
    stamps = [time.perf_counter() for _ in backend(jobs, workers, scheduler)]
    wall = stamps[-1] - start
    wave = min(workers, len(stamps) - 1)
    steady = (len(stamps) - 1 - wave) / (stamps[-1] - stamps[wave])
    return {"backend": label, "workers": workers, "runs": len(stamps), "seconds": round(wall, 2),
            "runs_per_second": round(len(stamps) / wall, 2),
            "steady_runs_per_second": round(steady, 2)}


def dask_cluster(jobs: list[Job]) -> dict | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        return measure(jobs, "dask LocalCluster", 2, cluster.scheduler_address)


def command_wall(workers: int) -> float:
    """Seconds of `collabsim experiment flagship.toml --workers K` into a fresh folder."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim.cli", "experiment", str(FLAGSHIP), "--workers",
                        str(workers), "--out", out, "-q"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        return round(time.perf_counter() - start, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--no-command", action="store_true", help="Skip the whole-command timing.")
    ap.add_argument("--command-repeats", type=int, default=3,
                    help="Times the whole command is run; its median is reported.")
    args = ap.parse_args()
    jobs = jobs_of(args.replications)
    rows = [measure(jobs, "in-process", 1), measure(jobs, "processes", 2)]
    dask_row = dask_cluster(jobs)
    rows += [dask_row] if dask_row else []
    speedup = rows[1]["steady_runs_per_second"] / rows[0]["steady_runs_per_second"]
    result = {"benchmark": "throughput", "experiment": "flagship", "cpus": os.cpu_count(),
              "rows": rows, "speedup_2_workers": round(speedup, 2)}
    if not args.no_command and args.replications == 30:
        walls = [command_wall(2) for _ in range(args.command_repeats)]
        result["command_seconds_2_workers"] = statistics.median(walls)
        result["command_seconds_each"] = walls
    print(json.dumps(result))
    print(f"{'backend':20} {'workers':>7} {'runs':>5} {'seconds':>8} {'runs/s':>7} {'steady/s':>9}")
    for r in rows:
        print(f"{r['backend']:20} {r['workers']:>7} {r['runs']:>5} {r['seconds']:>8} "
              f"{r['runs_per_second']:>7} {r['steady_runs_per_second']:>9}")
    print(f"speed-up from 1 to 2 workers (steady state): {speedup:.2f}×")
    if "command_seconds_2_workers" in result:
        print(f"whole `collabsim experiment flagship.toml --workers 2`: "
              f"{result['command_seconds_2_workers']} s (median of "
              f"{', '.join(map(str, result['command_seconds_each']))})")


if __name__ == "__main__":
    main()
