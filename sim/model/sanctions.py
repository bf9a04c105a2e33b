"""Sanctions: formal fines where the arrangement has authority, and punishment by witnesses."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.trust import reputation


def sanction(model, violators: np.ndarray, detected: np.ndarray, seen_chance: np.ndarray) -> None:
    """A detected violator is fined 9·(1 + 0.5·prior violations) with chance `authority`; 5 random
    witnesses each see the violation with chance S and punish it with chance V_j (−9 to the
    violator, −2 to the punisher); with metanorms, seers who let it pass are punished in turn."""
    v, a, rng = model.values, model.actors, model.streams.sanctions
    nv, w = len(violators), v["norms.witnesses"]
    ops = model.operation
    u_fine = rng.random(nv)
    witnesses = ops[rng.integers(0, len(ops), size=(nv, w))] if len(ops) else np.zeros((nv, 0), int)
    u_see, u_pun, u_meta = (rng.random((nv, w)) for _ in range(3))
    P, E = v["norms.punishment"], v["norms.enforcement_cost"]
    auth = model.authority_now
    fined = detected & (u_fine < auth)
    a.score[violators[fined]] -= P * (1 + 0.5 * a.prior_violations[violators[fined]])
    a.prior_violations[violators[detected]] += 1
    sees = u_see < seen_chance[:, None]
    punish = sees & (u_pun < a.vengefulness[witnesses] / 7)
    a.score[violators] -= P * punish.sum(axis=1)
    np.add.at(a.score, witnesses[punish], -E)
    if v["norms.metanorms"]:  # lenient seers are caught by the others (mean V, chance S)
        lenient = sees & ~punish
        mean_v = a.vengefulness[witnesses].mean(axis=1, keepdims=True) / 7 if w else 0.0
        meta = lenient & (u_meta < seen_chance[:, None] * mean_v)
        np.add.at(a.score, witnesses[meta], -P)
        cost = np.repeat(meta.sum(axis=1) * E / max(w - 1, 1), w)
        np.add.at(a.score, witnesses.ravel(), -cost)
    model.detected_violations = int(detected.sum())
    model.counters["sanctions"] += int(fined.sum() + punish.sum())
    n_firms = max(len(model.firms), 1)
    rates = {s: float((detected & (sees & (a.sector[witnesses] == s)).any(axis=1)).sum()) / n_firms
             for s in (k.BUSINESS, k.CIVIL)}
    reputation(model, rates, k.BUSINESS)
    civil_seers = witnesses[sees & (a.sector[witnesses] == k.CIVIL)]
    model.complainants = np.unique(civil_seers)
