"""Agreements: proposals pass by quota or are imposed; they last a year or lapse early."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.dialogue import Meeting
from sim.model.forums import Agreement, Forum
from sim.model.targets import raise_ambition
from sim.model.trust import sector_trust

SQRT3 = np.sqrt(3)


def proposal(model, meeting: Meeting) -> np.ndarray:
    """a = soft-power-weighted mean of attendees' positions, pulled direction_preset of the way
    toward the convenor's position (a TOR)."""
    a, ids = model.actors, meeting.present
    w = model.soft_power[ids]
    total = np.add.reduce(w)
    if not total > 0:
        w, total = np.ones(len(ids)), float(len(ids))  # Σ of ones, exactly
    prop = w @ a.position.take(ids, 0) / total  # a.position[ids]
    conv = meeting.forum.convenor
    if conv >= 0:
        prop += model.gov["governance.direction_preset"] * (a.position[conv] - prop)
    return prop


def acceptability(model, ids: np.ndarray, prop: np.ndarray) -> np.ndarray:
    """1 − ‖a − x_i‖/√3 for each actor."""
    d = model.actors.position.take(ids, 0) - prop  # position[ids]
    return 1 - np.sqrt(np.add.reduce(d * d, axis=1)) / SQRT3  # np.linalg.norm(d, axis=1)


def authority(model) -> float:
    """authority + slope·max(0, T(local→business) − T0), capped at 1."""
    gov = model.gov
    slope = gov["governance.authority_trust_slope"]
    lift = 0.0
    if slope:
        t, t0 = sector_trust(model, k.LOCAL, k.BUSINESS, model.seat_holders)
        lift = slope * max(0.0, t - t0)
    return float(min(1.0, gov["governance.authority"] + lift))


def decide(model, meeting: Meeting) -> bool:
    """i accepts if 1 − ‖a − x_i‖/√3 ≥ 0.95 − 0.35·C_i; the proposal passes if the accepting share
    of attendees reaches the quota; after 3 failures a convenor with hard power under a contract or
    statute imposes its own position, at a cost in commitment of 0.1·(1 − acceptability)."""
    f, v, a = meeting.forum, model.values, model.actors
    if f.agreement is not None or not meeting.quorum or f.kind == "hearing":
        return False
    prop = proposal(model, meeting)
    acc = acceptability(model, meeting.present, prop)
    need = v["dialogue.acceptance_base"] - v["dialogue.acceptance_commitment_slope"] * \
        a.commitment[meeting.present]
    if np.count_nonzero(acc >= need) / len(acc) >= model.gov["governance.decision_quota"]:
        adopt(model, f, prop, imposed=False)
        return True
    f.failures += 1
    may_impose = (model.gov["governance.mandate"] != "voluntary" and f.convenor in meeting.present
                  and a.hard_power[f.convenor] > 0)
    if f.failures >= v["dialogue.impose_after_failures"] and may_impose:
        imposed = a.position[f.convenor].copy()
        acc = acceptability(model, meeting.present, imposed)
        a.commitment[meeting.present] = np.clip(
            a.commitment[meeting.present] - 0.1 * (1 - acc), 0, 1)
        adopt(model, f, imposed, imposed=True)
        return True
    return False


def adopt(model, f: Forum, prop: np.ndarray, imposed: bool) -> None:
    """Put an agreement in force for agreement_months; it enters public plans with chance
    `authority`."""
    u = model.streams.deliberation.random()
    months = model.values["collaboration.agreement_months"]
    f.agreement = Agreement(model.month, model.month + months, model.compliance, u < authority(model),
                            imposed, acceptability(model, f.members, prop))
    f.failures = 0
    if f.kind == "working_group":
        model.agreements_new += 1
    else:
        raise_ambition(model)
    model.counters["agreements"] += 1
    key = "event.agreement_imposed" if imposed else "event.agreement_reached"
    model.log(key + ("_public" if f.agreement.public_plan else ""), f)


def expire(model) -> None:
    """An agreement ends after its term, or lapses early when compliance falls more than 0.2 below
    its level at adoption."""
    for f in model.forums:
        ag = f.agreement
        if ag is None:
            continue
        if model.month >= ag.until or model.compliance < ag.compliance_at_adoption - 0.2:
            lapsed = model.month < ag.until
            f.agreement = None
            if lapsed:
                model.log("event.agreement_lapsed", f)
