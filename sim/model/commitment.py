"""Commitment: trust above its start, interdependence and small wins build it; outside options drain it."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.forums import working_groups
from sim.model.memo import run_memo
from sim.model.shocks import interdependence
from sim.model.targets import wins
from sim.model.trust import walk_out


def organised_business(model) -> np.ndarray:
    """The seat holders who are organised business (fixed for a run: kept on the model)."""
    memo = run_memo(model)
    if "commitment.organised" not in memo:
        a, members = model.actors, model.seat_holders
        memo["commitment.organised"] = members[(a.sector[members] == k.BUSINESS)
                                               & a.organised[members]]
    return memo["commitment.organised"]


def default_trust(model) -> np.ndarray:
    """T0 of the public for every actor: the mean trust of an actor without ties (kept)."""
    memo = run_memo(model)
    if "commitment.default" not in memo:
        memo["commitment.default"] = np.full(len(model.actors), model.t0_public)
    return memo["commitment.default"]


def group_of(model) -> np.ndarray:
    """Each actor's working group (its position among them; the last one for a member of several,
    len(groups) for none); seats do not change in a run, so it is kept."""
    memo = run_memo(model)
    if "commitment.group" not in memo:
        groups = working_groups(model.forums)
        of = np.full(len(model.actors), len(groups))
        for g, f in enumerate(groups):
            of[f.members] = g
        memo["commitment.group"] = of
    return memo["commitment.group"]


def outside_strength(model) -> float:
    """The outside option of an organised business member of forums business neither owns nor
    convenes: private_strength·(1 − authority); 0 when business convenes."""
    if model.gov["governance.convenor_sector"] == "business":
        return 0.0
    return model.values["context.private_strength"] * (1 - model.authority_now)


def update_commitment(model) -> None:
    """C* = σ(3·(T̄_i − T0) + 2·I + 2·W_i − 2·A_i); C_i += 0.1·(C* − C_i); under a voluntary
    mandate a member whose C falls below 0.2 walks out of its forum's agreement."""
    a, v = model.actors, model.values
    n = len(a)
    mean_t, t0 = model.ties.outgoing_mean(n, default_trust(model))
    x = np.subtract(mean_t, t0)
    np.multiply(x, 3, out=x)
    x += 2 * interdependence(model)
    W = [2 * wins(model, f) for f in working_groups(model.forums)]
    if any(W):  # + 2·W, each member its group's W (adding W = 0 everywhere changes nothing)
        x += np.array(W + [0.0]).take(group_of(model))
    if model.gov["governance.convenor_sector"] != "business":  # − 2·A
        x[organised_business(model)] -= 2 * outside_strength(model)
    step = np.subtract(sigmoid(x), a.commitment, out=x)  # C* − C
    step *= v["collaboration.commitment_rate"]
    a.commitment += step
    if model.gov["governance.mandate"] == "voluntary":
        walk_outs(model)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(−x)), computed in x's own storage."""
    np.negative(x, out=x)
    np.exp(x, out=x)
    np.add(1, x, out=x)
    return np.divide(1, x, out=x)


def walk_outs(model) -> None:
    """A member whose C is below 0.2 walks out of its forum's agreement (once)."""
    a, seats = model.actors, model.seat_holders
    low = a.commitment[model.seat_rows] < 0.2
    if not np.count_nonzero(low):
        return
    in_force = np.array([f.agreement is not None for f in model.forums], bool)
    leavers = seats[in_force[a.forum[seats]] & low & ~a.left[seats]]
    if len(leavers):
        a.left[leavers] = True
        walk_out(model, leavers)
        model.log("event.walked_out", n=len(leavers))
