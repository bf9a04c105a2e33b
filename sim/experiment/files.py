"""Experiment files (TOML under scenarios/experiments/): the command line's options written down."""

from __future__ import annotations

import difflib
import glob
from pathlib import Path
from typing import Any

from sim.experiment.design import DESIGNS, vary_from
from sim.experiment.plan import ExperimentSpec
from sim.i18n import text
from sim.model.outcomes import OUTCOMES
from sim.scenario import ScenarioError
from sim.scenario.loader import flatten, read_toml
from sim.scenario.values import check_flat

KEYS = {
    "kind": "'experiment'", "description": "a string", "description_th": "a string",
    "question": "a string", "question_th": "a string",
    "scenarios": "a list of scenario files (relative; globs allowed)",
    "baseline": "a scenario file, scenario name or arrangement", "replications": "an integer ≥ 1",
    "steps": "an integer ≥ 1", "seed": "an integer ≥ 0", "design": "'grid' or 'lhs'",
    "points": "an integer ≥ 1 (Latin hypercube samples)",
    "outcomes": "a list of outcome names", "vary": "a table {key.path = 'START:STOP:NUM' or [values]}",
    "set": "a table {key.path = value}",
    "point": "true or false (plausible ranges at their midpoints, as --point)",
}


def _need(path: Path, doc: dict[str, Any], key: str, ok: bool) -> None:
    if key in doc and not ok:
        raise ScenarioError(path, key, text("error.experiment_value", value=repr(doc[key]),
                                            allowed=KEYS[key]))


def _check_shape(path: Path, doc: dict[str, Any]) -> None:
    """Unknown keys and wrong types, each as a one-line error naming the key."""
    for key in doc:
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = (text("error.did_you_mean", key=close[0]) if close
                    else text("error.allowed_list", items=", ".join(KEYS)))
            raise ScenarioError(path, key, text("error.unknown_key", hint=hint))
    _need(path, doc, "kind", doc.get("kind") == "experiment")
    for key in ("description", "description_th", "question", "question_th", "baseline"):
        _need(path, doc, key, isinstance(doc.get(key), str))
    for key, low in (("replications", 1), ("steps", 1), ("seed", 0), ("points", 1)):
        v = doc.get(key)
        _need(path, doc, key, isinstance(v, int) and not isinstance(v, bool) and v >= low)
    _need(path, doc, "design", doc.get("design") in DESIGNS)
    for key in ("scenarios", "outcomes"):
        v = doc.get(key)
        _need(path, doc, key, isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v))
    for key in ("vary", "set"):
        _need(path, doc, key, isinstance(doc.get(key), dict))
    _need(path, doc, "point", isinstance(doc.get("point"), bool))


def _scenario_paths(path: Path, patterns: list[str]) -> list[Path]:
    """Scenario files named relative to the experiment file, globs expanded in sorted order."""
    out: list[Path] = []
    for pattern in patterns:
        full = path.parent / pattern
        matches = sorted(glob.glob(str(full))) if glob.has_magic(pattern) else [str(full)]
        if not matches or not Path(matches[0]).is_file():
            raise ScenarioError(path, "scenarios", text("error.pattern_no_file",
                                                        pattern=repr(pattern)))
        out += [Path(m) for m in matches]
    return out


def check_outcomes(where: object, names: list[str]) -> tuple[str, ...]:
    """Outcome names, each one of the model's outcomes."""
    for name in names:
        if name not in OUTCOMES:
            raise ScenarioError(where, "outcomes", text("error.outcome_unknown", name=repr(name),
                                                        outcomes=", ".join(OUTCOMES)))
    return tuple(names)


def load_experiment(path: Path) -> ExperimentSpec:
    """Read and check an experiment file into the spec the command line would build."""
    if not path.is_file():
        raise ScenarioError(path, None, text("error.experiment_not_found"))
    doc = read_toml(path)
    _check_shape(path, doc)
    if "scenarios" not in doc:
        raise ScenarioError(path, "scenarios", text("error.missing", allowed=KEYS["scenarios"]))
    baseline = doc.get("baseline")
    if baseline and (path.parent / baseline).exists():
        baseline = str(path.parent / baseline)
    vary = [vary_from(key, spec, path) for key, spec in flatten(doc.get("vary", {})).items()]
    return ExperimentSpec(
        name=path.stem, scenarios=_scenario_paths(path, doc["scenarios"]),
        overrides=check_flat(path, flatten(doc.get("set", {}))), vary=vary,
        design=doc.get("design", "grid"), points=doc.get("points"),
        replications=doc.get("replications", 30), steps=doc.get("steps"), seed=doc.get("seed"),
        outcomes=check_outcomes(path, doc.get("outcomes", list(OUTCOMES))), baseline=baseline,
        question=doc.get("question", doc.get("description", "")),
        question_th=doc.get("question_th", doc.get("description_th", "")), source=str(path),
        point=doc.get("point", False))
