"""Every scenario key: its default, type, range, unit and source tag (the single source of truth).

The ODD parameter table, the JSON Schema, validation and the model's defaults are all read from
`PARAMETERS`. Sources: S1–S5 are the Thai documents of shared/SOURCES.md; a publication is cited by
author and year; "assumption" marks a number the sources do not give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SECTORS = ("central", "local", "business", "civil")
SEAT_KINDS = SECTORS + ("knowledge",)
READINESS = ("weak", "self_reliant", "volunteer", "organised")
MANDATES = ("voluntary", "contract", "statute")


@dataclass(frozen=True)
class Param:
    """One scenario key: `kind` is float, int, bool, str, choice, float_list, int_list,
    trust (a number or a 4×4 sector matrix) or funding (a list of funding-stream tables)."""

    path: str
    default: Any
    kind: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = "assumption"
    doc: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False  # no default: derived from another key unless set

    @property
    def table(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def numeric(self) -> bool:
        """Whether the key takes one number (a trust key in its scalar form)."""
        return self.kind in ("float", "int", "trust")

    def allowed(self) -> str:
        """Human words for what the key accepts (used in error messages), in the language in
        use."""
        from sim.i18n import text

        if self.kind == "choice":
            return text("allowed.one_of", choices=", ".join(repr(c) for c in self.choices))
        if self.kind in ("bool", "str", "trust", "funding"):
            return text(f"allowed.{self.kind}")
        noun = text(f"allowed.{self.kind}")
        if self.low is None:
            return noun
        hi = "∞" if self.high is None else f"{self.high:g}"
        return text("allowed.in_range", noun=noun, low=f"{self.low:g}", high=hi)


def _p(path, default, kind="float", low=0.0, high=1.0, unit="", source="assumption", doc="",
       **kw) -> Param:
    return Param(path, default, kind, low, high, unit, source, doc, **kw)


_RUN = [
    _p("run.steps", 120, "int", 1, 100_000, "months", doc="Months simulated."),
    _p("run.start_month", 10, "int", 1, 12, "calendar month",
       source="Thai reshuffles take effect 1 October (REFERENCES)",
       doc="Calendar month of step 0."),
    _p("run.seed", 1, "int", 0, None, "", doc="Root seed when none is given on the command line."),
]

_ACTORS = [
    _p("actors.scale", 1.0, "float", 1e-9, None, "×",
       doc="Multiplies the operation-level populations only (firms, community and citizens' groups)."),
    _p("actors.firms", 150, "int", 0, 10_000_000, "actors", source="S1 (factories and units)",
       doc="Firms bound by the code of conduct, before scaling."),
    _p("actors.community_groups", 60, "int", 0, 10_000_000, "actors", source="S1, S4",
       doc="Community groups (monitors and service users), before scaling."),
    _p("actors.citizens_groups", 40, "int", 0, 10_000_000, "actors", source="S4",
       doc="Citizens' groups (monitors and service users), before scaling."),
    _p("actors.position_noise", 0.15, "float", 0, 1, "position units",
       doc="Standard deviation of positions around the sector centre."),
    _p("actors.free_rider_share", 0.3, "float", 0, 1, "share",
       source="Fischbacher, Gächter & Fehr 2001", doc="Share of free riders (a = b = 0)."),
    _p("actors.conditional_share", 0.5, "float", 0, 1, "share",
       source="Fischbacher, Gächter & Fehr 2001",
       doc="Share of conditional co-operators (a = 0.1, b = 0.8); the rest a = 0.1, b = 0.4."),
    _p("actors.knowledge_from_civil_share", 0.5, "float", 0, 1, "share",
       doc="Share of knowledge seats held by civil-society institutions (the rest central)."),
    _p("actors.register", "", "str", source="MODEL.md (initialisation from data)",
       doc="Actor register (CSV, relative to the file that names it) that replaces the generated "
           "population; \"\" = generate. Columns: docs/ODD.md §5."),
]

_NETWORK = [
    _p("network.edges", "", "str", source="MODEL.md (ties from an imported tie file)",
       doc="Tie file (CSV i, j, trust; relative to the file that names it): trust on these "
           "directed ties at the start; \"\" = no ties until forums meet."),
]

_CONTEXT = [
    _p("context.private_strength", 0.5, source="S3",
       doc="Share of firms (and business members) that are organised."),
    _p("context.private_direction", 0.5, source="S3",
       doc="1 − spread of business positions (0 scatters business, 1 aligns it)."),
    *[_p(f"context.civil_readiness.{r}", d, source="S4",
         doc=f"Share of civil-society actors whose readiness is '{r}' (shares are normalised).")
      for r, d in zip(READINESS, (0.3, 0.3, 0.2, 0.2))],
    _p("context.official_tenure_months", 40.0, "float", 1, 600, "months",
       source="REFERENCES: 20–25 of 75 governors move each year",
       doc="Mean tenure of central officials (rotation probability 1/tenure per month)."),
    _p("context.rotation_start_month", 12, "int", 0, 100_000, "months",
       doc="First month in which central officials may rotate."),
    _p("context.local_election_months", [48, 96], "int_list", 0, 100_000, "months",
       source="S4", doc="Months of local elections (policy-level local seats may change)."),
    _p("context.local_election_turnover", 0.5, doc="Chance a local policy seat changes hands at an election."),
    _p("context.leader_turnover_months", 120.0, "float", 1, 100_000, "months",
       doc="Mean tenure of business and civil leaders in forums."),
    _p("context.initial_trust", 0.4, "trust", source="Ansell & Gash 2008 (prehistory)",
       doc="T0: trust on a new tie and the level trust relaxes to (number or 4×4 sector matrix)."),
    _p("context.flood_rate", 0.25, "float", 0, 1, "per year", source="S3 (Hat Yai 2000, 2010)",
       doc="Chance of a flood in a year."),
    _p("context.flood_november_share", 0.6, doc="Share of floods in November (the rest December)."),
    _p("context.flood_severity_sigma", 0.5, "float", 0, 3, "log units",
       doc="σ of the lognormal flood severity (mean 1)."),
    _p("context.flood_damage", 0.1, "float", 0, 1, "share of stock",
       source="Bruneau et al. 2003", doc="Share of progress a severity-1 flood removes unprotected."),
    _p("context.flood_months", [], "int_list", 1, 100_000, "run month",
       source="S3 (Hat Yai 2000, 2010)",
       doc="Run months (1 = the first) with a flood of severity 1 besides the yearly draw "
           "(a scenario's flood year)."),
]

_DIALOGUE = [
    _p("dialogue.continuity", 0.6, source="S3 (tightening the bolts); Dal Bó 2005",
       doc="Shorthand: p_hold = p_same = c and suspension hazard = 0.05·(1 − c)."),
    _p("dialogue.p_hold", None, optional=True, source="S3",
       doc="Chance a scheduled meeting of an active forum is held (default: continuity)."),
    _p("dialogue.p_same", None, optional=True, source="S3",
       doc="Chance factor that the seat holder attends in person (default: continuity)."),
    _p("dialogue.suspension_hazard", None, optional=True, unit="per month", source="S3",
       doc="Base monthly hazard h0 that a forum is suspended (default 0.05·(1 − continuity))."),
    _p("dialogue.resumption_rate", 0.15, unit="per month", doc="Chance a funded suspended forum resumes."),
    _p("dialogue.delegate_prob", 0.7, doc="Chance an absent seat holder sends a delegate."),
    _p("dialogue.delegate_gain_share", 0.3, doc="Share of trust gains a delegate passes to the principal."),
    _p("dialogue.trust_gain", 0.05, source="Slovic 1993", doc="α⁺: trust gain on a good act."),
    _p("dialogue.trust_loss", 0.10, source="Slovic 1993", doc="α⁻: trust loss on a breach."),
    _p("dialogue.trust_half_life_months", 24.0, "float", 6, 120, "months",
       source="Klos & Nooteboom 2001", doc="Half-life of trust's relaxation to T0 without contact."),
    _p("dialogue.power_gini_weight", 0.5, source="Ansell & Gash 2008",
       doc="How much power imbalance (Gini) among attendees lowers meeting quality."),
    _p("dialogue.opinion_step", 0.2, source="DeGroot 1974",
       doc="μ at full depth: share of the trusted gap closed per meeting."),
    _p("dialogue.confidence_bound", 0.3, "float", 0, 1.8, "position units",
       source="Hegselmann & Krause 2002", doc="ε: positions further apart do not influence."),
    _p("dialogue.evidence_pull", 0.05, source="S4 (framing with experts)",
       doc="λ: pull toward the evidence point when a knowledge holder attends."),
    _p("dialogue.evidence_point", [0.55, 0.6, 0.6], "float_list", 0, 1, "position",
       doc="x*: economy, environment, equity position the evidence supports."),
    _p("dialogue.acceptance_base", 0.95, source="Choi & Robertson 2014",
       doc="Acceptability an uncommitted actor needs to accept a proposal."),
    _p("dialogue.acceptance_commitment_slope", 0.35, source="Choi & Robertson 2014",
       doc="How much commitment lowers the acceptability needed."),
    _p("dialogue.impose_after_failures", 3, "int", 1, 100, "meetings",
       doc="Failed meetings after which a convenor with hard power may impose."),
    _p("dialogue.hearing_attendance_share", 0.3, source="S1 (hearings)",
       doc="Share of operation actors invited to each hearing."),
    _p("dialogue.weak_attendance", 0.3, source="S4, S5",
       doc="Attendance chance of weak civil actors without a stipend (cost of attending)."),
    _p("dialogue.stipend_attendance", 0.8, source="S5", doc="Their attendance chance with a stipend."),
    _p("dialogue.meeting_cost_share", 0.05, doc="Share of monthly resources a meeting costs each attendee."),
]

_NORMS = [
    _p("norms.strength", 0.5, source="S3 (common norms); Bicchieri 2006",
       doc="Mean of the norm anchors n0 (Beta, concentration 10)."),
    _p("norms.anchor_concentration", 10.0, "float", 0.1, 1000, "",
       doc="Concentration of the Beta distribution of n0."),
    _p("norms.code_stringency", 0.3, source="S1 (code of conduct)",
       doc="Stringency of the code of conduct in force from month 0."),
    _p("norms.agreed_stringency", 0.5, source="S3 (standards of practice)",
       doc="Stringency while a board agreement is in force."),
    _p("norms.reference_stringency", 0.4, "float", 0.01, 1, "", doc="s_ref in the violation rule."),
    _p("norms.cost_sigma", 0.5, "float", 0, 3, "log units", doc="σ of firms' compliance cost factor k."),
    _p("norms.detection_concentration", 2.0, "float", 0.1, 1000, "",
       doc="Concentration of the Beta distribution of the chance of being seen."),
    _p("norms.temptation", 3.0, "float", 0, 100, "payoff", source="Axelrod 1986",
       doc="Temptation payoff of a violation (scaled by 1 − n and relative cost)."),
    _p("norms.punishment", 9.0, "float", 0, 100, "payoff", source="Axelrod 1986",
       doc="Payoff lost by a punished violator (and the base of the formal fine)."),
    _p("norms.enforcement_cost", 2.0, "float", 0, 100, "payoff", source="Axelrod 1986",
       doc="Payoff a punisher pays."),
    _p("norms.witnesses", 5, "int", 0, 100, "actors", source="Axelrod 1986",
       doc="Random operation actors who may witness each violation."),
    _p("norms.metanorms", False, "bool", source="Axelrod 1986",
       doc="Whether witnesses who do not punish are themselves punished."),
    _p("norms.inspection_base", 0.15, doc="Inspection chance without a mandate."),
    _p("norms.inspection_slope", 0.15, doc="Added inspection chance at full mandate intensity."),
    _p("norms.civil_monitoring", 0.3, source="S2 (civil society monitors)",
       doc="Civil monitoring chance with all civil actors ready and full public trust."),
    _p("norms.self_monitoring", 0.4, source="S1, S3",
       doc="Business self-monitoring chance per unit of private strength."),
    _p("norms.internalisation_rate", 0.01, unit="per month", source="Tyler 2006; Bicchieri 2006",
       doc="Speed of norm internalisation."),
    _p("norms.revision_selection", 0.5, "float", 0, 100, "", doc="K: selection strength of strategy revision."),
    _p("norms.mutation_rate", 0.01, doc="Chance each bit of boldness or vengefulness flips."),
]

_COLLAB = [
    _p("collaboration.commitment_rate", 0.1, source="Emerson, Nabatchi & Balogh 2012",
       doc="Share of the gap to C* closed per month."),
    _p("collaboration.flood_interdependence", 0.3, "float", 0, 10, "",
       doc="Perceived interdependence a flood adds (decays over 12 months)."),
    _p("collaboration.synergy", 1.5, "float", 0, 10, "×", doc="Multiplier on pooled resources."),
    _p("collaboration.progress_rate", 1.0, "float", 0, 100, "", doc="ρ: progress per pooled unit."),
    _p("collaboration.agreement_months", 12, "int", 1, 1200, "months", doc="Life of an agreement."),
    _p("collaboration.public_plan_multiplier", 2.0, "float", 0, 10, "×", source="S3",
       doc="Progress multiplier of an agreement that enters public plans."),
    _p("collaboration.paper_multiplier", 1.5, "float", 0, 10, "×",
       doc="Progress multiplier of a paper agreement."),
    _p("collaboration.target_reference", 5000.0, "float", 1, None, "progress units",
       doc="T_ref: fixed reference for target attainment."),
    _p("collaboration.board_ambition", 0.2, "float", 0, 10, "share",
       doc="Raise of working-group targets under a board agreement."),
    _p("collaboration.founding_base", 0.2, source="Granovetter 1978",
       doc="f0: the pull of founding felt before anyone pledges."),
    _p("collaboration.founding_benefit", 1.0, "float", 0, 10, "", source="Granovetter 1978",
       doc="b: benefit weight in the pledge rule."),
]

_GOVERNANCE = [
    _p("governance.convenor_sector", "central", "choice", choices=SECTORS, source="S3",
       doc="Sector that convenes the forums."),
    _p("governance.board_size", 15, "int", 0, 10_000, "seats", source="S5 (stakeholder board)",
       doc="Seats on the policy board (0: no board)."),
    *[_p(f"governance.board_seats.{k}", d, source="S3, S5",
         doc=f"Share of board seats for {k} (shares are normalised; seats by largest remainder).")
      for k, d in zip(SEAT_KINDS, (0.3, 0.2, 0.3, 0.15, 0.05))],
    _p("governance.board_interval_months", 6, "int", 1, 120, "months", source="S1 (nested arenas)",
       doc="Months between board meetings."),
    _p("governance.working_groups", "standing", "choice", choices=("standing", "ad_hoc"), source="S5",
       doc="Standing groups meet monthly; ad hoc groups only after a flood."),
    _p("governance.working_group_count", 3, "int", 0, 1000, "groups", source="S5",
       doc="Number of working groups."),
    *[_p(f"governance.working_group_seats.{k}", d, "int", 0, 1000, "seats", source="S1, S5",
         doc=f"Seats for {k} in each working group.")
      for k, d in zip(SEAT_KINDS, (2, 3, 3, 2, 1))],
    _p("governance.drr_groups", False, "bool", source="S3 (structural and non-structural units)",
       doc="The first two working groups are the structural and non-structural DRR units."),
    _p("governance.learning_forum_gain", 0.0, source="S3 (learn from experience in a common forum)",
       doc="ℓ: lessons a common forum of all working groups draws from a flood (0: no such "
           "forum); lessons cut later flood damage."),
    _p("governance.drr_kpi", False, "bool", source="S3 (a DRR KPI for the province)",
       doc="Milestones count the progress built before flood losses (a KPI on protection built)."),
    _p("governance.ad_hoc_hold_factor", 0.3, doc="Ad hoc groups hold meetings with p_hold × this."),
    _p("governance.ad_hoc_months", 3, "int", 0, 120, "months",
       doc="Months ad hoc groups are convened after a flood."),
    _p("governance.hearings", True, "bool", source="S1 (hearings, complaint channels)",
       doc="Operation-level hearings and a complaint channel exist."),
    _p("governance.hearing_interval_months", 3, "int", 1, 120, "months", doc="Months between hearings."),
    _p("governance.secretariat", True, "bool", source="S3, S5 (intermediary)",
       doc="A secretariat runs the forums (paid from the reserve)."),
    _p("governance.decision_quota", 2 / 3, "float", 0.01, 1, "share", source="Choi & Robertson 2014",
       doc="Accepting share of attendees needed to pass a proposal."),
    _p("governance.mandate", "voluntary", "choice", choices=MANDATES, source="S3 (TOR, statute)",
       doc="Voluntary: exit allowed, no imposing; contract and statute: imposing, no exit."),
    _p("governance.authority", 0.5, source="S3",
       doc="Chance agreements enter public plans and formal fines are imposed."),
    _p("governance.authority_trust_slope", 0.0, "float", 0, 10, "",
       doc="Authority rises by this × max(0, T(local→business) − T0)."),
    _p("governance.institutional_memory", 0.5, source="S3 (structural instruments)",
       doc="m: share of relational capital a successor keeps."),
    _p("governance.convenor_dependence", 0.4, source="S3 (governor as adviser or chair)",
       doc="Added suspension hazard in a month the convenor rotates."),
    _p("governance.direction_preset", 0.0, source="S3 (TOR)",
       doc="Share of the way each proposal is pulled toward the convenor's position."),
    _p("governance.revision_interval_months", 12, "int", 1, 1200, "months",
       doc="Months between revisions of the agreed targets."),
    _p("governance.crowding", 1.0, source="Frey 1997",
       doc="Internalisation gain factor under a contract mandate (crowding out)."),
    _p("governance.reserved_seats_disadvantaged", False, "bool", source="S5",
       doc="One civil seat per forum is reserved for weak groups."),
    _p("governance.attendance_stipend", False, "bool", source="S5", doc="Weak attendees get a stipend."),
    _p("governance.business_self_monitoring", False, "bool", source="S1, S3",
       doc="A business-founded intermediary runs self-monitoring of firms."),
    _p("governance.milestone_interval_months", 6, "int", 1, 120, "months",
       source="Ansell & Gash 2008 (small wins)", doc="Months between milestone checks (from month 18)."),
    _p("governance.founding", "none", "choice", choices=("none", "threshold"),
       source="S3; Granovetter 1978", doc="'threshold': the intermediary must be founded by firms first."),
    _p("governance.until_founded", "", "str", source="S3",
       doc="Arrangement file (relative to this file) that governs until founding."),
    _p("governance.min_founders_share", 0.1, doc="Share of all firms that must pledge to found."),
    _p("governance.operating_cost", 1.0, "float", 0, None, "units per month",
       doc="Secretariat cost per month (per 150 firms when founding)."),
    _p("governance.reserve_months", 6.0, "float", 0, 1200, "months",
       doc="Months of operating cost held in reserve at the start or founding."),
    _p("governance.funding", [{"source": "members", "amount": 1.0, "cycle": "monthly",
                               "renewal_prob": 1.0, "elasticity": 0.0}], "funding", source="S3 (funding of each arrangement)",
       doc="Funding streams: source, amount (× operating cost), cycle (monthly | annual), "
           "renewal_prob, elasticity to private strength (amount × (private_strength/0.5)^e)."),
]

PARAMETERS: dict[str, Param] = {
    p.path: p for p in _RUN + _ACTORS + _NETWORK + _CONTEXT + _DIALOGUE + _NORMS + _COLLAB
    + _GOVERNANCE
}
TABLES = ("context", "governance", "dialogue", "norms", "collaboration", "actors", "network",
          "run")
TOP_LEVEL = ("description", "description_th", "kind", "extends")
STRUCTURAL_TABLES = ("governance",)
FUNDING_FIELDS = {"source": "str", "amount": "float", "cycle": "choice", "renewal_prob": "float",
                  "elasticity": "float"}
FUNDING_CYCLES = ("monthly", "annual")


def defaults() -> dict[str, Any]:
    """The default value of every key that has one, by key path."""
    return {k: p.default for k, p in PARAMETERS.items() if not p.optional}
