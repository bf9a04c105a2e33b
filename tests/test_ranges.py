"""Plausible ranges in context files: parsing and errors, midpoints with --point, per-run draws
(within range, reproducible, common to arrangements, different across replications), the
results (runs.csv columns, manifest), and experiment hashes that do not move without them."""

from __future__ import annotations

import hashlib
import json
import tomllib

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

from sim.experiment.files import load_experiment
from sim.experiment.merge import merge
from sim.experiment.plan import ExperimentSpec, Plan, _portable
from sim.experiment.runner import run_experiment
from sim.model.constants import STREAMS
from sim.model.model import CollaborationModel
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.loader import compose_scenario
from sim.scenario.schema import json_schema

ARR = SCENARIOS / "arrangements"
RANGES = {"context.private_strength": (0.6, 0.8), "context.initial_trust": (0.3, 0.5),
          "context.rotation_start_month": (10, 14), "dialogue.continuity": (0.4, 0.8)}
CONTEXT = """kind = "context"
[context]
private_strength = { low = 0.6, high = 0.8 }
initial_trust = { low = 0.3, high = 0.5 }
rotation_start_month = { low = 10, high = 14 }
flood_rate = 0.2
civil_readiness = { weak = { low = 0.1, high = 0.3 }, self_reliant = 0.3 }
[dialogue]
continuity = { low = 0.4, high = 0.8 }
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    """A ranged context with two composed scenarios (PPP, no intermediary) and a fixed twin
    whose values are the midpoints."""
    write(tmp_path / "contexts" / "ranged.toml", CONTEXT)
    write(tmp_path / "contexts" / "fixed.toml", 'kind = "context"\n[context]\nprivate_strength = '
          "0.7\ninitial_trust = 0.4\nrotation_start_month = 12\nflood_rate = 0.2\n"
          "civil_readiness = { weak = 0.2, self_reliant = 0.3 }\n[dialogue]\ncontinuity = 0.6\n")
    for ctx in ("ranged", "fixed"):
        for arr in ("ppp", "no_intermediary"):
            write(tmp_path / ctx / f"{arr}.toml",
                  f'extends = ["../contexts/{ctx}.toml", "{(ARR / arr).as_posix()}.toml"]\n')
    return tmp_path


# — parsing and errors —
def test_a_range_gives_its_midpoint_and_is_kept_in_ranges(library):
    sc = load_scenario(library / "ranged" / "ppp.toml")
    assert sc.ranges == {**RANGES, "context.civil_readiness.weak": (0.1, 0.3)}
    assert sc["context.private_strength"] == 0.7 and sc["dialogue.continuity"] == 0.6
    assert sc["context.rotation_start_month"] == 12 and isinstance(
        sc["context.rotation_start_month"], int)
    assert sc["context.flood_rate"] == 0.2 and type(sc["context.private_strength"]) is float


def test_point_drops_the_ranges_and_keeps_the_midpoints(library):
    ranged = load_scenario(library / "ranged" / "ppp.toml", point=True)
    fixed = load_scenario(library / "fixed" / "ppp.toml")
    assert ranged.ranges == {}
    assert {k: ranged[k] for k in RANGES} == {k: fixed[k] for k in RANGES}
    composed = compose_scenario([library / "contexts" / "ranged.toml", ARR / "ppp.toml"],
                                point=True)
    assert composed.ranges == {} and composed["context.initial_trust"] == 0.4


def test_later_files_and_set_override_ranges(library):
    top = write(library / "top.toml", 'extends = ["contexts/ranged.toml"]\n[context]\n'
                "private_strength = 0.2\nflood_rate = { low = 0.1, high = 0.5 }\n")
    sc = load_scenario(top, {"dialogue.continuity": 0.9})
    assert "context.private_strength" not in sc.ranges and sc["context.private_strength"] == 0.2
    assert sc.ranges["context.flood_rate"] == (0.1, 0.5) and sc["context.flood_rate"] == 0.3
    assert "dialogue.continuity" not in sc.ranges and sc["dialogue.continuity"] == 0.9


@pytest.mark.parametrize(("text", "key", "needle"), [
    ("[context]\nprivate_strength = { low = 0.8, high = 0.6 }", "context.private_strength",
     "low 0.8 > high 0.6"),
    ("[context]\nprivate_strength = { low = 0.5, high = 1.5 }", "context.private_strength.high",
     "got 1.5; allowed: a number in [0, 1]"),
    ("[context]\nlocal_election_months = { low = 1, high = 2 }", "context.local_election_months",
     "a range is allowed only for number keys"),
    ("[norms]\nmetanorms = { low = 0, high = 1 }", "norms.metanorms", "allowed: true or false"),
    ("[actors]\nscale = { low = 1, high = 2 }", "actors.scale",
     "a range is allowed only for number keys of context, dialogue, norms"),
    ("[context]\nflood_rate = { low = 0.1, high = 0.2, mid = 0.15 }", "context.flood_rate.mid",
     "unknown field of a range; allowed: low, high"),
    ("[context]\nflood_rate = { low = 0.1 }", "context.flood_rate", "range without high"),
    ("[context]\nrotation_start_month = { low = 1.5, high = 3 }",
     "context.rotation_start_month.low", "allowed: an integer"),
])
def test_bad_ranges_are_one_line_errors_naming_file_and_key(tmp_path, text, key, needle):
    path = write(tmp_path / "contexts" / "bad.toml", f'kind = "context"\n{text}\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert str(path) in message and f": {key}: " in message and needle in message
    assert "allowed" in message and "\n" not in message


def test_set_with_a_range_is_refused(library):
    with pytest.raises(ScenarioError, match=r"--set: context.flood_rate: got \{"):
        load_scenario(library / "ranged" / "ppp.toml", {"context.flood_rate": {"low": 0.1,
                                                                               "high": 0.2}})


def test_validate_checks_ranges(cli, library):
    bad = write(library / "contexts" / "bad.toml",
                'kind = "context"\n[context]\nflood_rate = { low = 0.3, high = 0.1 }\n')
    ok = cli("validate", library / "ranged" / "ppp.toml")
    assert ok.returncode == 0, ok.stderr
    r = cli("validate", bad)
    assert r.returncode == 2 and "context.flood_rate: low 0.3 > high 0.1" in r.stderr
    assert "Traceback" not in r.stderr


def test_json_schema_accepts_the_range_form_only_where_allowed():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.validate(tomllib.loads(CONTEXT), schema)
    for text in ("[context]\nflood_rate = { low = 0.1, high = 0.2, mid = 0.1 }",
                 "[context]\nflood_rate = { low = 0.1, high = 2 }",
                 "[actors]\nscale = { low = 1, high = 2 }"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(tomllib.loads(text), schema)


# — sampling in the model —
def test_draws_lie_in_the_range_are_reproducible_and_used(library):
    sc = load_scenario(library / "ranged" / "ppp.toml")
    draws = [CollaborationModel(sc, seed=s).sampled for s in range(40)]
    assert draws[3] == CollaborationModel(sc, seed=3).sampled
    for key, (low, high) in sc.ranges.items():
        xs = [d[key] for d in draws]
        assert all(low <= x <= high for x in xs) and len(set(xs)) > 3, key
    months = {d["context.rotation_start_month"] for d in draws}
    assert months <= set(range(10, 15)) and all(isinstance(m, int) for m in months)
    assert len(months) >= 4  # the integers are drawn, both ends included
    model = CollaborationModel(sc, seed=5)
    assert model.values["context.private_strength"] == model.sampled["context.private_strength"]
    assert model.values["context.private_strength"] != 0.7
    assert sc["context.private_strength"] == 0.7  # the scenario keeps its midpoint


def test_a_keys_draw_does_not_depend_on_other_ranged_keys(library):
    full = load_scenario(library / "ranged" / "ppp.toml")
    fewer = load_scenario(library / "ranged" / "ppp.toml", {"dialogue.continuity": 0.6,
                                                            "context.initial_trust": 0.4})
    for seed in (1, 2):
        a, b = CollaborationModel(full, seed=seed).sampled, CollaborationModel(fewer, seed=seed).sampled
        assert a["context.private_strength"] == b["context.private_strength"]
        assert "dialogue.continuity" not in b


def test_the_context_stream_is_appended_so_other_streams_do_not_change():
    assert STREAMS[-1] == "context"
    shorter = [c.generate_state(4).tolist() for c in np.random.SeedSequence(7).spawn(len(STREAMS) - 1)]
    longer = [c.generate_state(4).tolist() for c in np.random.SeedSequence(7).spawn(len(STREAMS))]
    assert longer[:-1] == shorter


def test_point_runs_and_fixed_midpoints_give_the_same_numbers(library):
    point = load_scenario(library / "ranged" / "ppp.toml", point=True)
    fixed = load_scenario(library / "fixed" / "ppp.toml")
    a = CollaborationModel(point, seed=4).run_for(12)
    b = CollaborationModel(fixed, seed=4).run_for(12)
    assert a.sampled == {} and b.sampled == {}
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries())
    sampled = CollaborationModel(load_scenario(library / "ranged" / "ppp.toml"), seed=4).run_for(12)
    assert not sampled.timeseries().equals(a.timeseries())  # the draw matters


def test_single_run_manifest_holds_the_draws(cli, library, tmp_path):
    out = tmp_path / "run"
    r = cli("run", library / "ranged" / "ppp.toml", "--steps", "3", "--no-figures", "--out", out)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["sampled"]) == set(manifest["ranges"]) and len(manifest["sampled"]) == 5
    assert manifest["ranges"]["context.private_strength"] == [0.6, 0.8]
    r = cli("run", library / "ranged" / "ppp.toml", "--steps", "3", "--no-figures", "--point",
            "--out", tmp_path / "point")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "point" / "manifest.json").read_text())["sampled"] == {}


# — experiments —
def _compare(library, ctx, tmp_path, name, point=False, shard=None, folder=None):
    spec = ExperimentSpec(name, [library / ctx / "ppp.toml", library / ctx / "no_intermediary.toml"],
                          replications=3, steps=6, point=point)
    plan = Plan(spec)
    out = folder or tmp_path / name
    run_experiment(plan, out, workers=1, figures=False, say=lambda _t: None, shard=shard)
    return plan, pd.read_csv(out / "runs.csv")


def test_runs_csv_has_the_draws_common_to_arrangements_and_new_each_replication(library, tmp_path):
    _, runs = _compare(library, "ranged", tmp_path, "ranged")
    keys = ["context.private_strength", "context.civil_readiness.weak",
            "context.rotation_start_month", "context.initial_trust", "dialogue.continuity"]
    assert list(runs.columns[4:9]) == keys and runs.columns[9] == "trust"
    for _, part in runs.groupby("replication"):
        assert (part[keys].nunique() == 1).all()  # both arrangements meet the same context
    assert (runs.groupby("scenario")[keys].nunique() == 3).all().all()
    assert runs["context.rotation_start_month"].dtype.kind == "i"


def test_point_experiment_equals_the_fixed_midpoint_experiment(library, tmp_path):
    plan, point = _compare(library, "ranged", tmp_path, "point", point=True)
    _, fixed = _compare(library, "fixed", tmp_path, "fixed")
    assert plan.info()["point"] is True
    assert "context.private_strength" not in point.columns
    cols = [c for c in point.columns if c != "scenario"]
    pd.testing.assert_frame_equal(point[cols], fixed[cols])


def test_merged_shards_keep_the_draws(library, tmp_path):
    _, whole = _compare(library, "ranged", tmp_path, "whole")
    for i in (1, 2):
        _compare(library, "ranged", tmp_path, "s", shard=(i, 2), folder=tmp_path / f"s{i}")
    merge([tmp_path / "s1", tmp_path / "s2"], tmp_path / "merged")
    from sim.experiment.exports import export_folder

    export_folder(tmp_path / "merged", {}, figures=False)
    merged = pd.read_csv(tmp_path / "merged" / "runs.csv")
    keys = [c for c in whole.columns if c.startswith(("context.", "dialogue."))]
    pd.testing.assert_frame_equal(merged[keys], whole[keys])


def test_a_varied_key_wins_over_its_range(library, tmp_path, cli):
    out = tmp_path / "sweep"
    r = cli("sweep", library / "ranged" / "ppp.toml", "--vary", "context.private_strength=0.2,0.9",
            "--replications", "2", "--steps", "3", "--workers", "1", "--no-figures", "-q",
            "--out", out)
    assert r.returncode == 0, r.stderr
    runs = pd.read_csv(out / "runs.csv")
    assert runs.columns.tolist().count("context.private_strength") == 1
    assert sorted(runs["context.private_strength"].unique()) == [0.2, 0.9]
    assert "context.initial_trust" in runs.columns


def _old_hash(plan):
    """The hash as computed before plausible ranges existed."""
    identity = {
        "scenarios": [{"name": s.name, "values": _portable(s.values),
                       "pre_founding": s.pre_founding} for s in plan.base],
        "vary": [v.describe() for v in plan.spec.vary], "design": plan.design,
        "points": plan.points, "replications": plan.spec.replications, "steps": plan.steps,
        "root_seed": plan.root_seed}
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def test_hash_moves_only_with_ranges_or_point(library):
    pair = [library / "fixed" / "ppp.toml", library / "fixed" / "no_intermediary.toml"]
    plain = Plan(ExperimentSpec("x", pair, replications=2))
    assert plain.hash == _old_hash(plain)
    for f in sorted((SCENARIOS / "experiments").glob("*.toml")):
        plan = Plan(load_experiment(f))
        if not any(s.ranges for s in plan.base) and not plan.spec.point:
            assert plan.hash == _old_hash(plan), f.name
    assert Plan(ExperimentSpec("x", pair, replications=2, point=True)).hash != plain.hash
    ranged = Plan(ExperimentSpec("x", [library / "ranged" / "ppp.toml"], replications=2))
    point = Plan(ExperimentSpec("x", [library / "ranged" / "ppp.toml"], replications=2,
                                point=True))
    assert len({ranged.hash, point.hash, _old_hash(ranged)}) == 3


def test_experiment_file_point_key(library, tmp_path):
    good = write(tmp_path / "e.toml", 'kind = "experiment"\nscenarios = ["ranged/ppp.toml"]\n'
                 "point = true\nreplications = 2\n")
    assert load_experiment(good).point is True
    bad = write(tmp_path / "b.toml", 'kind = "experiment"\nscenarios = ["ranged/ppp.toml"]\n'
                'point = "yes"\n')
    with pytest.raises(ScenarioError, match=r"b.toml: point: got 'yes'; allowed: true or false"):
        load_experiment(bad)
