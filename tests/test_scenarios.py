"""Scenario files: composition, kinds, overrides and every class of bad input."""

from __future__ import annotations

import json

import pytest
from conftest import ARRANGEMENTS, CONTEXTS, SCENARIOS

from sim.scenario import PARAMETERS, ScenarioError, load_scenario
from sim.scenario.overrides import parse_value
from sim.scenario.schema import json_schema


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_every_composed_scenario_loads(context, arrangement):
    sc = load_scenario(SCENARIOS / context / f"{arrangement}.toml")
    assert sc.kind == "scenario" and sc.description
    ctx = load_scenario(SCENARIOS / "contexts" / f"{context}.toml")
    arr = load_scenario(SCENARIOS / "arrangements" / f"{arrangement}.toml")
    for key, value in sc.values.items():
        expected = arr.values[key] if key.startswith("governance.") else ctx.values[key]
        if key != "governance.until_founded":
            assert value == expected, key


def test_required_key_paths_exist_with_documentation():
    for key in ("dialogue.continuity", "norms.strength", "context.private_strength",
                "context.official_tenure_months", "context.initial_trust", "actors.scale"):
        p = PARAMETERS[key]
        assert p.doc and p.source and p.kind
    assert PARAMETERS["actors.scale"].high is None  # no upper bound
    for p in PARAMETERS.values():
        assert p.doc and p.source, p.path


def test_extends_later_values_win_and_own_values_win_over_all(tmp_path):
    write(tmp_path, "a.toml", "[dialogue]\ncontinuity = 0.2\n[norms]\nstrength = 0.3\n")
    write(tmp_path, "b.toml", "[dialogue]\ncontinuity = 0.4\n")
    top = write(tmp_path, "top.toml", 'extends = ["a.toml", "b.toml"]\n[norms]\nstrength = 0.9\n')
    sc = load_scenario(top)
    assert sc["dialogue.continuity"] == 0.4
    assert sc["norms.strength"] == 0.9


def test_overrides_beat_files():
    sc = load_scenario(SCENARIOS / "khon_kaen" / "ppp.toml", {"dialogue.continuity": 0.8})
    assert sc["dialogue.continuity"] == 0.8


def test_kind_from_folder_and_declared(tmp_path):
    from sim.scenario.loader import describe
    assert describe(SCENARIOS / "contexts" / "khon_kaen.toml")[0] == "context"
    assert describe(SCENARIOS / "arrangements" / "ppp.toml")[0] == "arrangement"
    assert describe(write(tmp_path, "x.toml", 'kind = "context"\n'))[0] == "context"


def test_set_values_are_toml_or_bare_strings():
    assert parse_value("0.8") == 0.8
    assert parse_value("true") is True
    assert parse_value("[1, 2]") == [1, 2]
    assert parse_value("statute") == "statute"
    assert parse_value('"quoted"') == "quoted"


def test_bare_word_override_reaches_a_choice_key():
    sc = load_scenario(None, {"governance.mandate": parse_value("statute")})
    assert sc["governance.mandate"] == "statute"


BAD = [
    ("malformed", "[dialogue\ncontinuity = 0.5\n", None, "malformed TOML"),
    ("unknown", "[dialogue]\ncontinuty = 0.5\n", "dialogue.continuty", "dialogue.continuity"),
    ("type", '[dialogue]\ncontinuity = "high"\n', "dialogue.continuity", "allowed"),
    ("range", "[dialogue]\ncontinuity = 1.5\n", "dialogue.continuity", "[0, 1]"),
    ("int", "[run]\nsteps = 1.5\n", "run.steps", "integer"),
    ("scale", "[actors]\nscale = 0\n", "actors.scale", "∞"),
    ("choice", '[governance]\nmandate = "law"\n', "governance.mandate", "statute"),
    ("missing extends", 'extends = ["nope.toml"]\n', "extends", "not found"),
    ("funding", '[governance]\nfunding = [{ amount = -1 }]\n', "governance.funding[0].amount", "≥ 0"),
    ("matrix", "[context]\ninitial_trust = [[0.4, 0.4]]\n", "context.initial_trust", "4×4"),
]


@pytest.mark.parametrize("label,text,key,hint", BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_key_and_what_is_allowed(tmp_path, label, text, key, hint):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg and hint in msg
    if key:
        assert key in msg


def test_cyclic_extends(tmp_path):
    write(tmp_path, "a.toml", 'extends = ["b.toml"]\n')
    b = write(tmp_path, "b.toml", 'extends = ["a.toml"]\n')
    with pytest.raises(ScenarioError, match="cyclic extends"):
        load_scenario(b)


def test_arrangement_files_may_set_structural_keys_only(tmp_path):
    path = write(tmp_path, "arrangements/x.toml", "[norms]\nstrength = 0.9\n")
    with pytest.raises(ScenarioError, match="structural keys only"):
        load_scenario(path)


def test_override_errors_name_the_set_option():
    with pytest.raises(ScenarioError, match=r"--set: dialogue.continuity: got 1.5"):
        load_scenario(None, {"dialogue.continuity": 1.5})


def test_explicit_continuity_part_beats_shorthand():
    from sim.model.dialogue import continuity_parts
    sc = load_scenario(None, {"dialogue.continuity": 0.6, "dialogue.p_hold": 0.2})
    assert continuity_parts(sc.values) == pytest.approx((0.2, 0.6, 0.05 * 0.4))


def test_json_schema_lists_every_key_and_rejects_extras():
    schema = json_schema()
    json.dumps(schema)
    for key in PARAMETERS:
        node = schema
        for part in key.split("."):
            node = node["properties"][part]
        assert "description" in node
    assert schema["additionalProperties"] is False


def test_json_schema_validates_the_library():
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib
    schema = json_schema()
    for path in SCENARIOS.rglob("*.toml"):
        if path.parent.name == "experiments":
            continue  # experiment files have their own checks (sim/experiment/files.py)
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)


def test_founding_needs_an_until_founded_arrangement():
    with pytest.raises(ScenarioError, match="governance.until_founded: required"):
        load_scenario(None, {"governance.founding": "threshold"})
