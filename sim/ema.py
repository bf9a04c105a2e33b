"""A bridge to the EMA Workbench (Kwakkel 2017): the simulation as a function of scenario keys,
and an `ema_workbench.Model` with the context and norms keys as uncertainties and the governance
and dialogue keys as levers. See docs/ema.md.

EMA names are Python identifiers (EMA 3 requires them): a key path's '.' is written '__', so
`dialogue.continuity` is `dialogue__continuity`. ema_workbench (the `ema` extra) is imported
only by the functions that need it.
"""

from __future__ import annotations

import difflib
import inspect
import math
import warnings
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.experiment.backends import Job, execute
from sim.experiment.plan import Task
from sim.experiment.store import RUN_LEVEL
from sim.i18n import text as _t
from sim.model.outcomes import OUTCOMES
from sim.scenario import PARAMETERS, Scenario, ScenarioError, load_scenario
from sim.scenario.library import library_root

if TYPE_CHECKING:
    import ema_workbench
    import pandas as pd
    from ema_workbench.analysis.prim import Prim

DEFAULT_SCENARIO = "scenarios/khon_kaen/ppp.toml"
DEFAULT_STEPS = 120
RESULTS = OUTCOMES + RUN_LEVEL  # what `run` returns: the nine outcomes, then run-level results
SPECIAL = ("scenario", "steps", "seed", "point")  # run's keyword arguments that are not keys
UNCERTAINTY_TABLES = ("context", "norms")
LEVER_TABLES = ("governance", "dialogue")
SEED_RANGE = (0, 2**31 - 1)  # the seed as an uncertainty (vary_seed=True)


def identifier(key: str) -> str:
    """The EMA name of a scenario key path: '.' becomes '__'."""
    return key.replace(".", "__")


def key_path(name: str) -> str:
    """The scenario key path of an EMA name (a dotted path is accepted too), or ScenarioError."""
    key = name.replace("__", ".")
    if key in PARAMETERS:
        return key
    close = difflib.get_close_matches(name, [identifier(k) for k in PARAMETERS], n=1, cutoff=0.6)
    hint = _t("ema.did_you_mean", name=close[0]) if close else ""
    raise ScenarioError("sim.ema", name, _t("ema.unknown", hint=hint, special=", ".join(SPECIAL)))


def scenario_path(scenario: str | Path) -> Path:
    """`scenario` as given if it exists, else relative to the scenario library's folder."""
    p = Path(scenario)
    if p.exists() or p.is_absolute():
        return p
    root = library_root()
    return next((base / p for base in (root.parent, root) if (base / p).exists()), p)


def _plain(v: Any) -> Any:
    """A NumPy scalar (as EMA samples them) as the Python value the scenario checks expect."""
    return v.item() if isinstance(v, np.generic) else v


def _float(v: Any) -> float:
    return math.nan if v is None else float(v)


def run(**params: Any) -> dict[str, float]:
    """Simulate one scenario with `params` (key paths as identifiers) as overrides; return the
    final outcomes and run-level results as the experiment layer stores them (NaN for NULL).

    Keywords that are not keys: `scenario` (file, default Khon Kaen PPP), `steps` (months,
    default 120), `seed` (default the scenario's run.seed), `point` (plausible ranges of keys not
    given at their midpoints instead of drawn from the seed; default False, as `collabsim run`).
    """
    scenario = params.pop("scenario", DEFAULT_SCENARIO)
    steps = int(params.pop("steps", DEFAULT_STEPS))
    seed = params.pop("seed", None)
    point = bool(params.pop("point", False))
    overrides = {key_path(name): _plain(v) for name, v in params.items()}
    try:
        sc = load_scenario(scenario_path(scenario), overrides, point)
    except ScenarioError as exc:  # a bad value: name it as the caller spelled it
        if exc.file != "--set" or exc.key is None:
            raise
        raise ScenarioError("sim.ema.run", identifier(exc.key), exc.problem) from None
    seed = int(seed) if seed is not None else int(sc["run.seed"])
    done = execute(Job(Task(run_id=0, scenario=0, point=0, replication=0, seed=seed), sc, steps))
    row = done["row"]
    if row["status"] != "done":
        raise RuntimeError(f"{sc.name}, seed {seed}, {steps} months: {row['error']}")
    return {name: _float(row.get(name)) for name in RESULTS}


def _ema():
    """The ema_workbench module, or an ImportError that says how to install it."""
    try:
        with warnings.catch_warnings():  # ipyparallel is optional and not used here
            warnings.filterwarnings("ignore", message=".*ipyparallel", category=UserWarning)
            import ema_workbench
    except ImportError as exc:
        raise ImportError("sim.ema needs the EMA Workbench: pip install collabsim[ema]") from exc
    return ema_workbench


@lru_cache(maxsize=4096, typed=True)
def _accepts(path: str, key: str, value: Any) -> bool:
    """Whether the scenario loads with `key` set to `value`."""
    try:
        load_scenario(path, {key: value})
    except ScenarioError:
        return False
    return True


def plausible(key: str, value: Any) -> tuple[float | None, float | None]:
    """The range of a key the scenario gives no plausible range for: a share or probability
    (admissible range inside [0, 1]) over all of it; any other number from half to twice the
    scenario's value, inside the admissible range (an assumption: the admissible ranges of counts,
    months and magnitudes reach values no province has, e.g. a board of 10,000)."""
    p = PARAMETERS[key]
    if p.kind == "trust":
        return 0.0, 1.0
    if p.low is not None and p.high is not None and 0 <= p.low and p.high <= 1:
        return p.low, p.high
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return None, None
    low, high = value / 2, value * 2
    if p.kind == "int":
        low, high = math.floor(low), math.ceil(high)
    return max(low, p.low if p.low is not None else low), min(high, p.high if p.high is not None
                                                              else high)


def _parameter(ema, base: Scenario, key: str, bounds: tuple[float, float] | None = None):
    """The EMA parameter of `key` in scenario `base` (its plausible range if the scenario gives
    one, else `plausible`), or None if the key cannot be one."""
    p, name, path = PARAMETERS[key], identifier(key), str(base.path)
    default = base.values.get(key)
    if bounds is not None and not p.numeric:
        raise ScenarioError("sim.ema", name, _t("ema.range_kind", allowed=p.allowed()))
    if p.kind in ("bool", "choice"):
        options = [False, True] if p.kind == "bool" else list(p.choices)
        options = [v for v in options if _accepts(path, key, v)]
        if len(options) < 2:
            return None
        default = default if default in options else None
        if p.kind == "bool":
            return ema.BooleanParameter(name, default=default)
        return ema.CategoricalParameter(name, options, default=default)
    if not p.numeric:
        return None
    low, high = bounds or base.ranges.get(key) or plausible(key, default)
    if low is None or high is None or low >= high:
        if bounds is not None:
            raise ScenarioError("sim.ema", name, _t("ema.range_order", bounds=tuple(bounds)))
        return None
    cast = int if p.kind == "int" else float
    low, high = cast(low), cast(high)
    if not (_accepts(path, key, low) and _accepts(path, key, high)):
        if bounds is not None:
            raise ScenarioError("sim.ema", name, _t("ema.range_values", low=f"{low:g}",
                                                    high=f"{high:g}", allowed=p.allowed()))
        return None
    ok = isinstance(default, (int, float)) and not isinstance(default, bool)
    default = default if ok and low <= default <= high else None
    cls = ema.IntegerParameter if p.kind == "int" else ema.RealParameter
    return cls(name, low, high, default=default)


def _parameters(ema, base: Scenario, names: Iterable[str] | None, tables: tuple[str, ...],
                ranges: Mapping[str, tuple[float, float]]) -> list:
    """EMA parameters of the named keys (all that can be, of `tables`, when None)."""
    if names is None:
        built = [_parameter(ema, base, k, ranges.get(k)) for k in PARAMETERS
                 if PARAMETERS[k].table in tables]
        return [x for x in built if x is not None]
    out = []
    for name in names:
        key = key_path(name)
        x = _parameter(ema, base, key, ranges.get(key))
        if x is None:
            raise ScenarioError(base.path, identifier(key), _t("ema.not_parameter"))
        out.append(x)
    return out


def build_model(scenario: str | Path = DEFAULT_SCENARIO, steps: int = DEFAULT_STEPS,
                seed: int | None = None, uncertainties: Iterable[str] | None = None,
                levers: Iterable[str] | None = None,
                ranges: Mapping[str, tuple[float, float]] | None = None,
                vary_seed: bool = False, name: str = "collabsim") -> ema_workbench.Model:
    """An `ema_workbench.Model` running `run` on `scenario` for `steps` months.

    Uncertainties: the context.* and norms.* keys; levers: the governance.* and dialogue.* keys
    (or the keys named in `uncertainties` / `levers`). Each ranges over the scenario's plausible
    range if it gives one, else over `plausible` (a share over [0, 1], another number from half
    to twice its value); `ranges` ({key: (low, high)}) overrides both. List, table and string keys, unbounded keys and values the scenario rejects
    are left out. Every experiment uses `seed` (default the scenario's run.seed: common random
    numbers) unless `vary_seed` makes the seed an uncertainty. Outcomes: `RESULTS`.
    """
    ema = _ema()
    path = scenario_path(scenario).resolve()
    base = load_scenario(path)
    bounds = {key_path(k): tuple(v) for k, v in (ranges or {}).items()}
    model = ema.Model(name, function=run)
    model.uncertainties = _parameters(ema, base, uncertainties, UNCERTAINTY_TABLES, bounds)
    model.levers = _parameters(ema, base, levers, LEVER_TABLES, bounds)
    constants = [ema.Constant("scenario", str(path)), ema.Constant("steps", int(steps))]
    if vary_seed:
        model.uncertainties += [ema.IntegerParameter("seed", *SEED_RANGE)]
    else:
        constants.append(ema.Constant("seed", int(seed if seed is not None else base["run.seed"])))
    model.constants = constants
    model.outcomes = [ema.ScalarOutcome(n) for n in RESULTS]
    return model


def sampling_kwargs(seed: int) -> dict[str, Any]:
    """Keyword arguments that make `perform_experiments`' sampling reproducible: EMA 3 takes an
    `rng` per sampler; EMA 2.5 draws from NumPy's global generator, which this seeds."""
    ema = _ema()
    if "uncertainty_sampling_kwargs" in inspect.signature(ema.perform_experiments).parameters:
        return {"uncertainty_sampling_kwargs": {"rng": seed}, "lever_sampling_kwargs": {"rng": seed}}
    np.random.seed(seed)
    return {}


def prim_inputs(experiments: pd.DataFrame) -> pd.DataFrame:
    """The experiments as PRIM's x: numeric and true/false columns only, cast to float (under
    pandas 3 the PRIM of EMA 2.5 and 3.0 fails on integer and bool columns), without the model,
    policy and scenario columns."""
    x = experiments.drop(columns=["model", "policy", "scenario"], errors="ignore")
    return x.select_dtypes(include=["number", "bool"]).astype(float)


def scenario_discovery(experiments: pd.DataFrame, y: Any, threshold: float = 0.8,
                       **kwargs: Any) -> Prim:
    """An `ema_workbench.analysis.prim.Prim` of `y` (true for the runs of interest) over
    `prim_inputs(experiments)`; `threshold`, a box's minimum density, goes to EMA 2.5 only (EMA 3
    dropped it)."""
    _ema()
    from ema_workbench.analysis import prim

    if "threshold" in inspect.signature(prim.Prim).parameters:
        kwargs["threshold"] = threshold
    return prim.Prim(prim_inputs(experiments), np.asarray(y), **kwargs)
