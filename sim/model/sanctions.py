"""Sanctions: formal fines where the arrangement has authority, and punishment by witnesses."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.streams import skip_uniforms
from sim.model.trust import reputation


def punishes(sees: np.ndarray, u: np.ndarray, vengefulness: np.ndarray) -> np.ndarray:
    """A witness who saw the violation punishes it with chance V = vengefulness/7 (Axelrod 1986)."""
    return sees & (u < vengefulness / 7)


def metapunishes(lenient: np.ndarray, seen_chance: np.ndarray, u: np.ndarray,
                 vengefulness: np.ndarray) -> np.ndarray:
    """meta[..., j, k]: witness k ≠ j of the same violation sees lenient witness j with chance S
    and punishes it with chance V_k, in one draw u < S·V_k (Axelrod's metanorm); the leading axes
    are violations (and, when docking, seeds), the last of `lenient` the witnesses."""
    w = lenient.shape[-1]
    others = ~np.eye(w, dtype=bool)
    v_k = vengefulness[..., None, :] / 7
    return lenient[..., :, None] & others & (u < seen_chance[..., None, None] * v_k)


def metanorms(a, witnesses: np.ndarray, lenient: np.ndarray, seen_chance: np.ndarray,
              u: np.ndarray, P: float, E: float) -> None:
    """Each other witness k sees a lenient witness j with chance S and punishes it with chance V_k
    (−9 to j, −2 to k), Axelrod's metanorm."""
    meta = metapunishes(lenient, seen_chance, u, a.vengefulness[witnesses])
    np.add.at(a.score, witnesses, -P * meta.sum(axis=2))  # received by j
    np.add.at(a.score, witnesses, -E * meta.sum(axis=1))  # paid by k


def witness_draws(rng: np.random.Generator, nv: int, w: int, metanorms_on: bool
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The uniforms of seeing and of punishing, (nv, w) each, then those of the metanorms
    (nv, w, w; None when they are off: their share of the stream is skipped, so that later
    draws stay the same)."""
    n = nv * w
    u = rng.random(n * (2 + w) if metanorms_on else 2 * n)  # seeing, punishing[, metanorms]
    if not metanorms_on:
        skip_uniforms(rng, n * w)
    see, pun = u[:2 * n].reshape(2, nv, w)
    return see, pun, (u[2 * n:].reshape(nv, w, w) if metanorms_on else None)


def fine(a, fined: np.ndarray, P: float) -> None:
    """Each fined violator loses P·(1 + 0.5·prior violations)."""
    a.score[fined] -= P * (1 + 0.5 * a.prior_violations[fined])


def seen_rates(seen_sector: np.ndarray, detected: np.ndarray, n_firms: int) -> dict[int, float]:
    """Per witness sector (business, civil): the detected violations seen by at least one of its
    witnesses, per firm; seen_sector holds each witness's sector where it saw, else −1."""
    rows = seen_sector[detected].tolist()
    return {s: sum(s in row for row in rows) / n_firms for s in (k.BUSINESS, k.CIVIL)}


def sanction(model, violators: np.ndarray, detected: np.ndarray, seen_chance: np.ndarray) -> None:
    """A detected violator is fined 9·(1 + 0.5·prior violations) with chance `authority`; 5 random
    witnesses each see the violation with chance S and punish it with chance V_j (−9 to the
    violator, −2 to the punisher); with metanorms, seers who let it pass are punished in turn."""
    v, a, rng = model.values, model.actors, model.streams.sanctions
    nv, w = len(violators), v["norms.witnesses"]
    ops = model.operation
    u_fine = rng.random(nv)
    witnesses = ops[rng.integers(0, len(ops), size=(nv, w))] if len(ops) else np.zeros((nv, 0), int)
    u_see, u_pun, u_meta = witness_draws(rng, nv, w, bool(v["norms.metanorms"]))
    P, E = v["norms.punishment"], v["norms.enforcement_cost"]
    fined = detected & (u_fine < model.authority_now)
    n_fined = np.count_nonzero(fined)
    if n_fined:
        fine(a, violators[fined], P)
    a.prior_violations[violators[detected]] += 1
    sees = u_see < seen_chance[:, None]
    punish = punishes(sees, u_pun, a.vengefulness[witnesses])
    a.score[violators] -= P * punish.sum(axis=1)
    np.add.at(a.score, witnesses[punish], -E)
    if u_meta is not None:
        metanorms(a, witnesses, sees & ~punish, seen_chance, u_meta, P, E)
    model.detected_violations = int(np.count_nonzero(detected))
    model.counters["sanctions"] += int(n_fined + np.count_nonzero(punish))
    seen_sector = np.where(sees, a.sector[witnesses], -1)
    reputation(model, seen_rates(seen_sector, detected, max(len(model.firms), 1)), k.BUSINESS)
    seen_by_civil = np.zeros(len(a), bool)
    seen_by_civil[witnesses[seen_sector == k.CIVIL]] = True
    model.complainants = seen_by_civil.nonzero()[0]  # each civil witness once, in id order
