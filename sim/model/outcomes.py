"""Outcomes measured each month, over a fixed role set (working-group seats) so that boards do not
confound comparisons between arrangements."""

from __future__ import annotations

import functools
import itertools
from functools import partial

import mesa
import numpy as np

from sim.model import constants as k
from sim.model.forums import working_groups
from sim.model.pooling import depth_now
from sim.model.trust import ties_among

OUTCOMES = ("trust", "shared_understanding", "agreements", "collaboration_depth", "compliance",
            "target_attainment", "inclusion", "wellbeing", "coordination_cost")
COMPANIONS = ("agreements_new", "board_agreement", "detected_violations",
              "target_attainment_agreed", "wellbeing_body", "wellbeing_mind", "wellbeing_wisdom",
              "wellbeing_society", "coordination_cost_cumulative", "public_trust", "commitment",
              "norm_internalisation", "detection_chance", "meetings_held", "intermediary_exists")
COLUMNS = OUTCOMES + COMPANIONS
SECTOR_PAIRS = tuple(itertools.combinations(range(4), 2))
PAIR_BOUNDS = [c for s1, s2 in SECTOR_PAIRS for c in (s1 * 4 + s2, s1 * 4 + s2 + 1)]


def wg_members(model) -> np.ndarray:
    return np.concatenate([f.members for f in working_groups(model.forums)] or [np.empty(0, int)])


def cross_sector_t0(model) -> float:
    """T0 averaged over the 6 cross-sector pairs: the level `trust` starts from."""
    return float(np.mean([0.5 * (model.t0_matrix[s1, s2] + model.t0_matrix[s2, s1])
                          for s1, s2 in itertools.combinations(range(4), 2)]))


def cross_sector_trust(model, ids: np.ndarray) -> float:
    """Mean over the 6 cross-sector pairs of the mean T on existing ties between them (T0 if none)."""
    ties = model.ties
    src, dst = model.actors.sector[ties.src], model.actors.sector[ties.dst]
    pair_code = np.where(ties_among(model, ids), np.minimum(src, dst) * 4 + np.maximum(src, dst), -1)
    order = np.argsort(pair_code, kind="stable")  # each pair's ties together, in tie order
    code, trust = pair_code[order], ties.trust[order]
    bounds = np.searchsorted(code, PAIR_BOUNDS).tolist()
    values = []
    for (s1, s2), lo, hi in zip(SECTOR_PAIRS, bounds[::2], bounds[1::2]):
        t0 = 0.5 * (model.t0_matrix[s1, s2] + model.t0_matrix[s2, s1])
        values.append(float(np.add.reduce(trust[lo:hi]) / (hi - lo)) if hi > lo else float(t0))
    return float(np.mean(values))


def shared_understanding(model, ids: np.ndarray) -> float:
    """1 − mean pairwise ‖x_i − x_j‖/√3 among working-group members."""
    if len(ids) < 2:
        return 1.0
    i, j = upper_pairs(len(ids))
    x = np.ascontiguousarray(model.actors.position[ids].T)  # one row per dimension
    d = x[:, i] - x[:, j]
    distance = np.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
    return float(1 - np.add.reduce(distance) / len(distance) / np.sqrt(3))


@functools.cache
def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs i < j of n members, row by row (as numpy.triu_indices)."""
    return np.triu_indices(n, 1)


def inclusion(model) -> float:
    """min(1, presence × voice): the disadvantaged's attendance rate ÷ the others' (last 12
    months), times the acceptability of agreements in force to them ÷ to the others."""
    counts = np.sum(model.attendance_history[-12:], axis=0) if model.attendance_history else np.zeros(4)
    weak_opp, weak_in, other_opp, other_in = counts
    if weak_opp == 0 or other_in == 0:
        presence = 0.0 if weak_opp == 0 else 1.0
    else:
        presence = (weak_in / weak_opp) / (other_in / other_opp)
    weak_acc, other_acc = [np.empty(0)], [np.empty(0)]
    for f in model.forums:
        if f.agreement is not None and len(f.members):
            w = model.actors.readiness[f.members] == k.WEAK
            weak_acc.append(f.agreement.acceptability[w])
            other_acc.append(f.agreement.acceptability[~w])
    weak_acc, other_acc = np.concatenate(weak_acc), np.concatenate(other_acc)
    voice = (weak_acc.mean() / other_acc.mean()) if len(weak_acc) and len(other_acc) else 1.0
    return float(min(1.0, presence * voice))


def measure(model) -> dict[str, float]:
    """Every outcome column for the month just simulated."""
    v, a = model.values, model.actors
    ids = wg_members(model)
    wgs = working_groups(model.forums)
    trust = cross_sector_trust(model, ids)
    su = shared_understanding(model, ids)
    progress = model.total_progress()
    attainment = progress / v["collaboration.target_reference"]
    cum = sum(f.cumulative_target for f in wgs)
    weights = np.array([a.resources[f.members].sum() for f in wgs])
    depths = np.array([depth_now(model, f) for f in wgs], float)
    depth = float(weights @ depths / weights.sum()) if weights.sum() > 0 else 0.0
    incl = inclusion(model)
    lost = sum(lo for m, lo, _ in model.flood_losses if model.month - m < 12)
    before = sum(pre for m, _, pre in model.flood_losses if model.month - m < 12)
    body = attainment * (1 - (lost / before if before > 0 else 0.0))
    mind = float(a.public_trust[model.operation_rows].mean()) if len(model.operation) else model.t0_public
    forums_with_kn = [f for f in model.forums if f.in_force and a.knowledge[f.members].any()]
    kn = np.mean([f.last_knowledge_present for f in forums_with_kn]) if forums_with_kn else 0.0
    wisdom, society = su * kn, trust * incl
    parts = np.maximum([body, mind, wisdom, society], 0.01)
    spend = model.month_coordination + model.secretariat_spending
    member_resources = a.resources[model.seat_rows].sum()
    model.coordination_total += spend / member_resources if member_resources else 0.0
    return {
        "trust": trust, "shared_understanding": su,
        "agreements": sum(f.agreement is not None for f in wgs),
        "collaboration_depth": depth, "compliance": model.compliance,
        "target_attainment": min(1.0, attainment), "inclusion": incl,
        "wellbeing": float(np.exp(np.log(parts).mean())),
        "coordination_cost": spend / member_resources if member_resources else 0.0,
        "agreements_new": model.agreements_new,
        "board_agreement": int(any(f.kind == "board" and f.agreement is not None
                                   for f in model.forums)),
        "detected_violations": model.detected_violations,
        "target_attainment_agreed": progress / cum if cum > 0 else float("nan"),
        "wellbeing_body": body, "wellbeing_mind": mind, "wellbeing_wisdom": wisdom,
        "wellbeing_society": society, "coordination_cost_cumulative": model.coordination_total,
        "public_trust": mind,
        "commitment": float(a.commitment[model.seat_rows].mean()) if len(model.seat_holders)
        else 0.5,
        "norm_internalisation": float(a.norm[model.firm_rows].mean()) if len(model.firms) else 0.0,
        "detection_chance": model.detection,
        "meetings_held": model.meetings_this_month,
        "intermediary_exists": int(bool(model.gov["governance.secretariat"])),
    }


def read_outcome(model, name: str) -> float:
    """A DataCollector reporter: one outcome of the month just simulated."""
    return model.outcomes[name]


class OutcomeCollector(mesa.DataCollector):
    """Mesa's DataCollector with a model reporter per outcome column; `collect` appends the month's
    outcomes directly: they are plain numbers, so no reporter calls or deep copies are needed."""

    def __init__(self) -> None:
        super().__init__(model_reporters={c: partial(read_outcome, name=c) for c in COLUMNS})

    def collect(self, model) -> None:
        for name in COLUMNS:
            self.model_vars[name].append(model.outcomes[name])
