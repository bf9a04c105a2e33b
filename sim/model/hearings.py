"""Public hearings and complaints: the public's trust in the arrangement's forums (legitimacy)."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.deliberation import gini
from sim.model.dialogue import add_attendance, can_come, scheduled
from sim.model.memo import run_memo


def hear(model) -> None:
    """A random 30% of operation actors are invited to each quarterly hearing: a held hearing
    raises their τ by α⁺·q·(1 − τ), one not held lowers it by α⁻·q·τ (a suspended forum schedules
    none, as for every forum); an answered complaint raises
    τ like a hearing; everyone else's τ relaxes toward T0."""
    v, a, rng = model.values, model.actors, model.streams.hearings
    f, ops = model.forums[-1], model.operation
    n = len(ops)
    u = rng.random(2 * n + 1 + len(model.complainants))  # u_inv, u_come, u_hold, u_answer
    u_hold = float(u[2 * n])
    tau = a.public_trust
    contacted, touched = np.zeros(len(tau), bool), False
    due, p_hold = scheduled(model, f)
    open_ = f.in_force and f.active
    gain, loss = v["dialogue.trust_gain"], v["dialogue.trust_loss"]
    if due and open_:
        invited = u[:n] < v["dialogue.hearing_attendance_share"]
        came = invited & can_come(model, u[n:2 * n], weak_operation(model)[1])
        who = ops[came]
        q = f.depth_weight * (1 - v["dialogue.power_gini_weight"] * gini(model.soft_power[who]))
        if u_hold < p_hold:
            record_invited(model, invited, came)
            tau[who] += gain * q * (1 - tau[who])
            model.counters["hearings_held"] += 1
        else:
            who = ops[invited]
            tau[who] -= loss * q * tau[who]
            model.counters["hearings_skipped"] += 1
        contacted[ops[invited]] = touched = True
    if open_ and len(model.complainants):
        answered = model.complainants[u[2 * n + 1:] < p_hold]
        tau[answered] += gain * f.depth_weight * (1 - tau[answered])
        contacted[answered] = touched = True
    delta = 1 - 2 ** (-1 / v["dialogue.trust_half_life_months"])
    relaxed = model.t0_public - tau
    relaxed *= delta
    relaxed += tau  # τ + δ(T0 − τ)
    if touched:
        np.copyto(tau, relaxed, where=~contacted)  # the rest relax
    else:
        tau[:] = relaxed  # nobody was contacted: everyone relaxes


def weak_operation(model) -> tuple[np.ndarray, np.ndarray]:
    """Masks over the operation actors: weak civil actors, and the others (fixed for a run)."""
    memo, ops = run_memo(model), model.operation
    kept = memo.get("hearings.weak")
    if kept is None or kept[0] is not ops:
        weak = model.actors.readiness[ops] == k.WEAK
        kept = memo["hearings.weak"] = (ops, weak, ~weak)
    return kept[1], kept[2]


def record_invited(model, invited: np.ndarray, came: np.ndarray) -> None:
    """add_attendance of a hearing: the weak and all invitees, and who came."""
    weak = weak_operation(model)[0]
    add_attendance(model, np.count_nonzero(invited & weak), np.count_nonzero(came & weak),
                   np.count_nonzero(invited), np.count_nonzero(came))
