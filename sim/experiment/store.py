"""The results store: one SQLite file per experiment, one committed transaction per finished run,
so a crash, a kill or Ctrl-C loses only the runs in flight."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from sim.i18n import text as _t
from sim.model.outcomes import COLUMNS
from sim.provenance import lock_hash, versions
from sim.scenario import ScenarioError

SCHEMA_VERSION = 2  # 2: the sampled table (draws of plausible ranges)
RUN_LEVEL = ("recovery_months", "resilience_loss", "company_founded_month", "collapsed", "floods")
NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "ncpfs", "afs", "fuse.sshfs", "9p",
              "lustre", "gpfs", "beegfs", "glusterfs", "ceph", "fuse.glusterfs"}


def filesystem_type(path: Path) -> str:
    """The type of the file system holding `path`, from /proc/mounts ('' if unknown)."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return ""
    target = str(path.resolve())
    best = max((m for m in mounts if target == m[0] or target.startswith(m[0].rstrip("/") + "/")),
               key=lambda m: len(m[0]), default=None)
    return best[1] if best else ""


def _schema() -> str:
    outcome_cols = ", ".join(f'"{c}" REAL' for c in (*COLUMNS, *RUN_LEVEL))
    series_cols = ", ".join(f'"{c}" REAL' for c in COLUMNS)
    return f"""
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS runs(
        run_id INTEGER PRIMARY KEY, status TEXT NOT NULL, scenario TEXT NOT NULL,
        point INTEGER NOT NULL, replication INTEGER NOT NULL, seed INTEGER NOT NULL,
        {outcome_cols}, error TEXT, seconds REAL, host TEXT, finished TEXT);
    CREATE TABLE IF NOT EXISTS timeseries(
        run_id INTEGER NOT NULL, step INTEGER NOT NULL, {series_cols},
        PRIMARY KEY (run_id, step)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sampled(
        run_id INTEGER NOT NULL, key TEXT NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (run_id, key)) WITHOUT ROWID;
    """


class Store:
    """results.sqlite of one experiment (written by the coordinating process only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.journal = self._journal_mode()
        self.db.execute("PRAGMA synchronous=NORMAL" if self.journal == "wal"
                        else "PRAGMA synchronous=FULL")
        self.db.executescript(_schema())
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.db.commit()

    def _journal_mode(self) -> str:
        """WAL where it is safe; rollback journal (DELETE) on network file systems."""
        wanted = "DELETE" if filesystem_type(self.path.parent) in NETWORK_FS else "WAL"
        mode = self.db.execute(f"PRAGMA journal_mode={wanted}").fetchone()[0]
        return str(mode).lower()

    def close(self) -> None:
        self.db.close()

    # — identity —
    def meta(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def claim(self, info: dict[str, Any]) -> None:
        """Bind the store to this experiment and these versions, or refuse a different one; the
        settings that do not change the runs (baseline, outcomes, question) follow the latest
        command."""
        mine = {"experiment_hash": info["hash"], "collabsim": versions()["collabsim"],
                "lock_sha256": lock_hash()}
        stored = self.meta()
        for key, value in mine.items():
            if key in stored and stored[key] != value:
                raise ScenarioError(self.path.parent, key, _t(
                    "error.folder_holds_other", stored=repr(stored[key]), value=repr(value)))
        rows = {"experiment": info}  # the runs are the same; the analysis settings are the latest
        if not stored:
            rows |= {**mine, "versions": versions(),
                     "created": datetime.now(UTC).isoformat(timespec="seconds")}
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                            [(k, json.dumps(v, default=str)) for k, v in rows.items()])
        self.db.commit()

    # — runs —
    def finished(self) -> set[int]:
        """run_ids that finished without error."""
        return {r for (r,) in self.db.execute("SELECT run_id FROM runs WHERE status = 'done'")}

    def failed(self) -> dict[int, str]:
        return dict(self.db.execute("SELECT run_id, error FROM runs WHERE status = 'failed'"))

    def record(self, row: dict[str, Any], series: np.ndarray | None,
               sampled: dict[str, float] | None = None) -> None:
        """Write one run (its monthly series, its draws of plausible ranges) in a single
        transaction."""
        cols = list(row)
        with self.db:
            self.db.execute("DELETE FROM timeseries WHERE run_id = ?", (row["run_id"],))
            self.db.execute("DELETE FROM sampled WHERE run_id = ?", (row["run_id"],))
            self.db.executemany("INSERT INTO sampled VALUES (?, ?, ?)",
                                [(row["run_id"], k, float(v)) for k, v in (sampled or {}).items()])
            self.db.execute(f"INSERT OR REPLACE INTO runs ({', '.join(map(_q, cols))}) "
                            f"VALUES ({', '.join('?' * len(cols))})", [row[c] for c in cols])
            if series is not None and len(series):
                data = [(row["run_id"], step, *values)
                        for step, values in enumerate(_reals(series), start=1)]
                self.db.executemany(f"INSERT INTO timeseries VALUES "
                                    f"({', '.join('?' * (2 + len(COLUMNS)))})", data)

    def copy_run(self, other: Store, run_id: int) -> None:
        """Copy one finished run, with its series, from another store (merging shards)."""
        cur = other.db.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone()))
        series = np.array(other.db.execute(
            f"SELECT {', '.join(map(_q, COLUMNS))} FROM timeseries WHERE run_id = ? ORDER BY step",
            (run_id,)).fetchall(), dtype=float)
        self.record(row, series, other.sampled(run_id))

    def sampled(self, run_id: int) -> dict[str, float]:
        """One run's draws of plausible ranges: {key path: value}."""
        return dict(self.db.execute("SELECT key, value FROM sampled WHERE run_id = ? ORDER BY key",
                                    (run_id,)))


def _q(name: str) -> str:
    return f'"{name}"'


def _reals(series: np.ndarray) -> list[list[float | None]]:
    """The rows of a float array as lists of numbers, NaN as None (NULL)."""
    values = np.asarray(series, float)
    cells = values.astype(object)
    cells[np.isnan(values)] = None
    return cells.tolist()
