"""The benchmark scripts run and print their figures as one JSON line, then a table (at toy sizes
here: the figures themselves are quoted in docs/performance.md, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT


def run_benchmark(name: str, *args: str) -> tuple[dict, str]:
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    first, _, table = r.stdout.partition("\n")
    return json.loads(first), table


def test_agent_steps_compares_collabsim_with_boltzmann():
    result, table = run_benchmark("agent_steps", "--actors", "500", "--steps", "5",
                                  "--repeats", "1")
    assert result["benchmark"] == "agent_steps" and result["steps"] == 5
    assert result["collabsim_actor_steps_per_second"] > 0
    assert result["boltzmann_actor_steps_per_second"] > 0
    expected = result["collabsim_actor_steps_per_second"] / result["boltzmann_actor_steps_per_second"]
    assert result["ratio"] == pytest.approx(expected, rel=0.01)
    assert "Boltzmann" in table


def test_scale_fits_exponents_of_time_and_memory():
    result, table = run_benchmark("scale", "--sizes", "1000,3000", "--steps", "3")
    assert [r["size"] for r in result["runs"]] == [1000, 3000]
    assert all(r["total_seconds"] > 0 and r["peak_mb"] > 0 for r in result["runs"])
    assert "exponent" in table


def test_throughput_times_every_backend():
    result, table = run_benchmark("throughput", "--replications", "1", "--no-command")
    backends = [r["backend"] for r in result["rows"]]
    assert backends[:2] == ["in-process", "processes"]
    assert "dask LocalCluster" in backends  # CI installs every extra
    assert all(r["runs"] == 12 for r in result["rows"])
    assert result["speedup_2_workers"] > 0 and "speed-up" in table
