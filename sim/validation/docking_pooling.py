"""Docking with public-goods experiments (Fehr & Gächter 2000): the model's own conditional
contribution rule in repeated groups of four without punishment; contributions decay."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.pooling import contribution
from sim.scenario.parameters import defaults

GROUP = 4  # Fehr & Gächter's group size
FIRST_BELIEF = 0.5  # ĝ before round 1 (assumption: half the endowment expected of the others)


def pooling_types(rng: np.random.Generator, n: int) -> np.ndarray:
    """Types drawn as the model draws them (population.py), with the default shares of
    conditional co-operators and free riders (Fischbacher, Gächter & Fehr 2001)."""
    v = defaults()
    cond, free = v["actors.conditional_share"], v["actors.free_rider_share"]
    u = rng.random(n)
    return np.where(u < cond, k.CONDITIONAL,
                    np.where(u < cond + free, k.FREE_RIDER, k.WEAK_CONDITIONAL))


def others_mean(g: np.ndarray) -> np.ndarray:
    """ĝ_i: the mean of the other members' contributions [group, member]."""
    return (g.sum(axis=-1, keepdims=True) - g) / (g.shape[-1] - 1)


def pooling(groups: int, rounds: int, seed: int, first_belief: float = FIRST_BELIEF) -> dict:
    """Mean contribution (share of the endowment, C = 1) per round over fixed groups of four;
    each member gives C·clip(a + b·ĝ, 0, 1) with ĝ the others' mean of the round before."""
    types = pooling_types(np.random.default_rng(np.random.SeedSequence(seed)), groups * GROUP)
    types = types.reshape(groups, GROUP)
    a, b = k.POOLING_A[types], k.POOLING_B[types]
    ghat, means = np.full(types.shape, float(first_belief)), []
    for _ in range(rounds):
        g = contribution(np.ones(types.shape), a, b, ghat)
        means.append(round(float(g.mean()), 6))
        ghat = others_mean(g)
    return {"groups": groups, "rounds": rounds, "first_belief": first_belief,
            "mean_contribution": means}
