"""Exports rebuilt from the store: runs.csv, timeseries.csv, Parquet copies, manifest.json."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiment.store import RUN_LEVEL, Store
from sim.model.outcomes import OUTCOMES
from sim.provenance import lock_hash, versions
from sim.scenario import PARAMETERS

INTEGER_RESULTS = ("collapsed", "floods")


def atomic(path: Path, write) -> Path:
    """Write through a temporary file and rename, so the file appears whole or not at all."""
    tmp = path.with_name(path.name + ".part")
    write(tmp)
    os.replace(tmp, path)
    return path


def runs_frame(store: Store, info: dict[str, Any]) -> pd.DataFrame:
    """One row per finished run, sorted by run_id: identity, varied keys, sampled keys (draws of
    plausible ranges; empty where the run's scenario has no range for the key), outcomes,
    results."""
    cols = ", ".join(f'"{c}"' for c in ("run_id", "scenario", "point", "replication", "seed",
                                        *OUTCOMES, *RUN_LEVEL))
    df = pd.read_sql_query(f"SELECT {cols} FROM runs WHERE status = 'done' ORDER BY run_id",
                           store.db)
    keys = [v["key"] for v in info["vary"]]
    points = pd.DataFrame(info["point_values"], columns=keys)
    for key in keys:
        df[key] = points[key].to_numpy()[df["point"].to_numpy()]
    sampled = sampled_columns(store, df["run_id"])
    df = pd.concat([df, sampled], axis=1)
    df[list(OUTCOMES) + list(RUN_LEVEL)] = df[list(OUTCOMES) + list(RUN_LEVEL)].astype(float)
    for c in INTEGER_RESULTS:
        df[c] = df[c].astype(int)
    return df[["run_id", "scenario", "replication", "seed", *keys, *sampled.columns, *OUTCOMES,
               *RUN_LEVEL]]


def sampled_columns(store: Store, run_ids: pd.Series) -> pd.DataFrame:
    """One column per sampled key path (in parameter-table order) aligned with `run_ids`; an
    integer key as nullable integers."""
    long = pd.read_sql_query("SELECT run_id, key, value FROM sampled", store.db)
    wide = long.pivot(index="run_id", columns="key", values="value")
    wide = wide[[k for k in PARAMETERS if k in wide.columns]]
    out = wide.reindex(run_ids.to_numpy()).reset_index(drop=True)
    out.index = run_ids.index
    for key in out.columns:
        if PARAMETERS[key].kind == "int":
            out[key] = out[key].round().astype("Int64")
    return out


def timeseries_frame(store: Store) -> pd.DataFrame:
    """Tidy monthly outcomes of finished runs: run_id, step, one column per outcome."""
    cols = ", ".join(f't."{c}"' for c in OUTCOMES)
    return pd.read_sql_query(
        f"SELECT t.run_id, t.step, {cols} FROM timeseries t JOIN runs r USING (run_id) "
        "WHERE r.status = 'done' ORDER BY t.run_id, t.step", store.db)


def write_tables(folder: Path, runs: pd.DataFrame, series: pd.DataFrame) -> list[Path]:
    """runs.csv and timeseries.csv, plus Parquet copies when pyarrow is installed."""
    written = [atomic(folder / "runs.csv", lambda p: runs.to_csv(p, index=False)),
               atomic(folder / "timeseries.csv", lambda p: series.to_csv(p, index=False))]
    try:
        import pyarrow  # noqa: F401 — only to learn whether the parquet extra is installed
    except ImportError:
        return written
    for name, frame in (("runs", runs), ("timeseries", series)):
        written.append(atomic(folder / f"{name}.parquet",
                              lambda p, f=frame: f.to_parquet(p, index=False)))
    return written


def write_manifest(folder: Path, store: Store, extra: dict[str, Any]) -> Path:
    """manifest.json: the command, the resolved experiment, seeds, versions, times, counts."""
    meta = store.meta()
    n_done = len(store.finished())
    n_failed = len(store.failed())
    info = meta["experiment"]
    total = len(info["scenarios"]) * info["points"] * info["replications"]
    doc = {**extra, "experiment": info, "root_seed": info["root_seed"],
           "runs": {"total": total, "done": n_done, "failed": n_failed,
                    "missing": total - n_done - n_failed},
           "created": meta.get("created"), "versions": versions(), "lock_sha256": lock_hash(),
           "sqlite_journal_mode": store.journal}
    text = json.dumps(doc, indent=2, ensure_ascii=False, default=str)
    return atomic(folder / "manifest.json", lambda p: p.write_text(text, encoding="utf-8"))


def load_analysis(figures: bool = True) -> None:
    """Import what the exports need (scipy.stats, matplotlib: most of a second) ahead of time, so
    the coordinator can do it while the workers run rather than after the last run."""
    import sim.analysis.statistics

    if figures:
        import sim.analysis.experiment_figures  # noqa: F401


def export_all(folder: Path, store: Store, extra: dict[str, Any], figures: bool = True
               ) -> list[Path]:
    """Rewrite every export from the store: tables and statistics (written while the figures are
    drawn), figures, then the manifest."""
    from sim.analysis.experiment_figures import write_figures
    from sim.analysis.statistics import write_tables as write_statistics

    info = store.meta()["experiment"]
    runs, series = runs_frame(store, info), timeseries_frame(store)
    tables: list[Path] = []

    def write_all_tables() -> None:
        tables.extend(write_tables(folder, runs, series))
        if len(runs):
            tables.extend(write_statistics(folder, runs, info))

    drawn: list[Path] = []
    if figures and len(runs):
        drawn = write_figures(folder, runs, series, info, meanwhile=write_all_tables)
    else:
        write_all_tables()
    return [*tables, *drawn, write_manifest(folder, store, extra)]


def export_folder(folder: Path, extra: dict[str, Any], figures: bool = True) -> list[Path]:
    """Open a folder's store and rewrite its exports."""
    store = Store(folder / "results.sqlite")
    try:
        return export_all(folder, store, extra, figures)
    finally:
        store.close()
