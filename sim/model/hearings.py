"""Public hearings and complaints: the public's trust in the arrangement's forums (legitimacy)."""

from __future__ import annotations

import numpy as np

from sim.model.deliberation import gini
from sim.model.dialogue import attendance_factor, record_attendance, scheduled


def hear(model) -> None:
    """A random 30% of operation actors are invited to each quarterly hearing: a held hearing
    raises their τ by α⁺·q·(1 − τ), one not held lowers it by α⁻·q·τ (a suspended forum schedules
    none, as for every forum); an answered complaint raises
    τ like a hearing; everyone else's τ relaxes toward T0."""
    v, a, rng = model.values, model.actors, model.streams.hearings
    f, ops = model.forums[-1], model.operation
    u_inv, u_come, u_hold = rng.random(len(ops)), rng.random(len(ops)), rng.random()
    u_answer = rng.random(len(model.complainants))
    tau = a.public_trust
    contacted = np.zeros(len(tau), bool)
    due, p_hold = scheduled(model, f)
    open_ = f.in_force and f.active
    gain, loss = v["dialogue.trust_gain"], v["dialogue.trust_loss"]
    if due and open_:
        invited = u_inv < v["dialogue.hearing_attendance_share"]
        came = invited & (u_come < attendance_factor(model, ops))
        q = f.depth_weight * (1 - v["dialogue.power_gini_weight"] * gini(model.soft_power[ops[came]]))
        if u_hold < p_hold:
            record_attendance(model, ops[invited], came[invited])
            who = ops[came]
            tau[who] += gain * q * (1 - tau[who])
            model.counters["hearings_held"] += 1
        else:
            who = ops[invited]
            tau[who] -= loss * q * tau[who]
            model.counters["hearings_skipped"] += 1
        contacted[ops[invited]] = True
    if open_ and len(model.complainants):
        answered = model.complainants[u_answer < p_hold]
        tau[answered] += gain * f.depth_weight * (1 - tau[answered])
        contacted[answered] = True
    delta = 1 - 2 ** (-1 / v["dialogue.trust_half_life_months"])
    rest = ~contacted
    tau[rest] += delta * (model.t0_public - tau[rest])
