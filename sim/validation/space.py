"""The plausible parameter space of the validation patterns: one table of bounds with sources.

The bounds span the library's contexts (Sukhothai … Khon Kaen … Songkhla, docs/scenarios.md)
with a margin, and the documented ranges MODEL.md gives; the validation patterns are evaluated
over a Latin hypercube of this box (sim.experiment.design, design "lhs").
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.experiment.design import Vary


@dataclass(frozen=True)
class Bound:
    """One key of the space: its plausible low and high, and why."""

    key: str
    low: float
    high: float
    source: str


SPACE = (
    Bound("context.private_strength", 0.1, 0.8,
          "S3: business weak in Sukhothai (context 0.2), strongly organised in Khon Kaen (0.7)"),
    Bound("context.private_direction", 0.2, 0.8,
          "S3: PPP 'where business … lacks direction'; library contexts 0.3–0.7"),
    Bound("context.official_tenure_months", 12.0, 60.0,
          "20–25 of 75 governors reshuffled a year (≈36–45 months), 47 of 75 in 2005 (≈19); "
          "nominal term 48 months; MODEL.md range 6–60"),
    Bound("context.initial_trust", 0.25, 0.55,
          "Ansell & Gash 2008 (prehistory of conflict or co-operation); library contexts 0.35–0.45"),
    Bound("context.flood_rate", 0.05, 0.5,
          "S3: Hat Yai floods of 2000 and 2010 (Songkhla 0.4); Khon Kaen 0.15, Sukhothai 0.2"),
    Bound("dialogue.continuity", 0.3, 0.9,
          "S3 'tightening the bolts'; a forum that meets at least a third of the time"),
    Bound("norms.strength", 0.2, 0.8, "S3 (common norms); Bicchieri 2006; range around the 0.5 "
          "default"),
)


def space_vary() -> list[Vary]:
    """The space as `--vary` ranges for a Latin hypercube (the NUM is replaced by --points)."""
    return [Vary(b.key, start=b.low, stop=b.high, num=2) for b in SPACE]


def space_keys() -> list[str]:
    return [b.key for b in SPACE]
