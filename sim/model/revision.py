"""Strategy revision: once a year, operation actors imitate better-scoring peers of their sector."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k


def revise(model) -> None:
    """Each operation actor copies the boldness and vengefulness of a random same-sector peer with
    chance 1/(1 + exp(−K·(z_j − z_i))), z the year's score standardised within the sector; each of
    the six bits then flips with chance 0.01."""
    if (model.month + 1) % 12 != 0:
        return
    v, a, rng = model.values, model.actors, model.streams.revision
    ops = model.operation
    peer_u, copy_u = rng.random(len(ops)), rng.random(len(ops))
    flips = rng.random((len(ops), 2, k.BITS)) < v["norms.mutation_rate"]
    for s in (k.BUSINESS, k.CIVIL):
        ids = ops[a.sector[ops] == s]
        if len(ids) < 2:
            continue
        sel = a.sector[ops] == s
        score = a.score[ids]
        z = (score - score.mean()) / score.std() if score.std() > 0 else np.zeros(len(ids))
        peer = np.minimum((peer_u[sel] * len(ids)).astype(int), len(ids) - 1)
        p = 1 / (1 + np.exp(-v["norms.revision_selection"] * (z[peer] - z)))
        copy = copy_u[sel] < p
        a.boldness[ids[copy]] = a.boldness[ids[peer[copy]]]
        a.vengefulness[ids[copy]] = a.vengefulness[ids[peer[copy]]]
    weights = 1 << np.arange(k.BITS)
    a.boldness[ops] ^= (flips[:, 0] * weights).sum(axis=1)
    a.vengefulness[ops] ^= (flips[:, 1] * weights).sum(axis=1)
    a.score[:] = 0.0
