"""Verification patterns on the Khon Kaen scenarios (fixed replications and seeds), and smoke
tests of the validation-pattern and screen code paths on tiny sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.validation import patterns, screen, verification
from sim.validation.space import SPACE

REPLICATIONS = 10
# Reported in docs/validation.md §2: with the contexts' plausible ranges sampled per replication
# the tenure effect is small (d_z ≈ 0.6–0.7, CI touching 0) at 10 replications, and without a
# standing forum (no_intermediary) rotation barely acts. The direction is still tested below.
KNOWN_FAILURES = {"shorter official tenure lowers trust"}


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    out = tmp_path_factory.mktemp("verification")
    return verification.verify_all(verification.default_scenarios(), out, REPLICATIONS, 120, 1,
                                   workers=2)


def cases():
    arrangements = [p.stem for p in verification.default_scenarios()]
    for pattern in verification.VERIFICATIONS:
        for arrangement in arrangements:
            known = pattern.name in KNOWN_FAILURES
            marks = [pytest.mark.xfail(reason="documented failure", strict=False)] if known else []
            yield pytest.param(pattern.name, arrangement, marks=marks,
                               id=f"{pattern.key}-{arrangement}")


@pytest.mark.parametrize(("pattern", "arrangement"), list(cases()))
def test_verification_pattern_holds(verified, pattern, arrangement):
    rows = verified[(verified["pattern"] == pattern)
                    & verified["scenario"].str.endswith("/" + arrangement)]
    assert len(rows) >= 1
    for _, row in rows.iterrows():
        assert row["n_pairs"] == REPLICATIONS
        assert row["ci_low"] > 0, (row["outcome"], row["mean_difference"], row["ci_low"])
        assert row["effect_size"] >= verification.MIN_EFFECT, (row["outcome"], row["effect_size"])


def test_shorter_tenure_lowers_trust_where_forums_stand(verified):
    rows = verified[(verified["key"] == "context.official_tenure_months")
                    & ~verified["scenario"].str.endswith("/no_intermediary")]
    assert len(rows) >= 3 and (rows["mean_difference"] > 0).all()
    assert rows["effect_size"].mean() >= verification.MIN_EFFECT


def test_patterns_smoke_shares_come_from_runs(tmp_path):
    out = tmp_path / "v"
    assert patterns.main(["--points", "3", "--replications", "2", "--steps", "30",
                          "--workers", "1", "--out", str(out)]) == 0
    shares = pd.read_csv(out / "patterns.csv")
    assert list(shares["pattern"]) == [p.name for p in patterns.PATTERNS]
    assert {"points", "holds", "share", "ci_low", "ci_high"} <= set(shares.columns)
    assert (out / "figures" / "validation-shares.png").stat().st_size > 0
    # recompute the founding share from the runs themselves, not from the pattern table
    runs = pd.read_csv(out / "validation-arrangements" / "runs.csv")
    company = runs[runs["scenario"].str.contains("company")]
    weak = company[company["context.private_strength"] <= patterns.WEAK_BUSINESS]
    per_point = weak.groupby("context.private_strength")["company_founded_month"].apply(
        lambda s: s.notna().mean())
    row = shares[shares["pattern"] == "company rarely founded where business is weak"].iloc[0]
    assert row["points"] == len(per_point)
    if len(per_point):
        assert row["share"] == pytest.approx((per_point <= patterns.FOUNDED_RARELY).mean())
    points = pd.read_csv(out / "pattern_table.csv")
    for bound in SPACE:
        assert points[bound.key].between(bound.low, bound.high).all(), bound.key


def test_screen_ranks_a_key_that_matters_above_one_that_does_not(tmp_path):
    table = screen.screen(screen.default_scenario(), tmp_path, replications=2, steps=36,
                          workers=1, only=["norms.strength", "actors.position_noise"])
    assert list(table.columns[:5]) == ["key", "family", "baseline", "low", "high"]
    assert table["effect"].is_monotonic_decreasing
    row = table.set_index("key").loc["norms.strength"]
    assert (row["low"], row["high"]) == (0.2, 0.8)
    assert np.isfinite(row["compliance_high"]) and row["compliance_high"] > row["compliance_low"]


def test_screen_levels_follow_the_rules():
    assert screen.levels("dialogue.trust_gain", 0.05) == (0.025, 0.075)
    assert screen.levels("dialogue.trust_half_life_months", 24.0) == (6.0, 120.0)
    assert screen.levels("governance.authority", 0.8) == (0.4, 1.0)  # clipped to [0, 1]
    assert screen.levels("governance.authority_trust_slope", 0.0) is None


def test_bad_keys_are_one_line_errors(capsys):
    assert screen.main(["--keys", "nope.key"]) == 2
    assert "nope.key" in capsys.readouterr().err
