"""Shared fixtures: paths to the scenario library and a small CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
# The city contexts and city arrangements: every pair has a composed file. The flood and
# partnership arrangements (drr_committee, la21_partnership) and the S1 / S5 contexts form only
# the pairs that tell their stories; tests/test_library_mechanisms.py covers every composed file.
CONTEXTS = ("khon_kaen", "songkhla", "sukhothai", "nonthaburi")
ARRANGEMENTS = ("city_development_company", "ppp", "study_center", "no_intermediary")


@pytest.fixture
def cli():
    """Run `collabsim ARGS` in a subprocess; returns the CompletedProcess."""
    def run(*args, cwd=ROOT, env=None):
        return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=cwd, check=False,
                              capture_output=True, text=True, timeout=300, env=env)
    return run
