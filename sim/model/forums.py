"""Forums (board, working groups, public hearings) and how an arrangement's governance sets them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model import constants as k


@dataclass
class Agreement:
    """An agreement in force in one forum."""

    adopted: int
    until: int
    compliance_at_adoption: float
    public_plan: bool
    imposed: bool
    acceptability: np.ndarray  # per seat of the forum


@dataclass
class Forum:
    """A place of dialogue: its seats, schedule and depth, and its running state."""

    kind: str  # "board", "working_group" or "hearing"
    members: np.ndarray
    depth: str
    drr_role: str = ""  # "structural" / "non_structural" for DRR working groups
    number: int = 0  # a working group's number (1, 2, ...), for the event log
    in_force: bool = True  # part of the governance currently in force
    standing: bool = True
    active: bool = True  # not suspended
    convenor: int = -1
    failures: int = 0
    agreement: Agreement | None = None
    last_meeting: int = -10_000
    last_depth: int = 0
    last_contribution: float = 0.0
    last_contributors: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    last_contributions: np.ndarray = field(default_factory=lambda: np.empty(0))
    last_knowledge_present: float = 0.0
    # management (working groups)
    progress: float = 0.0
    year_start: int = 0
    year_start_progress: float = 0.0
    milestone_start_progress: float = 0.0
    milestone_flood_loss: float = 0.0  # flood losses since the last milestone check
    target: float | None = None
    cumulative_target: float = 0.0
    events: list = field(default_factory=list)  # (month, +1 won / -1 missed)

    @property
    def depth_weight(self) -> float:
        return k.DEPTH_WEIGHT[self.depth]


def build_forums(board_members: np.ndarray, wg_members: list[np.ndarray], drr: bool
                 ) -> list[Forum]:
    """Board (if seated), working groups and the public hearing forum, in that order."""
    forums = []
    if len(board_members):
        forums.append(Forum("board", board_members, "collaborate"))
    for i, m in enumerate(wg_members):
        role = ("structural", "non_structural")[i] if drr and i < 2 else ""
        forums.append(Forum("working_group", m, "collaborate", drr_role=role, number=i + 1))
    forums.append(Forum("hearing", np.empty(0, int), "consult"))
    return forums


def pick_convenor(members: np.ndarray, sector: np.ndarray, hard_power: np.ndarray,
                  convenor_sector: int) -> int:
    """The seat holder of the convenor's sector with the most hard power (else the first seat)."""
    if not len(members):
        return -1
    own = members[sector[members] == convenor_sector]
    pool = own if len(own) else members
    return int(pool[np.argmax(hard_power[pool])])


def apply_governance(model, gov: dict) -> None:
    """Put an arrangement's structural keys in force: which forums run, and who convenes them."""
    model.gov = gov
    sector, power = model.actors.sector, model.actors.hard_power
    csec = k.SECTOR_NAMES.index(gov["governance.convenor_sector"])
    for f in model.forums:
        if f.kind == "board":
            f.in_force = gov["governance.board_size"] > 0
        elif f.kind == "working_group":
            f.in_force = True
            f.standing = gov["governance.working_groups"] == "standing"
        else:
            f.in_force = bool(gov["governance.hearings"])
        f.convenor = pick_convenor(f.members, sector, power, csec)
    anchor = next((f for f in model.forums if f.kind == "board" and f.in_force),
                  next((f for f in model.forums if f.kind == "working_group"), None))
    hearing = model.forums[-1]
    hearing.convenor = anchor.convenor if anchor is not None else -1


def working_groups(forums: list[Forum]) -> list[Forum]:
    return [f for f in forums if f.kind == "working_group"]
