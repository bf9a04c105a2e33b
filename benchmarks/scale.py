"""Time and peak memory of one run of the Khon Kaen company scenario at 1,000 to 1,000,000
actors, and how they grow: the fitted exponent b of time ∝ actors^b and memory ∝ actors^b.

The scenario is scaled with actors.scale to the actor count nearest each size (the count is
fixed seat holders + operation actors × scale; two small builds give the straight line; the
actual count is reported). Each size runs in a fresh child process so its peak memory is its
own. Time is set-up (building the model) plus the steps; memory is the peak RSS less the RSS
after importing sim, before building. Exponents are least-squares slopes of log(time) and
log(memory) against log(actors): over all sizes, and over the sizes ≥ 10,000 only, since at
small sizes the memory above imports is tiny and noisy.
Prints one JSON line, then a readable table.
Usage: python benchmarks/scale.py [--sizes 1000,10000,100000,1000000] [--steps 120] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from sim import CollaborationModel, load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "khon_kaen" / "city_development_company.toml"
LARGE = 10_000  # the smallest requested size (--sizes) in the second fit
CHILD = r"""
import json, resource, sys, time
from sim import CollaborationModel, load_scenario
path, steps, scale, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = rss()
t0 = time.perf_counter()
m = CollaborationModel.from_scenario(load_scenario(path, {"actors.scale": scale}), seed=seed)
t1 = time.perf_counter()
built = rss()
m.run_for(steps)
t2 = time.perf_counter()
print(json.dumps({"actors": m.n_actors, "ties": len(m.ties), "setup_seconds": t1 - t0,
                  "run_seconds": t2 - t1, "total_seconds": t2 - t0, "peak_mb": rss(),
                  "after_imports_mb": base, "after_setup_mb": built}))
"""


def scale_for(actors: int) -> float:
    """actors.scale on the straight line through the actor counts at scale 1 and 2; rounding per
    group leaves the count within an actor or two of `actors`."""
    one, two = (CollaborationModel.from_scenario(load_scenario(SCENARIO, {"actors.scale": s}),
                                                 seed=1).n_actors for s in (1.0, 2.0))
    return (actors - (2 * one - two)) / (two - one)


def measure(size: int, steps: int, seed: int) -> dict:
    scale = scale_for(size)
    out = subprocess.run([sys.executable, "-c", CHILD, str(SCENARIO), str(steps), repr(scale),
                          str(seed)], capture_output=True, text=True, check=True, cwd=ROOT)
    r = json.loads(out.stdout)
    r["memory_mb"] = r["peak_mb"] - r["after_imports_mb"]
    return {"size": size, "scale": scale, **{k: round(v, 4) if isinstance(v, float) else v
                                            for k, v in r.items()}}


def exponent(actors: list[int], values: list[float]) -> float | None:
    """Least-squares slope of log(value) against log(actors); None under two sizes or when a
    value is not positive (a memory rise below ru_maxrss's 1 kB resolution)."""
    if len(actors) < 2 or min(values) <= 0:
        return None
    return round(float(np.polyfit(np.log(actors), np.log(values), 1)[0]), 3)


def fits(rows: list[dict]) -> dict:
    big = [r for r in rows if r["size"] >= LARGE]
    out = {}
    for label, sel in (("all_sizes", rows), (f"sizes_from_{LARGE}", big)):
        n = [r["actors"] for r in sel]
        out[f"time_exponent_{label}"] = exponent(n, [r["total_seconds"] for r in sel])
        out[f"memory_exponent_{label}"] = exponent(n, [r["memory_mb"] for r in sel])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000",
                    help="Comma-separated actor counts.")
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = [measure(s, args.steps, args.seed) for s in sizes]
    result = {"benchmark": "scale", "scenario": "khon_kaen/city_development_company",
              "steps": args.steps, "seed": args.seed, "runs": rows, **fits(rows)}
    print(json.dumps(result))
    print(f"{'actors':>9} {'ties':>8} {'set-up s':>9} {'run s':>8} {'total s':>8} {'peak MB':>8} "
          f"{'above imports MB':>16}")
    for r in rows:
        print(f"{r['actors']:>9} {r['ties']:>8} {r['setup_seconds']:>9.3f} {r['run_seconds']:>8.3f} "
              f"{r['total_seconds']:>8.3f} {r['peak_mb']:>8.1f} {r['memory_mb']:>16.1f}")
    for label in ("all_sizes", f"sizes_from_{LARGE}"):
        t, m = result[f"time_exponent_{label}"], result[f"memory_exponent_{label}"]
        print(f"exponent over {label.replace('_', ' ')}: time ∝ actors^{t}, "
              f"memory above imports ∝ actors^{m}")


if __name__ == "__main__":
    main()
