"""The scenario library's mechanisms on hand-computed cases (common learning forum, DRR KPI,
scheduled flood months), and the library itself: every composed file is its context plus its
arrangement, and runs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from sim import CollaborationModel
from sim.model import constants as k
from sim.model.forums import Forum, working_groups
from sim.model.learning import debrief, expected_presence
from sim.model.shocks import flood, flood_this_month
from sim.model.targets import milestone_progress, review_targets
from sim.scenario import load_scenario

DRR = SCENARIOS / "songkhla" / "drr_committee.toml"
LAYERS = ("contexts", "arrangements", "experiments", "data")


def composed_files() -> list:
    return sorted(p for p in SCENARIOS.glob("*/*.toml") if p.parent.name not in LAYERS)


def drr_model(**kw) -> CollaborationModel:
    """The Songkhla DRR committee without random floods and with every meeting held."""
    return CollaborationModel(DRR, seed=3, context__flood_rate=0.0, dialogue__continuity=1.0, **kw)


def test_new_keys_are_off_by_default():
    v = load_scenario(None).values
    assert v["governance.learning_forum_gain"] == 0.0
    assert v["governance.drr_kpi"] is False
    assert v["context.flood_months"] == []


def test_expected_presence_by_hand():
    m = drr_model()
    m.actors.commitment[:] = 1.0
    seats = np.concatenate([f.members for f in working_groups(m.forums)])
    weak = m.actors.readiness[seats] == k.WEAK
    by_hand = (np.sum(~weak) * 1.0 + np.sum(weak) * 0.3) / len(seats)  # p_same = 1, C = 1
    assert expected_presence(m) == pytest.approx(by_hand)
    m.actors.commitment[:] = 0.0  # (0.5 + 0.5·0) halves everyone's chance
    assert expected_presence(m) == pytest.approx(by_hand / 2)


def test_debrief_adds_lessons_after_a_flood_only():
    m = drr_model()
    m.actors.commitment[:] = 1.0
    m.month, m.lessons = 30, 0.2
    assert not debrief(m) and m.lessons == 0.2  # no flood last month
    m.floods = [(29, 1.0)]
    presence = expected_presence(m)
    assert debrief(m)
    assert m.lessons == pytest.approx(0.2 + 0.5 * presence * (1 - 0.2))


def test_debrief_needs_the_forum_and_a_held_meeting():
    off = CollaborationModel(DRR, seed=3, governance__learning_forum_gain=0.0)
    off.month, off.floods = 30, [(29, 1.0)]
    assert not debrief(off) and off.lessons == 0.0
    never = drr_model(dialogue__p_hold=0.0)
    never.month, never.floods = 30, [(29, 1.0)]
    assert not debrief(never) and never.lessons == 0.0


def test_lessons_cut_flood_damage_by_hand():
    """Before any agreed target the protection ratios are 0, so the share lost is
    D·severity·(1 − L) = 0.1·1·(1 − 0.5) = 0.05 of every group's stock."""
    m = drr_model(context__flood_months=[1])
    for f in working_groups(m.forums):
        f.progress = 100.0
    m.lessons = 0.5
    assert flood(m) == 1.0
    assert [f.progress for f in working_groups(m.forums)] == pytest.approx([95.0, 95.0])
    assert [f.milestone_flood_loss for f in working_groups(m.forums)] == pytest.approx([5.0, 5.0])


def test_flood_months_force_a_flood_without_changing_the_draws():
    a = CollaborationModel(DRR, seed=5, context__flood_rate=0.0, context__flood_months=[2])
    b = CollaborationModel(DRR, seed=5, context__flood_rate=0.0)
    severities = []
    for m in (a, b):
        row = []
        for month in range(3):
            m.month = month
            row.append(flood_this_month(m))
        severities.append(row)
    assert severities == [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    assert a.streams.shocks.random() == b.streams.shocks.random()


def test_milestone_progress_counts_flood_losses_under_a_drr_kpi():
    f = Forum("working_group", np.arange(3), "collaborate", progress=10.0,
              milestone_start_progress=4.0, milestone_flood_loss=3.0)
    assert milestone_progress(f, drr_kpi=False) == pytest.approx(6.0)
    assert milestone_progress(f, drr_kpi=True) == pytest.approx(9.0)


@pytest.mark.parametrize("kpi,won", [(False, -1), (True, 1)])
def test_a_flood_turns_a_milestone_into_a_win_only_under_the_kpi(kpi, won):
    """Target 12 a year → 6 due over a 6-month interval; 7 built, 2 lost to a flood."""
    m = drr_model(governance__drr_kpi=kpi)
    m.month = 17  # month 18 of the run: the first milestone check
    f = working_groups(m.forums)[0]
    f.year_start, f.year_start_progress = 12, 0.0
    f.target, f.milestone_start_progress, f.progress, f.milestone_flood_loss = 12.0, 0.0, 5.0, 2.0
    f.events = []
    review_targets(m)
    assert f.events == [(18, won)]
    assert f.milestone_flood_loss == 0.0 and f.milestone_start_progress == 5.0


def test_governor_chair_variant_differs_only_in_convenor_dependence():
    adviser = load_scenario(SCENARIOS / "arrangements" / "drr_committee.toml", point=True).values
    chair = load_scenario(SCENARIOS / "arrangements" / "drr_committee_governor_chair.toml",
                          point=True).values
    assert {key for key in adviser if adviser[key] != chair[key]} == {
        "governance.convenor_dependence"}
    assert chair["governance.convenor_dependence"] > adviser["governance.convenor_dependence"]


@pytest.mark.parametrize("path", composed_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_composed_file_is_its_context_plus_its_arrangement(path):
    sc = load_scenario(path, point=True)
    assert sc.kind == "scenario" and sc.description
    ctx = load_scenario(SCENARIOS / "contexts" / f"{path.parent.name}.toml", point=True)
    arr = load_scenario(SCENARIOS / "arrangements" / path.name, point=True)
    for key, value in sc.values.items():
        if key != "governance.until_founded":
            expected = arr.values[key] if key.startswith("governance.") else ctx.values[key]
            assert value == expected, key


def test_every_composed_scenario_runs_two_years():
    for path in composed_files():
        ts = CollaborationModel(path, seed=1).run_for(24).timeseries()
        assert len(ts) == 24 and ts["trust"].between(0, 1).all(), path
