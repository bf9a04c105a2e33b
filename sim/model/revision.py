"""Strategy revision: once a year, operation actors imitate better-scoring peers of their sector;
Axelrod's selection (offspring by score) serves the docking game."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k

BIT_VALUES = 1 << np.arange(k.BITS)  # the value of each bit of a strategy


def revise(model) -> None:
    """Each operation actor copies the boldness and vengefulness of a random same-sector peer with
    chance 1/(1 + exp(−K·(z_j − z_i))), z the year's score standardised within the sector; each of
    the six bits then flips with chance 0.01."""
    if (model.month + 1) % 12 != 0:
        return
    v, a, rng = model.values, model.actors, model.streams.revision
    ops, n = model.operation, len(model.operation)
    u = rng.random(2 * n)  # the peer draws, then the copy draws
    flips = rng.random((n, 2, k.BITS)) < v["norms.mutation_rate"]
    sector = a.sector[model.operation_rows]
    for s in (k.BUSINESS, k.CIVIL):
        sel = sector == s
        if np.count_nonzero(sel) >= 2:
            imitate(model, ops[sel], u[:n][sel], u[n:][sel])
    rows = model.operation_rows
    a.boldness[rows] = flip_bits(a.boldness[rows], flips[:, 0])
    a.vengefulness[rows] = flip_bits(a.vengefulness[rows], flips[:, 1])
    a.score[:] = 0.0


def imitate(model, ids: np.ndarray, peer_u: np.ndarray, copy_u: np.ndarray) -> None:
    """Each of `ids` (one sector) picks a peer by peer_u and copies its strategy when copy_u is
    below 1/(1 + exp(−K·(z_peer − z_i))), z the score standardised among `ids`."""
    a = model.actors
    z = standardise(a.score[ids])
    peer = np.minimum((peer_u * len(ids)).astype(int), len(ids) - 1)
    p = 1 / (1 + np.exp(-model.values["norms.revision_selection"] * (z[peer] - z)))
    copy = copy_u < p
    a.boldness[ids[copy]] = a.boldness[ids[peer[copy]]]
    a.vengefulness[ids[copy]] = a.vengefulness[ids[peer[copy]]]


def standardise(x: np.ndarray) -> np.ndarray:
    """(x − mean)/sd, the population sd, as x.mean() and x.std() compute them (0 when sd is 0)."""
    deviation = x - np.add.reduce(x) / len(x)
    sd = np.sqrt(np.add.reduce(deviation * deviation) / len(x))
    return deviation / sd if sd > 0 else np.zeros(len(x))


def flip_bits(values: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """Mutation: XOR each 3-bit value with its flipped bits (flips[..., b] true flips bit b)."""
    return values ^ (flips @ BIT_VALUES)


def axelrod_offspring(scores: np.ndarray) -> np.ndarray:
    """Offspring per agent (last axis): 2 at score ≥ mean + 1 sd, 0 at ≤ mean − 1 sd, else 1; all 2
    when every score is equal (Axelrod 1986; the tie rule of Galán & Izquierdo 2005)."""
    mean = scores.mean(axis=-1, keepdims=True)
    sd = scores.std(axis=-1, keepdims=True)
    counts = np.where(scores >= mean + sd, 2, np.where(scores <= mean - sd, 0, 1))
    tie = scores.max(axis=-1, keepdims=True) == scores.min(axis=-1, keepdims=True)
    return np.where(tie, 2, counts)


def axelrod_parents(counts: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """Parent of each member of the next generation: every agent's offspring, then random ones
    removed (or random ones copied) until `size` remain, so a tie keeps a random half."""
    pool = np.repeat(np.arange(len(counts)), counts)
    if len(pool) > size:
        return pool[np.sort(rng.choice(len(pool), size, replace=False))]
    if len(pool) < size:
        return np.concatenate([pool, pool[rng.integers(0, len(pool), size - len(pool))]])
    return pool
