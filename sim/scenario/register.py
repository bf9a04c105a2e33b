"""Initialisation from data: an actor register (actors.register) and a tie file (network.edges).

Both are CSV files a researcher can write by hand. They are read and checked when the scenario
is loaded (so `collabsim validate` checks them too), and kept on the Scenario as plain arrays, so
the model never re-reads them and the scenario stays picklable for worker processes. Every problem
is one line `FILE: row R, column C: problem; allowed: ...` (row 1 is the header line).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.i18n import text as _t
from sim.scenario.errors import ScenarioError
from sim.scenario.parameters import READINESS, SEAT_KINDS, SECTORS

LEVELS = ("policy", "management", "operation")
ACTOR_COLUMNS = ("id", "sector", "level", "resources", "power", "positions", "readiness",
                 "memberships")
ACTOR_OPTIONAL = ("name", "knowledge", "organised")
TIE_COLUMNS = ("i", "j", "trust")
DATA_KEYS = ("actors.register", "network.edges")
FLAGS = {"": None, "true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
OPERATION = LEVELS.index("operation")
_SPLIT = re.compile(r"[;\s]+")
_FORUM = re.compile(r"wg([1-9][0-9]*)")


@dataclass(eq=False)
class ActorTable:
    """The register's actors in row order (model index = position in the file, from 0)."""

    path: str
    sha256: str
    ids: tuple[str, ...]
    sector: np.ndarray
    level: np.ndarray
    resources: np.ndarray
    power: np.ndarray
    position: np.ndarray  # (n, 3): economy, environment, equity
    readiness: np.ndarray  # -1 for non-civil actors
    knowledge: np.ndarray
    organised: np.ndarray  # 1 / 0 as given, -1 = drawn from context.private_strength
    home: np.ndarray  # first forum named: 0 board, w working group w, -1 none
    board: np.ndarray  # actor indices on the board
    groups: tuple[np.ndarray, ...]  # actor indices of working groups 1..N

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(eq=False)
class TieTable:
    """Directed ties src→dst (model indices) with their trust at the start."""

    path: str
    sha256: str
    src: np.ndarray
    dst: np.ndarray
    trust: np.ndarray


@dataclass(eq=False)
class Initial:
    """What a scenario's data files give: an actor register, a tie file, or both."""

    actors: ActorTable | None = None
    ties: TieTable | None = None


def data_paths(path: Path, values: dict[str, Any]) -> dict[str, str]:
    """The data-file keys a scenario file sets, made relative to that file (as until_founded)."""
    return {key: str((path.parent / values[key]).resolve()) for key in DATA_KEYS
            if values.get(key)}


def read_initial(values: dict[str, Any]) -> Initial | None:
    """Read and check the scenario's register and tie file (None when it names neither)."""
    if not (values["actors.register"] or values["network.edges"]):
        return None
    actors = read_actors(Path(values["actors.register"]), values) if values[
        "actors.register"] else None
    ties = read_ties(Path(values["network.edges"]), actors, generated_size(values)) if values[
        "network.edges"] else None
    return Initial(actors, ties)


def generated_size(values: dict[str, Any]) -> int:
    """Actors of a generated population (board, working groups, operation), as the model makes it."""
    shares = sum(max(0.0, values[f"governance.board_seats.{s}"]) for s in SEAT_KINDS)
    board = values["governance.board_size"] if shares > 0 else 0
    wg = values["governance.working_group_count"] * sum(
        values[f"governance.working_group_seats.{s}"] for s in SEAT_KINDS)
    ops = sum(round(values[f"actors.{n}"] * values["actors.scale"])
              for n in ("firms", "community_groups", "citizens_groups"))
    return int(board + wg + ops)


# ---------------------------------------------------------------- CSV reading
def _rows(path: Path, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
          ) -> tuple[list[str], int, list[tuple[int, dict[str, str]]], str]:
    """The header, its line, (line, {column: cell}) per data row, and the file's sha256."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError(path, None, _t("register.not_found", key=key)) from None
    except IsADirectoryError:
        raise ScenarioError(path, None, _t("register.is_folder", key=key)) from None
    except UnicodeDecodeError:
        raise ScenarioError(path, None, _t("register.not_utf8")) from None
    reader = csv.reader(text.splitlines(keepends=True))
    header, rows = None, []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue  # blank lines and comment lines
            if header is None:
                header, header_line = [c.strip() for c in cells], reader.line_num
                _check_header(path, header, header_line, required, optional)
                continue
            if len(cells) > len(header):
                raise ScenarioError(path, _at(reader.line_num, len(header) + 1), _t(
                    "register.too_many_cells", cells=len(cells), columns=len(header)))
            rows.append((reader.line_num, {h: (cells[n].strip() if n < len(cells) else "")
                                           for n, h in enumerate(header)}))
    except csv.Error as exc:
        raise ScenarioError(path, _at(reader.line_num), _t("register.malformed", detail=exc)
                            ) from None
    if header is None:
        raise ScenarioError(path, _at(1), _t("register.no_header"))
    return header, header_line, rows, hashlib.sha256(raw).hexdigest()


def _check_header(path: Path, header: list[str], line: int, required: tuple[str, ...],
                  optional: tuple[str, ...] = ()) -> None:
    """Every required column once; no unknown column (the closest known one is suggested)."""
    known = required + optional
    for n, name in enumerate(header):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = _t("register.did_you_mean", name=close[0]) if close else ""
            raise ScenarioError(path, _at(line, name or n + 1), _t(
                "register.unknown_column", hint=hint, known=", ".join(known)))
        if header.index(name) != n:
            raise ScenarioError(path, _at(line, name), _t("register.column_twice"))
    for name in required:
        if name not in header:
            raise ScenarioError(path, _at(line, name), _t("register.missing_column",
                                                         required=", ".join(required)))


def _at(line: int, column: object = None) -> str:
    """Where in a CSV file: 'row 3' or 'row 3, column sector' (in the language in use)."""
    if column is None:
        return _t("register.row", line=line)
    return _t("register.row_column", line=line, column=column)


def _bad(path: Path, line: int, column: str, got: str, allowed: str) -> ScenarioError:
    return ScenarioError(path, _at(line, column), _t("error.got_allowed", value=repr(got),
                                                     allowed=allowed))


def _number(path: Path, line: int, column: str, cell: str, low: float, high: float) -> float:
    """A finite number in [low, high]."""
    try:
        x = float(cell)
    except ValueError:
        x = math.nan
    if not (math.isfinite(x) and low <= x <= high):
        hi = "∞" if high == math.inf else f"{high:g}"
        raise _bad(path, line, column, cell, _t("register.allowed.number_in", low=f"{low:g}",
                                                high=hi))
    return x


def _choice(path: Path, line: int, column: str, cell: str, choices: tuple[str, ...]) -> int:
    """The index of the cell's word (any case) among `choices`."""
    word = cell.lower()
    if word not in choices:
        raise _bad(path, line, column, cell, _t("register.allowed.one_of",
                                                choices=", ".join(choices)))
    return choices.index(word)


def _flag(path: Path, line: int, column: str, cell: str) -> bool | None:
    """true/false (yes/no, 1/0); None for an empty cell."""
    if cell.lower() not in FLAGS:
        raise _bad(path, line, column, cell, _t("register.allowed.flag"))
    return FLAGS[cell.lower()]


# ---------------------------------------------------------------- actor register
def read_actors(path: Path, values: dict[str, Any]) -> ActorTable:
    """Read the actor register: one actor per row, forums from the memberships column."""
    _, header_line, rows, digest = _rows(path, "actors.register", ACTOR_COLUMNS,
                                              ACTOR_OPTIONAL)
    if not rows:
        raise ScenarioError(path, _at(header_line + 1), _t("register.no_actors"))
    n_wg = values["governance.working_group_count"]
    parsed = [_actor(path, line, row, n_wg) for line, row in rows]
    _unique_ids(path, [(line, p["id"]) for (line, _), p in zip(rows, parsed)])
    board, groups = _forums(path, parsed, n_wg)
    col = {name: [p[name] for p in parsed] for name in parsed[0]}
    return ActorTable(
        str(path), digest, tuple(col["id"]), np.array(col["sector"], int),
        np.array(col["level"], int), np.array(col["resources"], float),
        np.array(col["power"], float), np.array(col["position"], float).reshape(-1, 3),
        np.array(col["readiness"], int), np.array(col["knowledge"], bool),
        np.array(col["organised"], int), np.array(col["home"], int), board, groups)


def _actor(path: Path, line: int, row: dict[str, str], n_wg: int) -> dict[str, Any]:
    """One register row, checked and converted."""
    if not row["id"]:
        raise _bad(path, line, "id", "", _t("register.allowed.id"))
    sector = _choice(path, line, "sector", row["sector"], SECTORS)
    level = _choice(path, line, "level", row["level"], LEVELS)
    if level == OPERATION and SECTORS[sector] not in ("business", "civil"):
        raise _bad(path, line, "sector", row["sector"], _t("register.allowed.operation_sector"))
    return {"id": row["id"], "sector": sector, "level": level,
            "resources": _number(path, line, "resources", row["resources"], 0, math.inf),
            "power": _number(path, line, "power", row["power"], 0, math.inf),
            "position": _positions(path, line, row["positions"]),
            "readiness": _readiness(path, line, row["readiness"], SECTORS[sector] == "civil"),
            "knowledge": bool(_flag(path, line, "knowledge", row.get("knowledge", ""))),
            "organised": _organised(path, line, row.get("organised", ""),
                                    SECTORS[sector] == "business"),
            "forums": _memberships(path, line, row["memberships"], level, n_wg)}


def _positions(path: Path, line: int, cell: str) -> list[float]:
    """Three numbers in [0, 1] (economy, environment, equity), separated by spaces or ';'."""
    parts = [p for p in _SPLIT.split(cell) if p]
    allowed = _t("register.allowed.positions")
    if len(parts) != 3:
        raise _bad(path, line, "positions", cell, allowed)
    out = []
    for p in parts:
        try:
            x = float(p)
        except ValueError:
            x = math.nan
        if not 0 <= x <= 1:
            raise _bad(path, line, "positions", cell, allowed)
        out.append(x)
    return out


def _readiness(path: Path, line: int, cell: str, civil: bool) -> int:
    """Readiness of a civil actor; empty for every other sector."""
    if civil:
        return _choice(path, line, "readiness", cell, READINESS)
    if cell:
        raise _bad(path, line, "readiness", cell, _t("register.allowed.readiness_empty"))
    return -1


def _organised(path: Path, line: int, cell: str, business: bool) -> int:
    """1 / 0 for a business actor as given, -1 (drawn) when empty; empty for other sectors."""
    flag = _flag(path, line, "organised", cell)
    if flag is not None and not business:
        raise _bad(path, line, "organised", cell, _t("register.allowed.organised_empty"))
    return -1 if flag is None else int(flag)


def _memberships(path: Path, line: int, cell: str, level: int, n_wg: int) -> list[int]:
    """Forums named in the cell: 0 for the board, w for working group w (numbered from 1)."""
    names = [p.lower() for p in _SPLIT.split(cell) if p]
    allowed = ", ".join(["board"] + [f"wg{w}" for w in range(1, n_wg + 1)])
    if level == OPERATION and names:
        raise _bad(path, line, "memberships", cell, _t("register.allowed.memberships_empty"))
    if level != OPERATION and not names:
        raise _bad(path, line, "memberships", cell, _t("register.allowed.memberships_needed",
                                                       allowed=allowed))
    forums = []
    for name in names:
        m = _FORUM.fullmatch(name)
        if not (name == "board" or (m and int(m.group(1)) <= n_wg)):
            raise ScenarioError(path, _at(line, "memberships"), _t(
                "register.no_forum", name=repr(name), allowed=allowed, n_wg=n_wg))
        w = 0 if name == "board" else int(m.group(1))
        if w not in forums:
            forums.append(w)
    return forums


def _unique_ids(path: Path, ids: list[tuple[int, str]]) -> None:
    seen: dict[str, int] = {}
    for line, actor in ids:
        if actor in seen:
            raise _bad(path, line, "id", actor, _t("register.allowed.new_id", row=seen[actor]))
        seen[actor] = line


def _forums(path: Path, parsed: list[dict[str, Any]], n_wg: int
            ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Board and working-group members; each actor's home forum is the first it names."""
    members: list[list[int]] = [[] for _ in range(n_wg + 1)]
    for i, p in enumerate(parsed):
        for w in p["forums"]:
            members[w].append(i)
        p["home"] = p.pop("forums")[0] if p["forums"] else -1
    for w in range(1, n_wg + 1):
        if not members[w]:
            raise ScenarioError(path, _t("register.column", column="memberships"), _t(
                "register.empty_group", w=w, n_wg=n_wg))
    return np.array(members[0], int), tuple(np.array(m, int) for m in members[1:])


# ---------------------------------------------------------------- tie file
def read_ties(path: Path, actors: ActorTable | None, n_generated: int) -> TieTable:
    """Read the tie file: i trusts j at level `trust`; ids from the register, else model indices."""
    _, _, rows, digest = _rows(path, "network.edges", TIE_COLUMNS)
    index = {a: n for n, a in enumerate(actors.ids)} if actors is not None else None
    src, dst, trust, seen = [], [], [], {}
    for line, row in rows:
        i = _endpoint(path, line, "i", row["i"], index, n_generated)
        j = _endpoint(path, line, "j", row["j"], index, n_generated)
        if i == j:
            raise _bad(path, line, "j", row["j"], _t("register.allowed.other_actor"))
        if (i, j) in seen:
            raise _bad(path, line, "j", row["j"], _t("register.allowed.new_pair", row=seen[i, j]))
        seen[i, j] = line
        src.append(i)
        dst.append(j)
        trust.append(_number(path, line, "trust", row["trust"], 0, 1))
    return TieTable(str(path), digest, np.array(src, np.int64), np.array(dst, np.int64),
                    np.array(trust, float))


def _endpoint(path: Path, line: int, column: str, cell: str, index: dict[str, int] | None,
              n: int) -> int:
    """A register id (with a register) or a model index 0..n−1 (without one)."""
    if index is not None:
        if cell not in index:
            close = difflib.get_close_matches(cell, list(index), n=1, cutoff=0.6)
            hint = _t("register.allowed.register_hint", name=close[0]) if close else ""
            raise _bad(path, line, column, cell, _t("register.allowed.register_id", hint=hint))
        return index[cell]
    if not (cell.isdigit() and int(cell) < n):
        raise _bad(path, line, column, cell, _t("register.allowed.index", last=n - 1))
    return int(cell)
