"""Deliberation: positions converge through trusted ties within a confidence bound."""

from __future__ import annotations

import functools

import numpy as np
from scipy.spatial.distance import cdist

from sim.model.dialogue import Meeting
from sim.model.memo import run_memo
from sim.model.trust import pair_layout


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 when all are equal or all zero)."""
    x = np.array(x, float)  # a sorted copy
    x.sort()
    n, total = len(x), np.add.reduce(x)
    if n == 0 or total <= 0:
        return 0.0
    return float(rank_weights(n) @ x / (n * total))


@functools.cache
def rank_weights(n: int) -> np.ndarray:
    """2i − n − 1 for the ranks i = 1 … n of the Gini coefficient, as floats (read-only, shared)."""
    w = (2 * np.arange(1, n + 1) - n - 1).astype(float)
    w.flags.writeable = False
    return w


def meeting_quality(model, meeting: Meeting, power: np.ndarray) -> float:
    """q_f = depth weight × (1 − 0.5·Gini of the attendees' power) (Ansell & Gash 2008)."""
    w = model.values["dialogue.power_gini_weight"]
    return meeting.forum.depth_weight * (1 - w * gini(power))


def trust_matrix(model, ids: np.ndarray, meeting: Meeting | None = None) -> np.ndarray:
    """T_ij among attendees (1 on the diagonal, 0 where there is no tie); from the meeting's tie
    index when its ties have been formed (trust.form_ties)."""
    m = len(ids)
    if meeting is not None and meeting.tie_index is not None and meeting.ties_known == len(
            model.ties):
        T = np.ones(m * m)
        T[pair_layout(m)[0]] = model.ties.trust[meeting.tie_index]
        return T.reshape(m, m)
    T = np.zeros((m, m))
    if len(model.ties):
        idx = model.ties.find(np.repeat(ids, m), np.tile(ids, m)).reshape(m, -1)
        T = np.where(idx >= 0, model.ties.trust[np.maximum(idx, 0)], 0.0)
    np.fill_diagonal(T, 1.0)
    return T


def bounded_confidence(x: np.ndarray, trust: np.ndarray, bound: float, step: float) -> np.ndarray:
    """x_i + μ·Σ_j w_ij·(x_j − x_i), w_ij ∝ T_ij·1{‖x_j − x_i‖ < ε}: positions x[..., agent, dim]
    (leading axes are batches, e.g. seeds when docking); μ = 1 with uniform T is Hegselmann &
    Krause's (2002) model."""
    dist = distances(x)
    W = np.multiply(trust, dist < bound, out=dist if dist.shape == np.shape(trust) else None)
    W /= np.add.reduce(W, axis=-1, keepdims=True)  # W.sum(axis=-1, keepdims=True)
    move = W @ x
    move -= x
    move *= step
    move += x  # x + μ·(W·x − x)
    return move


def distances(x: np.ndarray) -> np.ndarray:
    """‖x_j − x_i‖ of every pair of positions x[..., agent, dim]: cdist for one batch, else per
    batch."""
    if x.ndim == 2:
        return cdist(x, x)
    return np.linalg.norm(x[..., :, None, :] - x[..., None, :, :], axis=-1)


def deliberate(model, meeting: Meeting, quality: float) -> None:
    """Attendees in person move x_i += μ·Σ_j w_ij·(x_j − x_i), w_ij ∝ T_ij·1{‖x_j − x_i‖ < ε},
    μ = 0.2·q_f; with a knowledge holder present everyone moves λ toward the evidence point x*;
    at depth "inform" the convenor does not move (Hegselmann & Krause 2002; DeGroot 1974)."""
    v, a = model.values, model.actors
    ids = meeting.present
    if len(ids) < 2:
        return
    x = a.position.take(ids, 0)  # a.position[ids]
    mu = v["dialogue.opinion_step"] * quality
    new = bounded_confidence(x, trust_matrix(model, ids, meeting), v["dialogue.confidence_bound"], mu)
    if knowledge_present(model, meeting):
        pull = np.subtract(evidence_point(model), new)
        pull *= v["dialogue.evidence_pull"]
        new += pull  # new += λ·(x* − new)
    movers = meeting.in_person
    if meeting.forum.depth == "inform":
        movers = movers & (ids != meeting.forum.convenor)
    at = movers.nonzero()[0]
    new = new.take(at, 0)
    a.position[ids.take(at)] = np.minimum(1.0, np.maximum(0.0, new, out=new), out=new)  # clip


def knowledge_present(model, meeting: Meeting) -> bool:
    """Whether a knowledge holder attends: as convene found it, else from the attendees."""
    if meeting.knowledge_present is not None:
        return meeting.knowledge_present
    return np.count_nonzero(model.actors.knowledge[meeting.present]) > 0


def evidence_point(model) -> np.ndarray:
    """The evidence point x* as an array, kept for the run while the parameter is the same."""
    memo, point = run_memo(model), model.values["dialogue.evidence_point"]
    kept = memo.get("deliberation.evidence_point")
    if kept is None or kept[0] is not point:
        kept = memo["deliberation.evidence_point"] = (point, np.asarray(point))
    return kept[1]
