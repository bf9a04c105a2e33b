"""Plausible ranges: a context key written `{ low = a, high = b }`, its midpoint, and its per-run
draw (MODEL.md: context files may give plausible ranges, sampled per replication)."""

from __future__ import annotations

import math
import zlib
from numbers import Real
from typing import Any, Self

import numpy as np

from sim.i18n import text as _t
from sim.scenario.errors import ScenarioError
from sim.scenario.parameters import PARAMETERS, Param

RANGE_FIELDS = ("low", "high")
RANGED_TABLES = ("context", "dialogue", "norms")


def can_range(p: Param) -> bool:
    """Whether the key may be written as a plausible range (numeric keys of the context,
    dialogue and norms tables)."""
    return p.table in RANGED_TABLES and p.numeric


class Ranged(float):
    """A key's value while files are merged: its midpoint, carrying the range it came from, so
    `extends` and `--set` override a range exactly as they override a value."""

    low: float
    high: float

    def __new__(cls, low: float, high: float, midpoint: float) -> Self:
        obj = super().__new__(cls, midpoint)
        obj.low, obj.high = low, high
        return obj

    def __reduce__(self) -> tuple:
        return Ranged, (self.low, self.high, float(self))


def _number(v: Any, integer: bool) -> bool:
    if isinstance(v, bool) or not isinstance(v, Real):
        return False
    return isinstance(v, int) if integer else True


def _bounds(p: Param) -> tuple[float, float]:
    if p.kind == "trust":
        return 0.0, 1.0
    return (-math.inf if p.low is None else p.low), (math.inf if p.high is None else p.high)


def _end_allowed(p: Param) -> str:
    return "a number in [0, 1]" if p.kind == "trust" else p.allowed()


def midpoint(p: Param, low: float, high: float) -> float | int:
    """The value a range stands for when not sampled (`--point`): its midpoint, rounded half
    up for an integer key."""
    mid = (low + high) / 2
    return math.floor(mid + 0.5) if p.kind == "int" else round(mid, 12)  # 0.6, not 0.6…01


def parse_range(file: object, p: Param, v: dict[str, Any]) -> Ranged:
    """A checked `{ low, high }` table for key `p`, or a one-line ScenarioError."""
    allowed = f"{{ low = …, high = … }} with low ≤ high, each {_end_allowed(p)}"
    if not can_range(p):
        raise ScenarioError(file, p.path, _t("error.range_not_allowed", value=repr(v),
                                             tables=", ".join(RANGED_TABLES), allowed=p.allowed()))
    for name in v:
        if name not in RANGE_FIELDS:
            raise ScenarioError(file, f"{p.path}.{name}", _t("error.range_field"))
    lo, hi = _bounds(p)
    ends = []
    for name in RANGE_FIELDS:
        if name not in v:
            raise ScenarioError(file, p.path, _t("error.range_without", name=name, allowed=allowed))
        x = v[name]
        if not (_number(x, p.kind == "int") and lo <= x <= hi):
            raise ScenarioError(file, f"{p.path}.{name}", _t("error.got_allowed", value=repr(x),
                                                             allowed=_end_allowed(p)))
        ends.append(int(x) if p.kind == "int" else float(x))
    low, high = ends
    if low > high:
        raise ScenarioError(file, p.path, _t("error.range_order", low=f"{low:g}", high=f"{high:g}",
                                             allowed=allowed))
    return Ranged(low, high, midpoint(p, low, high))


def split_ranges(values: dict[str, Any], point: bool = False
                 ) -> tuple[dict[str, Any], dict[str, tuple[float, float]]]:
    """Merged values → (plain values with midpoints, {key: (low, high)}); with `point` the
    ranges are dropped and the midpoints stay."""
    plain, ranges = {}, {}
    for key, v in values.items():
        if isinstance(v, Ranged):
            p = PARAMETERS[key]
            plain[key] = midpoint(p, v.low, v.high)
            ranges[key] = (v.low, v.high)
        else:
            plain[key] = v
    return plain, ({} if point else ranges)


def sample_ranges(ranges: dict[str, tuple[float, float]], rng: np.random.Generator
                  ) -> dict[str, float | int]:
    """One uniform draw per ranged key (an integer key uniformly among its integers). `rng`
    gives one root; each key draws from its own generator seeded by that root and the key's
    name, so a key's draw depends on the run's seed and its own range only (not on which
    other keys are ranged, nor on the order of the parameter table)."""
    if not ranges:
        return {}
    root = [int(x) for x in rng.integers(0, 2**32, size=4)]
    out: dict[str, float | int] = {}
    for key in sorted(ranges):
        low, high = ranges[key]
        x = np.random.default_rng([*root, zlib.crc32(key.encode())]).random()
        if PARAMETERS[key].kind == "int":
            out[key] = int(low) + min(int(x * (high - low + 1)), int(high - low))
        else:
            out[key] = float(low + x * (high - low))
    return out


def range_schema(p: Param) -> dict[str, Any]:
    """The JSON Schema of the `{ low, high }` form of a rangeable key."""
    end: dict[str, Any] = {"type": "integer" if p.kind == "int" else "number"}
    lo, hi = _bounds(p)
    if lo > -math.inf:
        end["minimum"] = lo
    if hi < math.inf:
        end["maximum"] = hi
    return {"type": "object", "additionalProperties": False, "required": list(RANGE_FIELDS),
            "properties": {name: dict(end) for name in RANGE_FIELDS}}
