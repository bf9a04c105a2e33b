"""Pooling: working-group members contribute as conditional co-operators, and progress follows."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.dialogue import Meeting
from sim.model.memo import run_memo


def others_mean(f, ids: np.ndarray, at: np.ndarray | None = None,
                last_at: np.ndarray | None = None) -> np.ndarray:
    """ĝ_i: the mean of the others' contributions at the group's last pooling (0 if none); `at`
    and `last_at`, where known, place the attendees and the last contributors in f.members."""
    if at is None or last_at is None:
        rows, cols = (ids[:, None] == f.last_contributors).nonzero()  # each contributor once
        own = np.zeros(len(ids))
        own[rows] = f.last_contributions[cols]
        n_others = len(f.last_contributors) - np.bincount(rows, minlength=len(ids))
    else:
        own, gave = np.zeros(len(f.members)), np.zeros(len(f.members), bool)
        own[last_at] = f.last_contributions
        gave[last_at] = True
        own, n_others = own.take(at), len(last_at) - gave.take(at)
    others = sum(f.last_contributions.tolist()) - own
    if len(f.last_contributors) > 1:  # everyone has others
        return others / n_others
    return np.divide(others, n_others, out=np.zeros(len(ids)), where=n_others > 0)


def last_seats(model, f) -> np.ndarray | None:
    """Where the group's last contributors sit in f.members, when its last pooling was of a
    convened meeting (and nothing has replaced its contributions since)."""
    kept = run_memo(model).get(("pooling.last_at", id(f)))
    if kept is None or kept[0] is not f.members or kept[1] is not f.last_contributions:
        return None
    return kept[2]


def contribution(commitment: np.ndarray, a: np.ndarray, b: np.ndarray,
                 others: np.ndarray) -> np.ndarray:
    """g = C·clip(a + b·ĝ, 0, 1), the share of resources given: conditional co-operation on the
    others' last mean ĝ (Fischbacher, Gächter & Fehr 2001)."""
    return commitment * np.minimum(1.0, np.maximum(0.0, a + b * others))


def pool(model, meeting: Meeting) -> np.ndarray:
    """Members present contribute g_i = C_i·clip(a_i + b_i·ĝ, 0, 1) of their resources (a pledge
    raises a to 0.25 for conditional co-operators under an agreement); the pool × 1.5 adds
    ρ·pooled·plan multiplier·compliance to progress; a breach is giving under half the mean."""
    f, v, a = meeting.forum, model.values, model.actors
    ids = meeting.present
    if not len(ids):
        return np.zeros(0, bool)
    ag = f.agreement
    base, b, resources = pooling_terms(model, meeting)
    at = meeting.seats_at
    g = contribution(a.commitment[ids], base, b, others_mean(f, ids, at, last_seats(model, f)))
    given = np.add.reduce(g * a.resources[ids])
    g_mean = np.add.reduce(g) / len(g)  # g.mean()
    f.last_contributors, f.last_contributions = ids.copy(), g
    if at is not None:
        run_memo(model)[("pooling.last_at", id(f))] = (f.members, g, at)
    f.last_contribution = float(g_mean)
    share = given / resources
    f.last_depth = 3 if (share >= 0.2 and ag is not None) else (2 if share >= 0.1 else 1)
    mult = 1.0
    if ag is not None:
        mult = v["collaboration.public_plan_multiplier"] if ag.public_plan else v[
            "collaboration.paper_multiplier"]
    pooled = given * v["collaboration.synergy"]
    f.progress += v["collaboration.progress_rate"] * pooled * mult * model.compliance
    if ag is None:
        return np.zeros(len(ids), bool)
    return g < 0.5 * g_mean


def pooling_terms(model, meeting: Meeting) -> tuple[np.ndarray, np.ndarray, float]:
    """Each attendee's a (pledged under an agreement) and b of its pooling type, and the forum
    members' total resources; a convened meeting reads them from its forum's seats, whose types
    and resources are fixed for a run."""
    f, a, at = meeting.forum, model.actors, meeting.seats_at
    pledged = f.agreement is not None
    if at is None:
        kind = a.pooling[meeting.present]
        return ((k.PLEDGED_A if pledged else k.POOLING_A)[kind], k.POOLING_B[kind],
                np.add.reduce(a.resources[f.members]))
    memo, key = run_memo(model), ("pooling.seats", id(f))
    kept = memo.get(key)
    if kept is None or kept[0] is not f.members:
        kind = a.pooling[f.members]
        kept = memo[key] = (f.members, k.POOLING_A[kind], k.PLEDGED_A[kind], k.POOLING_B[kind],
                            np.add.reduce(a.resources[f.members]))
    return kept[2 if pledged else 1].take(at), kept[3].take(at), kept[4]


def meeting_cost(model, meeting: Meeting) -> None:
    """Each meeting costs each attendee 5% of its monthly discretionary resources."""
    share = model.values["dialogue.meeting_cost_share"]
    model.month_coordination += share * np.add.reduce(model.actors.resources[meeting.present])


def depth_now(model, f) -> int:
    """A group's depth: that of its last meeting, 0 after six months without one."""
    return f.last_depth if model.month - f.last_meeting < 6 else 0
