"""Trust on ties: good acts raise it, breaches cut it faster, and without contact it drifts to T0."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from sim.model.dialogue import Meeting
from sim.model.forums import Forum
from sim.model.memo import run_memo
from sim.model.reductions import mean


def pair_t0(model, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """T0 of each src→dst pair: context.initial_trust, a number or a sector matrix."""
    t0 = model.t0_matrix
    return t0[model.actors.sector[src], model.actors.sector[dst]]


def pairs(meeting: Meeting) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ordered pair (i, j), i ≠ j, of attendees, and the mask that drops i = j."""
    keep, rows, cols = pair_layout(len(meeting.present))  # attendees are distinct
    return meeting.present[rows], meeting.present[cols], keep


@functools.cache
def pair_layout(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For m attendees: the flat m×m mask of the pairs i ≠ j, and the row i and column j of each
    such pair, in the order of pairs() (read-only, shared)."""
    keep = ~np.eye(m, dtype=bool).ravel()
    rows, cols = np.divmod(np.arange(m * m)[keep], m)
    for arr in (keep, rows, cols):
        arr.flags.writeable = False
    return keep, rows, cols


def seat_ties(model, f: Forum) -> tuple[np.ndarray, bool]:
    """The tie index of every ordered pair of the forum's seats, as a seats × seats matrix (-1
    where there is none), and whether every pair of distinct seats has a tie; kept in the run
    memo while the ties are unchanged (adding ties replaces their keys)."""
    ties, seats, memo, key = model.ties, f.members, run_memo(model), ("trust.seat_ties", id(f))
    cache = memo.get(key)
    if cache is None or cache[1] is not seats:
        cache = (None, seats, (np.asarray(seats, np.int64)[:, None] * ties.n + seats).ravel())
    if cache[0] is not ties.key:
        idx = ties.index(cache[2])
        complete = not (idx[pair_layout(len(seats))[0]] < 0).any()
        cache = memo[key] = (ties.key, seats, cache[2], idx.reshape(len(seats), -1), complete)
    return cache[3], cache[4]


def known_pairs(model, meeting: Meeting) -> np.ndarray | None:
    """Every attendee pair's tie index from the forum's seat ties, in the order of pairs(); None
    when the seats present are not known or some pair has no tie yet."""
    at = meeting.seats_at
    if at is None:
        return None
    seat_idx, complete = seat_ties(model, meeting.forum)
    idx = seat_idx.take(at, 0).take(at, 1).ravel()[pair_layout(len(at))[0]]
    return idx if complete or not len(idx) or idx.min() >= 0 else None


def form_ties(model, meeting: Meeting) -> np.ndarray:
    """Co-attendance forms the missing ties at T0; returns every attendee pair's tie index, kept
    on the meeting while no tie is added (adding one reorders the ties)."""
    if meeting.tie_index is not None and meeting.ties_known == len(model.ties):
        return meeting.tie_index
    idx = known_pairs(model, meeting)
    if idx is None:
        src, dst, _ = pairs(meeting)
        idx = model.ties.ensure(src, dst, pair_t0(model, src, dst))
    meeting.tie_index = idx
    meeting.ties_known = len(model.ties)
    return idx


def meet(model, meeting: Meeting, quality: float, breach: np.ndarray) -> None:
    """On co-attendance, i's trust in j rises by α⁺·q_f·(1 − T) for j's good
    act and falls by α⁻·q_f·T for j's breach; a principal sent a delegate keeps 0.3 of the gains."""
    v, ids = model.values, meeting.present
    m = len(ids)
    if m < 2:
        return
    _, rows, cols = pair_layout(m)  # i and j of the pairs i ≠ j, in the order of pairs()
    idx = form_ties(model, meeting)
    ties = model.ties
    gain = v["dialogue.trust_gain"]  # i's gain factor (share·α⁺)·q_f: share 1 in person, 0.3 if not
    in_person, delegated = 1.0 * gain * quality, v["dialogue.delegate_gain_share"] * gain * quality
    T = ties.trust[idx]
    gained = T + np.where(meeting.in_person, in_person, delegated)[rows] * (1 - T)
    T = np.where(breach[cols], T - v["dialogue.trust_loss"] * quality * T, gained) \
        if np.count_nonzero(breach) else gained  # without a breach every pair gains
    ties.trust[idx] = np.minimum(1.0, np.maximum(0.0, T, out=T), out=T)  # clip to [0, 1]
    ties.contact[idx] = True


def decay(model) -> None:
    """Ties without contact this month relax toward T0: T += δ(T0 − T), δ = 1 − 2^(−1/H_T)."""
    ties = model.ties
    delta = 1 - 2 ** (-1 / model.values["dialogue.trust_half_life_months"])
    np.copyto(ties.trust, ties.trust + delta * (ties.t0 - ties.trust), where=~ties.contact)  # idle
    ties.contact.fill(False)


def reputation(model, seen_rate: dict[int, float], violator_sector: int) -> None:
    """Witnessed violations lower forum members' trust from the witnesses' sector toward the
    violators' sector: ΔT = −α⁻·(witnessed violation rate)·T."""
    ties, sector = model.ties, model.actors.sector
    for witness_sector, rate in seen_rate.items():
        if rate <= 0 or not len(ties):
            continue
        hit = tie_subset(model, ("trust.reputation", witness_sector, violator_sector),
                         lambda ws=witness_sector: (sector[ties.src] == ws)
                         & (sector[ties.dst] == violator_sector))
        if not len(hit):
            continue
        T = ties.trust[hit]
        ties.trust[hit] = T - model.values["dialogue.trust_loss"] * rate * T


def tie_subset(model, name: tuple, select: Callable[[], np.ndarray]) -> np.ndarray:
    """The indices of the ties that `select()` masks, worked out once while the ties stay the
    same (adding ties replaces their arrays, and the subset is found again)."""
    memo = run_memo(model)
    kept = memo.get(name)
    if kept is None or kept[0] is not model.ties.src:
        kept = memo[name] = (model.ties.src, np.flatnonzero(select()))
    return kept[1]


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
    hit = tie_subset(model, ("trust.sector", s_from, s_to, ids.tobytes()), lambda: ties_among(
        model, ids) & (sector[ties.src] == s_from) & (sector[ties.dst] == s_to))
    return (mean(ties.trust[hit]) if len(hit) else t0), t0
