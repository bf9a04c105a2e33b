"""Type and range checks of single scenario values against their `Param`."""

from __future__ import annotations

import difflib
from numbers import Real
from typing import Any

from sim.i18n import text
from sim.scenario.errors import ScenarioError
from sim.scenario.parameters import (
    FUNDING_CYCLES,
    FUNDING_FIELDS,
    PARAMETERS,
    TOP_LEVEL,
    Param,
)
from sim.scenario.ranges import parse_range


def _is_number(v: Any) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool)


def _in_range(p: Param, v: float) -> bool:
    return (p.low is None or v >= p.low) and (p.high is None or v <= p.high)


def unknown_key(file: object, key: str) -> ScenarioError:
    """An unknown key path, with the closest known one suggested."""
    known = list(PARAMETERS) + list(TOP_LEVEL)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    hint = text("error.did_you_mean", key=close[0]) if close else text("error.see_schema")
    return ScenarioError(file, key, text("error.unknown_key", hint=hint))


def _bad(file: object, p: Param, v: Any) -> ScenarioError:
    return ScenarioError(file, p.path, text("error.got_allowed", value=repr(v), allowed=p.allowed()))


def check_value(file: object, p: Param, v: Any) -> Any:
    """Return `v` converted to the key's type, or raise a one-line ScenarioError."""
    kind = p.kind
    if kind == "float" and _is_number(v) and _in_range(p, v):
        return float(v)
    if kind == "int" and isinstance(v, int) and not isinstance(v, bool) and _in_range(p, v):
        return int(v)
    if kind == "bool" and isinstance(v, bool):
        return v
    if kind == "str" and isinstance(v, str):
        return v
    if kind == "choice" and v in p.choices:
        return v
    if kind in ("float_list", "int_list") and isinstance(v, list):
        return _check_list(file, p, v)
    if kind == "trust":
        return _check_trust(file, p, v)
    if kind == "funding":
        return _check_funding(file, p, v)
    raise _bad(file, p, v)


def _check_list(file: object, p: Param, v: list) -> list:
    want_int = p.kind == "int_list"
    ok = all((isinstance(x, int) and not isinstance(x, bool)) if want_int else _is_number(x)
             for x in v) and all(_in_range(p, x) for x in v)
    if p.default and p.kind == "float_list" and len(v) != len(p.default):
        ok = False
    if not ok:
        raise _bad(file, p, v)
    return [int(x) if want_int else float(x) for x in v]


def _check_trust(file: object, p: Param, v: Any) -> Any:
    if _is_number(v) and 0 <= v <= 1:
        return float(v)
    rows_ok = isinstance(v, list) and len(v) == 4 and all(
        isinstance(r, list) and len(r) == 4 and all(_is_number(x) and 0 <= x <= 1 for x in r)
        for r in v)
    if not rows_ok:
        raise _bad(file, p, v)
    return [[float(x) for x in r] for r in v]


def _check_funding(file: object, p: Param, v: Any) -> list[dict]:
    if not isinstance(v, list):
        raise _bad(file, p, v)
    out = []
    for i, stream in enumerate(v):
        key = f"{p.path}[{i}]"
        if not isinstance(stream, dict):
            raise ScenarioError(file, key, text("error.funding_table", value=repr(stream),
                                                fields=", ".join(FUNDING_FIELDS)))
        for field in stream:
            if field not in FUNDING_FIELDS:
                raise ScenarioError(file, f"{key}.{field}", text("error.funding_field",
                                                                fields=", ".join(FUNDING_FIELDS)))
        out.append(_funding_stream(file, key, stream))
    return out


def _funding_stream(file: object, key: str, s: dict) -> dict:
    amount, renewal, elast = s.get("amount", 0.0), s.get("renewal_prob", 1.0), s.get("elasticity", 0.0)
    if not (_is_number(amount) and amount >= 0):
        raise ScenarioError(file, f"{key}.amount", text("error.number_at_least_zero",
                                                      value=repr(amount)))
    if not (_is_number(renewal) and 0 <= renewal <= 1):
        raise ScenarioError(file, f"{key}.renewal_prob", text("error.number_in", value=repr(renewal),
                                                            low=0, high=1))
    if not (_is_number(elast) and -10 <= elast <= 10):
        raise ScenarioError(file, f"{key}.elasticity", text("error.number_in", value=repr(elast),
                                                          low=-10, high=10))
    cycle = s.get("cycle", "monthly")
    if cycle not in FUNDING_CYCLES:
        raise ScenarioError(file, f"{key}.cycle", text("error.kind", value=repr(cycle),
                                                     kinds=", ".join(repr(c) for c in FUNDING_CYCLES)))
    source = s.get("source", "")
    if not isinstance(source, str):
        raise ScenarioError(file, f"{key}.source", text("error.meta_string", value=repr(source)))
    return {"source": source, "amount": float(amount), "cycle": cycle,
            "renewal_prob": float(renewal), "elasticity": float(elast)}


def check_flat(file: object, flat: dict[str, Any], ranges: bool = False) -> dict[str, Any]:
    """Check every key path of a flat mapping; return the converted values. With `ranges` (a
    scenario file's own values) a table `{ low, high }` is a plausible range (sim/scenario/ranges)."""
    out = {}
    for key, v in flat.items():
        if key not in PARAMETERS:
            raise unknown_key(file, key)
        p = PARAMETERS[key]
        out[key] = parse_range(file, p, v) if ranges and isinstance(v, dict) else check_value(file, p, v)
    return out
