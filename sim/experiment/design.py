"""What an experiment varies: `--vary` specifications, and grid or Latin-hypercube design points."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.i18n import text as _t
from sim.scenario.errors import ScenarioError
from sim.scenario.overrides import parse_value
from sim.scenario.parameters import PARAMETERS
from sim.scenario.values import check_flat, unknown_key

DESIGNS = ("grid", "lhs")  # the designs of sweeps and experiment files
SENSITIVITY_DESIGNS = ("sobol", "morris")  # SALib's samples, for `collabsim sensitivity`
LHS_STREAM = 2**32 - 1  # spawn key of the design's own stream, apart from replication seeds
MORRIS_LEVELS = 4  # grid levels of Morris trajectories (SALib's default; Saltelli et al. 2008)


@dataclass(frozen=True)
class Vary:
    """One varied key: a range START:STOP:NUM, an explicit list of values, or bounds LOW:HIGH
    (a range without NUM, sampled continuously by a sensitivity design)."""

    key: str
    values: tuple[Any, ...] = ()
    start: float | None = None
    stop: float | None = None
    num: int | None = None

    @property
    def continuous(self) -> bool:
        """A range or bounds, not a list of values."""
        return self.start is not None

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.start, self.stop)

    def levels(self) -> list[Any]:
        """The values a grid takes (a range becomes NUM evenly spaced values; bounds, their ends)."""
        if not self.continuous:
            return list(self.values)
        if self.num is None:
            return [_typed(self.key, self.start), _typed(self.key, self.stop)]
        raw = np.linspace(self.start, self.stop, self.num)
        return [_typed(self.key, float(x)) for x in raw]

    def at(self, u: float) -> Any:
        """The value at quantile u ∈ [0, 1): continuous for a range, a level for a list."""
        if not self.continuous:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        return _typed(self.key, float(self.start + u * (self.stop - self.start)))

    def describe(self) -> dict[str, Any]:
        if not self.continuous:
            return {"key": self.key, "values": list(self.values)}
        if self.num is None:
            return {"key": self.key, "low": self.start, "high": self.stop}
        return {"key": self.key, "start": self.start, "stop": self.stop, "num": self.num,
                "values": self.levels()}


def _typed(key: str, x: float) -> Any:
    """Round to an int for integer parameters; keep 12 significant digits otherwise."""
    if PARAMETERS[key].kind == "int":
        return round(x)
    return float(f"{x:.12g}")


def parse_vary(text: str, where: str = "--vary") -> Vary:
    """`key.path=START:STOP:NUM` or `key.path=v1,v2,v3` to a Vary, checking the key exists."""
    key, sep, spec = text.partition("=")
    key = key.strip()
    if not sep or not key or not spec.strip():
        raise ScenarioError(where, text, _t("error.vary_syntax"))
    return vary_from(key, spec.strip(), where)


def vary_from(key: str, spec: Any, where: str) -> Vary:
    """A Vary from a key and a spec: a 'START:STOP:NUM' string or a list of values."""
    if key not in PARAMETERS:
        raise unknown_key(where, key)
    if isinstance(spec, list):
        values = tuple(spec)
    elif isinstance(spec, str) and ":" in spec:
        if spec.count(":") != 2:
            raise ScenarioError(where, key, _t("error.vary_spec", spec=repr(spec)))
        return _range(key, spec, where)
    elif isinstance(spec, str):
        values = tuple(parse_value(v.strip()) for v in spec.split(","))
    else:
        raise ScenarioError(where, key, _t("error.vary_file_spec", spec=repr(spec)))
    if not values:
        raise ScenarioError(where, key, _t("error.no_values"))
    return Vary(key, values)


def parse_bounds(text: str, where: str = "--vary") -> Vary:
    """`key.path=LOW:HIGH` to a Vary sampled continuously between the bounds (LOW < HIGH, both
    allowed values of the key)."""
    key, sep, spec = text.partition("=")
    key, spec = key.strip(), spec.strip()
    if not sep or not key or spec.count(":") != 1:
        raise ScenarioError(where, text or key, _t("error.bounds_syntax"))
    if key not in PARAMETERS:
        raise unknown_key(where, key)
    try:
        low, high = (float(p) for p in spec.split(":"))
    except ValueError:
        raise ScenarioError(where, key, _t("error.bounds_numbers", spec=repr(spec))) from None
    if not PARAMETERS[key].numeric:
        raise ScenarioError(where, key, _t("error.not_numeric", kind=PARAMETERS[key].kind))
    if not low < high:
        raise ScenarioError(where, key, _t("error.low_below_high", spec=repr(spec)))
    check_flat(where, {key: _typed(key, low)})
    check_flat(where, {key: _typed(key, high)})
    return Vary(key, start=low, stop=high)


def _range(key: str, spec: str, where: str) -> Vary:
    try:
        start, stop, num = (float(p) for p in spec.split(":"))
    except ValueError:
        raise ScenarioError(where, key, _t("error.range_numbers", spec=repr(spec))) from None
    if not PARAMETERS[key].numeric:
        raise ScenarioError(where, key, _t("error.range_needs_list", kind=PARAMETERS[key].kind))
    if num < 1 or num != int(num):
        raise ScenarioError(where, key, _t("error.num_whole", num=f"{num:g}"))
    return Vary(key, start=start, stop=stop, num=int(num))


def design_points(vary: list[Vary], design: str, points: int | None, root_seed: int
                  ) -> list[dict[str, Any]]:
    """The design points: the full grid of levels, or `points` Latin-hypercube samples drawn
    from the root seed's own design stream (so the same experiment gives the same points)."""
    if not vary:
        return [{}]
    if design in SENSITIVITY_DESIGNS:
        sample = salib_sample([v.bounds for v in vary], design, points, design_seed(root_seed))
        return [{v.key: _typed(v.key, float(x)) for v, x in zip(vary, row)} for row in sample]
    if design == "grid":
        return [dict(zip([v.key for v in vary], combo))
                for combo in itertools.product(*(v.levels() for v in vary))]
    n = points or max(v.num or len(v.values) for v in vary)
    rng = np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=(LHS_STREAM,)))
    from scipy.stats import qmc  # only here: importing scipy.stats takes most of a second

    sample = qmc.LatinHypercube(d=len(vary), seed=rng).random(n)
    return [{v.key: v.at(u) for v, u in zip(vary, row)} for row in sample]


def stream_seed(root_seed: int, *spawn_key: int) -> int:
    """One integer seed from SeedSequence(root, spawn_key): each use draws its own stream."""
    seq = np.random.SeedSequence(root_seed, spawn_key=spawn_key)
    return int(seq.generate_state(1, np.uint32)[0])


def replication_seed(root_seed: int, replication: int) -> int:
    """The seed of every run in replication r: from SeedSequence(root, spawn_key=(r,)), so all
    scenarios and design points of a replication meet the same population and shocks."""
    return stream_seed(root_seed, replication)


def design_seed(root_seed: int) -> int:
    """The seed of a sampled design's own stream (apart from the replication seeds)."""
    return stream_seed(root_seed, LHS_STREAM)


def second_order(dimensions: int) -> bool:
    """Sobol second-order indices need at least two parameters."""
    return dimensions >= 2


def salib_problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict:
    """SALib's problem: the parameters by name (key paths) and their bounds."""
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def salib_sample(bounds: list[tuple[float, float]], method: str, n: int, seed: int
                 ) -> np.ndarray:
    """SALib's sample over the bounds: Saltelli's scrambled Sobol sequence, N·(2D+2) rows (N·(D+2)
    with one parameter), or N Morris trajectories of D+1 rows each."""
    from SALib.sample import morris, sobol

    problem = salib_problem([f"x{i}" for i in range(len(bounds))], bounds)
    if method == "sobol":
        return sobol.sample(problem, n, calc_second_order=second_order(len(bounds)), seed=seed)
    return morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)


def points_per_sample(method: str, dimensions: int) -> tuple[str, int]:
    """How many design points each of the N samples makes, as a formula and a number: 2D+2 for
    Sobol (D+2 with one parameter, which has no second-order index), D+1 for Morris."""
    if method == "sobol" and second_order(dimensions):
        return "2D+2", 2 * dimensions + 2
    if method == "sobol":
        return "D+2", dimensions + 2
    return "D+1", dimensions + 1


def run_count(method: str, n: int, dimensions: int) -> int:
    """Design points of a sensitivity design: N·(2D+2) for Sobol, N·(D+1) for Morris."""
    return n * points_per_sample(method, dimensions)[1]
