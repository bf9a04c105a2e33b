"""Commitment: trust above its start, interdependence and small wins build it; outside options drain it."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.forums import working_groups
from sim.model.shocks import interdependence
from sim.model.targets import wins
from sim.model.trust import walk_out


def outside_option(model) -> np.ndarray:
    """A: private_strength·(1 − authority) for organised business members of forums that business
    neither owns nor convenes; 0 for everyone else."""
    a, gov = model.actors, model.gov
    A = np.zeros(len(a))
    if gov["governance.convenor_sector"] == "business":
        return A
    members = model.seat_holders
    organised = members[(a.sector[members] == k.BUSINESS) & a.organised[members]]
    A[organised] = model.values["context.private_strength"] * (1 - model.authority_now)
    return A


def update_commitment(model) -> None:
    """C* = σ(3·(T̄_i − T0) + 2·I + 2·W_i − 2·A_i); C_i += 0.1·(C* − C_i); under a voluntary
    mandate a member whose C falls below 0.2 walks out of its forum's agreement."""
    a, v = model.actors, model.values
    n = len(a)
    mean_t, t0 = model.ties.outgoing_mean(n, np.full(n, model.t0_public))
    W = np.zeros(n)
    for f in working_groups(model.forums):
        W[f.members] = wins(model, f)
    x = 3 * (mean_t - t0) + 2 * interdependence(model) + 2 * W - 2 * outside_option(model)
    target = 1 / (1 + np.exp(-x))
    a.commitment += v["collaboration.commitment_rate"] * (target - a.commitment)
    if model.gov["governance.mandate"] == "voluntary":
        seats = model.seat_holders
        in_force = np.array([f.agreement is not None for f in model.forums], bool)
        bound = in_force[a.forum[seats]]
        leavers = seats[bound & (a.commitment[seats] < 0.2) & ~a.left[seats]]
        if len(leavers):
            a.left[leavers] = True
            walk_out(model, leavers)
            model.log(f"{len(leavers)} member(s) walked out of an agreement")
