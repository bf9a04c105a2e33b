"""Running experiments: the results folder, identical numbers on every backend and split, resume
after an interruption, refusal of foreign folders, failed runs, and merging shards."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT, SCENARIOS

from sim.experiment import runner, store
from sim.experiment.plan import ExperimentSpec, Plan
from sim.model.outcomes import OUTCOMES
from sim.scenario import load_scenario

KK = SCENARIOS / "khon_kaen"
PAIR = [KK / "ppp.toml", KK / "no_intermediary.toml"]
SMALL = ["compare", *PAIR, "--replications", "3", "--steps", "12", "--no-figures", "-q"]
RUN_LEVEL = ["recovery_months", "resilience_loss", "company_founded_month", "collapsed", "floods"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The small comparison run in-process: the numbers every other way must reproduce."""
    out = tmp_path_factory.mktemp("ref") / "ref"
    args = [a for a in SMALL if a != "--no-figures"]
    done = subprocess.run([sys.executable, "-m", "sim.cli", *args, "--workers", "1", "--out",
                           str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def runs_csv(folder):
    return (folder / "runs.csv").read_bytes()


def test_results_folder_holds_every_export(reference):
    for name in ("results.sqlite", "runs.csv", "timeseries.csv", "summary.csv", "manifest.json",
                 "runs.parquet", "timeseries.parquet"):
        assert (reference / name).stat().st_size > 0, name
    assert any((reference / "figures").glob("*.png"))
    assert any((reference / "figures").glob("*.svg"))


def test_runs_csv_has_identity_outcomes_and_run_level_results_only(reference):
    runs = pd.read_csv(reference / "runs.csv")
    sampled = sorted({key for path in PAIR for key in load_scenario(path).ranges})
    assert sampled, "the Khon Kaen context has plausible ranges, sampled per replication"
    assert list(runs.columns[:4]) == ["run_id", "scenario", "replication", "seed"]
    assert sorted(runs.columns[4:4 + len(sampled)]) == sampled
    assert list(runs.columns[4 + len(sampled):]) == [*OUTCOMES, *RUN_LEVEL]
    assert list(runs["run_id"]) == list(range(6))
    by_rep = runs.groupby("replication")["seed"].nunique()
    assert (by_rep == 1).all() and runs["seed"].nunique() == 3
    ts = pd.read_csv(reference / "timeseries.csv")
    assert list(ts.columns) == ["run_id", "step", *OUTCOMES] and len(ts) == 6 * 12
    final = ts[ts["step"] == 12].set_index("run_id")["trust"]
    assert (final.to_numpy() == runs.set_index("run_id")["trust"].to_numpy()).all()


def test_sqlite_store_is_versioned_and_in_wal_mode(reference):
    db = sqlite3.connect(reference / "results.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = db.execute("SELECT run_id, status, seconds, host FROM runs").fetchall()
    assert len(rows) == 6 and all(r[1] == "done" and r[2] > 0 and r[3] for r in rows)


def test_network_file_systems_use_the_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "filesystem_type", lambda _p: "nfs4")
    s = store.Store(tmp_path / "results.sqlite")
    assert s.journal == "delete"
    s.close()


def test_manifest_records_command_seed_versions_and_counts(reference):
    m = json.loads((reference / "manifest.json").read_text())
    assert m["command"].startswith("collabsim compare")
    assert m["runs"] == {"total": 6, "done": 6, "failed": 0, "missing": 0}
    assert m["root_seed"] == 1 and m["versions"]["mesa"] and m["lock_sha256"]
    assert m["started"] <= m["finished"]
    assert [s["name"] for s in m["experiment"]["scenarios"]] == ["khon_kaen/ppp",
                                                                 "khon_kaen/no_intermediary"]


def test_rerun_resumes_and_runs_nothing(reference, cli):
    before = runs_csv(reference)
    again = cli(*SMALL[:-1], "--workers", "1", "--out", reference)
    assert again.returncode == 0
    assert "6 of 6 done, 0 to run" in again.stderr
    assert runs_csv(reference) == before


def test_two_workers_give_identical_runs(reference, cli, tmp_path):
    assert cli(*SMALL, "--workers", "2", "--out", tmp_path).returncode == 0
    assert runs_csv(tmp_path) == runs_csv(reference)


def test_spawned_workers_give_identical_runs(reference, tmp_path, monkeypatch):
    """Workers are forked where the platform allows; spawned ones (macOS, Windows) agree."""
    import multiprocessing

    from click.testing import CliRunner

    from sim.cli import cli
    from sim.experiment import backends

    monkeypatch.setattr(backends, "worker_context", lambda: multiprocessing.get_context("spawn"))
    done = CliRunner().invoke(cli, [*map(str, SMALL), "--workers", "2", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert runs_csv(tmp_path) == runs_csv(reference)


def test_dask_cluster_gives_identical_runs(reference, cli, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        done = cli(*SMALL, "--scheduler", cluster.scheduler_address, "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert runs_csv(tmp_path) == runs_csv(reference)


def test_two_shards_merged_give_identical_runs(reference, cli, tmp_path):
    for i in (1, 2):
        assert cli(*SMALL, "--workers", "1", "--shard", f"{i}/2",
                   "--out", tmp_path / f"s{i}").returncode == 0
    assert len(pd.read_csv(tmp_path / "s1" / "runs.csv")) == 3
    merged = cli("merge", tmp_path / "s1", tmp_path / "s2", "--out", tmp_path / "all",
                 "--no-figures")
    assert merged.returncode == 0, merged.stderr
    assert "0 duplicate(s), 0 missing" in merged.stderr
    assert runs_csv(tmp_path / "all") == runs_csv(reference)


def test_merge_reports_missing_and_duplicates_and_refuses_other_experiments(cli, tmp_path):
    cli(*SMALL, "--workers", "1", "--shard", "1/2", "--out", tmp_path / "s1")
    part = cli("merge", tmp_path / "s1", tmp_path / "s1", "--out", tmp_path / "m", "--no-figures")
    assert "3 duplicate(s), 3 missing" in part.stderr and "missing run_ids: 1, 3, 5" in part.stderr
    cli(*SMALL[:-5], "4", "--steps", "12", "-q", "--no-figures", "--workers", "1", "--out", tmp_path / "other")
    refused = cli("merge", tmp_path / "s1", tmp_path / "other", "--out", tmp_path / "m2")
    assert refused.returncode == 2 and "experiment_hash" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_resumes_to_the_same_runs_csv(cli, tmp_path, sig):
    """Stop a run part-way (Ctrl-C or kill -9), run it again: the same runs.csv as in one go."""
    args = ["compare", *PAIR, "--replications", "12", "--steps", "60", "--workers", "1",
            "--no-figures"]
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", *map(str, args), "--out",
                             str(tmp_path / "cut")], cwd=ROOT, stderr=subprocess.PIPE)
    db = tmp_path / "cut" / "results.sqlite"
    deadline = time.time() + 120
    while time.time() < deadline and _done(db) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    kept = _done(db)
    assert 3 <= kept < 24
    resumed = cli(*args, "--out", tmp_path / "cut")
    assert f"{kept} of 24 done, {24 - kept} to run" in resumed.stderr
    assert cli(*args, "--out", tmp_path / "whole").returncode == 0
    assert runs_csv(tmp_path / "cut") == runs_csv(tmp_path / "whole")


def _done(db) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT count(*) FROM runs WHERE status = 'done'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_folder_of_another_experiment_or_version_is_refused(reference, cli, tmp_path):
    other = cli(*SMALL[:-5], "5", "--steps", "12", "-q", "--out", reference)
    assert other.returncode == 2 and "experiment_hash" in other.stderr
    assert len(other.stderr.strip().splitlines()) == 1
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "results.sqlite").write_bytes((reference / "results.sqlite").read_bytes())
    with sqlite3.connect(copy / "results.sqlite") as db:
        db.execute("UPDATE meta SET value = '\"0.0.0\"' WHERE key = 'collabsim'")
    old = cli(*SMALL, "--workers", "1", "--out", copy)
    assert old.returncode == 2 and "collabsim" in old.stderr and "Traceback" not in old.stderr


def test_failing_run_is_recorded_and_the_rest_go_on(tmp_path, monkeypatch):
    from sim.model.model import CollaborationModel

    real = CollaborationModel.run_for
    spec = ExperimentSpec("t", PAIR, replications=3, steps=6)
    bad_seed = Plan(spec).tasks()[1].seed

    def flaky(self, steps):
        if self.seed_sequence.entropy == bad_seed:
            raise RuntimeError("a broken run")
        return real(self, steps)

    monkeypatch.setattr(CollaborationModel, "run_for", flaky)
    outcome = runner.run_experiment(Plan(spec), tmp_path, workers=1, figures=False,
                                    say=lambda _t: None)
    assert (outcome.total, outcome.failed) == (6, 2)
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 4
    with sqlite3.connect(tmp_path / "results.sqlite") as db:
        errors = db.execute("SELECT error FROM runs WHERE status = 'failed'").fetchall()
    assert len(errors) == 2 and all("RuntimeError: a broken run" in e[0] for e in errors)


def test_failed_runs_make_the_command_exit_nonzero(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sim.cli import cli as command
    from sim.model.model import CollaborationModel

    def broken(self, steps):
        raise ValueError("no")

    monkeypatch.setattr(CollaborationModel, "run_for", broken)
    done = CliRunner().invoke(command, ["compare", str(PAIR[0]), "--replications", "2",
                                        "--steps", "3", "--workers", "1", "--out", str(tmp_path)])
    assert done.exit_code == 1 and "2 run(s) failed" in done.output


def test_sweep_writes_varied_columns_and_heatmaps(cli, tmp_path):
    done = cli("sweep", KK / "ppp.toml", "--vary", "dialogue.continuity=0:1:3", "--vary",
               "norms.strength=0,1", "--replications", "2", "--steps", "12", "--workers", "1",
               "--out", tmp_path, "-q")
    assert done.returncode == 0, done.stderr
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 12 and {"dialogue.continuity", "norms.strength"} <= set(runs.columns)
    assert sorted(runs["dialogue.continuity"].unique()) == [0.0, 0.5, 1.0]
    assert (tmp_path / "figures" / "heatmap-trust.png").exists()
    assert (tmp_path / "figures" / "heatmap-trust.svg").exists()


def test_experiment_command_prints_the_run_count_first(cli, tmp_path):
    exp = tmp_path / "tiny.toml"
    exp.write_text(f'kind = "experiment"\nscenarios = ["{PAIR[0]}", "{PAIR[1]}"]\n'
                   'replications = 2\nsteps = 6\n')
    done = cli("experiment", exp, "--workers", "1", "--no-figures", "--out", tmp_path / "o")
    assert done.returncode == 0, done.stderr
    first = done.stderr.splitlines()[0]
    assert "= 4 runs" in first


@pytest.mark.parametrize("args, needle", [
    (["compare", PAIR[0], "--shard", "3/2"], "I/N"),
    (["compare", PAIR[0], "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "exclude"),
    (["compare", PAIR[0], "--outcomes", "trust,joy"], "joy"),
    (["compare", PAIR[0], "--baseline", "nowhere"], "baseline"),
    (["sweep", PAIR[0], "--vary", "norms.strenght=0:1:3"], "norms.strength"),
    (["experiment", "missing.toml"], "file not found"),
    (["compare", PAIR[0], "--scheduler", "nonsense"], "tcp://"),
    (["merge", "nowhere", "--out", "x"], "results.sqlite"),
    (["report", "nowhere"], "manifest.json"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, needle, tmp_path):
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2 and needle in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_broken_worker_is_a_failed_run_not_a_crash():
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from sim.experiment.backends import Job, _result

    plan = Plan(ExperimentSpec("t", PAIR, replications=1, steps=3))
    task = plan.tasks()[1]
    future = Future()
    future.set_exception(BrokenProcessPool("a worker died"))
    out = _result(future, Job(task, plan.scenario_for(task), 3))
    assert out["series"] is None
    assert out["row"]["run_id"] == 1 and out["row"]["status"] == "failed"
    assert "BrokenProcessPool: a worker died" in out["row"]["error"]


def test_a_new_baseline_or_outcomes_on_the_same_folder_is_used(cli, tmp_path):
    base = ["compare", *PAIR, "--replications", "2", "--steps", "6", "--workers", "1",
            "--no-figures", "--out", tmp_path, "-q"]
    assert cli(*base).returncode == 0
    first = pd.read_csv(tmp_path / "differences.csv")
    assert set(first["baseline"]) == {"khon_kaen/no_intermediary"}
    assert cli(*base, "--baseline", "khon_kaen/ppp", "--outcomes", "trust").returncode == 0
    second = pd.read_csv(tmp_path / "differences.csv")
    assert set(second["baseline"]) == {"khon_kaen/ppp"}
    assert set(second["outcome"]) - set(RUN_LEVEL) == {"trust"}


def test_report_of_a_run_cut_short_exports_what_finished(cli, tmp_path):
    assert cli(*SMALL, "--workers", "1", "--out", tmp_path).returncode == 0
    for name in ("runs.csv", "summary.csv"):
        (tmp_path / name).unlink()
    done = cli("report", tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 6 and (tmp_path / "report.html").exists()
