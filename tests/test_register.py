"""Initialisation from data: the actor register and the tie file, their errors, runs, experiments."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from conftest import SCENARIOS

from sim.model import constants as k
from sim.model.model import CollaborationModel
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.register import generated_size

DATA = SCENARIOS / "data"
EXAMPLE = DATA / "example_province.toml"


def rows(path):
    return [r for r in path.read_text(encoding="utf-8").splitlines() if r and not r.startswith("#")]


def test_example_builds_the_population_as_the_csv_says():
    m = CollaborationModel(EXAMPLE, seed=1)
    table = rows(DATA / "actors.csv")
    head, body = table[0].split(","), [r.split(",") for r in table[1:]]
    col = {h: [r[n] for r in body] for n, h in enumerate(head)}
    assert m.n_actors == len(body)
    a = m.actors
    for s, name in enumerate(k.SECTOR_NAMES):
        for lv, level in enumerate(k.LEVEL_NAMES):
            want = sum(1 for x, y in zip(col["sector"], col["level"]) if (x, y) == (name, level))
            assert int(((a.sector == s) & (a.level == lv)).sum()) == want
    pos = np.array([[float(x) for x in p.split()] for p in col["positions"]])
    assert np.allclose(a.position, pos)
    assert len(m.firms) == col["sector"].count("business") - sum(
        1 for x, y in zip(col["sector"], col["level"]) if x == "business" and y != "operation")
    board = next(f for f in m.forums if f.kind == "board")
    assert len(board.members) == col["memberships"].count("board")
    ids = {i: n for n, i in enumerate(col["id"])}
    for line in rows(DATA / "ties.csv")[1:]:
        i, j, t = line.split(",")
        idx = m.ties.find(np.array([ids[i]]), np.array([ids[j]]))[0]
        assert idx >= 0 and m.ties.trust[idx] == pytest.approx(float(t))
    assert len(m.ties) == len(rows(DATA / "ties.csv")) - 1


def test_runs_are_reproducible_per_seed():
    a = CollaborationModel(EXAMPLE, seed=4).run_for(24).timeseries()
    b = CollaborationModel(EXAMPLE, seed=4).run_for(24).timeseries()
    c = CollaborationModel(EXAMPLE, seed=5).run_for(24).timeseries()
    assert a.equals(b) and not a.equals(c)


def test_generated_size_matches_the_model():
    path = SCENARIOS / "khon_kaen" / "ppp.toml"
    assert generated_size(load_scenario(path).values) == CollaborationModel(path, seed=1).n_actors


def edit(tmp_path, file, old, new):
    p = tmp_path / file
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_example(tmp_path):
    for f in ("actors.csv", "ties.csv"):
        shutil.copy(DATA / f, tmp_path / f)
    scen = tmp_path / "s.toml"
    scen.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        '"../contexts/', f'"{SCENARIOS}/contexts/').replace(
        '"../arrangements/', f'"{SCENARIOS}/arrangements/'), encoding="utf-8")
    return scen


BAD = [  # (file, old, new, file in message, "row R, column C", hint)
    ("actors.csv", "gov,Provincial governor,central", "gov,Provincial governor,centrl",
     "actors.csv", "row 6, column sector", "central"),
    ("actors.csv", ",power,", ",pwr,", "actors.csv", "row 5, column pwr", "unknown column"),
    ("actors.csv", ",power,positions,", ",positions,", "actors.csv", "row 5, column power",
     "missing column"),
    ("actors.csv", "pvo,Provincial office", "gov,Provincial office", "actors.csv",
     "row 7, column id", "row 6"),
    ("actors.csv", "3,0.8,0.6 0.5 0.45", "-3,0.8,0.6 0.5 0.45", "actors.csv",
     "row 7, column resources", "[0, ∞]"),
    ("actors.csv", "0.6 0.5 0.5,,board", "0.6 1.5 0.5,,board", "actors.csv",
     "row 6, column positions", "three numbers"),
    ("actors.csv", "0.5 0.5 0.6,,wg1,,", "0.5 0.5 0.6,,wg3,,", "actors.csv",
     "row 17, column memberships", "wg2"),
    ("ties.csv", "gov,pvo,0.8", "gov,gvo,0.8", "ties.csv", "row 4, column j", "an id"),
    ("ties.csv", "gov,pvo,0.8", "gov,gov,0.8", "ties.csv", "row 4, column j", "oneself"),
    ("ties.csv", "gov,pvo,0.8", "gov,pvo,1.8", "ties.csv", "row 4, column trust", "[0, 1]"),
    ("s.toml", '"actors.csv"', '"missing.csv"', "missing.csv", "", "file not found"),
]


@pytest.mark.parametrize("case", BAD, ids=[f"{b[0]}-{b[4]}" for b in BAD])
def test_bad_data_gives_one_line_with_row_and_column(tmp_path, case):
    file, old, new, named, where, hint = case
    scen = copy_example(tmp_path)
    edit(tmp_path, file, old, new)
    with pytest.raises(ScenarioError) as err:
        load_scenario(scen)
    msg = str(err.value)
    assert "\n" not in msg and named in msg and where in msg and hint in msg


def test_cli_validate_and_run_exit_2_with_one_line(cli, tmp_path):
    scen = copy_example(tmp_path)
    edit(tmp_path, "ties.csv", "gov,pvo,0.8", "gov,gov,0.8")
    for cmd in ("validate", "run"):
        r = cli(cmd, scen)
        assert r.returncode == 2, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "ties.csv: row 4, column j" in lines[0]
        assert "Traceback" not in r.stderr


def test_cli_run_and_compare_with_two_workers(cli, tmp_path):
    r = cli("run", EXAMPLE, "--steps", 12, "--seed", 2, "--out", tmp_path / "run", "--no-figures",
            "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "run" / "timeseries.csv").exists()
    r = cli("compare", EXAMPLE, SCENARIOS / "songkhla" / "no_intermediary.toml",
            "--replications", 2, "--steps", 12, "--workers", 2, "--out", tmp_path / "cmp",
            "--no-figures", "-q")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cmp" / "runs.csv").exists()
