"""Docking with published models: Axelrod's norms and metanorms games, Hegselmann–Krause clusters,
and the decay of public-good contributions, all through the model's own submodel functions."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pytest

from sim.model.compliance import violates
from sim.model.deliberation import bounded_confidence
from sim.model.pooling import contribution
from sim.model.revision import axelrod_offspring, axelrod_parents, flip_bits
from sim.validation.docking import AGENTS, Population, axelrod, play, regimes, scores_of
from sim.validation.docking_hk import count_clusters, hk
from sim.validation.docking_pooling import pooling

CI_SEEDS = 30  # the documented figures use 100+; see docs/validation.md


@pytest.fixture(scope="module")
def long_run() -> dict[str, dict]:
    """Both games at the long horizon (1,000 generations) over the CI seeds."""
    return {game: axelrod(CI_SEEDS, 1000, game == "metanorms", 11)
            for game in ("norms", "metanorms")}


def test_norms_game_mostly_collapses_by_1000_generations(long_run):
    assert long_run["norms"]["collapsed"] >= 0.7
    assert long_run["norms"]["established"] <= 0.1


def test_metanorms_establish_the_norm_far_more_often(long_run):
    assert long_run["metanorms"]["established"] >= long_run["norms"]["established"] + 0.5
    assert long_run["metanorms"]["collapsed"] < long_run["norms"]["collapsed"]


@pytest.mark.parametrize("metanorms", [False, True])
def test_a_seed_gives_the_same_game_alone_or_beside_others(metanorms):
    seeds = np.random.SeedSequence(3).spawn(4)
    together = play(seeds, 40, metanorms)
    alone = play([seeds[2]], 40, metanorms)
    assert (together.boldness[2] == alone.boldness[0]).all()
    assert (together.vengefulness[2] == alone.vengefulness[0]).all()
    assert not (together.boldness[0] == together.boldness[1]).all()


def one_bold_agent(vengefulness: int) -> Population:
    """Agent 0 always defects (B = 7/7), nobody else ever does; everyone has vengefulness V."""
    bold = np.zeros((1, AGENTS), int)
    bold[0, 0] = 7
    return Population(bold, np.full((1, AGENTS), vengefulness))


@pytest.mark.parametrize("metanorms", [False, True])
def test_payoffs_without_vengeance_are_temptation_and_hurt(metanorms):
    score = scores_of(one_bold_agent(0), [np.random.default_rng(0)], metanorms)[0]
    assert score[0] == 4 * 3  # four defections, never punished
    assert (score[1:] == -4).all()  # hurt by each of them, never paying to punish


def test_payoffs_with_full_vengeance_add_up():
    score = scores_of(one_bold_agent(7), [np.random.default_rng(1)], False)[0]
    seen = (12 - score[0]) / 9  # every witness who saw punished: −9 each to the defector
    assert seen == int(seen) and 0 < seen <= 4 * (AGENTS - 1)
    assert score[1:].sum() == -4 * (AGENTS - 1) - 2 * seen  # hurt, plus −2 per punishment


def test_regimes_use_the_published_thresholds():
    pop = Population(np.array([[2] * AGENTS, [6] * AGENTS, [4] * AGENTS]),
                     np.array([[5] * AGENTS, [1] * AGENTS, [4] * AGENTS]))
    established, collapsed = regimes(pop)
    assert established.tolist() == [True, False, False]
    assert collapsed.tolist() == [False, True, False]


def test_offspring_hand_computed():
    # mean 1, sd √3: 4 ≥ 2.73 → 2; 0 > −0.73 → 1
    assert axelrod_offspring(np.array([0.0, 0.0, 0.0, 4.0])).tolist() == [1, 1, 1, 2]
    # mean 0, sd √(8/3) = 1.63: −2 ≤ −1.63 → 0, 2 ≥ 1.63 → 2
    assert axelrod_offspring(np.array([-2.0, 0.0, 2.0])).tolist() == [0, 1, 2]
    rows = axelrod_offspring(np.array([[-2.0, 0.0, 2.0], [5.0, 5.0, 5.0]]))
    assert rows.tolist() == [[0, 1, 2], [2, 2, 2]]  # all equal: everyone 2 (tie rule)


def test_tie_rule_keeps_a_random_half_of_two_offspring_each():
    rng = np.random.default_rng(0)
    counts = axelrod_offspring(np.zeros(AGENTS))
    draws = np.array([np.bincount(axelrod_parents(counts, rng, AGENTS), minlength=AGENTS)
                      for _ in range(2000)])
    assert (draws.sum(axis=1) == AGENTS).all() and draws.max() == 2
    assert np.abs(draws.mean(axis=0) - 1).max() < 0.08  # each agent keeps one copy on average
    assert (draws == 0).any() and (draws == 2).any()


def test_population_is_kept_at_its_size():
    rng = np.random.default_rng(1)
    few = axelrod_parents(np.array([2, 1, 0, 0]), rng, 4)  # three offspring: one copied
    assert len(few) == 4 and set(few) <= {0, 1} and (few == 0).sum() >= 2
    exact = axelrod_parents(np.array([2, 1, 1, 0]), rng, 4)
    assert exact.tolist() == [0, 0, 1, 2]


def test_mutation_flips_bits_and_docking_decision_is_s_below_b():
    flips = np.array([[True, False, False], [False, False, True], [False, False, False]])
    assert flip_bits(np.array([5, 5, 7]), flips).tolist() == [4, 1, 7]
    S, B = np.array([0.1, 0.5, 0.9]), np.array([0.2, 0.5, 1.0])
    assert violates(S, B, 0.0, 1.0, 1.0, 1.0).tolist() == [True, False, True]


def test_bounded_confidence_hand_computed():
    x = np.array([[0.0], [0.1], [0.9]])
    new = bounded_confidence(x, np.ones((3, 3)), 0.2, 1.0)
    assert np.allclose(new[:, 0], [0.05, 0.05, 0.9])  # the two close ones meet; 0.9 stays
    assert count_clusters(new) == 2


def test_hk_clusters_fall_with_epsilon_and_reach_consensus():
    result = hk(100, 1, 20, 2, (0.05, 0.1, 0.2, 0.3, 0.4))
    counts = list(result["clusters"].values())
    assert counts == sorted(counts, reverse=True) and counts[0] >= 5
    assert result["consensus"]["0.3"] >= 0.9 and result["clusters"]["0.4"] == 1


def test_contributions_decay_without_punishment():
    assert contribution(np.ones(3), np.array([0.1, 0.0, 0.1]), np.array([0.8, 0.0, 0.4]),
                        np.array([0.5, 0.5, 2.5])).tolist() == pytest.approx([0.5, 0.0, 1.0])
    means = pooling(500, 10, 4)["mean_contribution"]
    assert all(a > b for a, b in pairwise(means))
    assert means[-1] < 0.7 * means[0]


def test_cli_prints_one_reproducible_json_line(cli):
    args = ("docking", "axelrod", "--metanorms", "--seeds", 3, "--generations", 30, "--seed", 5)
    first, again = cli(*args), cli(*args)
    assert first.returncode == 0 and first.stdout == again.stdout
    lines = first.stdout.splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["game"] == "metanorms" and result["seeds"] == 3 and result["generations"] == 30
    assert 0 <= result["established"] <= 1 and 0 <= result["collapsed"] <= 1
    assert "generation 30/30" in first.stderr
    for sub in (("hk", "--seeds", 2), ("pooling", "--groups", 20)):
        out = cli("docking", *sub).stdout.splitlines()
        assert len(out) == 1 and json.loads(out[0])


def test_cli_bad_option_is_one_line_and_exit_2(cli):
    bad = cli("docking", "axelrod", "--generations", 0)
    assert bad.returncode == 2 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and "--generations" in bad.stderr
