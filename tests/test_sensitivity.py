"""Sensitivity analysis: the generic code path on functions with known indices, then the
`collabsim sensitivity` command on a small model design (indices, figures, resume, report)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS
from SALib.test_functions import Ishigami

from sim.analysis.sensitivity import COLUMNS, indices, point_means
from sim.experiment.design import parse_bounds, run_count, salib_sample
from sim.model.outcomes import OUTCOMES

PI = (-math.pi, math.pi)
# Ishigami & Homma (1990), a = 7, b = 0.1: the analytic indices (Sobol' & Levitan 1999).
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def value(table: pd.DataFrame, index: str, parameter: str, parameter_2: str = "") -> float:
    rows = table[(table["index"] == index) & (table["parameter"] == parameter)
                 & (table["parameter_2"] == parameter_2)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


@pytest.fixture(scope="module")
def ishigami_sobol():
    x = salib_sample([PI] * 3, "sobol", 1024, seed=7)
    return x, indices(["x1", "x2", "x3"], [PI] * 3, "sobol", x, {"y": Ishigami.evaluate(x)}, 3)


def test_sobol_sample_has_n_times_2d_plus_2_rows(ishigami_sobol):
    x, _ = ishigami_sobol
    assert x.shape == (1024 * 8, 3) == (run_count("sobol", 1024, 3), 3)


def test_sobol_recovers_the_ishigami_indices(ishigami_sobol):
    _, table = ishigami_sobol
    assert list(table.columns) == list(COLUMNS)
    for name, s1 in ISHIGAMI_S1.items():
        assert value(table, "S1", name) == pytest.approx(s1, abs=0.05)
        assert value(table, "ST", name) == pytest.approx(ISHIGAMI_ST[name], abs=0.05)
    # x1 and x3 interact (S2 = ST3 = 0.2437); the other pairs do not
    assert value(table, "S2", "x1", "x3") == pytest.approx(0.2437, abs=0.08)
    assert abs(value(table, "S2", "x1", "x2")) < 0.08
    assert abs(value(table, "S2", "x2", "x3")) < 0.08
    assert (table["ci"] > 0).all()


def test_sobol_of_an_additive_function_splits_the_variance_by_the_squared_slopes():
    bounds = [(0.0, 1.0), (0.0, 1.0)]
    x = salib_sample(bounds, "sobol", 512, seed=1)
    table = indices(["a", "b"], bounds, "sobol", x, {"y": 2 * x[:, 0] + x[:, 1]}, 1)
    assert value(table, "S1", "a") == pytest.approx(0.8, abs=0.03)
    assert value(table, "S1", "b") == pytest.approx(0.2, abs=0.03)
    assert value(table, "S2", "a", "b") == pytest.approx(0.0, abs=0.03)


def test_morris_ranks_ishigami_keys_and_sees_x3_only_through_interaction():
    x = salib_sample([PI] * 3, "morris", 100, seed=7)
    assert x.shape == (run_count("morris", 100, 3), 3)
    table = indices(["x1", "x2", "x3"], [PI] * 3, "morris", x, {"y": Ishigami.evaluate(x)}, 3)
    assert set(table["index"]) == {"mu_star", "sigma"}
    assert value(table, "mu_star", "x3") < min(value(table, "mu_star", "x1"),
                                               value(table, "mu_star", "x2"))
    assert value(table, "sigma", "x3") > 1  # its effect depends on x1 (no first-order effect)


def test_a_constant_outcome_gets_zero_indices():
    x = salib_sample([(0, 1), (0, 1)], "sobol", 8, seed=1)
    table = indices(["a", "b"], [(0, 1), (0, 1)], "sobol", x, {"y": np.ones(len(x))}, 1)
    assert (table["value"] == 0).all() and len(table) == 5


def test_point_means_are_in_the_design_order_whatever_the_run_order():
    runs = pd.DataFrame({"run_id": [5, 0, 3, 1, 4, 2], "trust": [6.0, 1, 4, 2, 5, 3]})
    point_of = {0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 5: 2}  # two replications per point
    assert point_means(runs, point_of, 3, ["trust"])["trust"].tolist() == [1.5, 3.5, 5.5]
    with pytest.raises(ValueError, match="without a finished run"):
        point_means(runs[runs["run_id"] < 4], point_of, 3, ["trust"])


def test_bounds_are_checked():
    assert parse_bounds("dialogue.continuity=0.2:0.9").bounds == (0.2, 0.9)
    from sim.scenario import ScenarioError

    for bad in ("dialogue.continuity=1:0", "dialogue.continuity=0:2", "nope.key=0:1",
                "governance.mandate=0:1", "dialogue.continuity=0:1:3", "dialogue.continuity"):
        with pytest.raises(ScenarioError):
            parse_bounds(bad)


# --- the command on the model --------------------------------------------------------------------

PPP = SCENARIOS / "khon_kaen" / "ppp.toml"
SMALL = ("--vary", "dialogue.continuity=0:1", "--vary", "norms.strength=0:1", "--samples", "4",
         "--steps", "12", "--workers", "1")


@pytest.fixture(scope="module")
def sobol_folder(tmp_path_factory):
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("sens") / "ppp"
    args = [sys.executable, "-m", "sim.cli", "sensitivity", str(PPP), *SMALL, "--out", str(out)]
    first = subprocess.run(args, check=False, capture_output=True, text=True, timeout=300)
    again = subprocess.run(args, check=False, capture_output=True, text=True, timeout=300)
    return out, first, again


def test_sensitivity_prints_the_run_count_before_starting(sobol_folder):
    _, first, _ = sobol_folder
    assert first.returncode == 0, first.stderr
    assert "N = 4, D = 2 → N·(2D+2) = 24 design points × 1 replication(s) = 24 runs" in first.stderr
    assert "0 of 24 done, 24 to run" in first.stderr


def test_sensitivity_writes_indices_for_every_outcome_and_key(sobol_folder):
    out, _, _ = sobol_folder
    table = pd.read_csv(out / "indices.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == list(COLUMNS)
    assert set(table["outcome"]) == set(OUTCOMES)
    s2 = table[table["index"] == "S2"]
    assert len(s2) == len(OUTCOMES)
    assert set(zip(s2["parameter"], s2["parameter_2"])) == {("dialogue.continuity",
                                                             "norms.strength")}
    assert len(table) == len(OUTCOMES) * (2 + 2 + 1)
    assert table["value"].notna().all()
    for stem in ("sensitivity-indices", "sensitivity-interactions"):
        for ext in ("png", "svg"):
            assert (out / "figures" / f"{stem}.{ext}").stat().st_size > 1000


def test_sensitivity_states_the_continuity_norms_interaction(sobol_folder):
    out, first, _ = sobol_folder
    doc = json.loads((out / "sensitivity.json").read_text())
    assert doc["method"] == "sobol" and doc["design_points"] == 24 and doc["runs"] == 24
    assert set(doc["interaction"]) == set(OUTCOMES)
    words = doc["interaction"]["trust"]["words"]
    assert "dialogue.continuity and norms.strength" in words and words in first.stderr


def test_sensitivity_rerun_resumes_and_gives_the_same_indices(sobol_folder, cli, tmp_path):
    out, _, again = sobol_folder
    assert again.returncode == 0, again.stderr
    assert "24 of 24 done, 0 to run" in again.stderr and "0 run(s) made" in again.stderr
    other = tmp_path / "two"
    res = cli("sensitivity", PPP, *SMALL[:-2], "--workers", "2", "--no-figures", "--out", other)
    assert res.returncode == 0, res.stderr
    assert (other / "indices.csv").read_bytes() == (out / "indices.csv").read_bytes()


def test_report_has_a_sensitivity_section(sobol_folder, cli):
    out, _, _ = sobol_folder
    res = cli("report", out)
    assert res.returncode == 0, res.stderr
    page = (out / "report.html").read_text()
    assert "Sensitivity</h2>" in page and "Do dialogue continuity and norms interact?" in page
    assert page.count("data:image/png;base64") >= 2
    assert "too many to list one by one" not in page  # 24 points are listed


def test_morris_through_the_command(cli, tmp_path):
    res = cli("sensitivity", PPP, "--vary", "dialogue.continuity=0:1", "--vary",
              "norms.strength=0:1", "--method", "morris", "--samples", "3", "--steps", "6",
              "--workers", "1", "--no-figures", "--out", tmp_path / "m")
    assert res.returncode == 0, res.stderr
    assert "N·(D+1) = 9 design points" in res.stderr
    table = pd.read_csv(tmp_path / "m" / "indices.csv")
    assert set(table["index"]) == {"mu_star", "sigma"}


@pytest.mark.parametrize("args, needle", [
    (("--samples", "6"), "power of two"),
    (("--vary", "norms.strength=0:1:3"), "LOW:HIGH"),
    (("--vary", "norms.strength=0.8:0.2"), "LOW below HIGH"),
    (("--vary", "norms.strenght=0:1"), "norms.strenght"),
    (("--vary", "norms.strength=0:3"), "norms.strength"),
    (("--outcomes", "trust,happiness"), "happiness"),
])
def test_sensitivity_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, needle):
    base = ["--vary", "dialogue.continuity=0:1", "--steps", "2", "--out", tmp_path / "x"]
    res = cli("sensitivity", PPP, *base, *args)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr
