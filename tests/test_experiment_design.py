"""Experiment designs, seeds, hashes and experiment files, without running the model."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from sim.experiment.design import Vary, design_points, parse_vary, replication_seed
from sim.experiment.files import load_experiment
from sim.experiment.plan import ExperimentSpec, Plan, default_folder
from sim.scenario import ScenarioError

KK = SCENARIOS / "khon_kaen"
PAIR = [KK / "ppp.toml", KK / "no_intermediary.toml"]


def test_replication_seed_depends_on_root_and_replication_only():
    assert replication_seed(1, 3) == replication_seed(1, 3)
    assert len({replication_seed(1, r) for r in range(50)}) == 50
    assert replication_seed(1, 0) != replication_seed(2, 0)
    expected = np.random.SeedSequence(1, spawn_key=(3,)).generate_state(1, np.uint32)[0]
    assert replication_seed(1, 3) == int(expected)


def test_every_scenario_and_point_of_a_replication_shares_its_seed():
    spec = ExperimentSpec("t", PAIR, vary=[parse_vary("norms.strength=0,1")], replications=3)
    tasks = Plan(spec).tasks()
    assert [t.run_id for t in tasks] == list(range(12))
    for r in range(3):
        assert len({t.seed for t in tasks if t.replication == r}) == 1


def test_grid_is_the_product_of_levels_with_ints_rounded():
    vary = [parse_vary("dialogue.continuity=0:1:3"), parse_vary("governance.board_size=0:15:4")]
    points = design_points(vary, "grid", None, 1)
    assert len(points) == 12
    assert [p["dialogue.continuity"] for p in points[::4]] == [0.0, 0.5, 1.0]
    assert [p["governance.board_size"] for p in points[:4]] == [0, 5, 10, 15]


def test_lhs_puts_one_point_in_each_stratum_of_each_key():
    vary = [parse_vary("dialogue.continuity=0:1:10"), parse_vary("norms.strength=0.2:0.6:10")]
    points = design_points(vary, "lhs", None, 7)
    assert len(points) == 10
    c = sorted(int(p["dialogue.continuity"] * 10) for p in points)
    n = sorted(int((p["norms.strength"] - 0.2) / 0.4 * 10) for p in points)
    assert c == list(range(10)) and n == list(range(10))
    assert design_points(vary, "lhs", None, 7) == points
    assert design_points(vary, "lhs", None, 8) != points


def test_list_values_are_toml_values():
    v = parse_vary("governance.hearings=true,false")
    assert v == Vary("governance.hearings", (True, False))
    assert parse_vary("governance.mandate=voluntary,contract").levels() == ["voluntary", "contract"]


@pytest.mark.parametrize("text, needle", [
    ("dialogue.continuty=0:1:3", "did you mean 'dialogue.continuity'"),
    ("dialogue.continuity=0:1", "allowed"),
    ("dialogue.continuity=a:b:3", "START:STOP:NUM with numbers"),
    ("dialogue.continuity=0:1:2.5", "whole number"),
    ("dialogue.continuity", "key.path=START:STOP:NUM"),
    ("governance.mandate=0:1:3", "a list of values"),
])
def test_bad_vary_is_one_line_naming_the_key(text, needle):
    with pytest.raises(ScenarioError, match=needle.replace("(", r"\(")) as err:
        parse_vary(text)
    assert "\n" not in str(err.value)


def test_out_of_range_point_is_refused_before_running():
    spec = ExperimentSpec("t", PAIR, vary=[parse_vary("dialogue.continuity=0:2:3")])
    with pytest.raises(ScenarioError, match="dialogue.continuity"):
        Plan(spec)


def test_hash_changes_with_what_decides_the_numbers_only(tmp_path, monkeypatch):
    base = Plan(ExperimentSpec("t", PAIR, replications=4)).hash
    assert len(base) == 8 and int(base, 16) >= 0
    assert Plan(ExperimentSpec("other-name", PAIR, replications=4)).hash == base
    assert Plan(ExperimentSpec("t", PAIR, replications=4, outcomes=("trust",))).hash == base
    assert Plan(ExperimentSpec("t", PAIR, replications=5)).hash != base
    assert Plan(ExperimentSpec("t", PAIR, replications=4, steps=12)).hash != base
    assert Plan(ExperimentSpec("t", PAIR, replications=4, seed=9)).hash != base
    changed = ExperimentSpec("t", PAIR, replications=4, overrides={"norms.strength": 0.9})
    assert Plan(changed).hash != base
    monkeypatch.setenv("COLLABSIM_RESULTS", str(tmp_path))
    plan = Plan(ExperimentSpec("t", PAIR, replications=4))
    assert default_folder(plan) == tmp_path / f"t-{base}"


def test_file_and_command_line_spell_the_same_experiment(tmp_path):
    (tmp_path / "e.toml").write_text(
        'kind = "experiment"\n'
        f'scenarios = ["{PAIR[0]}", "{PAIR[1]}"]\n'
        'replications = 4\nsteps = 24\nseed = 3\n'
        '[vary]\n"dialogue.continuity" = "0:1:3"\n[set]\nnorms.strength = 0.7\n')
    from_file = Plan(load_experiment(tmp_path / "e.toml"))
    from_cli = Plan(ExperimentSpec("sweep-ppp", PAIR, {"norms.strength": 0.7},
                                   [parse_vary("dialogue.continuity=0:1:3")], replications=4,
                                   steps=24, seed=3))
    assert from_file.hash == from_cli.hash
    assert from_file.total == 2 * 3 * 4


def test_default_baseline_is_the_same_context_without_an_intermediary():
    flagship = Plan(load_experiment(SCENARIOS / "experiments" / "flagship.toml"))
    assert flagship.total == 360
    for name, base in flagship.baselines.items():
        if base is not None:
            assert base.split("/")[0] == name.split("/")[0]
    assert sum(b is None for b in flagship.baselines.values()) == 3
    first = Plan(ExperimentSpec("t", [KK / "ppp.toml", KK / "study_center.toml"]))
    assert first.baselines == {"khon_kaen/ppp": None, "khon_kaen/study_center": "khon_kaen/ppp"}


@pytest.mark.parametrize("body, needle", [
    ('kind = "experiment"\nscenarios = ["x.toml"]\nreplication = 3\n', "did you mean 'replications'"),
    ('kind = "experiment"\nscenarios = ["x.toml"]\n', "matches no file"),
    ('kind = "experiment"\nreplications = 3\n', "scenarios: missing"),
    ('kind = "experiment"\nscenarios = ["{p}"]\nreplications = 0\n', "replications"),
    ('kind = "experiment"\nscenarios = ["{p}"]\ndesign = "random"\n', "'grid' or 'lhs'"),
    ('kind = "experiment"\nscenarios = ["{p}"]\noutcomes = ["happiness"]\n', "happiness"),
    ('kind = "experiment"\nscenarios = ["{p}"]\n[set]\nnorms.strenght = 1\n', "norms.strength"),
    ('kind = "experiment"\nscenarios = ["{p}"\n', "malformed TOML"),
])
def test_bad_experiment_file_is_one_line(tmp_path, body, needle):
    path = tmp_path / "bad.toml"
    path.write_text(body.replace("{p}", str(PAIR[0])))
    with pytest.raises(ScenarioError, match=needle) as err:
        load_experiment(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_named_scenario_is_everyones_baseline_and_one_arrangement_pairs_across_contexts():
    sk = SCENARIOS / "sukhothai"
    across = Plan(ExperimentSpec("t", [KK / "ppp.toml", sk / "ppp.toml"]))
    assert across.baselines == {"khon_kaen/ppp": None, "sukhothai/ppp": "khon_kaen/ppp"}
    named = Plan(ExperimentSpec("t", [KK / "ppp.toml", sk / "ppp.toml"],
                                baseline=str(sk / "ppp.toml")))
    assert named.baselines == {"khon_kaen/ppp": "sukhothai/ppp", "sukhothai/ppp": None}
    four = [KK / "ppp.toml", KK / "study_center.toml", sk / "ppp.toml", sk / "study_center.toml"]
    by_arrangement = Plan(ExperimentSpec("t", four, baseline="study_center")).baselines
    assert by_arrangement["sukhothai/ppp"] == "sukhothai/study_center"
    assert by_arrangement["khon_kaen/ppp"] == "khon_kaen/study_center"


@pytest.mark.parametrize("spec, needle", [
    ({"vary": [parse_vary("dialogue.continuity=0:1:3"), parse_vary("dialogue.continuity=0,1")]},
     "--vary: dialogue.continuity: varied twice"),
    ({"vary": [parse_vary("dialogue.continuity=0:2:3")]}, "--vary: dialogue.continuity: got 2.0"),
    ({"vary": [parse_vary("dialogue.continuity=0:1:3")], "points": 4}, "only with design lhs"),
])
def test_design_mistakes_are_named_where_they_were_made(spec, needle):
    with pytest.raises(ScenarioError, match=needle):
        Plan(ExperimentSpec("t", PAIR, **spec))


def test_an_experiment_file_is_not_taken_for_a_scenario():
    from sim.scenario import load_scenario

    with pytest.raises(ScenarioError, match="collabsim experiment"):
        load_scenario(SCENARIOS / "experiments" / "flagship.toml")
