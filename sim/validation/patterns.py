"""Validation patterns: what the sources say must emerge, as comparisons with a criterion, and
the share of the plausible parameter space (a Latin hypercube, sim.validation.space) where each
holds (issue 4, validation item 4; MODEL.md "What the model must show").

A design point is one context drawn from the space; each arm of a study runs there for the same
replications (common random numbers), and a point's statistic is the mean over its replications
of the paired difference between arms (or a share of replications). A pattern is judged only at
the points its claim is about (`applies`), and holds at a point when its statistic has the
claimed sign. Runs are measured by the outcome's mean from month 24 to the end.

    python -m sim.validation.patterns [--points N] [--replications R] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.statistics import wilson
from sim.i18n import text as _t
from sim.scenario import ScenarioError
from sim.validation.studies import (
    A_BARE,
    A_BIG,
    A_COMPANY,
    A_ENFORCED,
    A_NONE,
    A_PPP,
    A_SMALL,
    A_STUDY,
    column,
    drr_arm,
    run_studies,
)

STRONG_BUSINESS = 0.6    # private_strength at or above: "business strongly organised" (Khon Kaen 0.7)
WEAK_BUSINESS = 0.3      # at or below: a Sukhothai-like private sector (0.2)
NOT_READY = 0.4          # private_strength or private_direction below: "not ready or lacks direction"
LOW_TRUST = 0.35         # initial_trust below: "when initial trust is low" (Sukhothai 0.35)
FOUNDED_OFTEN = 0.5      # share of replications founded within 60 months: "within a few years"
FOUNDED_RARELY = 0.2     # share founded within the horizon at or below: "rarely"


@dataclass(frozen=True)
class Pattern:
    """One claim: where it applies, the per-point statistic, and when it holds (statistic > 0
    unless `holds` says otherwise)."""

    name: str
    claim: str
    source: str
    x: str
    applies: Callable[[pd.DataFrame], pd.Series]
    statistic: Callable[[pd.DataFrame], pd.Series]
    holds: Callable[[pd.Series, pd.DataFrame], pd.Series] = lambda s, _: s > 0
    criterion: str = "statistic > 0"


def col(study: str, arm, measure: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda t: t[column(study, arm, measure)]


def _all(t: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=t.index)


def _fit_company(t):
    w = lambda a: t[column("arrangements", a, "wellbeing")]
    return w(A_COMPANY) - np.maximum(w(A_PPP), w(A_STUDY))


def _diff(study, a, b, measure):
    return lambda t: t[column(study, a, measure)] - t[column(study, b, measure)]


def _drr(t):
    """Both lower: resilience loss and recovery months of the DRR committee minus none, as the
    smaller of the two improvements (positive only if both improve)."""
    arm = drr_arm()
    loss = t[column("drr", A_NONE, "resilience_loss")] - t[column("drr", arm, "resilience_loss")]
    rec = t[column("drr", A_NONE, "recovery_months")] - t[column("drr", arm, "recovery_months")]
    return np.minimum(loss, rec)


def _erosion(t):
    """Compliance lost from year 2 to the last year without metanorms or fines, where it also
    ends below the arm with them (else 0 or less: no erosion that enforcement prevents)."""
    bare = col("norms", A_BARE, "compliance_year2")(t) - col("norms", A_BARE,
                                                              "compliance_last_year")(t)
    gap = col("norms", A_ENFORCED, "compliance_last_year")(t) - col("norms", A_BARE,
                                                                    "compliance_last_year")(t)
    return np.minimum(bare, gap)


PATTERNS = (
    Pattern("company fits strong business",
            "Where business is strongly organised (private_strength ≥ 0.6) the city development "
            "company gives higher wellbeing than both the PPP and the study center.",
            "S3", "context.private_strength",
            lambda t: t["context.private_strength"] >= STRONG_BUSINESS, _fit_company),
    Pattern("PPP fits unready business",
            "Where business is not ready or lacks direction (private_strength or "
            "private_direction < 0.4) the PPP gives higher wellbeing than the company.",
            "S3", "context.private_direction",
            lambda t: (t["context.private_strength"] < NOT_READY)
            | (t["context.private_direction"] < NOT_READY),
            _diff("arrangements", A_PPP, A_COMPANY, "wellbeing")),
    Pattern("study center fits where no company is founded",
            "Where no business group founds a company (founded in under half the replications) "
            "the study center gives higher wellbeing than the company arrangement.",
            "S3", "context.private_strength",
            lambda t: t[column("arrangements", A_COMPANY, "founded")] < 0.5,
            _diff("arrangements", A_STUDY, A_COMPANY, "wellbeing")),
    Pattern("DRR committee lowers damage and speeds recovery",
            "Where floods happen, the DRR committee has a lower resilience loss and fewer months "
            "to recover than no intermediary.",
            "S3 (Songkhla DRR dialogue); Bruneau et al. 2003",
            "context.flood_rate",
            lambda t: t[column("drr", A_NONE, "floods")] > 0, _drr,
            criterion="both differences (none − DRR) > 0"),
    Pattern("small wins beat one big target at low trust",
            "Where initial trust is low (< 0.35) milestones every 6 months give higher trust "
            "than one every 60 months (PPP).",
            "Ansell & Gash 2008 (small wins)", "context.initial_trust",
            lambda t: t["context.initial_trust"] < LOW_TRUST,
            _diff("small_wins", A_SMALL, A_BIG, "trust")),
    Pattern("norms erode without metanorms or sanctions",
            "Over 20 years, without metanorms or formal fines compliance falls from year 2 to the "
            "last year and ends below the same PPP with both.",
            "Axelrod 1986; Ostrom 1990", "norms.strength", _all, _erosion,
            criterion="both the fall and the gap > 0"),
    Pattern("company founded early where business is strong",
            "Where business is Khon Kaen-like (private_strength ≥ 0.6) a company is founded within "
            "60 months in at least half the replications.",
            "S3 (Khon Kaen Think Tank 2015, company founded)", "context.private_strength",
            lambda t: t["context.private_strength"] >= STRONG_BUSINESS,
            col("arrangements", A_COMPANY, "founded_early"),
            holds=lambda s, _: s >= FOUNDED_OFTEN, criterion=f"share ≥ {FOUNDED_OFTEN}"),
    Pattern("company rarely founded where business is weak",
            "Where business is Sukhothai-like (private_strength ≤ 0.3) a company is founded "
            "within the horizon in at most a fifth of the replications.",
            "S3 (Sukhothai: no business group willing)", "context.private_strength",
            lambda t: t["context.private_strength"] <= WEAK_BUSINESS,
            col("arrangements", A_COMPANY, "founded"),
            holds=lambda s, _: s <= FOUNDED_RARELY, criterion=f"share ≤ {FOUNDED_RARELY}"),
)


def evaluate(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shares, per_point): each pattern's share of applicable points where it holds, with a
    Wilson 95% interval, and the per-point statistic behind it."""
    rows, points = [], []
    for p in PATTERNS:
        stat = p.statistic(table)
        applies = p.applies(table) & stat.notna()
        ok = p.holds(stat, table) & applies
        share, low, high = wilson(int(ok.sum()), int(applies.sum()))
        rows.append({"pattern": p.name, "points": int(applies.sum()), "holds": int(ok.sum()),
                     "share": share, "ci_low": low, "ci_high": high, "criterion": p.criterion,
                     "source": p.source, "claim": p.claim})
        points.append(pd.DataFrame({"pattern": p.name, "point": table["point"], "x_key": p.x,
                                    "x": table[p.x], "applies": applies, "statistic": stat,
                                    "holds": ok}))
    return pd.DataFrame(rows), pd.concat(points, ignore_index=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run every study, then write patterns.csv, pattern_points.csv, figures."""
    ap = argparse.ArgumentParser(prog="python -m sim.validation.patterns",
                                 description="Validation patterns over a Latin hypercube.")
    ap.add_argument("--points", type=int, default=48)
    ap.add_argument("--replications", type=int, default=6)
    ap.add_argument("--steps", type=int, default=120, help="months (norms study: twice this)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--out", type=Path, default=Path("results/validation"))
    ap.add_argument("--figures", type=Path, default=None,
                    help="folder for validation-*.png (default OUT/figures)")
    args = ap.parse_args(argv)
    try:
        for name in ("points", "replications", "steps"):
            if getattr(args, name) < 1:
                raise ScenarioError(f"--{name}", None, _t("validation.whole_number"))
        table = run_studies(args.out, args.points, args.replications, args.steps, args.seed,
                            args.workers)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    shares, per_point = evaluate(table)
    table.to_csv(args.out / "pattern_table.csv", index=False, float_format="%.6g")
    shares.to_csv(args.out / "patterns.csv", index=False, float_format="%.4g")
    per_point.to_csv(args.out / "pattern_points.csv", index=False, float_format="%.6g")
    from sim.validation.pattern_figures import write_figures

    written = write_figures(shares, per_point, args.figures or args.out / "figures")
    print(shares[["pattern", "points", "holds", "share", "ci_low", "ci_high"]].to_string(
        index=False, float_format=lambda x: f"{x:.2f}"))
    for path in [args.out / "patterns.csv", *written]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
