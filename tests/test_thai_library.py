"""The scenario library in Thai: description_th in every file, describe(path, lang), the JSON
Schema, and the catalogue's names of contexts and arrangements."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import SCENARIOS

from sim.experiment.files import load_experiment
from sim.i18n import catalogue, text
from sim.scenario import ScenarioError
from sim.scenario.loader import describe, load_scenario
from sim.scenario.schema import json_schema

FILES = sorted(SCENARIOS.rglob("*.toml"))
THAI = re.compile("[\u0e00-\u0e7f]")


def _doc(path: Path) -> dict:
    """The parsed TOML of a file."""
    with path.open("rb") as fh:
        return tomllib.load(fh)


def test_library_has_47_files():
    assert len(FILES) == 47


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_every_file_has_a_thai_description(path):
    doc = _doc(path)
    assert isinstance(doc.get("description_th"), str) and THAI.search(doc["description_th"])
    assert describe(path, "th") == (describe(path)[0], doc["description_th"])
    assert describe(path) == describe(path, "en") == (describe(path)[0], doc["description"])


def test_description_th_follows_description():
    for path in FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        i = next(i for i, line in enumerate(lines) if line.startswith("description = "))
        assert lines[i + 1].startswith("description_th = "), path


def test_describe_falls_back_to_english(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('kind = "context"\ndescription = "Only English."\n', encoding="utf-8")
    assert describe(path, "th") == ("context", "Only English.")
    assert describe(path) == ("context", "Only English.")
    empty = tmp_path / "empty.toml"
    empty.write_text('kind = "context"\ndescription = "E"\ndescription_th = ""\n')
    assert describe(empty, "th") == ("context", "E")


def test_scenario_keeps_description_th(tmp_path):
    sc = load_scenario(SCENARIOS / "songkhla" / "drr_committee.toml")
    assert sc.description.startswith("Songkhla") and sc.description_th.startswith("จังหวัดสงขลา")
    plain = tmp_path / "plain.toml"
    plain.write_text('description = "No Thai."\n', encoding="utf-8")
    assert load_scenario(plain).description_th == ""
    assert load_scenario().description_th == ""


def test_description_th_must_be_a_string(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("description_th = 3\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="description_th"):
        load_scenario(path)


def test_experiment_file_accepts_description_th():
    spec = load_experiment(SCENARIOS / "experiments" / "flood_year.toml")
    assert spec.scenarios


def test_schema_knows_description_th():
    assert json_schema()["properties"]["description_th"] == {"type": "string"}


@pytest.mark.parametrize("kind", ["context", "arrangement"])
def test_catalogue_names_every_context_and_arrangement(kind):
    stems = sorted(p.stem for p in (SCENARIOS / f"{kind}s").glob("*.toml"))
    assert stems
    for stem in stems:
        entry = catalogue()[f"{kind}.{stem}"]
        assert entry["en"] and THAI.search(entry["th"]), stem
    assert text("arrangement.ppp", "th") == "การร่วมทุนระหว่างรัฐกับเอกชน"
    assert text("context.khon_kaen", "en") == "Khon Kaen"


def test_validate_accepts_description_th(cli, tmp_path):
    path = tmp_path / "thai.toml"
    path.write_text('kind = "context"\ndescription = "A town."\ndescription_th = "เมืองหนึ่ง"\n'
                    "[context]\nflood_rate = 0.2\n", encoding="utf-8")
    r = cli("validate", path)
    assert r.returncode == 0, r.stderr
    r = cli("schema")
    assert r.returncode == 0 and '"description_th"' in r.stdout
