"""Pooling: working-group members contribute as conditional co-operators, and progress follows."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.dialogue import Meeting


def others_mean(f, ids: np.ndarray) -> np.ndarray:
    """ĝ_i: the mean of the others' contributions at the group's last pooling (0 if none)."""
    rows, cols = (ids[:, None] == f.last_contributors).nonzero()  # each contributor appears once
    own = np.zeros(len(ids))
    own[rows] = f.last_contributions[cols]
    n_others = len(f.last_contributors) - np.bincount(rows, minlength=len(ids))
    others = sum(f.last_contributions.tolist()) - own
    if len(f.last_contributors) > 1:  # everyone has others
        return others / n_others
    return np.divide(others, n_others, out=np.zeros(len(ids)), where=n_others > 0)


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
    kind = a.pooling[ids]
    base = (k.PLEDGED_A if ag is not None else k.POOLING_A)[kind]
    g = contribution(a.commitment[ids], base, k.POOLING_B[kind], others_mean(f, ids))
    given = np.add.reduce(g * a.resources[ids])
    g_mean = np.add.reduce(g) / len(g)  # g.mean()
    f.last_contributors, f.last_contributions = ids.copy(), g
    f.last_contribution = float(g_mean)
    share = given / np.add.reduce(a.resources[f.members])
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


def meeting_cost(model, meeting: Meeting) -> None:
    """Each meeting costs each attendee 5% of its monthly discretionary resources."""
    share = model.values["dialogue.meeting_cost_share"]
    model.month_coordination += share * model.actors.resources[meeting.present].sum()


def depth_now(model, f) -> int:
    """A group's depth: that of its last meeting, 0 after six months without one."""
    return f.last_depth if model.month - f.last_meeting < 6 else 0
