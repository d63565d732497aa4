"""Pure domain rules: no IO, no SQL, no Textual. Tested without a database."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import accumulate

from pydantic import TypeAdapter

from pmo_tui.data.models import (
    Action,
    ActionStatus,
    ChangeRequest,
    Phase,
    Rag,
    RaidItem,
    RaidStatus,
    RankingBoard,
    RankingInputs,
    RankRow,
    ToleranceCheck,
    Trend,
)

_RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


def rag_severity(rag: Rag) -> int:
    """0 for green, 1 amber, 2 red: higher is worse."""
    return _RAG_ORDER[rag]


def trend(previous: Rag | None, current: Rag) -> Trend:
    if previous is None:
        return Trend.NEW
    before, now = rag_severity(previous), rag_severity(current)
    if now < before:
        return Trend.BETTER
    if now > before:
        return Trend.WORSE
    return Trend.SAME


def risk_score(item: RaidItem) -> int | None:
    if item.probability is None or item.impact is None:
        return None
    return item.probability * item.impact


def severity_band(score: int | None) -> str:
    """Band names for the default 5x5 scheme (issue 5 makes the scheme configurable)."""
    if score is None:
        return "unscored"
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def is_open(item: RaidItem) -> bool:
    return item.status is not RaidStatus.CLOSED


def action_overdue(action: Action, today: date) -> bool:
    return (
        action.status is ActionStatus.OPEN and action.due_on is not None and action.due_on < today
    )


def review_overdue(item: RaidItem, today: date) -> bool:
    return is_open(item) and item.review_by is not None and item.review_by < today


def weighted_score(scores: dict[int, int], weights: dict[int, float]) -> float:
    """Weighted mean of 0-5 scores against objectives; weights need not sum to 1."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(scores.get(objective, 0) * weight for objective, weight in weights.items()) / total


# -- due dates as people type them ----------------------------------------------------

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([dwm])$")


def parse_due(text: str, today: date) -> date:
    """``2026-12-15``, ``+3d``, ``+2w``, ``+1m``, ``today``, ``tomorrow``, ``fri``,
    ``next mon``, ``eow`` (Friday), ``eom`` (month end). Raises ValueError with a hint."""
    value = " ".join(text.strip().lower().split())
    if not value:
        raise ValueError("a due date is empty")
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if value == "eom":
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    if value == "eow":
        return today + timedelta(days=(4 - today.weekday()) % 7)
    match = _RELATIVE.match(value)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        try:
            if unit == "d":
                return today + timedelta(days=count)
            if unit == "w":
                return today + timedelta(weeks=count)
            month_index = today.month - 1 + count
            year, month = today.year + month_index // 12, month_index % 12 + 1
            return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
        except (OverflowError, ValueError):
            # "+999999w" is past the calendar (it crashed the form as it was typed).
            raise ValueError(f"“{text.strip()}” is further ahead than any calendar goes") from None
    words = value.split(" ")
    if (
        len(words) in (1, 2)
        and words[-1][:3] in _WEEKDAYS
        and (len(words) == 1 or words[0] == "next")
    ):
        target = _WEEKDAYS.index(words[-1][:3])
        ahead = (target - today.weekday()) % 7 or 7
        if len(words) == 2:
            # "next mon" is the Monday of next week, not the coming one when that is this week.
            ahead = target - today.weekday() + 7
        return today + timedelta(days=ahead)
    raise ValueError(
        f"“{text.strip()}” is not a date pmo understands: try 2026-12-15, +3d, +2w, fri, "
        "next mon or eom"
    )


# -- meetings ------------------------------------------------------------------------


def quorum(roles: list[tuple[str, str]], min_members: int) -> tuple[bool, str]:
    """Chair present and at least ``min_members`` voting members (chair included) present.

    ``roles`` holds (role, attendance) pairs as stored."""
    present = [role for role, attendance in roles if attendance == "present"]
    chair = "chair" in present
    voting = sum(role in ("chair", "member") for role in present)
    met = chair and voting >= min_members
    why = (
        f"quorum {'met' if met else 'NOT met'}: chair {'present' if chair else 'absent'}, "
        f"{voting} voting member{'' if voting == 1 else 's'} present ({min_members} needed)"
    )
    return met, why


def seconds_spent(spent_seconds: int, entered_at: datetime | None, now: datetime) -> int:
    """Time in a step over all its visits, counting the open visit up to ``now``."""
    if entered_at is None:
        return spent_seconds
    return spent_seconds + max(0, int((now - entered_at).total_seconds()))


# -- change requests and gates -------------------------------------------------------

_AMOUNT = re.compile(r"^([+-]?)\s*[£$€]?\s*([+-]?)\s*(\d[\d,\s]*(?:\.\d+)?)\s*([km]?)$")
_SCALES = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_amount(text: str, what: str = "Cost impact") -> float:
    """``12500``, ``12,500``, ``£12.5k``, ``1.2m``, ``-3000`` (a saving). Raises
    ValueError saying what is accepted."""
    value = text.strip().lower().replace("saving", "-").replace("(", "-").replace(")", "")
    if not value:
        return 0.0
    match = _AMOUNT.match(value)
    if match is None:
        raise ValueError(
            f"{what} “{text.strip()}” is not an amount: type it like 12500, 12,500, 12.5k or "
            "1.2m; a saving as -3000."
        )
    sign = -1 if "-" in (match.group(1), match.group(2)) else 1
    digits = match.group(3).replace(",", "").replace(" ", "")
    return sign * float(digits) * _SCALES[match.group(4)]


_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"a": 1, "an": 1, "half a": 0.5}
_DURATION = re.compile(
    r"^([+-]?)\s*(\d+(?:\.\d+)?|[a-z]+(?: a)?)?\s*(d|days?|w|wks?|weeks?|fortnights?)?$"
)
_UNIT_DAYS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7}


def parse_days(text: str, what: str = "Schedule impact") -> int:
    """A schedule impact in calendar days: ``10``, ``10d``, ``2w``, ``two weeks``, ``a
    fortnight``, ``-1w`` (brought forward). Raises ValueError saying what is accepted."""
    value = " ".join(text.strip().lower().replace("delay of", "").split())
    if not value:
        return 0
    if "month" in value:
        raise ValueError(
            f"{what} “{text.strip()}”: months differ in length, give days or weeks (30d, 4w)."
        )
    match = _DURATION.match(value)
    count: float | None = None
    if match and match.group(2) is not None:
        amount = match.group(2)
        count = float(amount) if amount[0].isdigit() else _NUMBER_WORDS.get(amount)
    if match is None or count is None or (match.group(3) is None and not value[-1].isdigit()):
        raise ValueError(
            f"{what} “{text.strip()}” is not a number of days: type 10, 10d, 2w, "
            "“two weeks” or “a fortnight”; -1w brings the date forward."
        )
    unit = match.group(3) or "d"
    per = 14 if unit.startswith("fortnight") else _UNIT_DAYS[unit]
    days = round(count * per)
    return -days if match.group(1) == "-" else days


def baseline_after(
    budget: float, end_on: date | None, scope: str, request: ChangeRequest
) -> tuple[float, date | None, str]:
    """The baseline once ``request`` is approved: budget and end date moved by its impact,
    its scope impact (if any) added to the scope statement under its code."""
    if end_on is not None:
        end_on += timedelta(days=request.schedule_impact_days)
    impact = request.scope_impact.strip()
    if impact and impact.lower() != "none":
        scope = (scope + "\n" if scope else "") + f"{request.code}: {impact}"
    return budget + request.cost_impact, end_on, scope


def tolerance_check(
    baseline_budget: float,
    cost_tolerance_pct: float,
    schedule_tolerance_days: int,
    approved_cost: float,
    approved_days: int,
    cost: float,
    days: int,
) -> ToleranceCheck:
    """Where a request would take a project: its approved changes so far plus this one,
    against the original baseline and the tolerances either way (over and under)."""
    return ToleranceCheck(
        cost_total=approved_cost + cost,
        cost_limit=baseline_budget * cost_tolerance_pct / 100,
        days_total=approved_days + days,
        days_limit=schedule_tolerance_days,
    )


PHASE_ORDER = (Phase.INITIATION, Phase.PLANNING, Phase.DELIVERY, Phase.CLOSING)


def next_phase(phase: Phase) -> Phase | None:
    """The phase a gate leads into; None after the last one (closure is its own step)."""
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


# -- priorities and capacity ---------------------------------------------------------


def score_breakdown(scores: dict[int, int], weights: dict[int, float]) -> dict[int, float]:
    """What each criterion adds to the weighted score (they sum to ``weighted_score``)."""
    total = sum(weights.values())
    if not total:
        return {criterion: 0.0 for criterion in weights}
    return {
        criterion: scores.get(criterion, 0) * weight / total
        for criterion, weight in weights.items()
    }


def score_order(projects: list[int], scores: dict[int, float]) -> list[int]:
    """Highest score first; equal scores keep their order in ``projects`` (stable), so a
    change of weights that leaves scores equal never shuffles them."""
    return sorted(projects, key=lambda project: -round(scores.get(project, 0.0), 9))


def moved(order: list[int], project: int, to_rank: int) -> list[int]:
    """``order`` with ``project`` at rank ``to_rank`` (1 is the top; clamped to the list)."""
    rest = [other for other in order if other != project]
    index = min(max(to_rank, 1), len(order)) - 1
    return [*rest[:index], project, *rest[index:]]


def funding_line(order: list[int], cost: dict[int, float], budget: float) -> int:
    """How many projects, walking down the ranking, the budget funds: the line is drawn
    where the cumulative cost first exceeds it, and everything below is unfunded."""
    spent = 0.0
    for funded, project in enumerate(order):
        spent += cost.get(project, 0.0)
        if spent > budget + 1e-9:
            return funded
    return len(order)


def over_capacity(
    order: list[int], demand: dict[int, dict[str, float]], capacity: dict[str, float]
) -> dict[int, list[str]]:
    """For each project, the teams whose capacity is used up by the projects ranked above
    it and itself: walking down the ranking, cumulative FTE per team against capacity."""
    used: dict[str, float] = {}
    result: dict[int, list[str]] = {}
    for project in order:
        over = []
        for team, fte in sorted(demand.get(project, {}).items()):
            used[team] = used.get(team, 0.0) + fte
            if fte > 0 and used[team] > capacity.get(team, 0.0) + 1e-9:
                over.append(team)
        if over:
            result[project] = over
    return result


# Saaty's random consistency index for n = 1..10.
_RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


def ahp_weights(matrix: list[list[float]]) -> tuple[list[float], float]:
    """Weights (summing to 1) from a reciprocal pairwise-comparison matrix by its principal
    eigenvector (power iteration), and Saaty's consistency ratio (above 0.1: the answers
    contradict each other). ``matrix[i][j]`` is how much more i matters than j."""
    n = len(matrix)
    if n == 0:
        return [], 0.0
    weights = [1.0 / n] * n
    for _ in range(100):
        product = [sum(matrix[i][j] * weights[j] for j in range(n)) for i in range(n)]
        total = sum(product)
        following = [value / total for value in product]
        if max(abs(a - b) for a, b in zip(following, weights, strict=True)) < 1e-12:
            weights = following
            break
        weights = following
    if n <= 2:
        return weights, 0.0
    lambda_max = (
        sum(sum(matrix[i][j] * weights[j] for j in range(n)) / weights[i] for i in range(n)) / n
    )
    index = (lambda_max - n) / (n - 1)
    ratio = index / _RANDOM_INDEX[min(n, len(_RANDOM_INDEX) - 1)]
    return weights, max(0.0, ratio)


@dataclass(frozen=True)
class RankingPlan:
    """A ranking's facts for every project, without a row model each: the order, scores,
    costs, funding line and over-allocation. A screen shows 100 rows of 2,000 (``rows``
    builds those), and building all 2,000 rows was most of a re-rank (25 ms; 100 at
    8,000 projects)."""

    inputs: RankingInputs
    order: list[int]
    scores: dict[int, float]
    by_score: dict[int, int]
    cost: dict[int, float]
    cumulative: list[float]
    funded: int
    over: dict[int, list[str]]
    last_ranks: dict[int, int]
    was_funded: set[int]

    def __len__(self) -> int:
        return len(self.order)

    @property
    def spent(self) -> float:
        """The cost of the funded projects."""
        return self.cumulative[self.funded - 1] if self.funded else 0.0

    def rank_of(self, project_id: int) -> int | None:
        return self._ranks.get(project_id)

    @cached_property
    def _ranks(self) -> dict[int, int]:
        return {pid: rank for rank, pid in enumerate(self.order, start=1)}

    def justifications(self) -> dict[int, str]:
        """The reasons given for places away from the score order, by project."""
        given = self.inputs.justifications
        return {pid: why for pid in self.order if (why := given.get(pid, ""))}

    def rows(self, start: int = 0, stop: int | None = None) -> list[RankRow]:
        """The rows of ranks ``start + 1`` to ``stop``, validated as one list."""
        by_id = {project.id: project for project in self.inputs.projects}
        given = self.inputs.justifications
        rows = []
        for index in range(start, len(self.order) if stop is None else min(stop, len(self))):
            pid = self.order[index]
            is_funded = index < self.funded
            crossed = ""
            if pid in self.last_ranks and is_funded != (pid in self.was_funded):
                crossed = "into funding" if is_funded else "out of funding"
            rows.append(
                {
                    "project": by_id[pid],
                    "rank": index + 1,
                    "last_rank": self.last_ranks.get(pid),
                    "score": self.scores[pid],
                    "score_rank": self.by_score[pid],
                    "justification": given.get(pid, ""),
                    "cost": self.cost[pid],
                    "cumulative_cost": self.cumulative[index],
                    "funded": is_funded,
                    "over_teams": self.over.get(pid, []),
                    "crossed": crossed,
                }
            )
        # One validation for the list: 7 ms for 2,000 rows against 17 row by row (and 28
        # for model_construct, which walks every field in Python).
        return _RANK_ROWS.validate_python(rows)

    def board(self) -> RankingBoard:
        inputs = self.inputs
        return RankingBoard.model_construct(
            rows=self.rows(),
            criteria=inputs.criteria,
            budget=inputs.budget,
            funded=self.funded,
            teams=inputs.teams,
            draft_version=inputs.draft_version,
        )


_RANK_ROWS = TypeAdapter(list[RankRow])


def ranking_plan(inputs: RankingInputs) -> RankingPlan:
    """The ranking as the forum sees it: each project's weighted score (its breakdown is
    the card's, for one project), movement since the last ranking, the funding line and
    team over-allocation."""
    weights = {criterion.id: criterion.weight for criterion in inputs.criteria}
    total = sum(weights.values())
    pairs = list(weights.items())
    no_scores: dict[int, int] = {}
    # weighted_score's sum, term for term (the same floats), with the total taken once:
    # 2,000 projects are scored on every re-rank.
    scores = {
        project.id: (
            sum(given.get(criterion, 0) * weight for criterion, weight in pairs) / total
            if total
            else 0.0
        )
        for project in inputs.projects
        for given in (inputs.scores.get(project.id, no_scores),)
    }
    known = {project.id for project in inputs.projects}
    order = list(dict.fromkeys(pid for pid in inputs.order if pid in known))
    placed = set(order)
    # Projects the working order does not hold yet (new, or no ranking at all) follow it,
    # best score first.
    order += score_order([p.id for p in inputs.projects if p.id not in placed], scores)
    by_score = {pid: rank for rank, pid in enumerate(score_order(order, scores), start=1)}
    cost = {project.id: project.period_cost for project in inputs.projects}
    funded = funding_line(order, cost, inputs.budget)
    capacity = {team.name: team.fte for team in inputs.teams}
    over = over_capacity(order, inputs.demand, capacity)
    # Last ranks renumbered among the projects ranked today, so a project that closed or
    # went on hold since does not show everyone below it as moving up.
    last_order = sorted(
        (pid for pid in order if pid in inputs.last_ranks), key=lambda pid: inputs.last_ranks[pid]
    )
    return RankingPlan(
        inputs=inputs,
        order=order,
        scores=scores,
        by_score=by_score,
        cost=cost,
        cumulative=list(accumulate(cost[pid] for pid in order)),
        funded=funded,
        over=over,
        last_ranks={pid: rank for rank, pid in enumerate(last_order, start=1)},
        was_funded=set(last_order[: funding_line(last_order, cost, inputs.budget)]),
    )


def ranking_board(inputs: RankingInputs) -> RankingBoard:
    """Every project's row of the ranking (exports, minutes, the adopted ranking)."""
    return ranking_plan(inputs).board()


# -- lessons search ------------------------------------------------------------------

_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+", re.UNICODE)
# Too common to say what a lesson is about when looking for related ones.
_STOP_TEXT = (
    "a an and are as at be been but by for from has have in into is it its may might "
    "not of on or our over so than that the their them then there these they this to "
    "up was we were what when which will with would could should new without within "
    "about after before during being some any all only also due per via more less very "
    "can cannot does did done get got its our out own same such too"
)
_STOPWORDS = frozenset(_STOP_TEXT.split())


def _phrase(text: str) -> str | None:
    """The words of ``text`` as one FTS5 string (a phrase when several), quotes doubled so
    nothing the user typed is read as FTS syntax."""
    words = _WORD.findall(text)
    return '"' + " ".join(words).replace('"', '""') + '"' if words else None


def fts_query(text: str) -> str | None:
    """What the user typed as a safe FTS5 query, read as they meant it: words must all
    match (stemmed), ``"quoted words"`` match as a phrase, ``word*`` matches a prefix,
    ``-word`` excludes, ``OR`` between two terms offers either. Any other FTS syntax
    (``NEAR``, ``:``, parentheses, a lone quote) is searched as plain words. None when
    nothing searchable is left."""
    text = text.strip()
    if text.count('"') % 2:
        text = text.replace('"', " ")  # an unbalanced quote: plain words
    include: list[str] = []
    exclude: list[str] = []
    pending_or = False
    for match in _QUERY_PART.finditer(text):
        negative = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) == "OR" and include:
            pending_or = True
            continue
        prefix = match.group(2) is None and raw.endswith("*")
        term = _phrase(raw)
        if term is None:
            continue
        if prefix and " " not in term:
            term += "*"
        if negative:
            exclude.append(term)
        elif pending_or:
            include[-1] = f"({include[-1]} OR {term})"
            pending_or = False
        else:
            include.append(term)
    if not include:
        return None
    query = " AND ".join(include)
    return query + "".join(f" NOT {term}" for term in exclude)


def related_query(text: str, limit: int = 8) -> str | None:
    """An OR query of the telling words of a RAID item's or request's title: lessons
    sharing any of them rank by how many and how rare (bm25)."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOPWORDS]
    unique = list(dict.fromkeys(words))[:limit]
    return " OR ".join(f'"{word}"' for word in unique) or None
