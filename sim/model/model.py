"""CollaborationModel: the Mesa model that holds the arrays and runs the submodels each month."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from sim.model import constants as k
from sim.model.agents import Actor
from sim.model.agreements import decide, expire
from sim.model.commitment import update_commitment
from sim.model.compliance import comply, public_trust, stringency
from sim.model.deliberation import deliberate, meeting_quality
from sim.model.dialogue import continuity_parts, convene, update_suspension
from sim.model.event_log import record
from sim.model.forums import apply_governance, build_forums, working_groups
from sim.model.founding import found
from sim.model.funding import fund
from sim.model.hearings import hear
from sim.model.learning import debrief
from sim.model.norms import internalise
from sim.model.outcomes import COLUMNS, OutcomeCollector, measure
from sim.model.pooling import meeting_cost, pool
from sim.model.population import (
    Actors,
    largest_remainder,
    operation_group,
    register_group,
    rows,
    seat_group,
    seat_kinds,
)
from sim.model.revision import revise
from sim.model.rotation import rotate
from sim.model.run_results import run_results
from sim.model.sanctions import sanction
from sim.model.shocks import flood
from sim.model.streams import group_streams, spawn_streams
from sim.model.targets import review_targets
from sim.model.ties import Ties
from sim.model.trust import decay, form_ties, meet, pair_t0
from sim.scenario import Scenario, load_scenario
from sim.scenario.parameters import SEAT_KINDS
from sim.scenario.ranges import sample_ranges


def seed_sequence(seed: Any = None, rng: Any = None) -> np.random.SeedSequence:
    """The run's SeedSequence: from `seed` or `rng` (an int or a Generator), else fresh entropy."""
    source = seed if seed is not None else rng
    if source is None:
        return np.random.SeedSequence()
    if isinstance(source, np.random.SeedSequence):
        return source
    if isinstance(source, np.random.Generator):
        return np.random.SeedSequence(int(source.integers(0, 2**63)))
    return np.random.SeedSequence(int(source))


class CollaborationModel(mesa.Model):
    """Government, business and civil-society actors meeting in forums at three levels, month by
    month; arrangements and contexts enter only as scenario data."""

    def __init__(self, scenario: Scenario | str | Path | None = None, seed: Any = None,
                 rng: Any = None, **flat_overrides: Any) -> None:
        overrides = {key.replace("__", "."): v for key, v in flat_overrides.items()}
        if scenario is None or isinstance(scenario, (str, Path)):
            scenario = load_scenario(scenario, overrides)
        elif overrides:
            scenario = load_scenario(scenario.path, {**_set_by(scenario), **overrides},
                                     point=not scenario.ranges)
        self.seed_sequence = seed_sequence(seed, rng)
        self._agents_made = False  # Mesa agents are made on first use (see `agents`)
        super().__init__(rng=int(self.seed_sequence.generate_state(1)[0]))
        self.resolved_scenario = scenario  # not `scenario`: Mesa ≥ 3.4 reserves it for its own
        self.values = scenario.values
        self.streams = spawn_streams(self.seed_sequence)
        self._setup()

    @classmethod
    def from_scenario(cls, scenario: Scenario | str | Path, seed: Any = None,
                      **flat_overrides: Any) -> CollaborationModel:
        """Build a model from a loaded scenario (or a scenario file)."""
        return cls(scenario=scenario, seed=seed, **flat_overrides)

    # ------------------------------------------------------------------ set-up
    def _setup(self) -> None:
        self.sampled = sample_ranges(self.resolved_scenario.ranges, self.streams.context)
        if self.sampled:  # this run's draw of the scenario's plausible ranges
            self.values = {**self.values, **self.sampled}
        v = self.values
        self.main_governance = {key: val for key, val in v.items() if key.startswith("governance.")}
        gov_start = self.resolved_scenario.pre_founding or self.main_governance
        self.continuity = continuity_parts(v)
        t0 = np.asarray(v["context.initial_trust"], float)
        self.t0_matrix = np.full((4, 4), float(t0)) if t0.ndim == 0 else t0
        self.t0_public = float(self.t0_matrix.mean())
        self._build_population()
        self.ties = self._initial_ties()
        self.actors.public_trust[:] = self.t0_public
        self.month = 0
        self.founded = self.resolved_scenario.pre_founding is None
        self.company_founded_month = float("nan")
        self.governance_since = 0
        self.pending_flood = (0.0, 0)
        self.floods, self.flood_losses = [], []
        self.lessons = 0.0  # lessons of a common learning forum (learning.py)
        self.rotated = np.empty(0, int)
        self.complainants = np.empty(0, int)
        self.compliance, self.detection, self.detected_violations = 1.0, 0.0, 0
        self.authority_now = 0.0
        self.coordination_total = 0.0
        self.pledged_share = 0.0
        self.counters = collections.Counter()
        self.events: collections.deque = collections.deque(maxlen=200)  # (month, English line)
        self.event_entries: collections.deque = collections.deque(maxlen=200)  # (month, key, values)
        self.attendance_history: list[np.ndarray] = []
        self.progress_history: list[float] = []
        self.outcome_history: list[dict] = []
        apply_governance(self, gov_start)
        self.authority_now = float(gov_start["governance.authority"])
        self.reserve = (gov_start["governance.reserve_months"] * gov_start["governance.operating_cost"]
                        if gov_start["governance.secretariat"] else 0.0)
        self.funded = True
        self.soft_power = np.zeros(len(self.actors))
        self.outcomes = {c: 0.0 for c in COLUMNS}
        self.datacollector = OutcomeCollector()

    def _build_population(self) -> None:
        """Operation actors, then working groups, then the board, each from its own stream (or
        the actor register's actors, when the scenario names one)."""
        initial = self.resolved_scenario.initial
        if initial is not None and initial.actors is not None:
            return self._build_from_register(initial.actors)
        v, gov = self.values, self.main_governance
        op_rng, wg_rng, board_rng = group_streams(self.streams.initialisation, 3)
        reserve = bool(gov["governance.reserved_seats_disadvantaged"])
        board_counts = largest_remainder(
            {s: gov[f"governance.board_seats.{s}"] for s in SEAT_KINDS}, gov["governance.board_size"])
        board_kinds = seat_kinds(board_counts)
        wg_kinds = seat_kinds({s: gov[f"governance.working_group_seats.{s}"] for s in SEAT_KINDS})
        n_wg = gov["governance.working_group_count"]
        has_board = len(board_kinds) > 0
        wg_forum = np.repeat(np.arange(n_wg) + has_board, len(wg_kinds))
        wgs = seat_group(wg_rng, v, wg_kinds * n_wg, k.MANAGEMENT, k.WORKING_GROUP, wg_forum, reserve)
        board = seat_group(board_rng, v, board_kinds, k.POLICY, k.BOARD,
                           np.zeros(len(board_kinds)), reserve)
        ops = operation_group(op_rng, v)
        self.actors = Actors.concat([board, wgs, ops])
        nb, nw = len(board), len(wgs)
        self.seat_holders = np.arange(nb + nw)
        self.operation = np.arange(nb + nw, len(self.actors))
        self.firms = self.operation[self.actors.role[self.operation] == k.FIRM]
        wg_members = [np.arange(nb + i * len(wg_kinds), nb + (i + 1) * len(wg_kinds))
                      for i in range(n_wg)]
        self.forums = build_forums(np.arange(nb), wg_members, bool(gov["governance.drr_groups"]))
        self._group_rows()

    def _build_from_register(self, reg) -> None:
        """The register's actors in row order; forums from their memberships (docs/ODD.md §5)."""
        rng = group_streams(self.streams.initialisation, 1)[0]
        self.actors = register_group(rng, self.values, reg)
        self.seat_holders = np.flatnonzero(self.actors.level != k.OPERATION)
        self.operation = np.flatnonzero(self.actors.level == k.OPERATION)
        self.firms = self.operation[self.actors.role[self.operation] == k.FIRM]
        self.forums = build_forums(reg.board, list(reg.groups),
                                   bool(self.main_governance["governance.drr_groups"]))
        self._group_rows()

    def _group_rows(self) -> None:
        """The groups' rows for reading state (slices where the ids are contiguous: no copies)."""
        self.operation_rows, self.firm_rows = rows(self.operation), rows(self.firms)
        self.seat_rows = rows(self.seat_holders)

    def _initial_ties(self) -> Ties:
        """No ties at the start, or the tie file's (network.edges), each drifting toward its T0."""
        ties = Ties(len(self.actors))
        initial = self.resolved_scenario.initial
        if initial is not None and initial.ties is not None:
            e = initial.ties
            ties.seed(e.src, e.dst, e.trust, pair_t0(self, e.src, e.dst))
        return ties

    # ------------------------------------------------------------------ helpers
    @property
    def calendar_month(self) -> int:
        return (self.values["run.start_month"] - 1 + self.month) % 12 + 1

    def total_progress(self) -> float:
        return float(sum(f.progress for f in working_groups(self.forums)))

    def log(self, key: str, forum=None, **values) -> None:
        """Add an event to the log: a catalogue key (event.*) and its values, the forum it
        concerns if any (sim/model/event_log.py)."""
        record(self, key, forum, **values)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Every actor as a Mesa agent. The submodels work on the arrays and never need the agents,
        so they are made on first use: a million-actor run does not pay for a million objects."""
        if not self._agents_made and hasattr(self, "actors"):
            self._agents_made = True
            for i in range(len(self.actors)):
                Actor(self, i)
        return super().agents

    @agents.setter
    def agents(self, value: Any) -> None:
        mesa.Model.agents.fset(self, value)  # Mesa's own error for assigning to `agents`

    @property
    def agents_by_type(self) -> dict:
        self.agents  # noqa: B018  (makes the agents)
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self.agents  # noqa: B018
        return super().agent_types

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """One month: rotation, floods, funding, founding; compliance, sanctions and norms at the
        operation level; suspension, hearings, agreements' expiry, then meetings (deliberation,
        agreement, pooling, trust); targets, trust decay, commitment, revision; outcomes."""
        self.month_attendance = np.zeros(4)
        self.month_coordination = self.secretariat_spending = 0.0
        self.agreements_new = 0
        held_before = self.counters["meetings_held"]
        self.soft_power = self.ties.incoming_mean(len(self.actors))
        rotate(self)
        flood(self)
        debrief(self)
        fund(self)
        found(self)
        standard, tau = stringency(self), public_trust(self)  # unchanged until hearings, meetings
        violators, detected, seen = comply(self, standard, tau)
        sanction(self, violators, detected, seen)
        internalise(self, standard, tau)
        update_suspension(self)
        hear(self)
        expire(self)
        for f in self.forums[:-1]:
            self._meet(f)
        review_targets(self)
        decay(self)
        update_commitment(self)
        revise(self)
        self.meetings_this_month = self.counters["meetings_held"] - held_before
        self.attendance_history = (self.attendance_history + [self.month_attendance])[-12:]
        self.outcomes = measure(self)
        self.progress_history.append(self.total_progress())
        self.datacollector.collect(self)
        self.month += 1

    def _meet(self, f) -> None:
        meeting = convene(self, f)
        if meeting is None:
            return
        a = self.actors
        form_ties(self, meeting)
        power = a.hard_power[meeting.present] + self.soft_power[meeting.present]
        quality = meeting_quality(self, meeting, power)
        deliberate(self, meeting, quality)
        decide(self, meeting)
        breach = pool(self, meeting) if f.kind == "working_group" else np.zeros(
            len(meeting.present), bool)
        meet(self, meeting, quality, breach)
        meeting_cost(self, meeting)

    def run_for(self, steps: int | None = None) -> CollaborationModel:
        """Run `steps` months (default run.steps)."""
        for _ in range(int(steps if steps is not None else self.values["run.steps"])):
            self.step()
        return self

    def outcome_array(self, columns: tuple[str, ...] = COLUMNS) -> np.ndarray:
        """The monthly outcomes as a float array, one row per month and one column per name
        (the DataFrame of `timeseries` without pandas)."""
        kept = self.datacollector.model_vars
        return np.array([kept[c] for c in columns], float).T.reshape(-1, len(columns))

    def timeseries(self):
        """The monthly outcomes as a DataFrame, one row per month."""
        df = self.datacollector.get_model_vars_dataframe()
        df.insert(0, "month", np.arange(1, len(df) + 1))
        return df

    def run_results(self) -> dict[str, float]:
        """Run-level results: recovery_months, resilience_loss, company_founded_month, collapsed."""
        return run_results(self)


def _set_by(scenario: Scenario) -> dict[str, Any]:
    """The values of a loaded scenario that differ from its file (its earlier overrides)."""
    if scenario.path is None:
        return {key: val for key, val in scenario.values.items()
                if val != load_scenario(None).values.get(key)}
    base = load_scenario(scenario.path).values
    return {key: val for key, val in scenario.values.items() if base.get(key) != val}
