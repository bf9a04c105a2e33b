"""Initialisation: the actors' state arrays, drawn per population group from its own stream."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.model import constants as k
from sim.scenario.parameters import READINESS, SEAT_KINDS


@dataclass
class Actors:
    """Every actor's state, one numpy array per variable (index = actor id)."""

    sector: np.ndarray
    level: np.ndarray
    role: np.ndarray
    forum: np.ndarray  # forum index of a seat holder, -1 for operation actors
    knowledge: np.ndarray
    readiness: np.ndarray  # civil actors only, -1 elsewhere
    organised: np.ndarray
    resources: np.ndarray
    hard_power: np.ndarray
    position: np.ndarray
    commitment: np.ndarray
    norm: np.ndarray
    norm_anchor: np.ndarray
    boldness: np.ndarray
    vengefulness: np.ndarray
    pooling: np.ndarray
    cost_factor: np.ndarray
    public_trust: np.ndarray
    left: np.ndarray
    prior_violations: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.sector)

    @classmethod
    def concat(cls, parts: list[Actors]) -> Actors:
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts])
                      for f in fields(cls)})

    @property
    def weak(self) -> np.ndarray:
        return self.readiness == k.WEAK


def rows(ids: np.ndarray) -> slice | np.ndarray:
    """A contiguous ascending run of ids as a slice, whose reads are views (no copies); other ids
    as they are. Reading a[rows(ids)] gives the same values as a[ids]."""
    if len(ids) and ids[-1] - ids[0] == len(ids) - 1 and (np.diff(ids) > 0).all():
        return slice(int(ids[0]), int(ids[-1]) + 1)
    return ids


def largest_remainder(shares: dict[str, float], total: int) -> dict[str, int]:
    """Whole seats from shares (normalised), by the largest-remainder method."""
    names = list(shares)
    raw = np.array([max(0.0, shares[n]) for n in names])
    raw = raw / raw.sum() * total if raw.sum() > 0 else raw
    seats = np.floor(raw).astype(int)
    order = np.argsort(-(raw - seats), kind="stable")
    seats[order[: total - seats.sum()]] += 1
    return dict(zip(names, seats.tolist()))


def seat_kinds(counts: dict[str, int]) -> list[str]:
    """Seat kinds in a fixed order: central, local, business, civil, knowledge."""
    return [kind for kind in SEAT_KINDS for _ in range(counts.get(kind, 0))]


def _readiness(rng: np.random.Generator, v: dict, n: int) -> np.ndarray:
    mix = np.array([v[f"context.civil_readiness.{r}"] for r in READINESS])
    mix = mix / mix.sum() if mix.sum() > 0 else np.full(4, 0.25)
    return np.minimum(np.searchsorted(np.cumsum(mix), rng.random(n), side="right"), 3)


def draw_positions(v: dict, sector: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Sector centre + noise (business spread 2·(1 − private_direction) times wider), in [0, 1]."""
    noise = np.full(len(sector), v["actors.position_noise"])
    noise[sector == k.BUSINESS] *= 2 * (1 - v["context.private_direction"])
    return np.clip(k.SECTOR_CENTRES[sector] + z * noise[:, None], 0, 1)


def _draw(rng: np.random.Generator, v: dict, sector: np.ndarray, level: np.ndarray,
          role: np.ndarray, knowledge: np.ndarray) -> Actors:
    """Draw everything an actor starts with, in a fixed order of random draws."""
    n = len(sector)
    readiness = np.where(sector == k.CIVIL, _readiness(rng, v, n), -1)
    organised = (sector == k.BUSINESS) & (rng.random(n) < v["context.private_strength"])
    position = draw_positions(v, sector, rng.normal(size=(n, 3)))
    s = float(np.clip(v["norms.strength"], 1e-6, 1 - 1e-6))
    conc = v["norms.anchor_concentration"]
    anchor = rng.beta(s * conc, (1 - s) * conc, size=n)
    bits = rng.integers(0, 2**k.BITS, size=(n, 2))
    u_type = rng.random(n)
    cost = rng.lognormal(0.0, v["norms.cost_sigma"], size=n)
    cond, free = v["actors.conditional_share"], v["actors.free_rider_share"]
    pooling = np.where(u_type < cond, k.CONDITIONAL,
                       np.where(u_type < cond + free, k.FREE_RIDER, k.WEAK_CONDITIONAL))
    return Actors(
        sector=sector, level=level, role=role, forum=np.full(n, -1), knowledge=knowledge,
        readiness=readiness, organised=organised, resources=np.zeros(n),
        hard_power=np.array([k.HARD_POWER.get((s_, l_), 0.0) for s_, l_ in zip(sector, level)]),
        position=position, commitment=np.full(n, 0.5), norm=anchor.copy(), norm_anchor=anchor,
        boldness=bits[:, 0], vengefulness=bits[:, 1], pooling=pooling,
        cost_factor=np.where(role == k.FIRM, cost, 1.0), public_trust=np.zeros(n),
        left=np.zeros(n, bool), prior_violations=np.zeros(n, int), score=np.zeros(n))


def operation_group(rng: np.random.Generator, v: dict) -> Actors:
    """Firms, community groups and citizens' groups, scaled by actors.scale."""
    counts = [round(v[f"actors.{name}"] * v["actors.scale"])
              for name in ("firms", "community_groups", "citizens_groups")]
    role = np.repeat([k.FIRM, k.COMMUNITY, k.CITIZENS], counts)
    sector = np.where(role == k.FIRM, k.BUSINESS, k.CIVIL)
    a = _draw(rng, v, sector, np.full(len(role), k.OPERATION), role, np.zeros(len(role), bool))
    a.resources = np.array([k.OPERATION_RESOURCES[r] for r in role.tolist()])
    a.resources[a.weak] = k.WEAK_RESOURCES
    return a


def seat_group(rng: np.random.Generator, v: dict, kinds: list[str], level: int, role: int,
               forum_of_seat: np.ndarray, reserve_weak: bool) -> Actors:
    """Seat holders of boards or working groups; knowledge seats go to civil or central bodies."""
    n = len(kinds)
    is_knowledge = np.array([kd == "knowledge" for kd in kinds], bool)
    u = rng.random(n)
    from_civil = u < v["actors.knowledge_from_civil_share"]
    sector = np.array([SEAT_KINDS.index(kd) if kd != "knowledge" else 0 for kd in kinds], int)
    sector[is_knowledge] = np.where(from_civil[is_knowledge], k.CIVIL, k.CENTRAL)
    a = _draw(rng, v, sector, np.full(n, level), np.full(n, role), is_knowledge)
    a.forum = forum_of_seat.astype(int)
    if reserve_weak:  # the first civil (non-knowledge) seat of each forum goes to a weak group
        civil = np.flatnonzero((sector == k.CIVIL) & ~is_knowledge)
        _, first = np.unique(a.forum[civil], return_index=True)
        a.readiness[civil[first]] = k.WEAK
    a.resources = k.MEMBER_RESOURCES[sector].copy()
    a.resources[a.weak] = k.WEAK_RESOURCES
    return a


def register_group(rng: np.random.Generator, v: dict, reg) -> Actors:
    """The actor register's actors in row order: what it gives (sector, level, resources, hard
    power, positions, readiness, knowledge, organised if set, home forum) is kept; the rest is
    drawn as for a generated population (commitment 0.5, norm anchors, B and V, pooling, k)."""
    sector, level = reg.sector, reg.level
    role = np.select([level == k.POLICY, level == k.MANAGEMENT, sector == k.BUSINESS],
                     [k.BOARD, k.WORKING_GROUP, k.FIRM], k.COMMUNITY)
    a = _draw(rng, v, sector.copy(), level.copy(), role, reg.knowledge.copy())
    a.readiness = reg.readiness.copy()
    a.organised = np.where(reg.organised >= 0, reg.organised == 1, a.organised)
    a.resources, a.hard_power = reg.resources.copy(), reg.power.copy()
    a.position = reg.position.copy()
    has_board = int(len(reg.board) > 0)
    a.forum = np.where(reg.home < 0, -1, reg.home - 1 + has_board)
    return a
