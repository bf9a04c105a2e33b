"""The speed-ups change nothing: skipped draws leave later draws as they were, Mesa agents made on
first use are the same agents, and the outcomes match those recorded before the optimisation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sim import CollaborationModel, load_scenario
from sim.model.streams import skip_uniforms

ROOT = Path(__file__).resolve().parent.parent
BEFORE = json.loads((Path(__file__).parent / "data" / "before_optimisation.json").read_text())


@pytest.mark.parametrize("shape", [(7, 5, 5), (80, 12, 12)])  # drawn and dropped; jumped over
def test_skipping_uniforms_leaves_later_draws_as_if_they_had_been_drawn(shape):
    drawn, skipped = np.random.default_rng(11), np.random.default_rng(11)
    for rng, skip in ((drawn, False), (skipped, True)):
        rng.integers(0, 1000, size=3)  # a 32-bit draw leaves half a word in reserve
        if skip:
            skip_uniforms(rng, int(np.prod(shape)))
        else:
            rng.random(shape)
    assert np.array_equal(drawn.integers(0, 1000, size=9), skipped.integers(0, 1000, size=9))
    assert np.array_equal(drawn.random(4), skipped.random(4))


def test_agents_are_made_on_first_use_one_per_actor_in_actor_order():
    m = CollaborationModel.from_scenario(ROOT / "scenarios/khon_kaen/ppp.toml", seed=1)
    m.run_for(3)
    assert not m._agents_made
    agents = list(m.agents)
    assert [a.index for a in agents] == list(range(m.n_actors))
    assert agents[0].commitment == pytest.approx(float(m.actors.commitment[0]))
    assert len(m.agents_by_type[type(agents[0])]) == m.n_actors


@pytest.mark.parametrize("key", sorted(BEFORE))
def test_outcomes_are_those_recorded_before_the_optimisation(key):
    """Sums over 60 months (seed 7) of every column, as the unoptimised model gave them."""
    path, scale = key.rsplit("@", 1)
    m = CollaborationModel.from_scenario(load_scenario(ROOT / path, {"actors.scale": float(scale)}),
                                         seed=7).run_for(60)
    ts = m.timeseries()
    now = {c: round(float(ts[c].sum()), 9) for c in ts.columns if c != "month"}
    assert now.keys() == BEFORE[key].keys()
    for column, value in BEFORE[key].items():
        assert now[column] == pytest.approx(value, rel=1e-9, abs=1e-9, nan_ok=True), column
