"""Rotation: officials, elected executives and leaders leave their seats to successors."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.dialogue import label as forum_label
from sim.model.population import draw_positions


def rotation_chance(model) -> np.ndarray:
    """This month's chance that each seat holder is replaced."""
    v, a, t = model.values, model.actors, model.month
    seats = model.seat_holders
    sector, level = a.sector[seats], a.level[seats]
    p = np.full(len(seats), 1.0 / v["context.leader_turnover_months"])
    central = sector == k.CENTRAL
    p[central] = (1.0 / v["context.official_tenure_months"]) if t >= v[
        "context.rotation_start_month"] else 0.0
    local_policy = (sector == k.LOCAL) & (level == k.POLICY)
    election = t in v["context.local_election_months"]
    p[local_policy] = v["context.local_election_turnover"] if election else 0.0
    return p


def rotate(model) -> np.ndarray:
    """A central official rotates with chance 1/tenure a month (from month 12), local policy seats
    change at elections, leaders at 1/120 a month; a successor's trust is T0 + m·(T − T0) on every
    tie, its commitment 0.5, its position redrawn with chance 0.5, its pooling type kept."""
    rng, a, ties = model.streams.rotation, model.actors, model.ties
    seats = model.seat_holders
    u, u_pos = rng.random(len(seats)), rng.random(len(seats))
    z = rng.normal(size=(len(seats), 3))
    out = u < rotation_chance(model)
    rotated = seats[out]
    if len(rotated):
        m = model.gov["governance.institutional_memory"]
        is_rotated = np.zeros(len(a), bool)
        is_rotated[rotated] = True
        touched = is_rotated[ties.src] | is_rotated[ties.dst]
        ties.trust[touched] = ties.t0[touched] + m * (ties.trust[touched] - ties.t0[touched])
        a.commitment[rotated] = 0.5
        a.left[rotated] = False
        new_view = u_pos[out] < 0.5
        redraw = rotated[new_view]
        a.position[redraw] = draw_positions(model.values, a.sector[redraw], z[out][new_view])
    for f in model.forums:
        if f.convenor in rotated:
            model.log(f"the convenor of the {forum_label(f)} rotated out")
    model.rotated = rotated
    model.counters["rotations"] += len(rotated)
    return rotated
