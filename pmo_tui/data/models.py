"""Pydantic models and enums for everything the portfolio file holds.

Every stored row has an integer ``id``; its human code (``P-14``, ``R-203``) is the
entity's prefix and that id. Ids come from AUTOINCREMENT, so a code is never reused,
even after a delete, and stays the same for the row's whole life.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def word(self) -> str:
        return self.value.capitalize()

    @property
    def letter(self) -> str:
        return self.value[0].upper()


class Trend(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    NEW = "new"


class Phase(StrEnum):
    INITIATION = "initiation"
    PLANNING = "planning"
    DELIVERY = "delivery"
    CLOSING = "closing"


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on hold"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RaidKind(StrEnum):
    RISK = "risk"
    ASSUMPTION = "assumption"
    ISSUE = "issue"
    DEPENDENCY = "dependency"


class RaidStatus(StrEnum):
    OPEN = "open"
    MONITORING = "monitoring"
    ESCALATED = "escalated"
    CLOSED = "closed"


class Response(StrEnum):
    """Risk responses: the first five for threats, the next three for opportunities."""

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    ESCALATE = "escalate"
    EXPLOIT = "exploit"
    ENHANCE = "enhance"
    SHARE = "share"


class Proximity(StrEnum):
    IMMINENT = "imminent"
    WITHIN_3_MONTHS = "within 3 months"
    WITHIN_A_YEAR = "within a year"
    LATER = "later"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Validation(StrEnum):
    VALIDATED = "validated"
    INVALIDATED = "invalidated"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class DependencyState(StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    LATE = "late"
    DELIVERED = "delivered"


class ChangeStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved with conditions"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    MORE_INFORMATION = "more information needed"
    WITHDRAWN = "withdrawn"


DECIDABLE_CHANGES = frozenset(
    {ChangeStatus.SUBMITTED, ChangeStatus.DEFERRED, ChangeStatus.MORE_INFORMATION}
)
APPROVED_CHANGES = frozenset({ChangeStatus.APPROVED, ChangeStatus.APPROVED_WITH_CONDITIONS})


class GateStatus(StrEnum):
    """A phase-gate review: requested, then the forum's decision."""

    REQUESTED = "requested"
    GO = "go"
    CONDITIONAL_GO = "conditional go"
    HOLD = "hold"
    STOP = "stop"


class CheckState(StrEnum):
    OPEN = "open"
    MET = "met"
    NOT_MET = "not met"
    NOT_APPLICABLE = "n/a"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class MeetingState(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    CLOSED = "closed"


class AgendaStep(StrEnum):
    PREVIOUS_ACTIONS = "previous actions"
    STATUS = "status"
    RAID = "raid"
    CHANGES = "changes"
    PRIORITIES = "priorities"
    LESSONS = "lessons"
    AOB = "aob"
    WRAP_UP = "wrap-up"


class AttendeeRole(StrEnum):
    CHAIR = "chair"
    FACILITATOR = "facilitator"
    MINUTE_TAKER = "minute taker"
    MEMBER = "member"
    GUEST = "guest"


class Attendance(StrEnum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class MinutesState(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"


class LessonCategory(StrEnum):
    PLANNING = "planning"
    SUPPLIER = "supplier"
    STAKEHOLDER = "stakeholder"
    TECHNICAL = "technical"
    RESOURCING = "resourcing"
    GOVERNANCE = "governance"


class Model(BaseModel):
    """Every model of ours. Validators are built on first use, not at import: start-up
    pays only for the models the home screen shows (about 25 ms less)."""

    model_config = ConfigDict(defer_build=True)


# The largest amount of money a field holds (a thousand billion): well inside what a
# float keeps exact to the cent, and what every export prints as digits. A 400-digit
# budget would otherwise be stored as infinity.
MAX_AMOUNT = 1e12
# The days a portfolio's dates may fall on: a year 9999 end date would overflow Python's
# dates as soon as a change request moved it (3,650 days at the most).
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
# The most places a ranking has (and well inside SQLite's 64-bit integers).
MAX_RANK = 1_000_000


class Record(Model):
    """A stored row: id 0 means "not stored yet"; ``version`` guards against lost updates.
    Infinity and NaN are refused in every float field (they come from numbers too large to
    read, and no export can print them)."""

    model_config = ConfigDict(
        validate_assignment=True, extra="forbid", defer_build=True, allow_inf_nan=False
    )

    TABLE: ClassVar[str] = ""
    PREFIX: ClassVar[str] = ""

    id: int = 0
    version: int = 1

    @property
    def code(self) -> str:
        return f"{self.PREFIX}-{self.id}" if self.id else f"{self.PREFIX}-new"


class Person(Record):
    TABLE: ClassVar[str] = "people"
    PREFIX: ClassVar[str] = "U"

    name: str = Field(min_length=1, max_length=200)
    team: str = ""
    role: str = ""


class Project(Record):
    TABLE: ClassVar[str] = "projects"
    PREFIX: ClassVar[str] = "P"

    name: str = Field(min_length=1, max_length=200)
    programme: str = ""
    phase: Phase = Phase.INITIATION
    status: ProjectStatus = ProjectStatus.ACTIVE
    manager_id: int | None = None
    sponsor_id: int | None = None
    description: str = ""
    start_on: Day | None = None
    end_on: Day | None = None
    budget: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    percent_complete: int = Field(default=0, ge=0, le=100)
    rank: int | None = Field(default=None, ge=1, le=MAX_RANK)
    # What the project needs from this period's portfolio budget (the funding line).
    period_cost: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    # The baseline is budget, start_on, end_on and the scope statement; approved changes
    # move it (baseline_changes keeps each step) within these tolerances either way.
    scope_statement: str = ""
    cost_tolerance_pct: float = Field(default=10.0, ge=0, le=100)
    schedule_tolerance_days: int = Field(default=14, ge=0, le=3650)


class CriterionKind(StrEnum):
    """Strategic objectives, and the extra criteria a PMO scores against (risk, urgency)."""

    OBJECTIVE = "objective"
    CRITERION = "criterion"


class Objective(Record):
    TABLE: ClassVar[str] = "objectives"
    PREFIX: ClassVar[str] = "O"

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    weight: float = Field(default=1.0, ge=0, le=MAX_AMOUNT)
    kind: CriterionKind = CriterionKind.OBJECTIVE


class Team(Record):
    """A team or skill with its capacity in FTE for the period."""

    TABLE: ClassVar[str] = "teams"
    PREFIX: ClassVar[str] = "TM"

    name: str = Field(min_length=1, max_length=200)
    fte: float = Field(default=0.0, ge=0, le=100_000)


class ProjectDemand(Record):
    TABLE: ClassVar[str] = "project_demands"
    PREFIX: ClassVar[str] = "PD"

    project_id: int
    team_id: int
    fte: float = Field(default=0.0, ge=0, le=100_000)


class RankingDraft(Record):
    """A meeting's working ranking: saved at every move, adopted as one decision."""

    TABLE: ClassVar[str] = "ranking_drafts"
    PREFIX: ClassVar[str] = "RD"

    meeting_id: int
    project_order: str  # JSON list of project ids, top first
    justifications: str = "{}"  # JSON {project id: the reason for its manual move}


class ProjectScore(Record):
    TABLE: ClassVar[str] = "project_scores"
    PREFIX: ClassVar[str] = "PS"

    project_id: int
    objective_id: int
    score: int = Field(ge=0, le=5)


class Meeting(Record):
    TABLE: ClassVar[str] = "meetings"
    PREFIX: ClassVar[str] = "M"

    title: str = Field(min_length=1, max_length=200)
    template: str = "Portfolio review"
    scheduled_on: Day
    state: MeetingState = MeetingState.PLANNED
    started_at: datetime | None = None
    closed_at: datetime | None = None
    current_step: int = Field(default=0, ge=0)
    quorum_members: int = Field(default=3, ge=0, le=100)
    # The session that drives the meeting (others follow it), and its user for display.
    driver_session: int | None = None
    driver: str = ""
    followers_capture: bool = True
    # The minutes' own life after the meeting: approval stamps the audit chain's head.
    minutes_state: MinutesState = MinutesState.DRAFT
    minutes_circulated_at: datetime | None = None
    minutes_approved_at: datetime | None = None
    minutes_approved_by: str = Field(default="", max_length=200)
    minutes_event_id: int | None = None
    minutes_hash: str = ""  # the audit chain's head at approval
    # SHA-256 of the minutes document as approved (all above its stamp line).
    minutes_document_hash: str = ""


class AgendaItem(Record):
    TABLE: ClassVar[str] = "agenda_items"
    PREFIX: ClassVar[str] = "AG"

    meeting_id: int
    position: int = Field(ge=0)
    step: AgendaStep
    title: str = Field(min_length=1, max_length=200)
    timebox_minutes: int = Field(default=10, ge=0, le=600)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    notes: str = Field(default="", max_length=100_000)
    # Time is kept across visits: spent_seconds for closed visits, entered_at for the open one.
    spent_seconds: int = Field(default=0, ge=0)
    entered_at: datetime | None = None
    parked_reason: str = ""
    carried_to: int | None = None


class MeetingTemplate(Record):
    TABLE: ClassVar[str] = "meeting_templates"
    PREFIX: ClassVar[str] = "MT"

    name: str = Field(min_length=1, max_length=200)


class TemplateStep(Record):
    TABLE: ClassVar[str] = "template_steps"
    PREFIX: ClassVar[str] = "TS"

    template_id: int
    position: int = Field(ge=0)
    step: AgendaStep
    title: str = Field(min_length=1, max_length=200)
    timebox_minutes: int = Field(default=10, ge=0, le=600)


class AgendaTopic(Record):
    """Something this forum must see, proposed into a step (management by exception)."""

    TABLE: ClassVar[str] = "agenda_topics"
    PREFIX: ClassVar[str] = "T"

    meeting_id: int
    agenda_item_id: int
    position: int = Field(ge=0)
    ref_code: str = ""
    title: str = Field(min_length=1, max_length=400)
    reason: str = ""
    timebox_minutes: int = Field(default=2, ge=0, le=600)


class Attendee(Record):
    TABLE: ClassVar[str] = "attendees"
    PREFIX: ClassVar[str] = "AT"

    meeting_id: int
    person_id: int
    role: AttendeeRole = AttendeeRole.MEMBER
    attendance: Attendance = Attendance.PRESENT


class StatusReport(Record):
    TABLE: ClassVar[str] = "status_reports"
    PREFIX: ClassVar[str] = "S"

    project_id: int
    meeting_id: int | None = None
    reported_on: Day
    overall: Rag
    schedule: Rag
    budget: Rag
    scope: Rag
    percent_complete: int = Field(default=0, ge=0, le=100)
    commentary: str = ""


class RaidItem(Record):
    TABLE: ClassVar[str] = "raid_items"
    PREFIX: ClassVar[str] = "R"

    kind: RaidKind
    project_id: int | None = None
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    owner_id: int | None = None
    status: RaidStatus = RaidStatus.OPEN
    raised_on: Day
    review_by: Day | None = None
    closed_on: Day | None = None
    close_reason: str = ""
    probability: int | None = Field(default=None, ge=1, le=5)
    impact: int | None = Field(default=None, ge=1, le=5)
    response: Response | None = None
    response_plan: str = ""
    # Risks: how soon it could happen, and what would show it is happening.
    proximity: Proximity | None = None
    trigger: str = ""
    # Issues.
    priority: Priority | None = None
    due_on: Day | None = None
    resolution: str = ""
    # Assumptions: review_by is the validate-by date.
    validation: Validation | None = None
    # Dependencies: on a project of ours or an outside party, in or out, needed by when.
    depends_on_project_id: int | None = None
    party: str = ""
    direction: Direction | None = None
    need_by: Day | None = None
    dependency_state: DependencyState | None = None
    # Conversions keep the link both ways: an assumption that became a risk, a risk that
    # materialised into an issue.
    source_id: int | None = None
    became_id: int | None = None


class ChangeRequest(Record):
    TABLE: ClassVar[str] = "change_requests"
    PREFIX: ClassVar[str] = "CR"

    project_id: int
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    requested_by: str = ""
    raised_on: Day
    reason: str = ""
    # A negative cost is a saving, a negative schedule impact brings the end date forward.
    cost_impact: float = Field(default=0.0, ge=-MAX_AMOUNT, le=MAX_AMOUNT)
    schedule_impact_days: int = Field(default=0, ge=-3650, le=3650)
    scope_impact: str = ""
    benefits: str = ""
    risk: str = ""
    options: str = ""
    recommendation: str = ""
    status: ChangeStatus = ChangeStatus.SUBMITTED
    decision_id: int | None = None
    # Set by the forum's decision: where it was decided, its conditions, a deferral date
    # (none when deferred to the next meeting).
    meeting_id: int | None = None
    conditions: str = ""
    deferred_to: Day | None = None


class BaselineChange(Record):
    """One move of a project's baseline: what it was, what it became, and why."""

    TABLE: ClassVar[str] = "baseline_changes"
    PREFIX: ClassVar[str] = "BL"

    project_id: int
    changed_on: Day
    reason: str = ""
    meeting_id: int | None = None
    change_request_id: int | None = None
    decision_id: int | None = None
    budget_before: float
    budget_after: float
    end_before: Day | None = None
    end_after: Day | None = None
    scope_before: str = ""
    scope_after: str = ""


class GateCriterion(Record):
    """One point of the checklist for the gate into ``phase`` (configurable)."""

    TABLE: ClassVar[str] = "gate_criteria"
    PREFIX: ClassVar[str] = "GK"

    phase: Phase
    position: int = Field(ge=0)
    text: str = Field(min_length=1, max_length=300)


class GateReview(Record):
    """A project asking this forum to move from one phase to the next."""

    TABLE: ClassVar[str] = "gate_reviews"
    PREFIX: ClassVar[str] = "G"

    project_id: int
    from_phase: Phase
    to_phase: Phase
    requested_on: Day
    requested_by: str = ""
    summary: str = ""
    status: GateStatus = GateStatus.REQUESTED
    meeting_id: int | None = None
    decision_id: int | None = None


class GateCheck(Record):
    """A gate review's copy of one criterion, and whether it is met."""

    TABLE: ClassVar[str] = "gate_checks"
    PREFIX: ClassVar[str] = "GC"

    gate_id: int
    position: int = Field(ge=0)
    criterion: str = Field(min_length=1, max_length=300)
    state: CheckState = CheckState.OPEN
    note: str = ""


class Decision(Record):
    TABLE: ClassVar[str] = "decisions"
    PREFIX: ClassVar[str] = "D"

    meeting_id: int | None = None
    text: str = Field(min_length=1, max_length=10_000)
    rationale: str = ""
    decided_on: Day
    project_id: int | None = None
    raid_item_id: int | None = None
    change_request_id: int | None = None
    # A decision about an action ("drop A-6", "A-6 moves to March").
    action_id: int | None = None
    # The agenda step it was taken in, for the minutes.
    agenda_item_id: int | None = None
    # Set when a follower proposed it; the driver confirms it (clears this) or deletes it.
    draft_by: str = ""
    # Forum decisions on a change request or a gate: the outcome word, its conditions, who
    # was present, and an optional vote.
    gate_id: int | None = None
    outcome: str = ""
    conditions: str = ""
    present: str = ""
    votes_for: int | None = Field(default=None, ge=0)
    votes_against: int | None = Field(default=None, ge=0)
    votes_abstain: int | None = Field(default=None, ge=0)

    @property
    def tally(self) -> str:
        votes = (self.votes_for, self.votes_against, self.votes_abstain)
        if all(vote is None for vote in votes):
            return ""
        return "{} for, {} against, {} abstain".format(*(vote or 0 for vote in votes))


class Action(Record):
    TABLE: ClassVar[str] = "actions"
    PREFIX: ClassVar[str] = "A"

    meeting_id: int | None = None
    text: str = Field(min_length=1, max_length=10_000)
    owner_id: int | None = None
    due_on: Day | None = None
    status: ActionStatus = ActionStatus.OPEN
    closed_on: Day | None = None
    close_reason: str = ""
    project_id: int | None = None
    raid_item_id: int | None = None
    change_request_id: int | None = None
    decision_id: int | None = None
    agenda_item_id: int | None = None


class Lesson(Record):
    TABLE: ClassVar[str] = "lessons"
    PREFIX: ClassVar[str] = "L"

    project_id: int | None = None
    meeting_id: int | None = None
    category: LessonCategory
    title: str = Field(min_length=1, max_length=300)
    what_happened: str = ""
    impact: str = ""
    next_time: str = ""
    tags: str = ""
    recorded_on: Day
    # When the PMO made it part of its standards (none: not adopted).
    adopted_on: Day | None = None


class Closure(Record):
    """A project's closure as the forum decided it, with the checklist as it stood."""

    TABLE: ClassVar[str] = "closures"
    PREFIX: ClassVar[str] = "CL"

    project_id: int
    meeting_id: int | None = None
    decision_id: int | None = None
    closed_on: Day
    handed_over_to: str = ""
    benefits_owner: str = ""
    checklist: str = ""  # one line a point: "✓ point" or "✗ point: what is open"
    override_reason: str = ""


class Ranking(Record):
    TABLE: ClassVar[str] = "rankings"
    PREFIX: ClassVar[str] = "RK"

    meeting_id: int
    project_id: int
    rank_before: int | None = None
    rank_after: int
    score: float = 0.0
    justification: str = ""
    decision_id: int | None = None
    # The board as adopted (None in rankings adopted before pmo kept it).
    score_rank: int | None = None
    cost: float | None = None
    funded: bool | None = None
    over_teams: str = ""  # team names, one a line
    crossed: str = ""
    budget: float | None = None  # the funding available at adoption (same on every row)


class Event(Model):
    """One line of the audit trail: who changed what, when, in which meeting."""

    id: int = 0
    at: datetime
    user: str
    entity: str
    entity_id: int
    code: str
    field: str
    old: str | None = None
    new: str | None = None
    meeting_id: int | None = None
    hash: str | None = None


class Session(Model):
    """A running app on the file (presence); rows age out when the heartbeat stops."""

    id: int = 0
    user: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    meeting_id: int | None = None
    step: int | None = None
    driving: bool = False
    # What the session's cursor is on in the current step (a row key), for followers.
    selection: str = ""


RECORD_TYPES: tuple[type[Record], ...] = (
    Person,
    Project,
    Objective,
    ProjectScore,
    Meeting,
    AgendaItem,
    MeetingTemplate,
    TemplateStep,
    AgendaTopic,
    Attendee,
    StatusReport,
    RaidItem,
    ChangeRequest,
    BaselineChange,
    GateCriterion,
    GateReview,
    GateCheck,
    Decision,
    Action,
    Lesson,
    Ranking,
    Team,
    ProjectDemand,
    RankingDraft,
    Closure,
)

PREFIXES: dict[str, type[Record]] = {model.PREFIX: model for model in RECORD_TYPES}


class ProjectRow(Model):
    """One line of the home screen's portfolio table: a project with its latest figures."""

    project: Project
    manager: str = ""
    overall: Rag | None = None
    open_raid: int = 0
    open_actions: int = 0


class MeetingRow(Model):
    """One line of the home screen's meetings table."""

    meeting: Meeting
    decisions: int = 0
    actions: int = 0


class ProjectDetail(Model):
    project: Project
    manager: str = ""
    sponsor: str = ""
    reports: list[StatusReport] = []
    raid: list[RaidItem] = []
    actions: list[Action] = []
    owners: dict[int, str] = {}


class AttendeeRow(Model):
    attendee: Attendee
    name: str


class MeetingDetail(Model):
    meeting: Meeting
    agenda: list[AgendaItem] = []
    attendees: list[AttendeeRow] = []
    decisions: int = 0
    actions: int = 0


class StatusRow(Model):
    """A project on the status board: this meeting's report (or the last one) and the one
    before it, for the trend."""

    project: Project
    manager: str = ""
    current: StatusReport | None = None
    previous: StatusReport | None = None
    reported_this_meeting: bool = False


class RagChange(Model):
    code: str
    name: str
    before: Rag | None
    after: Rag


class Change(Model):
    """One line of "since last meeting": an item, and what happened to it."""

    code: str
    title: str
    detail: str = ""


class SinceLast(Model):
    previous_code: str | None = None
    since: datetime | None = None
    rag_changes: list[RagChange] = []
    new_raid: list[Change] = []
    closed_raid: list[Change] = []
    slipped: list[Change] = []
    rank_moves: list[Change] = []
    actions_done: list[Change] = []
    actions_overdue: list[Change] = []

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.rag_changes,
                self.new_raid,
                self.closed_raid,
                self.slipped,
                self.rank_moves,
                self.actions_done,
                self.actions_overdue,
            )
        )


class ProposedTopic(Model):
    """A topic the data says this forum must see; the facilitator keeps or drops it."""

    step: AgendaStep
    ref_code: str
    title: str
    reason: str
    timebox_minutes: int
    severity: int


class TopicOutcome(Model):
    """A topic proposed into a step, and what the meeting recorded about it so far."""

    topic: AgendaTopic
    done: list[str] = []

    @property
    def taken(self) -> bool:
        return bool(self.done)


class CarriedAction(Model):
    action: Action
    outcome: str


class Rescore(Model):
    item: RaidItem
    old: int | None
    new: int | None


class RaidChanges(Model):
    """What a meeting did to the RAID register, from its audit events."""

    new: list[RaidItem] = []
    rescored: list[Rescore] = []
    escalated: list[RaidItem] = []
    closed: list[RaidItem] = []

    @property
    def empty(self) -> bool:
        return not (self.new or self.rescored or self.escalated or self.closed)


class ToleranceCheck(Model):
    """A change request measured against its project's tolerances: the approved changes
    so far plus this one, against the original baseline."""

    cost_total: float = 0.0
    cost_limit: float = 0.0
    days_total: int = 0
    days_limit: int = 0

    @property
    def cost_over(self) -> float:
        return max(0.0, abs(self.cost_total) - self.cost_limit)

    @property
    def days_over(self) -> int:
        return max(0, abs(self.days_total) - self.days_limit)

    @property
    def escalate(self) -> bool:
        return self.cost_over > 0 or self.days_over > 0

    def describe(self) -> str:
        """ "beyond tolerance: cost by 12,000 (54,000 against ±42,000)" or "within tolerance"."""
        parts = []
        if self.cost_over > 0:
            parts.append(
                f"cost by {self.cost_over:,.0f} ({self.cost_total:+,.0f} against "
                f"±{self.cost_limit:,.0f})"
            )
        if self.days_over > 0:
            parts.append(
                f"schedule by {self.days_over} days ({self.days_total:+d} days against "
                f"±{self.days_limit})"
            )
        if not parts:
            return "within tolerance"
        return "beyond tolerance, escalate: " + "; ".join(parts)


class ChangeRow(Model):
    """A change request as the forum sees it: the project's approved change so far and
    where this request would take it."""

    request: ChangeRequest
    project: Project
    approved_cost: float = 0.0
    approved_days: int = 0
    approved_count: int = 0
    tolerance: ToleranceCheck = Field(default_factory=ToleranceCheck)
    decision: Decision | None = None


class GateRow(Model):
    gate: GateReview
    project: Project
    checks: list[GateCheck] = []
    decision: Decision | None = None

    @property
    def unmet(self) -> list[GateCheck]:
        return [
            check
            for check in self.checks
            if check.state not in (CheckState.MET, CheckState.NOT_APPLICABLE)
        ]


class RankRow(Model):
    """One project in a ranking: where it stands, why, and whether it is funded."""

    project: Project
    rank: int
    last_rank: int | None = None  # at the last meeting that adopted a ranking
    score: float = 0.0
    score_rank: int = 0  # where the score alone would put it
    justification: str = ""
    cost: float = 0.0
    cumulative_cost: float = 0.0
    funded: bool = True
    over_teams: list[str] = []
    crossed: str = ""  # "into funding" / "out of funding" against the last ranking

    @property
    def movement(self) -> str:
        """``▲ 2``, ``▼ 1``, ``=`` or ``new``: symbol and number, readable without colour."""
        if self.last_rank is None:
            return "new"
        change = self.last_rank - self.rank
        if change > 0:
            return f"▲ {change}"
        if change < 0:
            return f"▼ {-change}"
        return "="


class RankingBoard(Model):
    rows: list[RankRow] = []
    criteria: list[Objective] = []
    budget: float = 0.0
    funded: int = 0  # projects above the funding line
    teams: list[Team] = []
    draft_version: int | None = None


class RankingInputs(Model):
    """Everything a ranking is computed from, read once; what-if changes it in memory."""

    projects: list[Project] = []
    criteria: list[Objective] = []
    scores: dict[int, dict[int, int]] = {}  # project -> criterion -> 0..5
    budget: float = 0.0
    teams: list[Team] = []
    demand: dict[int, dict[str, float]] = {}  # project -> team name -> FTE
    last_ranks: dict[int, int] = {}
    order: list[int] = []  # the working order, top first
    justifications: dict[int, str] = {}
    draft_version: int | None = None


class LessonHit(Model):
    """A lesson found by a search: where it is from, and its text with the matching words
    between ``\x01`` and ``\x02`` markers (the screen bolds them)."""

    lesson: Lesson
    project: str = ""
    programme: str = ""
    marked_title: str = ""
    snippet: str = ""


class ClosurePoint(Model):
    name: str
    met: bool
    detail: str = ""


class ClosureCheck(Model):
    project: Project
    points: list[ClosurePoint] = []
    open_raid: int = 0
    open_actions: int = 0

    @property
    def open_points(self) -> list[ClosurePoint]:
        return [point for point in self.points if not point.met]


class Minutes(Model):
    """Everything the minutes say, as the store recorded it."""

    meeting: Meeting
    attendees: list[AttendeeRow] = []
    quorum: str = ""
    agenda: list[AgendaItem] = []
    topics: list[AgendaTopic] = []
    status: list[StatusRow] = []
    since: SinceLast = Field(default_factory=SinceLast)
    decisions: list[Decision] = []
    actions: list[Action] = []
    carried: list[CarriedAction] = []
    names: dict[int, str] = {}
    raid: RaidChanges = Field(default_factory=RaidChanges)
    heat: dict[str, int] = {}  # "probability,impact" -> open risks, at the minutes' writing
    scale: int = 5
    changes: list[ChangeRow] = []
    gates: list[GateRow] = []
    ranking: list[RankRow] = []
    ranking_budget: float = 0.0
    lessons: list[Lesson] = []
    closures: list[Closure] = []
    projects: dict[int, str] = {}  # id -> "P-3 Name", for the sections that name them
    # Minutes east of UTC in which the times are written: a closed meeting's record keeps
    # the zone it closed in, so its minutes read the same wherever they are exported.
    utc_offset_minutes: int | None = None


class SeverityBand(Model):
    """Scores at or above ``at_least`` (and below the next band) carry this name."""

    at_least: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=40)


class ScoringScheme(Model):
    """The portfolio's risk scoring: configuration in the file, not code."""

    scale: int = Field(default=5)
    bands: list[SeverityBand] = Field(
        default_factory=lambda: [
            SeverityBand(at_least=1, name="low"),
            SeverityBand(at_least=8, name="medium"),
            SeverityBand(at_least=15, name="high"),
        ]
    )
    high: int = Field(default=15, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScoringScheme:
        if self.scale not in (3, 5):
            raise ValueError("the scale is 3x3 or 5x5")
        top = self.scale * self.scale
        starts = [band.at_least for band in self.bands]
        if not starts or starts[0] != 1 or starts != sorted(set(starts)) or starts[-1] > top:
            raise ValueError(f"bands must start at 1, rise, and stay within 1..{top}")
        if self.high > top:
            raise ValueError(f"the triage threshold must be within 1..{top}")
        return self
