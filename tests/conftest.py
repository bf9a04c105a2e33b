"""Shared fixtures: paths to the scenario library and a small CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CONTEXTS = ("khon_kaen", "songkhla", "sukhothai")
ARRANGEMENTS = ("city_development_company", "ppp", "study_center", "no_intermediary")


@pytest.fixture
def cli():
    """Run `collabsim ARGS` in a subprocess; returns the CompletedProcess."""
    def run(*args, cwd=ROOT):
        return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=cwd, check=False,
                              capture_output=True, text=True, timeout=300)
    return run
