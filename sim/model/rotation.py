"""Rotation: officials, elected executives and leaders leave their seats to successors."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.memo import run_memo
from sim.model.population import draw_positions

LEADER, OFFICIAL, LOCAL_POLICY = 0, 1, 2  # the rotation rules of seat holders


def rotation_rules(model) -> np.ndarray:
    """Each seat holder's rotation rule: a central official, a local policy seat (elected) or a
    leader; fixed for a run (a successor takes the same seat), so kept on the model."""
    memo = run_memo(model)
    if "rotation.rules" not in memo:
        a, seats = model.actors, model.seat_holders
        sector, level = a.sector[seats], a.level[seats]
        rules = np.full(len(seats), LEADER, np.intp)
        rules[sector == k.CENTRAL] = OFFICIAL
        rules[(sector == k.LOCAL) & (level == k.POLICY)] = LOCAL_POLICY
        memo["rotation.rules"] = rules
    return memo["rotation.rules"]


def rotation_chance(model) -> np.ndarray:
    """This month's chance that each seat holder is replaced."""
    v, t = model.values, model.month
    official = (1.0 / v["context.official_tenure_months"]) if t >= v[
        "context.rotation_start_month"] else 0.0
    election = v["context.local_election_turnover"] if t in v[
        "context.local_election_months"] else 0.0
    key = ("rotation.chance", 1.0 / v["context.leader_turnover_months"], official, election)
    memo = run_memo(model)
    if key not in memo:  # one array for each combination of the three chances
        memo[key] = np.array(key[1:], float).take(rotation_rules(model))
    return memo[key]


def rotate(model) -> np.ndarray:
    """A central official rotates with chance 1/tenure a month (from month 12), local policy seats
    change at elections, leaders at 1/120 a month; a successor's trust is T0 + m·(T − T0) on every
    tie, its commitment 0.5, its position redrawn with chance 0.5, its pooling type kept."""
    rng, seats = model.streams.rotation, model.seat_holders
    n = len(seats)
    u = rng.random(2 * n)  # the rotation draws, then the redraw draws
    z = rng.normal(size=(n, 3))
    out = u[:n] < rotation_chance(model)
    rotated = seats[out]
    if len(rotated):
        succeed(model, rotated, u[n:][out] < 0.5, z[out])
    model.rotated = rotated
    model.counters["rotations"] += len(rotated)
    return rotated


def succeed(model, rotated: np.ndarray, new_view: np.ndarray, z: np.ndarray) -> None:
    """Successors take the `rotated` seats: trust on their ties becomes T0 + m·(T − T0), their
    commitment 0.5, and those with a new view draw their positions from z."""
    a, ties = model.actors, model.ties
    m = model.gov["governance.institutional_memory"]
    is_rotated = np.zeros(len(a), bool)
    is_rotated[rotated] = True
    touched = (is_rotated[ties.src] | is_rotated[ties.dst]).nonzero()[0]
    t0 = ties.t0[touched]
    ties.trust[touched] = t0 + m * (ties.trust[touched] - t0)
    a.commitment[rotated] = 0.5
    a.left[rotated] = False
    redraw = rotated[new_view]
    if len(redraw):
        a.position[redraw] = draw_positions(model.values, a.sector[redraw], z[new_view])
    gone = set(rotated.tolist())
    for f in model.forums:
        if f.convenor in gone:
            model.log("event.convenor_rotated", f)
