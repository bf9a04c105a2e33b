"""Unit tests of each submodel's rule on small hand-computed cases (MODEL.md v5).

Each test builds a real model, sets a few arrays / ties to known values, calls one submodel function
directly and compares with a number worked out by hand (the arithmetic is in the comments).
Defaults used below: α⁺ = 0.05, α⁻ = 0.10, T0 = 0.4, depth "collaborate" = 0.75, μ = 0.2·q_f,
ε = 0.3, λ = 0.05, x* = (.55, .6, .6), acceptance 0.95 − 0.35·C, quota 2/3, H_T = 24.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model import constants as k
from sim.model.agreements import acceptability, decide
from sim.model.commitment import update_commitment
from sim.model.compliance import comply, detection_chance
from sim.model.deliberation import deliberate, gini, meeting_quality
from sim.model.dialogue import Meeting
from sim.model.forums import Agreement
from sim.model.founding import pledge_cascade
from sim.model.funding import stream_payment
from sim.model.model import CollaborationModel
from sim.model.norms import internalise
from sim.model.outcomes import cross_sector_trust, inclusion, shared_understanding, wg_members
from sim.model.pooling import depth_now, pool
from sim.model.revision import revise
from sim.model.rotation import rotate
from sim.model.run_results import recovery
from sim.model.sanctions import sanction
from sim.model.shocks import flood, interdependence
from sim.model.targets import review_targets, wins
from sim.model.ties import Ties
from sim.model.trust import decay, form_ties, meet, reputation

approx = pytest.approx


# ----------------------------------------------------------------------------- helpers
def fresh(**overrides) -> CollaborationModel:
    """A default model with the per-month tallies that step() resets (submodels add to them)."""
    model = CollaborationModel(seed=1, **overrides)
    model.month_attendance = np.zeros(4)
    model.month_coordination = model.secretariat_spending = 0.0
    model.agreements_new = 0
    return model


@pytest.fixture
def m() -> CollaborationModel:
    return fresh()


def wg(model):
    """The first working group (forums[0] is the board in the default scenario)."""
    f = model.forums[1]
    assert f.kind == "working_group"
    return f


def of_sector(model, forum, sector, n=1):
    ids = forum.members[model.actors.sector[forum.members] == sector]
    assert len(ids) >= n
    return ids[:n]


def meeting(forum, ids, in_person=None):
    ids = np.asarray(ids, int)
    ip = np.ones(len(ids), bool) if in_person is None else np.asarray(in_person, bool)
    return Meeting(forum, ids, ip, True)


def tie(model, i, j):
    return float(model.ties.trust[model.ties.find(np.array([i]), np.array([j]))[0]])


def agreement(n_members, public_plan=True, imposed=False):
    return Agreement(0, 12, 1.0, public_plan, imposed, np.ones(n_members))


# ----------------------------------------------------------------------------- ties
def test_ties_ensure_creates_missing_ties_at_their_t0_and_find_locates_them():
    t = Ties(4)
    idx = t.ensure(np.array([0, 1, 2]), np.array([1, 2, 0]), np.array([0.4, 0.5, 0.6]))
    assert len(t) == 3 and (idx >= 0).all()
    assert t.trust[idx].tolist() == approx([0.4, 0.5, 0.6])
    assert t.find(np.array([1, 3]), np.array([0, 0])).tolist() == [-1, -1]  # no 1→0, no 3→0
    # asking again for an existing tie (other T0) keeps it; a new one (and a duplicate) is added once
    t.ensure(np.array([0, 3, 3]), np.array([1, 0, 0]), np.array([0.9, 0.7, 0.7]))
    assert len(t) == 4
    assert t.trust[t.find(np.array([0]), np.array([1]))[0]] == approx(0.4)
    assert t.t0[t.find(np.array([3]), np.array([0]))[0]] == approx(0.7)
    assert (np.diff(t.key) > 0).all()  # sorted, unique keys


def test_ties_incoming_and_outgoing_means():
    t = Ties(4)
    t.ensure(np.array([0, 1, 2, 3, 0]), np.array([1, 2, 0, 0, 3]),
             np.array([0.4, 0.5, 0.6, 0.7, 0.2]))
    t.trust[t.find(np.array([0, 1, 2, 3, 0]), np.array([1, 2, 0, 0, 3]))] = [0.2, 0.4, 0.6, 0.8, 0.6]
    # incoming: 0 ← {2: .6, 3: .8} = .7; 1 ← {0: .2}; 2 ← {1: .4}; 3 ← {0: .6}
    assert t.incoming_mean(4).tolist() == approx([0.7, 0.2, 0.4, 0.6])
    mean, t0 = t.outgoing_mean(4, np.full(4, 0.4))
    # outgoing: 0 → {1: .2, 3: .6} = .4 (T0s .4, .2 → .3); 1 → .4 (.5); 2 → .6 (.6); 3 → .8 (.7)
    assert mean.tolist() == approx([0.4, 0.4, 0.6, 0.8])
    assert t0.tolist() == approx([0.3, 0.5, 0.6, 0.7])
    # an actor with no ties gets the default, and nobody trusting it means soft power 0
    t2 = Ties(3)
    t2.ensure(np.array([0]), np.array([1]), np.array([0.4]))
    mean2, t02 = t2.outgoing_mean(3, np.array([0.33, 0.33, 0.33]))
    assert mean2[2] == approx(0.33) and t02[2] == approx(0.33)
    assert t2.incoming_mean(3)[2] == 0.0


def test_ties_memory_grows_with_ties_not_actors():
    t = Ties(1_000_000)
    t.ensure(np.array([5, 999_999, 12]), np.array([999_998, 5, 13]), np.full(3, 0.4))
    for name in ("key", "src", "dst", "trust", "t0", "contact"):
        assert len(getattr(t, name)) == 3
    assert sum(getattr(t, n).nbytes for n in ("key", "src", "dst", "trust", "t0", "contact")) < 200
    assert t.src.tolist() == [5, 12, 999_999] and t.dst.tolist() == [999_998, 13, 5]


# ----------------------------------------------------------------------------- trust
def test_trust_meet_good_act_and_breach(m):
    f = wg(m)
    ids = f.members[:3]
    mt = meeting(f, ids)
    form_ties(m, mt)
    m.ties.trust[:] = 0.8
    meet(m, mt, 0.75, np.array([False, True, False]))  # actor ids[1] breaches
    good = 0.8 + 0.05 * 0.75 * (1 - 0.8)  # = 0.8075
    bad = 0.8 - 0.10 * 0.75 * 0.8  # = 0.74
    assert tie(m, ids[0], ids[1]) == approx(bad)
    assert tie(m, ids[2], ids[1]) == approx(bad)
    for i, j in [(0, 2), (1, 0), (1, 2), (2, 0)]:
        assert tie(m, ids[i], ids[j]) == approx(good)
    assert m.ties.contact.all()


def test_trust_meet_forms_ties_at_t0_then_applies_the_act(m):
    f = wg(m)
    ids = f.members[:2]
    meet(m, meeting(f, ids), 0.5, np.array([False, False]))
    assert len(m.ties) == 2
    assert tie(m, ids[0], ids[1]) == approx(0.4 + 0.05 * 0.5 * 0.6)  # = 0.415


def test_trust_meet_delegate_passes_030_of_gains_and_all_losses(m):
    f = wg(m)
    ids = f.members[:3]
    mt = meeting(f, ids, in_person=[False, True, True])  # ids[0] sent a delegate
    meet(m, mt, 0.75, np.array([False, True, False]))
    assert tie(m, ids[0], ids[2]) == approx(0.4 + 0.3 * 0.05 * 0.75 * 0.6)  # 0.40675
    assert tie(m, ids[0], ids[1]) == approx(0.4 - 0.10 * 0.75 * 0.4)  # 0.37: the full loss
    assert tie(m, ids[1], ids[0]) == approx(0.4 + 0.05 * 0.75 * 0.6)  # 0.4225: others in full


def test_trust_decay_halves_gap_to_t0_after_half_life(m):
    f = wg(m)
    ids = f.members[:2]
    form_ties(m, meeting(f, ids))
    m.ties.trust[:] = [0.8, 0.2]
    decay(m)
    delta = 1 - 2 ** (-1 / 24)  # 0.028468
    assert m.ties.trust.tolist() == approx([0.8 - delta * 0.4, 0.2 + delta * 0.2])
    for _ in range(23):
        decay(m)
    assert m.ties.trust.tolist() == approx([0.6, 0.3])  # gaps .4 and −.2 halved after 24 months


def test_trust_decay_uses_the_half_life_key_and_spares_ties_with_contact():
    m = fresh(dialogue__trust_half_life_months=6.0)
    f = wg(m)
    ids = f.members[:2]
    form_ties(m, meeting(f, ids))
    m.ties.trust[:] = 1.0
    m.ties.contact[0] = True
    decay(m)
    assert m.ties.trust[0] == 1.0 and not m.ties.contact.any()  # met this month: no decay
    for _ in range(5):
        decay(m)
    assert m.ties.trust[0] == approx(0.4 + 0.6 * 2 ** (-5 / 6))
    assert m.ties.trust[1] == approx(0.4 + 0.6 / 2)  # 6 idle months = one half-life: 0.7


def test_trust_reputation_lowers_witness_sector_trust_in_violator_sector(m):
    f = wg(m)
    civ, cen, bus = of_sector(m, f, k.CIVIL)[0], of_sector(m, f, k.CENTRAL)[0], of_sector(
        m, f, k.BUSINESS)[0]
    src, dst = np.array([civ, cen, bus]), np.array([bus, bus, civ])
    idx = m.ties.ensure(src, dst, np.full(3, 0.4))
    m.ties.trust[idx] = 0.6
    reputation(m, {k.CIVIL: 0.5, k.BUSINESS: 0.0}, k.BUSINESS)
    assert tie(m, civ, bus) == approx(0.6 - 0.10 * 0.5 * 0.6)  # 0.57
    assert tie(m, cen, bus) == approx(0.6)  # central did not witness
    assert tie(m, bus, civ) == approx(0.6)  # wrong direction


# ----------------------------------------------------------------------------- deliberation
@pytest.mark.parametrize("x, expected", [
    ([1, 1, 1], 0.0),
    ([0, 0, 0, 1], 0.75),  # Σ(2i−n−1)x_i/(nΣx) = 3·1/(4·1)
    ([4, 1, 3, 2], 0.25),  # sorted 1..4: (−3 −2 +3 +12)/(4·10)
    ([0, 0, 0], 0.0),
    ([], 0.0),
])
def test_gini_known_values(x, expected):
    assert gini(np.array(x, float)) == approx(expected)


def test_meeting_quality_is_depth_weight_times_one_minus_half_gini(m):
    f = wg(m)
    mt = meeting(f, f.members[:4])
    assert meeting_quality(m, mt, np.array([0, 0, 0, 1.0])) == approx(0.75 * (1 - 0.5 * 0.75))
    hearing = m.forums[-1]  # "consult", equal power
    assert meeting_quality(m, Meeting(hearing, f.members[:2], np.ones(2, bool), True),
                           np.ones(2)) == approx(0.5)


def _three_positions(m, f):
    ids = f.members[:3]
    m.actors.knowledge[ids] = False
    m.actors.position[ids] = [[0.5, 0.5, 0.5], [0.6, 0.5, 0.5], [0.9, 0.9, 0.9]]
    return ids


def test_deliberate_bounded_confidence_far_actor_does_not_move(m):
    f = wg(m)
    ids = _three_positions(m, f)
    mt = meeting(f, ids)
    form_ties(m, mt)  # all ties at T0 = 0.4
    deliberate(m, mt, 0.75)
    # μ = 0.2·0.75 = 0.15; ‖B−A‖ = .1 < .3, ‖C−A‖ = .69, ‖C−B‖ = .64 > .3
    # w_A = (1, .4, 0)/1.4 (self weight 1): A_x += .15·(.4/1.4)·(.6 − .5) = +0.0042857
    step = 0.15 * (0.4 / 1.4) * 0.1
    pos = m.actors.position
    assert pos[ids[0]].tolist() == approx([0.5 + step, 0.5, 0.5])
    assert pos[ids[1]].tolist() == approx([0.6 - step, 0.5, 0.5])
    assert pos[ids[2]].tolist() == approx([0.9, 0.9, 0.9])


def test_deliberate_trust_weights_and_no_tie_means_no_pull(m):
    f = wg(m)
    ids = _three_positions(m, f)
    mt = meeting(f, ids)
    form_ties(m, meeting(f, f.members[3:5]))  # some tie exists, but none among the attendees
    deliberate(m, mt, 0.75)  # T_ij = 0 → nobody moves
    assert m.actors.position[ids[0]].tolist() == approx([0.5, 0.5, 0.5])
    form_ties(m, mt)
    m.ties.trust[m.ties.find(np.array([ids[0]]), np.array([ids[1]]))] = 1.0
    deliberate(m, mt, 1.0)
    # μ = 0.2; w_A = (1, 1)/2: A_x += .2·.5·.1 = .01
    assert m.actors.position[ids[0], 0] == approx(0.51)


def test_deliberate_with_empty_tie_store_moves_nobody(m):
    f = wg(m)
    ids = _three_positions(m, f)
    deliberate(m, meeting(f, ids), 0.75)
    assert m.actors.position[ids[0]].tolist() == approx([0.5, 0.5, 0.5])


def test_deliberate_knowledge_holder_pulls_toward_evidence_point(m):
    f = wg(m)
    ids = f.members[:2]
    m.actors.knowledge[ids] = [True, False]
    m.actors.position[ids] = 0.5  # same position: no peer pull
    mt = meeting(f, ids)
    form_ties(m, mt)
    deliberate(m, mt, 0.75)
    # x += 0.05·(x* − x): (.5 + .05·.05, .5 + .05·.1, .5 + .05·.1)
    for i in ids:
        assert m.actors.position[i].tolist() == approx([0.5025, 0.505, 0.505])


def test_deliberate_delegates_and_inform_convenor_do_not_move(m):
    f = wg(m)
    conv = f.convenor
    others = [i for i in f.members if i != conv][:2]
    ids = np.array([conv] + others)
    m.actors.knowledge[ids] = False
    m.actors.position[ids] = [[0.5, 0.5, 0.5], [0.6, 0.5, 0.5], [0.55, 0.5, 0.5]]
    f.depth = "inform"
    mt = meeting(f, ids, in_person=[True, True, False])
    form_ties(m, mt)
    deliberate(m, mt, 0.25)
    pos = m.actors.position
    assert pos[conv].tolist() == approx([0.5, 0.5, 0.5])  # convenor at "inform"
    assert pos[others[1]].tolist() == approx([0.55, 0.5, 0.5])  # delegate
    # the in-person non-convenor moves: μ = .05, w = (.4, 1, .4)/1.8 over (.5, .6, .55)
    target = (0.4 * 0.5 + 1 * 0.6 + 0.4 * 0.55) / 1.8
    assert pos[others[0], 0] == approx(0.6 + 0.05 * (target - 0.6))


# ----------------------------------------------------------------------------- agreements
def test_acceptability_is_one_minus_distance_over_sqrt3(m):
    ids = wg(m).members[:3]
    m.actors.position[ids] = [[0, 0, 0], [0.3, 0.3, 0.3], [1, 1, 1]]
    acc = acceptability(m, ids, np.array([0.3, 0.3, 0.3]))
    assert acc.tolist() == approx([0.7, 1.0, 0.3])  # ‖d‖/√3 = .3, 0, .7


def _split_positions(m, f, commitment):
    ids = of_sector(m, f, k.LOCAL, 3)
    m.actors.position[ids] = [[0, 0, 0], [0, 0, 0], [0.9, 0.9, 0.9]]
    m.actors.commitment[ids] = commitment
    return ids  # proposal (.3,.3,.3): acceptability .7, .7, .4


@pytest.mark.parametrize("c, passes", [
    (0.5, False),   # need .95 − .35·.5 = .775 > .7: nobody accepts
    (0.68, False),  # need .712 > .7
    (0.72, True),   # need .698 ≤ .7: two of three accept = 2/3 ≥ quota
    (1.0, True),    # need .6
])
def test_decide_accepts_if_acceptability_reaches_095_minus_035c(m, c, passes):
    f = wg(m)
    ids = _split_positions(m, f, c)
    assert decide(m, meeting(f, ids)) is passes
    assert (f.agreement is not None) is passes
    assert f.failures == (0 if passes else 1)


def test_decide_passes_when_all_positions_equal(m):
    f = wg(m)
    ids = f.members[:5]
    m.actors.position[ids] = [0.2, 0.7, 0.4]
    m.actors.commitment[ids] = 0.0  # need .95, acceptability 1
    assert decide(m, meeting(f, ids))
    assert not f.agreement.imposed
    assert m.agreements_new == 1


@pytest.mark.parametrize("mandate, imposes", [
    ("voluntary", False), ("contract", True), ("statute", True)])
def test_decide_imposition_after_three_failures_only_under_contract_or_statute(m, mandate, imposes):
    m.gov["governance.mandate"] = mandate
    f = wg(m)
    assert m.actors.hard_power[f.convenor] > 0
    ids = np.append(_split_positions(m, f, 0.5), f.convenor)
    m.actors.position[f.convenor] = 0.9
    m.actors.commitment[f.convenor] = 0.5
    # proposal (.45,.45,.45): acceptability .55 for everyone < .775 needed, so it fails
    assert not decide(m, meeting(f, ids)) and not decide(m, meeting(f, ids))
    assert f.agreement is None and f.failures == 2
    assert decide(m, meeting(f, ids)) is imposes
    if imposes:  # the convenor imposes its own position (.9,.9,.9)
        assert f.agreement.imposed
        # acceptability 1 − .9 = .1 at the origin, 1 at .9: C −= 0.1·(1 − acc) → .41, .41, .5, .5
        assert m.actors.commitment[ids].tolist() == approx([0.41, 0.41, 0.5, 0.5])
    else:
        assert f.agreement is None and f.failures == 3
        assert m.actors.commitment[ids].tolist() == approx([0.5, 0.5, 0.5, 0.5])


def test_imposition_needs_the_convenor_at_the_meeting(m):
    m.gov["governance.mandate"] = "statute"
    f = wg(m)
    ids = _split_positions(m, f, 0.5)  # three local members, convenor absent
    for _ in range(3):
        assert not decide(m, meeting(f, ids))
    assert f.agreement is None and f.failures == 3


# ----------------------------------------------------------------------------- pooling
def _pool_setup(m, ids, kinds, c, g_hat, agreement_=None):
    f = wg(m)
    m.actors.resources[f.members] = 2.0  # members' resources: 11·2 = 22
    m.actors.pooling[ids] = kinds
    m.actors.commitment[ids] = c
    f.last_contribution = g_hat  # every member gave g_hat last time, so ĝ_i = g_hat
    f.last_contributors, f.last_contributions = f.members.copy(), np.full(len(f.members), g_hat)
    f.agreement = agreement_
    f.progress = 0.0
    m.compliance = 0.8
    return f


def test_pool_contributions_by_type_without_agreement(m):
    f = wg(m)
    ids = f.members[:3]
    _pool_setup(m, ids, [k.CONDITIONAL, k.FREE_RIDER, k.WEAK_CONDITIONAL], 0.5, 0.5)
    breach = pool(m, meeting(f, ids))
    # g = C·clip(a + b·ĝ): .5·(.1 + .8·.5) = .25; 0; .5·(.1 + .4·.5) = .15
    assert f.last_contribution == approx((0.25 + 0 + 0.15) / 3)
    given = 2 * (0.25 + 0.15)  # 0.8 units
    assert f.progress == approx(1.0 * given * 1.5 * 1.0 * 0.8)  # ρ·pooled·1.5·mult·compliance
    assert f.last_depth == 1  # .8/22 = 3.6% < 10%
    assert not breach.any()  # no agreement, no breach


def test_pool_pledge_public_plan_multiplier_and_breach_mask(m):
    f = wg(m)
    ids = f.members[:4]
    _pool_setup(m, ids, [k.CONDITIONAL, k.FREE_RIDER, k.WEAK_CONDITIONAL, k.WEAK_CONDITIONAL],
                [0.5, 0.5, 0.5, 0.2], 0.5, agreement(len(f.members), public_plan=True))
    breach = pool(m, meeting(f, ids))
    # pledged a = .25: g = .5·(.25 + .4) = .325; 0; .5·.3 = .15; .2·.3 = .06
    # mean .535/4 = .13375, half .066875: the free rider and the .06 giver breach
    assert f.last_contribution == approx(0.535 / 4)
    assert breach.tolist() == [False, True, False, True]
    assert f.progress == approx(2 * 0.535 * 1.5 * 2.0 * 0.8)  # ×2 in public plans


def test_pool_paper_agreement_multiplier(m):
    f = wg(m)
    ids = f.members[:1]
    _pool_setup(m, ids, [k.CONDITIONAL], 1.0, 0.0, agreement(len(f.members), public_plan=False))
    pool(m, meeting(f, ids))
    assert f.progress == approx(2 * 0.25 * 1.5 * 1.5 * 0.8)  # g = .25, R = 2, ×1.5 paper


def test_pool_clips_contribution_share_at_one(m):
    f = wg(m)
    ids = f.members[:1]
    _pool_setup(m, ids, [k.CONDITIONAL], 0.8, 2.0)  # .1 + .8·2 = 1.7 → 1
    pool(m, meeting(f, ids))
    assert f.last_contribution == approx(0.8)


@pytest.mark.parametrize("c, g_hat, with_agreement, depth", [
    (0.8, 0.0, False, 1),   # g = .8·.1 = .08 of everyone's resources: < 10%
    (0.4, 0.5, True, 2),    # g = .4·(.1 + .4·.5) = .12: ≥ 10%
    (0.6, 0.5, True, 2),    # g = .18: < 20% even with an agreement
    (0.84, 0.5, False, 2),  # g = .252: ≥ 20% but no agreement
    (0.84, 0.5, True, 3),   # g = .252 with an agreement
])
def test_pool_depth_thresholds(m, c, g_hat, with_agreement, depth):
    f = wg(m)
    ids = f.members  # everyone present, weak conditional (a = .1 pledged or not, b = .4)
    _pool_setup(m, ids, k.WEAK_CONDITIONAL, c, g_hat,
                agreement(len(ids)) if with_agreement else None)
    pool(m, meeting(f, ids))
    assert f.last_depth == depth


def test_depth_now_falls_to_zero_after_six_months_without_meeting(m):
    f = wg(m)
    f.last_depth, m.month = 3, 20
    f.last_meeting = 15
    assert depth_now(m, f) == 3
    f.last_meeting = 14
    assert depth_now(m, f) == 0


def test_pool_conditional_cooperation_uses_others_mean(m):
    f = wg(m)
    ids = f.members[:2]
    _pool_setup(m, ids, [k.CONDITIONAL, k.FREE_RIDER], 1.0, 0.0)
    m.actors.resources[ids] = 1.0
    m.compliance = 1.0
    pool(m, meeting(f, ids))  # g = (.1, 0)
    before = f.progress
    pool(m, meeting(f, ids))
    # the co-operator's others' mean is the free rider's 0: g = .1 + .8·0 = .1 → +.1·1.5
    assert f.progress - before == approx(0.1 * 1.5)


# ----------------------------------------------------------------------------- commitment
def test_commitment_moves_10pct_toward_sigmoid_target_without_ties(m):
    f = wg(m)
    civ = of_sector(m, f, k.CIVIL)[0]
    bus = of_sector(m, f, k.BUSINESS)[0]
    m.actors.organised[bus] = True
    m.actors.commitment[[civ, bus]] = [0.2, 0.5]
    update_commitment(m)
    # civil: C* = σ(0) = .5 → .2 + .1·(.5 − .2) = .23
    assert m.actors.commitment[civ] == approx(0.23)
    # organised business, central convenor: A = .5·(1 − .5) = .25, C* = σ(−.5) = .377541
    assert m.actors.commitment[bus] == approx(0.5 + 0.1 * (1 / (1 + np.exp(0.5)) - 0.5))


def test_commitment_trust_interdependence_and_wins_terms(m):
    f = wg(m)
    civ, loc = of_sector(m, f, k.CIVIL)[0], of_sector(m, f, k.LOCAL)[0]
    idx = m.ties.ensure(np.array([civ]), np.array([loc]), np.array([0.4]))
    m.ties.trust[idx] = 0.6
    m.actors.commitment[[civ, loc]] = 0.5
    m.month = 6
    m.floods = [(0, 1.0)]  # I = .3·(1 − 6/12) = .15
    f.events = [(5, 1), (6, 1), (7, 1)]  # W = clip(3/3) = 1 for all of f's members
    assert interdependence(m) == approx(0.15) and wins(m, f) == approx(1.0)
    update_commitment(m)
    sig = lambda x: 1 / (1 + np.exp(-x))
    # civ: 3·(.6 − .4) + 2·.15 + 2·1 = 2.9;  loc (no ties): 2·.15 + 2 = 2.3
    assert m.actors.commitment[civ] == approx(0.5 + 0.1 * (sig(2.9) - 0.5))
    assert m.actors.commitment[loc] == approx(0.5 + 0.1 * (sig(2.3) - 0.5))


# ----------------------------------------------------------------------------- compliance
def _monitoring(m, ready_share=1.0, tau=0.5):
    civil = m.operation[m.actors.sector[m.operation] == k.CIVIL]
    n_ready = round(ready_share * len(civil))
    m.actors.readiness[civil] = k.WEAK
    m.actors.readiness[civil[:n_ready]] = k.VOLUNTEER
    m.actors.public_trust[m.operation] = tau


@pytest.mark.parametrize("mandate, p_insp", [
    ("voluntary", 0.15 + 0.15 * 0.3), ("contract", 0.15 + 0.15 * 0.7),
    ("statute", 0.15 + 0.15 * 1.0)])
def test_detection_chance_by_mandate(m, mandate, p_insp):
    m.gov["governance.mandate"] = mandate
    _monitoring(m, 1.0, 0.5)  # p_cso = .3·1·1·.5 = .15, p_self = 0
    assert detection_chance(m) == approx(1 - (1 - p_insp) * (1 - 0.15))
    # .31575 / .36675 / .405


def test_detection_chance_public_plans_channel_and_self_monitoring(m):
    m.gov["governance.mandate"] = "statute"
    _monitoring(m, 0.5, 0.4)  # p_cso = .3·(half ready)·.4 = .06
    civil = m.operation[m.actors.sector[m.operation] == k.CIVIL]
    ready = np.isin(m.actors.readiness[civil], (k.VOLUNTEER, k.ORGANISED)).mean()
    assert ready == approx(0.5)
    assert detection_chance(m) == approx(1 - 0.7 * (1 - 0.06))
    board = m.forums[0]
    board.agreement = agreement(len(board.members), public_plan=True)
    # in public plans: p_insp = .15 + .15·1·1.5 = .375
    assert detection_chance(m) == approx(1 - 0.625 * (1 - 0.06))
    board.agreement = None
    m.forums[-1].active = False  # channel closed: no civil monitoring
    m.gov["governance.business_self_monitoring"] = True  # p_self = .4·.5 = .2
    assert detection_chance(m) == approx(1 - 0.7 * (1 - 0.2))


def test_comply_boldness_zero_nobody_violates(m):
    m.actors.boldness[m.firms] = 0
    m.actors.norm[m.firms] = 0.0
    violators, _, _ = comply(m)
    assert len(violators) == 0 and m.compliance == 1.0


def test_comply_full_norm_nobody_violates(m):
    m.actors.boldness[m.firms] = 7
    m.actors.norm[m.firms] = 1.0
    violators, _, _ = comply(m)
    assert len(violators) == 0 and m.compliance == 1.0


def test_comply_violation_rule_and_temptation(m):
    a, firms = m.actors, m.firms
    a.boldness[firms] = 4
    a.norm[firms] = 0.5
    a.score[:] = 0.0
    p = detection_chance(m)
    rng = copy.deepcopy(m.streams.compliance)
    S = rng.beta(p * 2, (1 - p) * 2, size=len(firms))  # the draws comply() will make
    kf, kbar = a.cost_factor[firms], a.cost_factor[firms].mean()
    threshold = (4 / 7) * (1 - 0.5) * 0.3 * kf / (0.4 * kbar)  # B(1 − n)·s·k/(s_ref·k̄)
    expected = firms[S < threshold]
    assert 0 < len(expected) < len(firms)
    violators, _, _ = comply(m)
    assert violators.tolist() == expected.tolist()
    assert m.compliance == approx(1 - len(expected) / len(firms))
    # temptation 3·(1 − n)·g_i/ḡ = 1.5·k_i/k̄
    assert a.score[violators].tolist() == approx((1.5 * a.cost_factor[violators] / kbar).tolist())
    assert (a.score[np.setdiff1d(firms, violators)] == 0).all()


def test_sanction_graduated_fine_with_full_authority(m):
    a = m.actors
    a.vengefulness[:] = 0  # no informal punishment
    a.score[:] = 0.0
    m.authority_now = 1.0
    v = m.firms[:2]
    a.prior_violations[v] = [2, 0]
    sanction(m, v, np.array([True, False]), np.zeros(2))
    assert a.score[v].tolist() == approx([-9 * (1 + 0.5 * 2), 0.0])  # −18, undetected: 0
    assert a.prior_violations[v].tolist() == [3, 0]


# ----------------------------------------------------------------------------- norms, revision
def test_internalise_one_step(m):
    a, firms = m.actors, m.firms
    a.norm_anchor[firms] = 0.6
    a.norm[firms] = 0.2
    a.public_trust[m.operation] = 0.4
    m.compliance = 0.8
    internalise(m)
    # target = .5·.6 + .25·L·d + .25·compliance = .3 + .25·.4·.5 + .2 = .55 (hearings: d = .5)
    assert a.norm[firms] == approx(np.full(len(firms), 0.2 + 0.01 * (0.55 - 0.2)))  # .2035


def test_internalise_crowding_scales_gains_only():
    m = fresh(governance__mandate="contract", governance__crowding=0.7)
    a, firms = m.actors, m.firms
    a.norm_anchor[firms] = 0.6
    a.public_trust[m.operation] = 0.4
    m.compliance = 0.8
    a.norm[firms[:1]], a.norm[firms[1:]] = 0.2, 0.9
    internalise(m)
    assert a.norm[firms[0]] == approx(0.2 + 0.7 * 0.01 * 0.35)  # gain × crowding: .20245
    assert a.norm[firms[1]] == approx(0.9 - 0.01 * 0.35)  # losses are not scaled: .8965


def test_revise_mutation_flips_bits_within_0_to_7(m):
    m.values["norms.mutation_rate"] = 1.0
    ops = m.operation
    m.actors.boldness[ops], m.actors.vengefulness[ops] = 5, 3  # copying changes nothing
    m.month = 11  # end of the first year
    revise(m)
    assert (m.actors.boldness[ops] == 2).all()  # 101 → 010
    assert (m.actors.vengefulness[ops] == 4).all()  # 011 → 100
    assert (m.actors.score == 0).all()


def test_revise_values_stay_in_0_to_7_and_only_yearly(m):
    m.values["norms.mutation_rate"] = 0.5
    ops = m.operation
    m.actors.score[ops] = np.arange(len(ops), dtype=float)
    before = m.actors.boldness.copy()
    m.month = 5
    revise(m)
    assert (m.actors.boldness == before).all()  # not a year end
    m.month = 23
    revise(m)
    for arr in (m.actors.boldness[ops], m.actors.vengefulness[ops]):
        assert arr.min() >= 0 and arr.max() <= 7


# ----------------------------------------------------------------------------- rotation
@pytest.mark.parametrize("memory", [0.5, 0.0])
def test_rotation_successor_trust_is_t0_plus_memory_times_gap(m, memory):
    m.values["context.leader_turnover_months"] = 1.0  # business leaders rotate surely
    m.gov["governance.institutional_memory"] = memory
    f = wg(m)
    bus = of_sector(m, f, k.BUSINESS)[0]
    c1, c2 = of_sector(m, f, k.CENTRAL, 2)  # officials do not rotate before month 12
    idx = m.ties.ensure(np.array([bus, c1, c1]), np.array([c1, bus, c2]), np.full(3, 0.4))
    m.ties.trust[idx] = 0.8
    m.actors.commitment[bus] = 0.9
    rotated = rotate(m)
    assert bus in rotated and c1 not in rotated
    assert tie(m, bus, c1) == approx(0.4 + memory * (0.8 - 0.4))
    assert tie(m, c1, bus) == approx(0.4 + memory * (0.8 - 0.4))
    assert tie(m, c1, c2) == approx(0.8)
    assert m.actors.commitment[bus] == 0.5


# ----------------------------------------------------------------------------- shocks
def _flood_setup(m, severity, progress, cum_target, tau):
    m.month = 2  # calendar December: no new draw, the pending December flood strikes
    assert m.calendar_month == 12
    m.pending_flood = (severity, 12)
    m.actors.public_trust[m.operation] = tau
    for f in m.forums[1:4]:
        f.progress, f.cumulative_target = progress, cum_target


def test_flood_damage_share_formula(m):
    _flood_setup(m, 2.0, 100.0, 200.0, 0.5)
    assert flood(m) == 2.0
    # P_struct = P_non = 100/200 = .5; share = .1·2·(1 − .4·.5 − .3·.5·.5) = .2·.725 = .145
    for f in m.forums[1:4]:
        assert f.progress == approx(100 * (1 - 0.145))
    assert m.floods == [(2, 2.0)]
    assert m.flood_losses[0][1] == approx(3 * 14.5)


def test_flood_without_target_and_share_capped_at_one(m):
    _flood_setup(m, 2.0, 100.0, 0.0, 0.5)
    flood(m)  # no target: ratios 0 → share .1·2 = .2
    assert m.forums[1].progress == approx(80.0)
    m.pending_flood = (20.0, 12)
    flood(m)  # .1·20·1 = 2 → min(1, ·) = 1
    assert m.forums[1].progress == approx(0.0)


# ----------------------------------------------------------------------------- funding, founding
def _stream(cycle, amount=0.5, elasticity=1.0, renewal=1.0):
    return {"source": "x", "amount": amount, "cycle": cycle, "elasticity": elasticity,
            "renewal_prob": renewal}


def test_stream_payment_monthly(m):
    m.values["context.private_strength"] = 0.75
    assert stream_payment(m, _stream("monthly")) == approx(0.5 * 1.0 * (0.75 / 0.5))  # .75
    assert stream_payment(m, _stream("monthly", elasticity=0.0)) == approx(0.5)
    m.gov["governance.operating_cost"] = 2.0
    assert stream_payment(m, _stream("monthly", amount=0.8, elasticity=0.0)) == approx(1.6)


def test_stream_payment_annual_each_october(m):
    m.values["context.private_strength"] = 0.75
    annual = _stream("annual", renewal=0.0)
    m.month = 0  # calendar October, first year: paid even without renewal
    assert stream_payment(m, annual) == approx(12 * 0.5 * 1.5)  # 9.0
    m.month = 1  # November: nothing
    assert stream_payment(m, annual) == 0.0
    m.month = 12  # next October, never renewed
    assert stream_payment(m, annual) == 0.0
    assert stream_payment(m, _stream("annual", renewal=1.0)) == approx(9.0)


@pytest.mark.parametrize("commitment, theta, base, expected", [
    ([1, 1, 1], [0.1, 0.25, 0.9], 0.2, [True, True, False]),  # .2 ≥ .1; .533 ≥ .25; .867 < .9
    ([1, 1, 1], [0.1, 0.25, 0.5], 0.2, [True, True, True]),   # .867 ≥ .5: full cascade
    ([1, 1, 1], [0.1, 0.25, 0.9], 0.05, [False, False, False]),  # .05 < .1: nobody starts
    ([0.4, 1, 1], [0.1, 0.25, 0.9], 0.2, [False, False, False]),  # .4·.2 = .08 < .1
])
def test_pledge_cascade_hand_examples(commitment, theta, base, expected):
    got = pledge_cascade(np.array(commitment, float), np.array(theta), 1.0, base)
    assert got.tolist() == expected


# ----------------------------------------------------------------------------- targets
def test_review_targets_first_year_then_half_way(m):
    f = wg(m)
    f.year_start, f.year_start_progress, f.progress = 0, 10.0, 70.0
    m.month = 11  # end of month 12 of the group's life
    review_targets(m)
    assert f.target == approx(60.0)  # first year's achievement 70 − 10
    assert f.cumulative_target == approx(60.0) and f.year_start_progress == 70.0
    f.progress, m.month = 170.0, 23
    review_targets(m)
    assert f.target == approx(60 + 0.5 * (100 - 60))  # 80
    assert f.cumulative_target == approx(140.0)


def test_review_targets_milestone_win_and_failure(m):
    f, g = m.forums[1], m.forums[2]
    for grp, prog in ((f, 100.0), (g, 90.0)):
        grp.target, grp.milestone_start_progress, grp.progress = 60.0, 70.0, prog
    m.month = 17  # month 18: expected 60·6/12 = 30 since the last milestone
    review_targets(m)
    assert f.events == [(18, 1)] and g.events == [(18, -1)]  # +30 met, +20 missed
    assert wins(m, f) == approx(1 / 3) and wins(m, g) == approx(-1 / 3)


# ----------------------------------------------------------------------------- outcomes
def test_cross_sector_trust_without_ties_is_t0(m):
    assert cross_sector_trust(m, wg_members(m)) == approx(0.4)


def test_cross_sector_trust_averages_six_pairs(m):
    f = wg(m)
    cen, bus = of_sector(m, f, k.CENTRAL)[0], of_sector(m, f, k.BUSINESS)[0]
    idx = m.ties.ensure(np.array([cen, bus]), np.array([bus, cen]), np.full(2, 0.4))
    m.ties.trust[idx] = [0.6, 0.8]
    # central–business .7, five other pairs T0: (.7 + 5·.4)/6 = .45
    assert cross_sector_trust(m, wg_members(m)) == approx(0.45)


def test_shared_understanding(m):
    ids = wg_members(m)
    m.actors.position[ids] = [0.3, 0.6, 0.9]
    assert shared_understanding(m, ids) == approx(1.0)
    two = ids[:2]
    m.actors.position[two] = [[0, 0, 0], [0.5, 0.5, 0.5]]
    assert shared_understanding(m, two) == approx(0.5)  # 1 − (.5√3)/√3


def test_inclusion_zero_when_no_disadvantaged_seat(m):
    m.attendance_history = [np.array([0, 0, 10, 8])]
    assert inclusion(m) == 0.0
    m.attendance_history = []
    assert inclusion(m) == 0.0


def test_inclusion_presence_ratio(m):
    m.attendance_history = [np.array([4, 2, 8, 8])]  # (2/4)/(8/8) = .5, no agreement: voice 1
    assert inclusion(m) == approx(0.5)


# ----------------------------------------------------------------------------- run results
def test_recovery_months_and_resilience_loss():
    progress = np.array([10.0] * 12 + [5, 8.5, 9.2, 10, 10])
    months, loss = recovery(progress, [12])
    # pre = 10, 90% = 9 first reached 2 months after the flood (8.5 < 9);
    # area (1 − .5) + (1 − .85) + (1 − .92) = .73
    assert months == 2.0 and loss == approx(0.73)


def test_recovery_censored_at_horizon_and_nan_without_flood():
    months, loss = recovery(np.array([10.0] * 12 + [5, 5, 5]), [12])
    assert months == 3.0 and loss == approx(1.5)
    months, loss = recovery(np.array([1.0, 2.0]), [])
    assert np.isnan(months) and loss == 0.0
