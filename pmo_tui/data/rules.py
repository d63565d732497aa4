"""Pure domain rules: no IO, no SQL, no Textual. Tested without a database."""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import accumulate

from pydantic import TypeAdapter

from pmo_tui.data.models import (
    Action,
    ActionStatus,
    ChangeRequest,
    Objective,
    Phase,
    Project,
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
        count = float(amount) if amount[0].isdecimal() else _NUMBER_WORDS.get(amount)
    if match is None or count is None or (match.group(3) is None and not value[-1].isdecimal()):
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
    keys = score_keys(scores)
    return sorted(projects, key=lambda project: keys.get(project, 0.0))


def score_keys(scores: dict[int, float]) -> dict[int, float]:
    """What ``score_order`` sorts by: the score negated, rounded so that sums of the same
    terms in another order count as equal."""
    return {project: -round(score, 9) for project, score in scores.items()}


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
    teams_sorted = {project: sorted(teams.items()) for project, teams in demand.items()}
    return _over_capacity(order, teams_sorted, capacity)


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
class _Basis:
    """What a ranking computes from the projects, their scores, the criteria, the team
    demand, the last ranking and the budget, but not from the working order: a re-rank
    (a move, by score) keeps it. Scoring 8,000 projects and sorting their demand was
    three quarters of a re-rank's plan (28 of 37 ms)."""

    projects: list[Project]
    given: dict[int, dict[int, int]]  # the scores as read, to tell whether they changed
    criteria: list[Objective]
    demand: dict[int, dict[str, float]]
    last_ranks_given: dict[int, int]
    budget: float
    scores: dict[int, float]
    order_key: dict[int, float]  # sorts highest score first (``score_order``)
    cost: dict[int, float]
    by_id: dict[int, Project]
    teams_sorted: dict[int, list[tuple[str, float]]]  # each project's demand, by team
    last_ranks: dict[int, int]
    was_funded: set[int]

    def fits(self, inputs: RankingInputs) -> bool:
        """Whether ``inputs`` differ from this basis's only in their order (the same lists
        and dicts, as a re-rank's copy of the inputs keeps them; criteria compared by
        value, as the what-if copies them with its weights)."""
        return (
            self.projects is inputs.projects
            and self.given is inputs.scores
            and self.demand is inputs.demand
            and self.last_ranks_given is inputs.last_ranks
            and self.budget == inputs.budget
            and self.criteria == inputs.criteria
        )


def _basis(inputs: RankingInputs) -> _Basis:
    weights = {criterion.id: criterion.weight for criterion in inputs.criteria}
    total = sum(weights.values())
    pairs = list(weights.items())
    no_scores: dict[int, int] = {}
    # weighted_score's sum, term for term (the same floats), with the total taken once.
    scores = {
        project.id: (
            sum(given.get(criterion, 0) * weight for criterion, weight in pairs) / total
            if total
            else 0.0
        )
        for project in inputs.projects
        for given in (inputs.scores.get(project.id, no_scores),)
    }
    cost = {project.id: project.period_cost for project in inputs.projects}
    # Last ranks renumbered among the projects ranked today, so a project that closed or
    # went on hold since does not show everyone below it as moving up. Every project is
    # in the working order, whatever its place: this does not depend on the order.
    last_order = sorted(
        (project.id for project in inputs.projects if project.id in inputs.last_ranks),
        key=lambda pid: inputs.last_ranks[pid],
    )
    return _Basis(
        projects=inputs.projects,
        given=inputs.scores,
        criteria=inputs.criteria,
        demand=inputs.demand,
        last_ranks_given=inputs.last_ranks,
        budget=inputs.budget,
        scores=scores,
        order_key=score_keys(scores),
        cost=cost,
        by_id={project.id: project for project in inputs.projects},
        teams_sorted={pid: sorted(teams.items()) for pid, teams in inputs.demand.items()},
        last_ranks={pid: rank for rank, pid in enumerate(last_order, start=1)},
        was_funded=set(last_order[: funding_line(last_order, cost, inputs.budget)]),
    )


@dataclass(frozen=True)
class RankingPlan:
    """A ranking's facts for every project, without a row model each: the order, scores,
    costs, funding line and over-allocation. A screen shows 100 rows of 2,000 (``rows``
    builds those), and building all 2,000 rows was most of a re-rank (25 ms; 100 at
    8,000 projects)."""

    inputs: RankingInputs
    basis: _Basis
    order: list[int]
    by_score: dict[int, int]
    cumulative: list[float]
    funded: int

    def __len__(self) -> int:
        return len(self.order)

    @property
    def scores(self) -> dict[int, float]:
        return self.basis.scores

    @property
    def cost(self) -> dict[int, float]:
        return self.basis.cost

    @property
    def last_ranks(self) -> dict[int, int]:
        return self.basis.last_ranks

    @property
    def was_funded(self) -> set[int]:
        return self.basis.was_funded

    @property
    def spent(self) -> float:
        """The cost of the funded projects."""
        return self.cumulative[self.funded - 1] if self.funded else 0.0

    def rank_of(self, project_id: int) -> int | None:
        return self._ranks.get(project_id)

    @cached_property
    def _ranks(self) -> dict[int, int]:
        return dict(zip(self.order, range(1, len(self.order) + 1), strict=True))  # in C

    def justifications(self) -> dict[int, str]:
        """The reasons given for places away from the score order, by project."""
        given = self.inputs.justifications
        return {pid: why for pid in self.order if (why := given.get(pid, ""))}

    def rows(self, start: int = 0, stop: int | None = None) -> list[RankRow]:
        """The rows of ranks ``start + 1`` to ``stop``, validated as one list."""
        by_id = self.basis.by_id
        given = self.inputs.justifications
        stop = len(self.order) if stop is None else min(stop, len(self))
        over = self.over(stop)
        rows = []
        for index in range(start, stop):
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
                    "over_teams": over.get(pid, []),
                    "crossed": crossed,
                }
            )
        # One validation for the list: 7 ms for 2,000 rows against 17 row by row (and 28
        # for model_construct, which walks every field in Python).
        return _RANK_ROWS.validate_python(rows)

    def over(self, stop: int | None = None) -> dict[int, list[str]]:
        """The teams over capacity at each of the first ``stop`` ranks (all: None). Only
        the ranks above a page matter to it: the first page of 8,000 walks 100 (the
        whole walk was 13 ms of a re-rank)."""
        capacity = {team.name: team.fte for team in self.inputs.teams}
        return _over_capacity(self.order[:stop], self.basis.teams_sorted, capacity)

    def by_score_order(self) -> list[int]:
        """The order by score, highest first; equal scores keep their places."""
        return sorted(self.order, key=self.basis.order_key.__getitem__)

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


def ranking_plan(inputs: RankingInputs, previous: RankingPlan | None = None) -> RankingPlan:
    """The ranking as the forum sees it: each project's weighted score (its breakdown is
    the card's, for one project), movement since the last ranking, the funding line and
    team over-allocation. ``previous``, the plan shown before: what does not depend on
    the order is kept from it when only the order changed (a re-rank of 8,000 projects
    then costs what the order does)."""
    basis = previous.basis if previous is not None else None
    if basis is None or not basis.fits(inputs):
        basis = _basis(inputs)
    key = basis.order_key
    # Walks of 8,000 ids in C (dict and set operations, map), not in Python: the
    # generator expressions here were 8 ms of a re-rank's 60.
    placed = dict.fromkeys(inputs.order)
    if not placed.keys() <= key.keys():  # a project no longer ranked (closed, on hold)
        placed = dict.fromkeys(filter(key.__contains__, placed))
    order = list(placed)
    if len(order) < len(key):
        # Projects the working order does not hold yet (new, or no ranking at all)
        # follow it, best score first.
        order += sorted((pid for pid in key if pid not in placed), key=key.__getitem__)
    ranked = sorted(order, key=key.__getitem__)
    by_score = dict(zip(ranked, range(1, len(ranked) + 1), strict=True))
    cumulative = list(accumulate(map(basis.cost.__getitem__, order)))
    # Costs are never negative, so the running total only grows: the line falls where it
    # first passes the budget (funding_line's walk, found by halving).
    funded = bisect_right(cumulative, inputs.budget + 1e-9)
    return RankingPlan(
        inputs=inputs,
        basis=basis,
        order=order,
        by_score=by_score,
        cumulative=cumulative,
        funded=funded,
    )


def _over_capacity(
    order: list[int], teams_sorted: dict[int, list[tuple[str, float]]], capacity: dict[str, float]
) -> dict[int, list[str]]:
    """``over_capacity`` with each project's demand sorted beforehand (it does not change
    with the order)."""
    used: dict[str, float] = {}
    result: dict[int, list[str]] = {}
    for project in order:
        teams = teams_sorted.get(project)
        if not teams:
            continue
        over = []
        for team, fte in teams:
            used[team] = used.get(team, 0.0) + fte
            if fte > 0 and used[team] > capacity.get(team, 0.0) + 1e-9:
                over.append(team)
        if over:
            result[project] = over
    return result


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
