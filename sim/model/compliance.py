"""Compliance: firms weigh the temptation to violate the standard against the chance of being seen."""

from __future__ import annotations

import numpy as np

from sim.model import constants as k
from sim.model.agreements import authority
from sim.model.memo import run_memo
from sim.model.reductions import mean

Num = np.ndarray | float  # an array, or a number broadcast over one


def stringency(model) -> tuple[float, bool, bool]:
    """(stringency, in public plans, imposed) of the standard in force: the code of conduct, or the
    stricter standard of a board agreement while one is in force."""
    v = model.values
    board = next((f for f in model.forums if f.kind == "board" and f.agreement is not None), None)
    if board is None:
        return v["norms.code_stringency"], False, False
    return v["norms.agreed_stringency"], board.agreement.public_plan, board.agreement.imposed


def public_trust(model) -> float:
    """τ̄: the operation actors' mean trust in the forums (0 without operation actors)."""
    return mean(model.actors.public_trust[model.operation_rows]) if len(model.operation) else 0.0


def detection_chance(model, standard: tuple | None = None, tau: float | None = None) -> float:
    """p_det = 1 − (1 − p_insp)(1 − p_cso)(1 − p_self): inspection by mandate intensity (×1.5 on
    the added part when the standard is in public plans), civil monitoring by ready civil actors
    through an open channel scaled by public trust τ̄, and business self-monitoring; `standard`
    and `tau` are this month's stringency() and public_trust() when known."""
    v, gov = model.values, model.gov
    _, in_plans, _ = standard or stringency(model)
    p_insp = v["norms.inspection_base"] + v["norms.inspection_slope"] * k.MANDATE_INTENSITY[
        gov["governance.mandate"]] * (1.5 if in_plans else 1.0)
    hearing = model.forums[-1]
    channel = hearing.in_force and hearing.active
    tau = public_trust(model) if tau is None else tau
    p_cso = v["norms.civil_monitoring"] * ready_civil_share(model) * channel * tau
    p_self = v["norms.self_monitoring"] * v["context.private_strength"] * bool(
        gov["governance.business_self_monitoring"])
    return float(min(0.999, 1 - (1 - p_insp) * (1 - p_cso) * (1 - p_self)))


def ready_civil_share(model) -> float:
    """The share of civil operation actors who are volunteer-minded or organised (0 if none);
    their readiness never changes, so it is counted once per run."""
    memo = run_memo(model)
    if "compliance.ready" not in memo:
        a = model.actors
        readiness = a.readiness[model.operation[a.sector[model.operation_rows] == k.CIVIL]]
        ready = (readiness == k.VOLUNTEER) | (readiness == k.ORGANISED)
        memo["compliance.ready"] = np.count_nonzero(ready) / len(ready) if len(ready) else 0
    return memo["compliance.ready"]


def violates(S: np.ndarray, boldness: np.ndarray, norm: Num, stringency: Num, cost_factor: Num,
             scale: Num) -> np.ndarray:
    """Axelrod's decision: violate if S < B·(1 − n)·s·k/scale; the docking game passes n = 0 and
    s = k = scale = 1, so a violation happens exactly when S < B (Axelrod 1986)."""
    return S < boldness * (1 - norm) * stringency * cost_factor / scale


def temptation_payoff(temptation: float, norm: Num, cost_factor: Num, mean_cost: Num) -> Num:
    """T·(1 − n)·k/k̄: the internalised norm is an internal sanction; T = 3 when docking."""
    return temptation * (1 - norm) * cost_factor / mean_cost


def mean_cost(model) -> float:
    """k̄, the firms' mean cost factor (fixed for a run: worked out once)."""
    memo = run_memo(model)
    if "compliance.kbar" not in memo:
        kf = model.actors.cost_factor[model.firm_rows]
        memo["compliance.kbar"] = np.add.reduce(kf) / len(kf)  # kf.mean(), sooner
    return memo["compliance.kbar"]


def gain(a, firms, violate: np.ndarray, payoff: np.ndarray) -> None:
    """Each violator among `firms` (rows of the actors) adds its payoff to its score."""
    if isinstance(firms, slice):
        score = a.score[firms]
        np.add(score, payoff, out=score, where=violate)
    else:
        a.score[firms[violate]] += payoff[violate]


def comply(model, standard: tuple | None = None, tau: float | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each bound firm violates if S < B_i·(1 − n_i)·g_i/(s_ref·k̄), S ~ Beta(mean p_det,
    concentration 2), g_i = s·k_i; it is seen with that same chance S; a violator gains the
    temptation 3·(1 − n_i)·g_i/ḡ (an internalised norm is an internal sanction). `standard` and
    `tau` are this month's stringency() and public_trust() when known."""
    v, a, rng = model.values, model.actors, model.streams.compliance
    firms, rows = model.firms, model.firm_rows
    standard = standard or stringency(model)
    p, conc = detection_chance(model, standard, tau), v["norms.detection_concentration"]
    S = rng.beta(p * conc, (1 - p) * conc, size=len(firms))
    u_seen = rng.random(len(firms))
    if not len(firms):
        model.compliance = 1.0
        return firms, np.zeros(0, bool), S
    kf, kbar = a.cost_factor[rows], mean_cost(model)
    n = a.norm[rows]
    violate = violates(S, a.boldness[rows] / 7, n, standard[0], kf,
                       v["norms.reference_stringency"] * kbar)
    gain(a, rows, violate, temptation_payoff(v["norms.temptation"], n, kf, kbar))
    model.compliance = 1 - np.count_nonzero(violate) / len(violate)
    model.detection = p
    model.authority_now = authority(model)
    return firms[violate], (u_seen < S)[violate], S[violate]
