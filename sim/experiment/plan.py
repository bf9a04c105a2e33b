"""An experiment resolved into runs: scenarios × design points × replications, each run with its
seed from the replication index, its baseline for paired comparison, and the experiment's hash."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sim.experiment.design import SENSITIVITY_DESIGNS, Vary, design_points, replication_seed
from sim.i18n import text as _t
from sim.model.outcomes import OUTCOMES
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.scenario.loader import describe
from sim.scenario.register import DATA_KEYS
from sim.scenario.values import check_flat


@dataclass
class ExperimentSpec:
    """An experiment as written on the command line or in an experiment file."""

    name: str
    scenarios: list[Path]
    overrides: dict[str, Any] = field(default_factory=dict)
    vary: list[Vary] = field(default_factory=list)
    design: str = "grid"
    points: int | None = None
    replications: int = 30
    steps: int | None = None
    seed: int | None = None
    outcomes: tuple[str, ...] = OUTCOMES
    baseline: str | None = None
    question: str = ""
    question_th: str = ""  # the question in Thai, for reports in Thai
    source: str = "command line"
    point: bool = False  # plausible ranges at their midpoints, not sampled per replication


@dataclass(frozen=True)
class Task:
    """One run to make: which scenario and design point, which replication, which seed."""

    run_id: int
    scenario: int
    point: int
    replication: int
    seed: int


def layer_stems(scenario: Scenario) -> tuple[str | None, str | None]:
    """(context, arrangement): the stems of the last context and arrangement files it extends."""
    found: dict[str, str] = {}
    for f in scenario.files:
        kind, _ = describe(f)
        found[kind] = Path(f).stem
    return found.get("context"), found.get("arrangement")


def without_intermediary(values: dict[str, Any]) -> bool:
    """No standing intermediary: no secretariat and no board."""
    return not values["governance.secretariat"] and values["governance.board_size"] == 0


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _portable(values: dict[str, Any]) -> dict[str, Any]:
    """Values with file references cut to their names, so the hash does not depend on where the
    checkout lives."""
    out = dict(values)
    if out.get("governance.until_founded"):
        out["governance.until_founded"] = Path(out["governance.until_founded"]).name
    for key in DATA_KEYS:  # a data file by name and content: a changed CSV is another experiment
        if out.get(key):
            data = Path(out[key])
            out[key] = f"{data.name}#{hashlib.sha256(data.read_bytes()).hexdigest()[:16]}"
    return out


def _ranges_of(scenario: Scenario) -> dict[str, Any]:
    """{"ranges": {key: [low, high]}} for a scenario with plausible ranges, else {}."""
    return {"ranges": {k: list(v) for k, v in scenario.ranges.items()}} if scenario.ranges else {}


class Plan:
    """The resolved experiment: every scenario × point loaded and checked before any run starts."""

    def __init__(self, spec: ExperimentSpec) -> None:
        self.spec = spec
        if not spec.scenarios:
            raise ScenarioError(spec.source, "scenarios", _t("error.no_scenarios"))
        self.base = [load_scenario(p, spec.overrides, spec.point) for p in spec.scenarios]
        names = [s.name for s in self.base]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ScenarioError(spec.source, "scenarios", _t("error.scenario_twice", name=dupes[0]))
        self.root_seed = spec.seed if spec.seed is not None else int(self.base[0]["run.seed"])
        self._check_design()
        self.points = design_points(spec.vary, spec.design, spec.points, self.root_seed)
        where = "--vary" if spec.source == "command line" else spec.source
        for point in self.points:
            check_flat(where, point)  # a varied value out of range names where it was varied
        self.resolved = [[load_scenario(p, {**spec.overrides, **pt}, spec.point)
                          for pt in self.points] for p in spec.scenarios]
        self.steps = [int(spec.steps or s["run.steps"]) for s in self.base]
        self.layers = [layer_stems(s) for s in self.base]
        self.baselines = self._baselines()

    def _check_design(self) -> None:
        """Each key varied once; --points only with a Latin hypercube."""
        where = "--vary" if self.spec.source == "command line" else self.spec.source
        keys = [v.key for v in self.spec.vary]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ScenarioError(where, twice[0], _t("error.varied_twice"))
        if self.design in SENSITIVITY_DESIGNS:
            self._check_sensitivity(where)
        elif self.spec.points is not None and self.design != "lhs":
            raise ScenarioError("--points" if where == "--vary" else where, "points",
                                _t("error.points_only_lhs"))

    def _check_sensitivity(self, where: str) -> None:
        """A sensitivity design varies keys between bounds; Sobol's N is a power of two."""
        n = self.spec.points
        if n is None or n < 1:
            raise ScenarioError("--samples", None, _t("error.samples_positive", n=n))
        if self.spec.design == "sobol" and n & (n - 1):
            raise ScenarioError("--samples", None, _t("error.samples_power_of_two", n=n))
        for v in self.spec.vary:
            if not v.continuous or v.num is not None:
                raise ScenarioError(where, v.key, _t("error.sensitivity_bounds"))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.base]

    def _baselines(self) -> dict[str, str | None]:
        """Each scenario's baseline. A named scenario is everyone's baseline. An arrangement —
        named, or by default the one without an intermediary, else the first scenario's — is
        the baseline within each context: every scenario is paired with the scenario of its own
        context under that arrangement; a scenario left without one is paired with the anchor."""
        names, wanted = self.names, self.spec.baseline
        if wanted is None:
            plain = [i for i, s in enumerate(self.base) if without_intermediary(s.values)]
            anchor = plain[0] if plain else 0
        else:
            anchor = self._match_baseline(wanted)
        if isinstance(anchor, str):
            arrangement = anchor
            fallback = next(n for n, (_, a) in zip(names, self.layers) if a == arrangement)
        else:
            arrangement, fallback = self.layers[anchor][1], names[anchor]
            if wanted is not None or len({a for _, a in self.layers}) == 1:
                arrangement = None  # one baseline scenario for all
        out: dict[str, str | None] = {}
        for i, name in enumerate(names):
            same = [names[j] for j, (ctx, arr) in enumerate(self.layers)
                    if arrangement and arr == arrangement and ctx == self.layers[i][0]]
            base = same[0] if same else fallback
            out[name] = None if base == name else base
        return out

    def _match_baseline(self, wanted: str) -> int | str:
        """A scenario index for a scenario path or name, or an arrangement stem or path."""
        target = Path(wanted)
        for i, (path, s) in enumerate(zip(self.spec.scenarios, self.base)):
            if wanted == s.name or (target.exists() and target.resolve() == Path(path).resolve()):
                return i
        stem = target.stem
        if any(arr == stem for _, arr in self.layers):
            return stem
        raise ScenarioError(self.spec.source, "baseline", _t(
            "error.baseline_unknown", wanted=repr(wanted), names=", ".join(self.names)))

    def tasks(self) -> list[Task]:
        """Every run in canonical order (scenario, point, replication); run_id is the position."""
        seeds = [replication_seed(self.root_seed, r) for r in range(self.spec.replications)]
        out, run_id = [], 0
        for s in range(len(self.base)):
            for p in range(len(self.points)):
                for r, seed in enumerate(seeds):
                    out.append(Task(run_id, s, p, r, seed))
                    run_id += 1
        return out

    @property
    def total(self) -> int:
        return len(self.base) * len(self.points) * self.spec.replications

    def scenario_for(self, task: Task) -> Scenario:
        return self.resolved[task.scenario][task.point]

    def _identity(self) -> dict[str, Any]:
        """Everything that decides the runs' numbers (not workers, backend, shards or output);
        plausible ranges and --point enter only when present, so other hashes stay as they were."""
        identity = {
            "scenarios": [{"name": s.name, "values": _portable(s.values),
                           "pre_founding": s.pre_founding, **_ranges_of(s)} for s in self.base],
            "vary": [v.describe() for v in self.spec.vary], "design": self.design,
            "points": self.points, "replications": self.spec.replications, "steps": self.steps,
            "root_seed": self.root_seed,
        }
        return {**identity, "point": True} if self.spec.point else identity

    @property
    def design(self) -> str:
        return self.spec.design if self.spec.vary else "none"

    @cached_property
    def hash(self) -> str:
        """8 hex digits of sha256 over the experiment's identity."""
        text = json.dumps(self._identity(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    def info(self) -> dict[str, Any]:
        """The experiment as stored with its results (manifest["experiment"])."""
        arms = {b for b in self.baselines.values() if b}
        return {
            "name": self.spec.name, "hash": self.hash, "question": self.spec.question,
            "question_th": self.spec.question_th,
            "scenarios": [{"name": s.name, "path": _display_path(p), "description": s.description,
                           "context": ctx, "arrangement": arr, "baseline": self.baselines[s.name],
                           "steps": steps, "values": _portable(s.values),
                           "pre_founding": s.pre_founding, "ranges": _ranges_of(s).get("ranges", {})}
                          for s, p, (ctx, arr), steps in zip(self.base, self.spec.scenarios,
                                                             self.layers, self.steps)],
            "vary": [v.describe() for v in self.spec.vary], "design": self.design,
            "points": len(self.points), "point_values": self.points,
            "replications": self.spec.replications, "steps": max(self.steps),
            "root_seed": self.root_seed, "outcomes": list(self.spec.outcomes),
            "baseline": next(iter(arms)) if len(arms) == 1 else None,
            "baselines": self.baselines, "overrides": self.spec.overrides,
            "point": self.spec.point,
        }


def results_root() -> Path:
    """Where result folders go: $COLLABSIM_RESULTS, else ./results."""
    return Path(os.environ.get("COLLABSIM_RESULTS") or "results")


def default_folder(plan: Plan, shard: tuple[int, int] | None = None) -> Path:
    """results/<name>-<hash>/ (a shard gets its own folder, to be merged later)."""
    suffix = f"-shard{shard[0]}of{shard[1]}" if shard else ""
    return results_root() / f"{plan.spec.name}-{plan.hash}{suffix}"
