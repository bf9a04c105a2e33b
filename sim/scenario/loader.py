"""Reading scenario files: TOML, `extends` composition, file kinds, `--set` overrides."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.i18n import text
from sim.scenario.errors import ScenarioError
from sim.scenario.parameters import PARAMETERS, STRUCTURAL_TABLES, TOP_LEVEL, defaults
from sim.scenario.ranges import split_ranges
from sim.scenario.register import Initial, data_paths, read_initial
from sim.scenario.values import check_flat

KINDS = ("context", "arrangement", "scenario", "experiment")
FOLDER_KINDS = {"contexts": "context", "arrangements": "arrangement", "experiments": "experiment"}
META_KEYS = TOP_LEVEL  # not scenario keys: what the file is, says and extends


@dataclass
class Scenario:
    """A resolved scenario: every key path with its value, plus where it came from."""

    values: dict[str, Any]
    path: Path | None = None
    kind: str = "scenario"
    description: str = ""
    pre_founding: dict[str, Any] | None = None  # governance.* in force until founding
    files: list[str] = field(default_factory=list)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # sampled per run
    initial: Initial | None = field(default=None, compare=False)  # actors.register, network.edges
    description_th: str = ""  # the description in Thai ("" when the file gives none)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def name(self) -> str:
        """A readable name: `context/arrangement` for composed files, else the file stem."""
        if self.path is None:
            return "default"
        return f"{self.path.parent.name}/{self.path.stem}"

    def nested(self) -> dict[str, Any]:
        """The values as nested tables (as they would be written in TOML)."""
        out: dict[str, Any] = {}
        for key, v in self.values.items():
            node = out
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = v
        return out


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to {key.path: value}; lists, scalars and a known key's table (a
    plausible range `{ low, high }`) are leaves."""
    flat: dict[str, Any] = {}
    for key, v in table.items():
        path = f"{prefix}{key}"
        if isinstance(v, dict) and path not in PARAMETERS:
            flat.update(flatten(v, path + "."))
        else:
            flat[path] = v
    return flat


def file_kind(path: Path, declared: Any) -> str:
    """The file's kind: as declared, else from its folder (contexts/, arrangements/, ...)."""
    if declared is None:
        return FOLDER_KINDS.get(path.parent.name, "scenario")
    if declared not in KINDS:
        raise ScenarioError(path, "kind", text("error.kind", value=repr(declared),
                                               kinds=", ".join(repr(k) for k in KINDS)))
    return declared


def read_toml(path: Path, referrer: str | None = None) -> dict[str, Any]:
    """Parse one TOML file, turning I/O and syntax problems into one-line errors."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(referrer or path, "extends" if referrer else None,
                            text("error.extends_not_found", path=path)) from None
    except IsADirectoryError:
        raise ScenarioError(path, None, text("error.is_folder")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(path, None, text("error.malformed_toml", detail=exc)) from None
    except UnicodeDecodeError:
        raise ScenarioError(path, None, text("error.not_utf8")) from None


def _extends_list(path: Path, raw: Any) -> list[Path]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ScenarioError(path, "extends", text("error.extends_list", value=repr(raw)))
    return [(path.parent / x).resolve() for x in items]


def _own_values(path: Path, doc: dict[str, Any], kind: str) -> dict[str, Any]:
    """The key paths a file sets itself, checked, with until_founded made relative to it."""
    flat = flatten({k: v for k, v in doc.items() if k not in META_KEYS})
    for meta in ("description", "description_th"):
        if meta in doc and not isinstance(doc[meta], str):
            raise ScenarioError(path, meta, text("error.meta_string", value=repr(doc[meta])))
    values = check_flat(path, flat, ranges=True)
    if kind == "arrangement":
        for key in values:
            if key.split(".", 1)[0] not in STRUCTURAL_TABLES:
                raise ScenarioError(path, key, text("error.arrangement_structural"))
    uf = values.get("governance.until_founded")
    if uf:
        values["governance.until_founded"] = str((path.parent / uf).resolve())
    values.update(data_paths(path, values))
    return values


def read_layers(path: Path, stack: tuple[Path, ...] = (), referrer: str | None = None
                ) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Merge a file over everything it extends: (values, its own top-level doc, files read)."""
    path = path.resolve()
    if path in stack:
        chain = " → ".join(p.name for p in stack + (path,))
        raise ScenarioError(stack[-1], "extends", text("error.cyclic_extends", chain=chain))
    doc = read_toml(path, referrer)
    kind = file_kind(path, doc.get("kind"))
    if kind == "experiment":
        raise ScenarioError(path, "kind", text("error.experiment_not_scenario_run"))
    merged: dict[str, Any] = {}
    files: list[str] = []
    for parent in _extends_list(path, doc.get("extends", [])):
        values, _, parent_files = read_layers(parent, stack + (path,), str(path))
        merged.update(values)
        files += parent_files
    merged.update(_own_values(path, doc, kind))
    return merged, {**doc, "kind": kind}, files + [str(path)]


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None,
                  point: bool = False) -> Scenario:
    """Load a scenario file (or the defaults when `path` is None) with `{key.path: value}`
    overrides (with `point`, plausible ranges give their midpoints and are not sampled); raise
    ScenarioError for any bad input."""
    values, doc, files = defaults(), {}, []
    p = None
    if path is not None:
        p = Path(path)
        if not p.exists():
            raise ScenarioError(p, None, text("error.scenario_not_found"))
        layered, doc, files = read_layers(p)
        if doc["kind"] == "experiment":
            raise ScenarioError(p, "kind", text("error.experiment_not_scenario"))
        values.update(layered)
    return _resolved(values, overrides, p, doc, files, point)


def compose_scenario(layers: list[str | Path], overrides: dict[str, Any] | None = None,
                     point: bool = False) -> Scenario:
    """A scenario extending `layers` in order (e.g. a context and an arrangement file), as a
    composed scenario file would, with `{key.path: value}` overrides."""
    values, files = defaults(), []
    for layer in layers:
        layered, _, read = read_layers(Path(layer))
        values.update(layered)
        files += read
    return _resolved(values, overrides, None, {}, files, point)


def _resolved(values: dict[str, Any], overrides: dict[str, Any] | None, path: Path | None,
              doc: dict[str, Any], files: list[str], point: bool = False) -> Scenario:
    """Apply the overrides, check what needs the whole scenario, and build the Scenario."""
    values.update(check_flat("--set", dict(overrides or {})))  # a value replaces a range
    values, ranges = split_ranges(values, point)
    if values["governance.founding"] == "threshold" and not values["governance.until_founded"]:
        raise ScenarioError(path or "--set", "governance.until_founded",
                            text("error.until_founded"))
    return Scenario(values, path, doc.get("kind", "scenario"), doc.get("description", ""),
                    _pre_founding(values), files, ranges, initial=read_initial(values),
                    description_th=doc.get("description_th", ""))


def _pre_founding(values: dict[str, Any]) -> dict[str, Any] | None:
    """governance.* of the arrangement named in governance.until_founded (None if unnamed)."""
    target = values.get("governance.until_founded")
    if not target or values["governance.founding"] == "none":
        return None
    gov = {k: v for k, v in defaults().items() if k.startswith("governance.")}
    layered, _, _ = read_layers(Path(target), referrer=None)
    gov.update({k: v for k, v in layered.items() if k.startswith("governance.")})
    gov["governance.founding"], gov["governance.until_founded"] = "none", ""
    return gov


def localised_description(doc: dict[str, Any], lang: str = "en") -> str:
    """A file's description in `lang` ('th': description_th, else the English description)."""
    english = str(doc.get("description", ""))
    if lang == "th":
        return str(doc.get("description_th") or english)
    return english


def describe(path: str | Path, lang: str = "en") -> tuple[str, str]:
    """(kind, description in `lang`) of a file, read without composing it; a file without a
    Thai description gives its English one for 'th'."""
    p = Path(path)
    doc = read_toml(p)
    return file_kind(p, doc.get("kind")), localised_description(doc, lang)


__all__ = ["PARAMETERS", "Scenario", "compose_scenario", "describe", "flatten", "load_scenario"]
