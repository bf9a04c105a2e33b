"""Docking with Hegselmann & Krause (2002): the model's own bounded-confidence update with uniform
trust, no proposals and no evidence pull, counting opinion clusters against ε."""

from __future__ import annotations

import numpy as np

from sim.model.deliberation import bounded_confidence

EPSILONS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
TOLERANCE = 1e-9  # converged when no position moves more than this
SAME = 1e-4  # positions closer than this are one cluster


def settle(x: np.ndarray, bound: float, max_rounds: int = 1000) -> np.ndarray:
    """Positions [seed, agent, dim] after HK rounds (μ = 1, every T_ij = 1) until none moves."""
    trust = np.ones((x.shape[-2], x.shape[-2]))
    for _ in range(max_rounds):
        new = bounded_confidence(x, trust, bound, 1.0)
        if np.abs(new - x).max() <= TOLERANCE:
            return new
        x = new
    return x


def count_clusters(x: np.ndarray) -> int:
    """Number of groups of positions [agent, dim] that lie within SAME of a group's first member."""
    left, clusters = np.ones(len(x), bool), 0
    while left.any():
        first = x[np.argmax(left)]
        left &= np.linalg.norm(x - first, axis=-1) >= SAME
        clusters += 1
    return clusters


def hk(agents: int, dims: int, seeds: int, seed: int,
       epsilons: tuple[float, ...] = EPSILONS) -> dict:
    """Mean number of clusters (and the share of seeds reaching consensus) per ε, positions
    uniform in [0, 1]^dims; seed r draws from SeedSequence(seed).spawn(seeds)[r]."""
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(seeds)]
    x0 = np.array([rng.random((agents, dims)) for rng in rngs])
    clusters, consensus = {}, {}
    for eps in epsilons:
        counts = [count_clusters(x) for x in settle(x0, eps)]
        clusters[f"{eps:g}"] = float(np.mean(counts))
        consensus[f"{eps:g}"] = float(np.mean(np.array(counts) == 1))
    return {"agents": agents, "dims": dims, "seeds": seeds, "clusters": clusters,
            "consensus": consensus}
