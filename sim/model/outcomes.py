"""Outcomes measured each month, over a fixed role set (working-group seats) so that boards do not
confound comparisons between arrangements."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass, field
from functools import partial

import mesa
import numpy as np

from sim.model import constants as k
from sim.model.forums import working_groups
from sim.model.memo import run_memo
from sim.model.pooling import depth_now
from sim.model.reductions import mean, mean_of
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
SQRT3 = math.sqrt(3)  # the same double as numpy.sqrt(3)


def wg_members(model) -> np.ndarray:
    return np.concatenate([f.members for f in working_groups(model.forums)] or [np.empty(0, int)])


@dataclass
class Roster:
    """What `measure` reads that is fixed for a run: the working groups, their seats and
    resources, which forums seat a knowledge holder, the resources of all seat holders, the boards
    (and the collaboration depth worked out for each combination of the groups' depths)."""

    groups: list
    ids: np.ndarray
    weights: np.ndarray
    weight_total: float
    seat_resources: float
    knowledge: list[bool]
    boards: list
    depth: dict = field(default_factory=dict)  # collaboration depth by the groups' depths


def roster(model) -> Roster:
    """The run's Roster, made on first use: forums, seats and resources do not change in a run."""
    memo = run_memo(model)
    if "outcomes.roster" not in memo:
        a, groups = model.actors, working_groups(model.forums)
        weights = np.array([a.resources[f.members].sum() for f in groups])
        memo["outcomes.roster"] = Roster(
            groups, wg_members(model), weights, weights.sum(), a.resources[model.seat_rows].sum(),
            [bool(a.knowledge[f.members].any()) for f in model.forums],
            [f for f in model.forums if f.kind == "board"])
    return memo["outcomes.roster"]


def collaboration_depth(model, fixed: Roster) -> float:
    """The working groups' depths (now) averaged with their members' resources as weights (0
    without resources); worked out once per combination of depths and kept."""
    depths = tuple(depth_now(model, f) for f in fixed.groups)
    if depths not in fixed.depth:
        fixed.depth[depths] = (float(fixed.weights @ np.array(depths, float) / fixed.weight_total)
                               if fixed.weight_total > 0 else 0.0)
    return fixed.depth[depths]


def cross_sector_t0(model) -> float:
    """T0 averaged over the 6 cross-sector pairs: the level `trust` starts from."""
    return float(np.mean([0.5 * (model.t0_matrix[s1, s2] + model.t0_matrix[s2, s1])
                          for s1, s2 in itertools.combinations(range(4), 2)]))


@dataclass
class PairGroups:
    """The ties among some ids (`key`) that join two sectors, sorted by sector pair (tie order
    within a pair): `spans` gives each pair's number and its (start, end) in `order`, `t0` each
    pair's T0. Valid while the tie arrays are those of `src` (adding a tie rebuilds them)."""

    src: np.ndarray
    key: bytes
    order: np.ndarray
    spans: list[tuple[int, int, int]]
    t0: list[float]


def pair_groups(model, ids: np.ndarray) -> PairGroups:
    """The PairGroups of the ties among `ids`, rebuilt only when ties have been added."""
    memo, key = run_memo(model), ids.tobytes()
    groups = memo.get("outcomes.pairs")
    if groups is None or groups.src is not model.ties.src or groups.key != key:
        groups = memo["outcomes.pairs"] = group_pairs(model, ids)
    return groups


def group_pairs(model, ids: np.ndarray) -> PairGroups:
    """Sort the ties among `ids` by sector-pair code (stable: tie order within a pair)."""
    ties, t0 = model.ties, model.t0_matrix
    src, dst = model.actors.sector[ties.src], model.actors.sector[ties.dst]
    pair_code = np.where(ties_among(model, ids), np.minimum(src, dst) * 4 + np.maximum(src, dst), -1)
    order = np.argsort(pair_code, kind="stable")
    bounds = np.searchsorted(pair_code[order], PAIR_BOUNDS).tolist()
    spans = [(p, lo, hi) for p, (lo, hi) in enumerate(zip(bounds[::2], bounds[1::2])) if hi > lo]
    return PairGroups(ties.src, ids.tobytes(), order, spans,
                      [float(0.5 * (t0[s1, s2] + t0[s2, s1])) for s1, s2 in SECTOR_PAIRS])


def cross_sector_trust(model, ids: np.ndarray) -> float:
    """Mean over the 6 cross-sector pairs of the mean T on existing ties between them (T0 if none)."""
    groups = pair_groups(model, ids)
    trust = model.ties.trust.take(groups.order)
    values = groups.t0.copy()
    for p, lo, hi in groups.spans:
        values[p] = float(np.add.reduce(trust[lo:hi]) / (hi - lo))
    return mean_of(values)


def shared_understanding(model, ids: np.ndarray) -> float:
    """1 − mean pairwise ‖x_i − x_j‖/√3 among working-group members."""
    if len(ids) < 2:
        return 1.0
    x = model.actors.position.reshape(-1).take(pair_cells(model, ids))
    d = np.subtract(x[0], x[1], out=x[0])  # one row per dimension
    np.multiply(d, d, out=d)
    distance = np.sqrt(np.add.reduce(d, axis=0))  # (d0² + d1²) + d2²
    return float(1 - np.add.reduce(distance) / len(distance) / SQRT3)


def pair_cells(model, ids: np.ndarray) -> np.ndarray:
    """Flat indices into the positions of both ends of every pair i < j of `ids` (row by row, as
    numpy.triu_indices), by dimension: shape (2, dimensions, pairs)."""
    memo, key = run_memo(model), ("outcomes.cells", ids.tobytes())
    if key not in memo:
        i, j = upper_pairs(len(ids))
        dims = model.actors.position.shape[1]
        cells = ids[np.stack([i, j])][:, None, :] * dims + np.arange(dims)[None, :, None]
        memo[key] = np.ascontiguousarray(cells)
    return memo[key]


@functools.cache
def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs i < j of n members, row by row (as numpy.triu_indices)."""
    return np.triu_indices(n, 1)


def inclusion(model) -> float:
    """min(1, presence × voice): the disadvantaged's attendance rate ÷ the others' (last 12
    months), times the acceptability of agreements in force to them ÷ to the others."""
    return float(min(1.0, presence(model.attendance_history[-12:]) * voice(model)))


def presence(history: list[np.ndarray]) -> float:
    """The disadvantaged's attendance rate ÷ the others' over monthly counts (weak seats, weak
    present, other seats, other present), summed month by month; 0 without weak seats, 1 when no
    other seat holder came."""
    if not history:
        return 0.0
    weak_opp, weak_in, other_opp, other_in = (sum(c) for c in zip(*[h.tolist() for h in history]))
    if weak_opp == 0 or other_in == 0:
        return 0.0 if weak_opp == 0 else 1.0
    return (weak_in / weak_opp) / (other_in / other_opp)


def voice(model) -> float:
    """Mean acceptability of the agreements in force to the disadvantaged ÷ to the others (1 when
    either has no seat in a forum with an agreement); worked out again only when an agreement
    has been made or has lapsed (an agreement's acceptability never changes)."""
    agreements = [f.agreement for f in model.forums]
    memo = run_memo(model)
    kept = memo.get("outcomes.voice")
    if kept is None or not all(map(operator.is_, kept[0], agreements)):
        kept = memo["outcomes.voice"] = (agreements, voice_of(model))
    return kept[1]


def voice_of(model) -> float:
    """voice() worked out from the agreements in force."""
    held = tuple(n for n, f in enumerate(model.forums) if f.agreement is not None and len(f.members))
    weak, other = seat_split(model, held)
    if not (len(weak) and len(other)):
        return 1.0
    acc = np.concatenate([model.forums[n].agreement.acceptability for n in held])
    return mean(acc.take(weak)) / mean(acc.take(other))


def seat_split(model, held: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the disadvantaged's seats and of the others' among the seats of the forums
    `held`, taken forum by forum (seat holders' readiness does not change in a run)."""
    memo, key = run_memo(model), ("outcomes.split", held)
    if key not in memo:
        weak = np.concatenate([model.actors.readiness[model.forums[n].members] == k.WEAK
                               for n in held] or [np.empty(0, bool)])
        memo[key] = np.flatnonzero(weak), np.flatnonzero(~weak)
    return memo[key]


def measure(model) -> dict[str, float]:
    """Every outcome column for the month just simulated."""
    v, a, fixed = model.values, model.actors, roster(model)
    wgs = fixed.groups
    trust = cross_sector_trust(model, fixed.ids)
    su = shared_understanding(model, fixed.ids)
    progress = model.total_progress()
    attainment = progress / v["collaboration.target_reference"]
    cum = sum(f.cumulative_target for f in wgs)
    depth = collaboration_depth(model, fixed)
    incl = inclusion(model)
    lost = sum(lo for m, lo, _ in model.flood_losses if model.month - m < 12)
    before = sum(pre for m, _, pre in model.flood_losses if model.month - m < 12)
    body = attainment * (1 - (lost / before if before > 0 else 0.0))
    mind = mean(a.public_trust[model.operation_rows]) if len(model.operation) else model.t0_public
    present = [f.last_knowledge_present for f, has in zip(model.forums, fixed.knowledge)
               if has and f.in_force]
    kn = mean_of(present) if present else 0.0
    wisdom, society = su * kn, trust * incl
    parts = [max(part, 0.01) for part in (body, mind, wisdom, society)]  # as np.maximum
    spend = model.month_coordination + model.secretariat_spending
    member_resources = fixed.seat_resources
    model.coordination_total += spend / member_resources if member_resources else 0.0
    return {
        "trust": trust, "shared_understanding": su,
        "agreements": sum(f.agreement is not None for f in wgs),
        "collaboration_depth": depth, "compliance": model.compliance,
        "target_attainment": min(1.0, attainment), "inclusion": incl,
        "wellbeing": float(np.exp(np.add.reduce(np.log(parts)) / len(parts))),
        "coordination_cost": spend / member_resources if member_resources else 0.0,
        "agreements_new": model.agreements_new,
        "board_agreement": int(any(f.agreement is not None for f in fixed.boards)),
        "detected_violations": model.detected_violations,
        "target_attainment_agreed": progress / cum if cum > 0 else float("nan"),
        "wellbeing_body": body, "wellbeing_mind": mind, "wellbeing_wisdom": wisdom,
        "wellbeing_society": society, "coordination_cost_cumulative": model.coordination_total,
        "public_trust": mind,
        "commitment": mean(a.commitment[model.seat_rows]) if len(model.seat_holders) else 0.5,
        "norm_internalisation": mean(a.norm[model.firm_rows]) if len(model.firms) else 0.0,
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
