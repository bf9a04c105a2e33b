"""`--set key.path=value` parsing: the value is a TOML value, or a bare string if it is not one."""

from __future__ import annotations

import tomllib
from typing import Any

from sim.i18n import text as _t
from sim.scenario.errors import ScenarioError


def parse_value(text: str) -> Any:
    """Parse `text` as a TOML value; a bare word that is not valid TOML is taken as a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split `key.path=value` into the key path and its parsed value."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError("--set", text, _t("error.set_syntax"))
    return key.strip(), parse_value(value.strip())


def parse_assignments(texts: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """All `--set` options as one {key path: value} mapping (later ones win)."""
    return dict(parse_assignment(t) for t in texts)
