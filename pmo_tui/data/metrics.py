"""Portfolio metrics as pure functions: sparklines that read without colour, budget by
strategic objective, and the dashboard's figures (each with the items behind it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pmo_tui.data.models import Model, Objective, Project, ProjectStatus, RaidItem

_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One block character a value, lowest to highest (all equal: a flat middle line)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _BLOCKS[3] * len(values)
    span = high - low
    return "".join(_BLOCKS[round((value - low) / span * (len(_BLOCKS) - 1))] for value in values)


def trend_text(values: Sequence[float], unit: str = "") -> str:
    """``▂▄█ 120 → 410`` : the shape, then first and last as numbers (readable anywhere)."""
    if not values:
        return "no meetings yet"
    first, last = values[0], values[-1]
    return f"{sparkline(values)} {first:,.0f}{unit} → {last:,.0f}{unit}"


def top_objective(scores: dict[int, int], objectives: Sequence[Objective]) -> Objective | None:
    """The objective a project serves most: its highest score, weight breaking ties (then
    the first). None when it scores nothing anywhere."""
    best: Objective | None = None
    for objective in objectives:
        score = scores.get(objective.id, 0)
        if score <= 0:
            continue
        if best is None or (score, objective.weight) > (scores.get(best.id, 0), best.weight):
            best = objective
    return best


def budget_by_objective(
    projects: Sequence[Project],
    scores: dict[int, dict[int, int]],
    objectives: Sequence[Objective],
) -> dict[str, list[Project]]:
    """Each project's budget counted once, under the objective it serves most."""
    result: dict[str, list[Project]] = {objective.name: [] for objective in objectives}
    result["no objective"] = []
    for project in projects:
        objective = top_objective(scores.get(project.id, {}), objectives)
        result[objective.name if objective else "no objective"].append(project)
    return {name: items for name, items in result.items() if items}


class MeetingPoint(Model):
    """One meeting in the trends."""

    code: str
    day: date
    rag: dict[str, int] = {}  # red / amber / green -> projects, latest report by then
    exposure: int = 0  # sum of the scores of RAID items open that day, scored as then
    high_risks: int = 0  # open risks (kind risk) scoring at or above the triage line
    opened: int = 0  # actions raised in the meeting
    closed: int = 0  # actions closed since the meeting before
    overdue: int = 0  # open and past due on the day
    changes_decided: int = 0
    change_cost: float = 0.0  # cumulative approved cost impact by then
    decisions: int = 0


class RagMove(Model):
    code: str
    name: str
    before: str  # "red" ... or "not reported"
    after: str


class Highlight(Model):
    """What a highlight report for senior leadership says, read from the file."""

    since: date
    board: Dashboard
    rag_moves: list[RagMove] = []
    escalated: list[RaidItem] = []
    decisions: list[tuple[str, str, str]] = []  # code, meeting code, text
    changes: list[tuple[str, str, float, int, str]] = []  # code, project, cost, days, title
    rank_moves: list[tuple[str, str, int | None, int]] = []  # code, name, before, after


class Figure(Model):
    """One figure of the dashboard: it can be opened to the items behind it."""

    section: str
    label: str
    value: str
    codes: list[str] = []


class Dashboard(Model):
    day: date
    projects: list[Project] = []
    rag: dict[str, list[str]] = {}  # "red" / "amber" / "green" / "not reported" -> codes
    phases: dict[str, list[str]] = {}
    budget: dict[str, list[Project]] = {}
    top_risks: list[RaidItem] = []
    overdue: dict[str, list[str]] = {}  # owner -> action codes
    trend: list[MeetingPoint] = []
    # The items behind the trends: the latest meeting's, or all there are.
    last_meeting_decisions: list[str] = []
    last_opened: list[str] = []
    last_closed: list[str] = []
    last_changes: list[str] = []
    approved: list[str] = []
    # The items behind the last meeting's exposure and high-risk figures, as they were then.
    exposure_items: list[str] = []
    high_risk_items: list[str] = []
    rag_items: dict[str, list[str]] = {}  # red / amber / green -> projects at the last one

    def _on_hold(self) -> int:
        return sum(project.status is ProjectStatus.ON_HOLD for project in self.projects)

    @property
    def flight_counts(self) -> str:
        """``24 in flight: 23 active, 1 on hold`` (fits a title at 80 columns)."""
        total, on_hold = len(self.projects), self._on_hold()
        return f"{total} in flight: {total - on_hold} active, {on_hold} on hold"

    @property
    def in_flight(self) -> str:
        """How many projects the portfolio figures cover: active and on hold."""
        total, on_hold = len(self.projects), self._on_hold()
        return f"{total} projects in flight ({total - on_hold} active, {on_hold} on hold)"


def figures(board: Dashboard) -> list[Figure]:
    """The dashboard as a list a keyboard can walk: every figure with its items."""
    out: list[Figure] = []
    now = "Health now"
    total = len(board.projects)
    for rag in ("red", "amber", "green", "not reported"):
        codes = board.rag.get(rag, [])
        if codes or rag != "not reported":
            out.append(
                Figure(
                    section=now,
                    label="Not reported" if rag == "not reported" else rag.capitalize(),
                    value=f"{len(codes)} of {total} projects",
                    codes=codes,
                )
            )
    for phase, codes in board.phases.items():
        out.append(Figure(section=now, label=f"In {phase}", value=str(len(codes)), codes=codes))
    for name, projects in board.budget.items():
        out.append(
            Figure(
                section="Budget",
                label=name,
                value=f"{sum(p.budget for p in projects):,.0f} "
                f"({len(projects)} project{'' if len(projects) == 1 else 's'})",
                codes=[p.code for p in projects],
            )
        )
    for item in board.top_risks:
        score = (item.probability or 0) * (item.impact or 0)
        out.append(
            Figure(
                section="Top risks",
                label=f"{item.code} {item.title}",
                value=f"score {score}",
                codes=[item.code],
            )
        )
    for owner, codes in sorted(board.overdue.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        out.append(
            Figure(section="Overdue actions", label=owner, value=str(len(codes)), codes=codes)
        )
    trend = board.trend
    if trend:
        section = f"Trends ({len(trend)} meetings)"
        series: tuple[tuple[str, list[float], list[str]], ...] = (
            *(
                (
                    f"{rag.capitalize()} projects",
                    [float(p.rag.get(rag, 0)) for p in trend],
                    board.rag_items.get(rag, []),
                )
                for rag in ("red", "amber", "green")
            ),
            ("Open RAID exposure", [p.exposure for p in trend], board.exposure_items),
            ("High risks", [p.high_risks for p in trend], board.high_risk_items),
            ("Actions opened", [p.opened for p in trend], board.last_opened),
            ("Actions closed", [p.closed for p in trend], board.last_closed),
            (
                "Actions overdue",
                [p.overdue for p in trend],
                [c for v in board.overdue.values() for c in v],
            ),
            ("Changes decided", [p.changes_decided for p in trend], board.last_changes),
            ("Approved change cost (cumulative)", [p.change_cost for p in trend], board.approved),
            ("Decisions", [p.decisions for p in trend], board.last_meeting_decisions),
        )
        for label, values, codes in series:
            out.append(Figure(section=section, label=label, value=trend_text(values), codes=codes))
    return out
