"""Actor-steps per second of collabsim on the Khon Kaen company scenario, scaled to about 10,000
actors, beside Mesa's own Boltzmann wealth example at 10,000 agents, in the same process.

The scenario is scaled with actors.scale so that its actor count (fixed seat holders plus the
operation actors × scale, rounded per group) is the one nearest --actors; the actual count is
reported. Boltzmann runs on a square grid of one agent per cell (the example's own density: 100
agents on 10×10). Only the steps are timed (set-up is reported apart); each figure is the median
of --repeats runs, the two models taking turns. Prints one JSON line, then a readable table.
Usage: python benchmarks/agent_steps.py [--actors 10000] [--steps 100] [--repeats 5]
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import mesa
from mesa.examples import BoltzmannWealth

from sim import CollaborationModel, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "khon_kaen" / "city_development_company.toml"


def build(scale: float, seed: int) -> CollaborationModel:
    return CollaborationModel.from_scenario(load_scenario(SCENARIO, {"actors.scale": scale}),
                                            seed=seed)


def scale_for(actors: int) -> float:
    """The actors.scale whose actor count is nearest `actors`. The count is fixed + slope × scale
    up to rounding per group (within 2 actors), so builds at scale 1 and 2 give fixed and slope,
    and bisection in a bracket of ±2 actors about the straight line finds the nearest count (the
    count never falls as the scale rises)."""
    one, two = build(1.0, 1).n_actors, build(2.0, 1).n_actors
    slope, fixed = two - one, 2 * one - two
    guess = (actors - fixed) / slope
    lo, hi = max(guess - 2 / slope, 1e-9), guess + 2 / slope
    n_lo, n_hi = build(lo, 1).n_actors, build(hi, 1).n_actors
    for _ in range(60):
        if n_hi == actors or hi - lo < 1e-12 * hi:
            break
        mid = (lo + hi) / 2
        n_mid = build(mid, 1).n_actors
        lo, n_lo, hi, n_hi = (lo, n_lo, mid, n_mid) if n_mid >= actors else (mid, n_mid, hi, n_hi)
    return hi if abs(n_hi - actors) <= abs(n_lo - actors) else lo


def time_collabsim(scale: float, steps: int, seed: int) -> tuple[float, float, int]:
    """Seconds of set-up, seconds of `steps` steps, and the actor count."""
    t0 = time.perf_counter()
    m = build(scale, seed)
    t1 = time.perf_counter()
    m.run_for(steps)
    return t1 - t0, time.perf_counter() - t1, m.n_actors


def boltzmann(n: int, seed: int) -> mesa.Model:
    """Mesa's Boltzmann example with `n` agents on a side×side grid, side = ceil(sqrt(n)); Mesa 3.3
    takes keywords, newer Mesa a scenario object (its class is the default of `scenario`)."""
    side = math.isqrt(n - 1) + 1
    params = inspect.signature(BoltzmannWealth).parameters
    if "n" in params:
        return BoltzmannWealth(n=n, width=side, height=side, seed=seed)
    if "scenario" in params:
        cls = params["scenario"].default
        for rng in ("seed", "rng"):
            try:
                return BoltzmannWealth(scenario=cls(n=n, width=side, height=side, **{rng: seed}))
            except TypeError:
                continue
    raise TypeError(f"BoltzmannWealth{inspect.signature(BoltzmannWealth)} is not one this "
                    f"benchmark knows how to call (Mesa {mesa.__version__})")


def time_boltzmann(n: int, steps: int, seed: int) -> tuple[float, float]:
    """Seconds of set-up and of `steps` calls of step()."""
    t0 = time.perf_counter()
    m = boltzmann(n, seed)
    t1 = time.perf_counter()
    for _ in range(steps):
        m.step()
    return t1 - t0, time.perf_counter() - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--actors", type=int, default=10_000)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    scale = scale_for(args.actors)
    cs, bz = [], []
    try:
        for r in range(args.repeats):
            cs.append(time_collabsim(scale, args.steps, r))
            bz.append(time_boltzmann(args.actors, args.steps, r))
    except TypeError as e:
        sys.exit(f"agent_steps: cannot build Mesa's Boltzmann example: {e}")
    n = cs[0][2]
    c_setup, c_run = (statistics.median(x[i] for x in cs) for i in (0, 1))
    b_setup, b_run = (statistics.median(x[i] for x in bz) for i in (0, 1))
    c_aps, b_aps = n * args.steps / c_run, args.actors * args.steps / b_run
    result = {"benchmark": "agent_steps", "scenario": "khon_kaen/city_development_company",
              "actors_scale": scale, "actors": n, "boltzmann_agents": args.actors,
              "steps": args.steps, "repeats": args.repeats,
              "collabsim_actor_steps_per_second": round(c_aps),
              "collabsim_ms_per_step": round(1000 * c_run / args.steps, 3),
              "collabsim_setup_seconds": round(c_setup, 4),
              "boltzmann_actor_steps_per_second": round(b_aps),
              "boltzmann_ms_per_step": round(1000 * b_run / args.steps, 3),
              "boltzmann_setup_seconds": round(b_setup, 4),
              "ratio": round(c_aps / b_aps, 2), "mesa": mesa.__version__,
              "python": platform.python_version(), "cpus": os.cpu_count()}
    print(json.dumps(result))
    print(f"{'model':34} {'actors':>7} {'set-up s':>9} {'ms/step':>8} {'actor-steps/s':>14}")
    print(f"{'collabsim (scale ' + format(scale, '.4g') + ')':34} {n:>7} {c_setup:>9.3f} "
          f"{1000 * c_run / args.steps:>8.2f} {c_aps:>14,.0f}")
    print(f"{'Mesa BoltzmannWealth':34} {args.actors:>7} {b_setup:>9.3f} "
          f"{1000 * b_run / args.steps:>8.2f} {b_aps:>14,.0f}")
    print(f"collabsim / Boltzmann (actor-steps/s): {result['ratio']}×  — medians of "
          f"{args.repeats} repeats of {args.steps} steps; Mesa {mesa.__version__}, "
          f"Python {result['python']}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
