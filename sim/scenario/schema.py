"""The JSON Schema of scenario files, generated from the parameter table for editors."""

from __future__ import annotations

from typing import Any

from sim.scenario.parameters import FUNDING_CYCLES, PARAMETERS, Param
from sim.scenario.ranges import can_range, range_schema

_NUMBER = {"float": "number", "int": "integer"}


def _leaf(p: Param) -> dict[str, Any]:
    desc = f"{p.doc} Default: {p.default!r}. Unit: {p.unit or '-'}. Source: {p.source}."
    s: dict[str, Any] = {"description": desc}
    if p.kind in _NUMBER:
        s["type"] = _NUMBER[p.kind]
    elif p.kind == "bool":
        s["type"] = "boolean"
    elif p.kind == "str":
        s["type"] = "string"
    elif p.kind == "choice":
        s["enum"] = list(p.choices)
    elif p.kind in ("float_list", "int_list"):
        s["type"] = "array"
        s["items"] = {"type": _NUMBER[p.kind.split("_")[0]]}
    elif p.kind == "trust":
        cell = {"type": "number", "minimum": 0, "maximum": 1}
        row = {"type": "array", "items": cell, "minItems": 4, "maxItems": 4}
        s["oneOf"] = [cell, {"type": "array", "items": row, "minItems": 4, "maxItems": 4}]
    elif p.kind == "funding":
        s["type"] = "array"
        s["items"] = {"type": "object", "additionalProperties": False, "properties": {
            "source": {"type": "string"}, "amount": {"type": "number", "minimum": 0},
            "cycle": {"enum": list(FUNDING_CYCLES)},
            "renewal_prob": {"type": "number", "minimum": 0, "maximum": 1},
            "elasticity": {"type": "number", "minimum": -10, "maximum": 10}}}
    if p.kind in _NUMBER or p.kind.endswith("_list"):
        target = s.get("items", s)
        if p.low is not None:
            target["minimum"] = p.low
        if p.high is not None:
            target["maximum"] = p.high
    if can_range(p):  # or a plausible range { low, high }
        value = {k: s.pop(k) for k in list(s) if k != "description"}
        s["anyOf"] = [value, range_schema(p)]
    return s


def json_schema() -> dict[str, Any]:
    """A draft 2020-12 JSON Schema accepting exactly the known keys."""
    root: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "collabsim scenario file", "type": "object", "additionalProperties": False,
        "properties": {
            "description": {"type": "string"}, "description_th": {"type": "string"},
            "kind": {"enum": ["context", "arrangement", "scenario", "experiment"]},
            "extends": {"type": "array", "items": {"type": "string"}},
        },
    }
    for p in PARAMETERS.values():
        node = root
        *parents, leaf = p.path.split(".")
        for part in parents:
            node = node["properties"].setdefault(
                part, {"type": "object", "additionalProperties": False, "properties": {}})
        node["properties"][leaf] = _leaf(p)
    return root
