"""Time and peak memory of one 120-step run per Khon Kaen scenario, and of one at actors.scale=100.

Each run happens in a fresh child process so its peak memory is its own. Prints one JSON line,
then a readable table.  Usage: python benchmarks/run_time.py [--steps 120] [--scale 100]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, resource, sys, time
from sim import CollaborationModel, load_scenario
path, steps, scale = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
m = CollaborationModel.from_scenario(load_scenario(path, {"actors.scale": scale}), seed=1)
m.run_for(steps)
m.timeseries()
print(json.dumps({"seconds": time.perf_counter() - t, "n_actors": m.n_actors, "ties": len(m.ties),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "after_imports_mb": base / 1024}))
"""


def measure(path: Path, steps: int, scale: float) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(steps), str(scale)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return {"scenario": f"{path.parent.name}/{path.stem}", "scale": scale, "steps": steps,
            **json.loads(out.stdout)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--scale", type=float, default=100.0)
    args = ap.parse_args()
    kk = sorted((ROOT / "scenarios" / "khon_kaen").glob("*.toml"))
    rows = [measure(p, args.steps, 1.0) for p in kk]
    rows.append(measure(ROOT / "scenarios" / "khon_kaen" / "ppp.toml", args.steps, args.scale))
    print(json.dumps({"benchmark": "run_time", "runs": rows}))
    print(f"{'scenario':38} {'scale':>6} {'actors':>8} {'ties':>6} {'seconds':>8} {'peak MB':>8} "
          f"{'imports MB':>10}")
    for r in rows:
        print(f"{r['scenario']:38} {r['scale']:>6g} {r['n_actors']:>8} {r['ties']:>6} "
              f"{r['seconds']:>8.2f} {r['peak_mb']:>8.1f} {r['after_imports_mb']:>10.1f}")


if __name__ == "__main__":
    main()
