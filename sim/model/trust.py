"""Trust on ties: good acts raise it, breaches cut it faster, and without contact it drifts to T0."""

from __future__ import annotations

import numpy as np

from sim.model.dialogue import Meeting


def pair_t0(model, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """T0 of each src→dst pair: context.initial_trust, a number or a sector matrix."""
    t0 = model.t0_matrix
    return t0[model.actors.sector[src], model.actors.sector[dst]]


def pairs(meeting: Meeting) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ordered pair (i, j), i ≠ j, of attendees, and the mask that drops i = j."""
    m = len(meeting.present)
    src, dst = np.repeat(meeting.present, m), np.tile(meeting.present, m)
    keep = src != dst
    return src[keep], dst[keep], keep


def form_ties(model, meeting: Meeting) -> np.ndarray:
    """Co-attendance forms the missing ties at T0; returns every attendee pair's tie index, kept
    on the meeting while no tie is added (adding one reorders the ties)."""
    if meeting.tie_index is not None and meeting.ties_known == len(model.ties):
        return meeting.tie_index
    src, dst, _ = pairs(meeting)
    meeting.tie_index = model.ties.ensure(src, dst, pair_t0(model, src, dst))
    meeting.ties_known = len(model.ties)
    return meeting.tie_index


def meet(model, meeting: Meeting, quality: float, breach: np.ndarray) -> None:
    """On co-attendance, i's trust in j rises by α⁺·q_f·(1 − T) for j's good
    act and falls by α⁻·q_f·T for j's breach; a principal sent a delegate keeps 0.3 of the gains."""
    v, ids = model.values, meeting.present
    m = len(ids)
    if m < 2:
        return
    keep = ~np.eye(m, dtype=bool).ravel()  # the pairs i ≠ j, in the order of pairs()
    idx = form_ties(model, meeting)
    ties = model.ties
    bad = np.tile(breach, m)[keep]
    gain_share = np.where(np.repeat(meeting.in_person, m)[keep], 1.0,
                          v["dialogue.delegate_gain_share"])
    T = ties.trust[idx]
    T = np.where(bad, T - v["dialogue.trust_loss"] * quality * T,
                 T + gain_share * v["dialogue.trust_gain"] * quality * (1 - T))
    ties.trust[idx] = np.clip(T, 0, 1)
    ties.contact[idx] = True


def decay(model) -> None:
    """Ties without contact this month relax toward T0: T += δ(T0 − T), δ = 1 − 2^(−1/H_T)."""
    ties = model.ties
    delta = 1 - 2 ** (-1 / model.values["dialogue.trust_half_life_months"])
    idle = ~ties.contact
    ties.trust[idle] += delta * (ties.t0[idle] - ties.trust[idle])
    ties.contact[:] = False


def reputation(model, seen_rate: dict[int, float], violator_sector: int) -> None:
    """Witnessed violations lower forum members' trust from the witnesses' sector toward the
    violators' sector: ΔT = −α⁻·(witnessed violation rate)·T."""
    ties, sector = model.ties, model.actors.sector
    for witness_sector, rate in seen_rate.items():
        if rate <= 0:
            continue
        hit = (sector[ties.src] == witness_sector) & (sector[ties.dst] == violator_sector)
        ties.trust[hit] -= model.values["dialogue.trust_loss"] * rate * ties.trust[hit]


def walk_out(model, leavers: np.ndarray) -> None:
    """Walking out of an agreement is a breach seen by the whole forum: T −= α⁻·q_f·T."""
    ties, a = model.ties, model.actors
    for i in leavers:
        mates = model.forums[a.forum[i]].members
        idx = ties.find(mates, np.full(len(mates), i))
        idx = idx[idx >= 0]
        q = model.forums[a.forum[i]].depth_weight
        ties.trust[idx] -= model.values["dialogue.trust_loss"] * q * ties.trust[idx]


def ties_among(model, ids: np.ndarray) -> np.ndarray:
    """Mask of the ties whose both ends are among `ids`."""
    member = np.zeros(len(model.actors), bool)
    member[ids] = True
    return member[model.ties.src] & member[model.ties.dst]


def sector_trust(model, s_from: int, s_to: int, ids: np.ndarray) -> tuple[float, float]:
    """Mean trust on ties from sector s_from to sector s_to among `ids` (T0 where none), and T0."""
    ties, sector = model.ties, model.actors.sector
    t0 = float(model.t0_matrix[s_from, s_to])
    hit = ties_among(model, ids) & (sector[ties.src] == s_from) & (sector[ties.dst] == s_to)
    return (float(ties.trust[hit].mean()) if hit.any() else t0), t0
