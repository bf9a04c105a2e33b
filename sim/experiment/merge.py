"""Joining the results folders of shards of one experiment into one folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sim.experiment.store import Store
from sim.i18n import text as _t
from sim.scenario import ScenarioError

IDENTITY = ("experiment_hash", "collabsim", "lock_sha256")


@dataclass
class MergeReport:
    """Counts of the merge: runs copied, expected in all, and the run_ids missing or twice."""

    copied: int = 0
    total: int = 0
    duplicates: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


def open_shard(folder: Path) -> Store:
    path = folder / "results.sqlite"
    if not path.exists():
        raise ScenarioError(folder, None, _t("error.no_store"))
    return Store(path)


def merge(shards: list[Path], out: Path) -> MergeReport:
    """Copy every finished run of the shards into `out`, refusing shards of different
    experiments or versions; duplicates are kept once and reported."""
    stores = [open_shard(f) for f in shards]
    target = None
    try:
        metas = [s.meta() for s in stores]
        for folder, meta in zip(shards[1:], metas[1:]):
            for key in IDENTITY:
                if meta.get(key) != metas[0].get(key):
                    raise ScenarioError(folder, key, _t(
                        "error.shard_differs", value=repr(meta.get(key)),
                        first=repr(metas[0].get(key)), shard=shards[0]))
        info = metas[0]["experiment"]
        target = Store(out / "results.sqlite")
        target.claim(info)
        report = MergeReport(total=len(info["scenarios"]) * info["points"] * info["replications"])
        seen = target.finished()
        for store in stores:
            for run_id in sorted(store.finished()):
                if run_id in seen:
                    report.duplicates.append(run_id)
                    continue
                target.copy_run(store, run_id)
                seen.add(run_id)
                report.copied += 1
        report.missing = sorted(set(range(report.total)) - seen)
        return report
    finally:
        for s in stores + ([target] if target else []):
            s.close()
