"""The Python API: load_scenario, CollaborationModel.from_scenario, flat keywords, mesa.batch_run."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pytest
from conftest import SCENARIOS

from sim import CollaborationModel, ScenarioError, load_scenario

PPP = SCENARIOS / "khon_kaen" / "ppp.toml"


def test_load_scenario_with_overrides_and_from_scenario():
    sc = load_scenario(PPP, overrides={"dialogue.continuity": 0.8})
    m = CollaborationModel.from_scenario(sc, seed=1)
    assert m.values["dialogue.continuity"] == 0.8
    m.run_for(2)
    assert len(m.timeseries()) == 2


def test_default_model_runs_with_flat_keywords():
    m = CollaborationModel(dialogue__continuity=0.9, context__private_strength=0.2, seed=2)
    assert m.values["dialogue.continuity"] == 0.9
    assert m.values["context.private_strength"] == 0.2
    m.step()
    assert m.datacollector.get_model_vars_dataframe().shape[0] == 1


def test_flat_keywords_apply_on_top_of_a_scenario():
    m = CollaborationModel(PPP, seed=1, norms__strength=0.9)
    assert m.values["norms.strength"] == 0.9 and m.values["governance.mandate"] == "contract"


def test_unknown_flat_keyword_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="did you mean 'dialogue.continuity'"):
        CollaborationModel(dialogue__continuty=0.5)


def test_every_parameter_has_a_default_so_the_bare_model_runs():
    m = CollaborationModel()
    m.run_for(3)
    assert m.month == 3


def test_seed_none_means_fresh_entropy_and_rng_int_is_a_seed():
    a = CollaborationModel(seed=None).run_for(12).timeseries()
    b = CollaborationModel(seed=None).run_for(12).timeseries()
    assert not a.equals(b)
    c = CollaborationModel(rng=7).run_for(12).timeseries()
    d = CollaborationModel(seed=7).run_for(12).timeseries()
    assert c.equals(d)
    e = CollaborationModel(rng=np.random.default_rng(3)).run_for(6).timeseries()
    f = CollaborationModel(rng=np.random.default_rng(3)).run_for(6).timeseries()
    assert e.equals(f)


def test_mesa_batch_run_drives_the_model():
    params = {"dialogue__continuity": [0.2, 0.9], "norms__strength": 0.5}
    kwargs = {"number_processes": 1, "data_collection_period": -1, "max_steps": 24,
              "display_progress": False}
    if "iterations" in inspect.signature(mesa.batch_run).parameters and \
            "rng" not in inspect.signature(mesa.batch_run).parameters:
        kwargs["iterations"] = 2
    else:
        kwargs["rng"] = [1, 2]
    rows = mesa.batch_run(CollaborationModel, params, **kwargs)
    assert len(rows) == 4
    assert {r["dialogue__continuity"] for r in rows} == {0.2, 0.9}
    assert all(0 <= r["trust"] <= 1 for r in rows)
    assert {"compliance", "agreements", "wellbeing"} <= set(rows[0])
