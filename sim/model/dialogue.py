"""Dialogue continuity: forums are suspended and resume, meetings are held, seats are filled."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model import constants as k
from sim.model.forums import Forum
from sim.model.memo import run_memo


@dataclass
class Meeting:
    """Who came to a held meeting: every seat present, and whether in person or by delegate."""

    forum: Forum
    present: np.ndarray  # actor ids of seats present
    in_person: np.ndarray  # bool per present seat
    quorum: bool
    tie_index: np.ndarray | None = None  # tie of each ordered pair of attendees (trust.form_ties)
    ties_known: int = -1  # the number of ties when tie_index was found: valid while unchanged
    seats_at: np.ndarray | None = None  # position in forum.members of each seat present
    knowledge_present: bool | None = None  # a knowledge holder attends (None: not worked out)


def continuity_parts(values: dict) -> tuple[float, float, float]:
    """(p_hold, p_same, h0) from dialogue.continuity, each overridden by its explicit key."""
    c = values["dialogue.continuity"]
    p_hold = values.get("dialogue.p_hold")
    p_same = values.get("dialogue.p_same")
    h0 = values.get("dialogue.suspension_hazard")
    return (c if p_hold is None else p_hold, c if p_same is None else p_same,
            0.05 * (1 - c) if h0 is None else h0)


def update_suspension(model) -> None:
    """Each forum is suspended with hazard h0 + convenor_dependence·[its convenor rotated] +
    0.2·[reserve exhausted], and a suspended forum resumes at rate 0.15 once funded."""
    rng, gov = model.streams.meetings, model.gov
    _, _, h0 = model.continuity
    exhausted = gov["governance.secretariat"] and not model.funded
    rotated_ids = set(np.asarray(model.rotated).tolist())
    for f, u in zip(model.forums, rng.random(len(model.forums)).tolist()):  # one draw per forum
        if not f.in_force:
            continue
        if f.active:
            rotated = f.convenor in rotated_ids
            h = h0 + gov["governance.convenor_dependence"] * rotated + 0.2 * exhausted
            if u < h:
                f.active = False
                model.counters["suspensions"] += 1
                model.log("event.suspended", f)
        elif (model.funded or not gov["governance.secretariat"]) and u < model.values[
                "dialogue.resumption_rate"]:
            f.active = True
            model.log("event.resumed", f)


def scheduled(model, f: Forum) -> tuple[bool, float]:
    """Whether the forum meets this month, and its chance of holding the meeting."""
    p_hold, _, _ = model.continuity
    gov, t = model.gov, model.month
    if f.kind == "board":
        return t % gov["governance.board_interval_months"] == 0, p_hold
    if f.kind == "hearing":
        return t % gov["governance.hearing_interval_months"] == 0, p_hold
    if f.standing:
        return True, p_hold
    recent = any(0 <= t - m < gov["governance.ad_hoc_months"] for m, _ in model.floods)
    return recent, p_hold * gov["governance.ad_hoc_hold_factor"]


def weak_chance(model) -> float:
    """A weak civil actor's chance to come: 0.3, or 0.8 with an attendance stipend."""
    v = model.values
    return v["dialogue.stipend_attendance"] if model.gov["governance.attendance_stipend"] \
        else v["dialogue.weak_attendance"]


def attendance_factor(model, ids: np.ndarray) -> np.ndarray:
    """Weak civil actors come with chance 0.3 (0.8 with a stipend); everyone else always can."""
    return np.where(model.actors.readiness[ids] == k.WEAK, weak_chance(model), 1.0)


def add_attendance(model, n_weak: int, came_weak: int, n_all: int, came_all: int) -> None:
    """Count attendance opportunities and presence of the disadvantaged and of the others."""
    tally = model.month_attendance
    tally[0] += n_weak
    tally[1] += came_weak
    tally[2] += n_all - n_weak
    tally[3] += came_all - came_weak


def can_come(model, u: np.ndarray, strong: np.ndarray) -> np.ndarray:
    """Who can come (attendance_factor): a weak civil actor when u < its chance (0.3, 0.8 with a
    stipend), everyone else (`strong`) always, as u < 1."""
    ok = u < weak_chance(model)
    ok |= strong
    return ok


@dataclass
class SeatMasks:
    """What is fixed about a forum's seats for a run: the positions (in forum.members) of the weak
    civil seats and of the knowledge holders' seats."""

    members: np.ndarray  # the forum's members when worked out (valid while the same object)
    strong: np.ndarray  # bool per seat: not a weak civil actor
    weak_at: list[int]
    knowledge_at: list[int]


def seat_masks(model, f: Forum) -> SeatMasks:
    """The forum's SeatMasks, worked out once per run (readiness and knowledge are fixed after
    set-up; a forum given other members has them found again)."""
    memo = run_memo(model)
    key = ("dialogue.seats", id(f))
    masks = memo.get(key)
    if masks is None or masks.members is not f.members:
        a, seats = model.actors, f.members
        weak = a.readiness[seats] == k.WEAK
        masks = memo[key] = SeatMasks(seats, ~weak, np.flatnonzero(weak).tolist(),
                                      np.flatnonzero(a.knowledge[seats]).tolist())
    return masks


def able(model, masks: SeatMasks, u_weak: np.ndarray) -> np.ndarray:
    """Which seats can come (can_come), none whose holder has left."""
    return can_come(model, u_weak, masks.strong) > model.actors.left[masks.members]


def record_seats(model, masks: SeatMasks, present: np.ndarray, n_present: int) -> None:
    """add_attendance for a forum's seats: the weak seats and all seats, and who came."""
    add_attendance(model, len(masks.weak_at), sum(map(present.item, masks.weak_at)),
                   len(present), n_present)


def convene(model, f: Forum) -> Meeting | None:
    """A scheduled meeting of an active forum is held with chance p_hold; each seat holder comes in
    person with chance p_same·(0.5 + 0.5·C), else sends a delegate with chance 0.7; quorum is half
    the seats present."""
    rng, a = model.streams.meetings, model.actors
    seats = f.members
    n = len(seats)
    u = rng.random(1 + 3 * n)  # u_hold, then u_in, u_del and u_weak of each seat
    if not (f.in_force and f.active):
        return None
    due, p = scheduled(model, f)
    if not due:
        return None
    if u[0] >= p:
        model.counters["meetings_skipped"] += 1
        if f.kind == "board":
            model.log("event.board_did_not_meet")
        return None
    _, p_same, _ = model.continuity
    masks = seat_masks(model, f)
    can = able(model, masks, u[2 * n + 1:])
    in_person = can & (u[1:n + 1] < p_same * (0.5 + 0.5 * a.commitment[seats]))
    present = in_person | (can & (u[n + 1:2 * n + 1] < model.values["dialogue.delegate_prob"]))
    at = present.nonzero()[0]  # in person, or else a delegate
    model.counters["meetings_held"] += 1
    record_seats(model, masks, present, len(at))
    f.last_meeting = model.month
    kn = masks.knowledge_at
    f.last_knowledge_present = sum(map(in_person.item, kn)) / len(kn) if kn else 0.0
    return Meeting(f, seats[at], in_person[at], len(at) >= n / 2, seats_at=at,
                   knowledge_present=any(map(present.item, kn)))
