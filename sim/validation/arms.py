"""Arms of a validation experiment as scenario files: library layers plus the arm's own settings,
so each pattern runs through the ordinary experiment layer and can be rerun by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.scenario.library import library_root


@dataclass(frozen=True)
class Arm:
    """One arm: the library files it extends (relative to scenarios/) and the keys it sets."""

    name: str
    layers: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)


def toml_value(value: Any) -> str:
    """A scalar or list as TOML (booleans lower-case, strings double-quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def write_arm(folder: Path, arm: Arm, description: str = "") -> Path:
    """Write `folder/<arm.name>.toml`, a scenario extending the arm's layers with its settings."""
    folder.mkdir(parents=True, exist_ok=True)
    root = library_root().resolve()
    lines = ['kind = "scenario"',
             f"description = {toml_value(description or arm.name)}",
             "extends = " + toml_value([str(root / layer) for layer in arm.layers])]
    lines += [f"{key} = {toml_value(value)}" for key, value in sorted(arm.settings.items())]
    path = folder / f"{arm.name}.toml"
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def write_arms(folder: Path, arms: Sequence[Arm]) -> list[Path]:
    """Write every arm of one study into `folder` (its name is the arms' name prefix)."""
    return [write_arm(folder, arm) for arm in arms]
