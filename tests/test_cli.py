"""The command line as a new user meets it: run, validate, schema, scenarios, and bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import SCENARIOS

from sim.model.outcomes import COLUMNS, OUTCOMES

PPP = SCENARIOS / "khon_kaen" / "ppp.toml"


@pytest.fixture(scope="module")
def ppp_runs(tmp_path_factory):
    """The acceptance run twice with seed 1 and once with seed 2."""
    import subprocess
    import sys
    out = tmp_path_factory.mktemp("runs")
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        subprocess.run([sys.executable, "-m", "sim.cli", "run", str(PPP), "--steps", "120",
                        "--seed", str(seed), "--out", str(out / name), "-q"], check=True)
    return out


def test_run_writes_three_files(ppp_runs):
    for name in ("timeseries.csv", "manifest.json", "timeseries.png"):
        assert (ppp_runs / "a" / name).stat().st_size > 0


def test_timeseries_has_a_row_per_month_and_every_outcome(ppp_runs):
    ts = pd.read_csv(ppp_runs / "a" / "timeseries.csv")
    assert len(ts) == 120 and list(ts["month"]) == list(range(1, 121))
    assert set(COLUMNS) <= set(ts.columns)


def test_same_seed_gives_byte_identical_timeseries(ppp_runs):
    a = (ppp_runs / "a" / "timeseries.csv").read_bytes()
    assert a == (ppp_runs / "b" / "timeseries.csv").read_bytes()


def test_other_seed_gives_other_numbers(ppp_runs):
    a = (ppp_runs / "a" / "timeseries.csv").read_bytes()
    assert a != (ppp_runs / "c" / "timeseries.csv").read_bytes()


def test_no_outcome_is_constant(ppp_runs):
    ts = pd.read_csv(ppp_runs / "a" / "timeseries.csv")
    for name in OUTCOMES:
        assert ts[name].nunique() > 1, name


def test_manifest_records_scenario_seed_actors_results_versions(ppp_runs):
    m = json.loads((ppp_runs / "a" / "manifest.json").read_text())
    assert m["seed"] == 1 and m["n_actors"] > 250
    assert m["resolved"]["dialogue"]["continuity"] == 0.6
    assert {"recovery_months", "company_founded_month"} <= set(m["results"])
    assert {"mesa", "numpy", "collabsim"} <= set(m["versions"])


def test_several_files_give_one_folder_each(cli, tmp_path):
    files = [SCENARIOS / "sukhothai" / "ppp.toml", SCENARIOS / "sukhothai" / "study_center.toml"]
    r = cli("run", *files, "--steps", "6", "--out", tmp_path, "--no-figures", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "sukhothai_ppp" / "timeseries.csv").exists()
    assert (tmp_path / "sukhothai_study_center" / "manifest.json").exists()


def test_default_output_goes_under_results(cli, tmp_path):
    (tmp_path / "results").mkdir()
    r = cli("run", PPP, "--steps", "3", "--no-figures", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    folder = tmp_path / r.stdout.strip()
    assert folder.parent == tmp_path / "results" and (folder / "timeseries.csv").exists()


@pytest.mark.parametrize("args,needle", [
    (["run", PPP, "--set", "dialogue.continuity=1.5"], "dialogue.continuity"),
    (["run", PPP, "--set", "dialogue.continuty=0.5"], "did you mean 'dialogue.continuity'"),
    (["run", "missing.toml"], "missing.toml"),
    (["run", PPP, "--steps", "many"], "--steps"),
    (["run", PPP, "--set", "novalue"], "KEY.PATH=VALUE"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, needle):
    r = cli(*args)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr
    assert "Traceback" not in r.stderr


def test_broken_toml_is_one_line_and_exit_2(cli, tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("[dialogue\ncontinuity = 0.5\n")
    r = cli("run", bad)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert str(bad) in r.stderr and "malformed TOML" in r.stderr


def test_validate_accepts_the_library_and_rejects_bad_files(cli, tmp_path):
    files = sorted(SCENARIOS.rglob("*.toml"))
    assert cli("validate", *files).returncode == 0
    bad = tmp_path / "unknown.toml"
    bad.write_text("[norms]\nstrenght = 0.5\n")
    r = cli("validate", bad)
    assert r.returncode == 2 and "norms.strength" in r.stderr


def test_schema_is_json(cli):
    r = cli("schema")
    assert r.returncode == 0 and json.loads(r.stdout)["properties"]["dialogue"]


def test_scenarios_lists_files_with_descriptions(cli):
    r = cli("scenarios")
    assert r.returncode == 0
    assert "khon_kaen/ppp.toml" in r.stdout and "Khon Kaen with a public–private" in r.stdout
    files = sorted(SCENARIOS.rglob("*.toml"))
    lines = r.stdout.strip().splitlines()
    kinds = ("context", "arrangement", "scenario", "experiment")
    assert len(lines) == len(files) and all(line.split()[1] in kinds for line in lines)
