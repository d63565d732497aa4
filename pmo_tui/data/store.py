"""Store: the one way in to the portfolio file.

Every edit is its own short ``BEGIN IMMEDIATE`` transaction, committed at once: the write
lock is taken before the read, so two processes doing read-modify-write wait for each
other (up to the busy timeout) instead of failing or losing an update. Editable rows
carry a ``version``; an update names the version it read and is refused when another
session got there first. Every write appends to ``events``.

A connection belongs to the thread that opened it: a worker thread opens its own Store.
The methods live in topic modules (core, presence, portfolio, meetings, raid, changes,
priorities,
lessons, importing, dashboard, audit, record); this class joins them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pmo_tui.data.audit import Audit, ChainCheck, MinutesCheck, OutsideEdit
from pmo_tui.data.core import Clock, utc_now, validated
from pmo_tui.data.dashboard import TREND_MEETINGS, Dashboards
from pmo_tui.data.importing import Importer, ImportKind, ImportPlan, Progress
from pmo_tui.data.lessons import Lessons
from pmo_tui.data.metrics import Dashboard, Highlight
from pmo_tui.data.models import (
    Closure,
    ClosureCheck,
    CriterionKind,
    Decision,
    Event,
    Lesson,
    LessonCategory,
    LessonHit,
    Meeting,
    Objective,
    Ranking,
    RankingBoard,
    RankingDraft,
    RankingInputs,
    RankRow,
    Session,
    Team,
)
from pmo_tui.data.presence import Presence
from pmo_tui.data.priorities import Priorities, WhatIf
from pmo_tui.data.record import RecordStore

__all__ = ["Clock", "Store", "utc_now", "validated"]


class Store(RecordStore):
    """An open portfolio file. Use as a context manager, or call ``close()``.

    Topic stores converted to components over the core are reached through explicit flat
    methods here, so every caller keeps writing ``store.join(...)`` and mypy checks each
    call (the other topics are still mixins below; see docs/ARCHITECTURE.md)."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        user: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        # Attached before the core opens the file: a migration may already need them (the
        # records of an older file's closed meetings read the lessons).
        self.presence = Presence(self)
        self.importer = Importer(self)
        self.dashboards = Dashboards(self)
        self.lessons = Lessons(self)
        self.priorities = Priorities(self)
        self.audit = Audit(self)
        super().__init__(path, create=create, read_only=read_only, user=user, clock=clock)

    # -- presence (data/presence.py) -------------------------------------------------

    def data_version(self) -> int:
        return self.presence.data_version()

    def content_mark(self) -> int:
        return self.presence.content_mark()

    def view_mark(self) -> int:
        return self.presence.view_mark()

    def join(self, meeting_id: int | None = None) -> Session:
        return self.presence.join(meeting_id)

    def session(self, session_id: int) -> Session:
        return self.presence.session(session_id)

    def beat(
        self, session_id: int, meeting_id: int | None, step: int | None, selection: str = ""
    ) -> None:
        self.presence.beat(session_id, meeting_id, step, selection)

    def leave(self, session_id: int) -> None:
        self.presence.leave(session_id)

    def present(self, meeting_id: int | None = None) -> list[Session]:
        return self.presence.present(meeting_id)

    def driver_present(self, meeting: Meeting) -> bool:
        return self.presence.driver_present(meeting)

    # -- importing registers (data/importing.py) --------------------------------------

    def plan_import(
        self,
        kind: ImportKind,
        path: Path,
        *,
        sheet: str = "",
        mapping: dict[str, str] | None = None,
    ) -> ImportPlan:
        return self.importer.plan_import(kind, path, sheet=sheet, mapping=mapping)

    def run_import(self, plan: ImportPlan, progress: Progress | None = None) -> tuple[int, int]:
        return self.importer.run_import(plan, progress)

    # -- the dashboard and the highlight report (data/dashboard.py) -------------------

    def dashboard(self, day: date | None = None, meetings: int = TREND_MEETINGS) -> Dashboard:
        return self.dashboards.dashboard(day, meetings)

    def highlight(self, since: date, day: date | None = None) -> Highlight:
        return self.dashboards.highlight(since, day)

    # -- lessons learned and closures (data/lessons.py) -------------------------------

    def add_lesson(self, **values: Any) -> Lesson:
        return self.lessons.add_lesson(**values)

    def edit_lesson(self, lesson_id: int, version: int, **values: Any) -> Lesson:
        return self.lessons.edit_lesson(lesson_id, version, **values)

    def delete_lesson(self, lesson_id: int, version: int) -> Lesson:
        return self.lessons.delete_lesson(lesson_id, version)

    def adopt_lesson(self, lesson_id: int, version: int, adopted: bool = True) -> Lesson:
        return self.lessons.adopt_lesson(lesson_id, version, adopted)

    def search_lessons(
        self,
        words: str = "",
        *,
        category: LessonCategory | None = None,
        project_id: int | None = None,
        programme: str = "",
        since: date | None = None,
        limit: int = 200,
    ) -> list[LessonHit]:
        return self.lessons.search_lessons(
            words,
            category=category,
            project_id=project_id,
            programme=programme,
            since=since,
            limit=limit,
        )

    def related_lessons(self, text: str, limit: int = 3) -> list[LessonHit]:
        return self.lessons.related_lessons(text, limit)

    def closure_check(
        self,
        project_id: int,
        meeting_id: int | None = None,
        *,
        handed_over_to: str = "",
        benefits_owner: str = "",
        transferred: tuple[int, int] = (0, 0),
        transferred_to: str = "",
    ) -> ClosureCheck:
        return self.lessons.closure_check(
            project_id,
            meeting_id,
            handed_over_to=handed_over_to,
            benefits_owner=benefits_owner,
            transferred=transferred,
            transferred_to=transferred_to,
        )

    def transfer_open_items(self, project_id: int, to_project: str) -> tuple[int, int]:
        return self.lessons.transfer_open_items(project_id, to_project)

    def close_project(
        self,
        meeting_id: int,
        project_id: int,
        version: int,
        *,
        handed_over_to: str,
        benefits_owner: str,
        rationale: str,
        override_reason: str = "",
        transfer_to: str = "",
    ) -> Decision:
        return self.lessons.close_project(
            meeting_id,
            project_id,
            version,
            handed_over_to=handed_over_to,
            benefits_owner=benefits_owner,
            rationale=rationale,
            override_reason=override_reason,
            transfer_to=transfer_to,
        )

    def meeting_lessons(self, meeting_id: int) -> list[Lesson]:
        return self.lessons.meeting_lessons(meeting_id)

    def meeting_closures(self, meeting_id: int) -> list[Closure]:
        return self.lessons.meeting_closures(meeting_id)

    # -- priorities and capacity (data/priorities.py) ---------------------------------

    def criteria(self) -> list[Objective]:
        return self.priorities.criteria()

    def add_criterion(
        self, name: str, weight: float, kind: CriterionKind = CriterionKind.CRITERION
    ) -> Objective:
        return self.priorities.add_criterion(name, weight, kind)

    def set_weights(self, weights: Mapping[int, float]) -> list[Objective]:
        return self.priorities.set_weights(weights)

    def set_scores(self, project_id: int, scores: Mapping[int, int]) -> None:
        return self.priorities.set_scores(project_id, scores)

    def set_project_inputs(
        self,
        project_id: int,
        version: int,
        scores: Mapping[int, int],
        period_cost: float,
        ftes: Mapping[str, float],
    ) -> None:
        return self.priorities.set_project_inputs(project_id, version, scores, period_cost, ftes)

    def funding(self) -> float:
        return self.priorities.funding()

    def set_capacity(self, budget: float, teams: Mapping[str, float]) -> None:
        return self.priorities.set_capacity(budget, teams)

    def teams(self) -> list[Team]:
        return self.priorities.teams()

    def set_demand(self, project_id: int, team: str, fte: float) -> None:
        return self.priorities.set_demand(project_id, team, fte)

    def ranking_inputs(self, meeting_id: int | None = None) -> RankingInputs:
        return self.priorities.ranking_inputs(meeting_id)

    def ranking(self, meeting_id: int | None = None) -> RankingBoard:
        return self.priorities.ranking(meeting_id)

    def portfolio_ranking(self) -> RankingBoard:
        return self.priorities.portfolio_ranking()

    def save_ranking(
        self,
        meeting_id: int,
        version: int | None,
        order: Sequence[int],
        justifications: Mapping[int, str],
    ) -> RankingDraft:
        return self.priorities.save_ranking(meeting_id, version, order, justifications)

    def discard_ranking(self, meeting_id: int) -> None:
        return self.priorities.discard_ranking(meeting_id)

    def adopt_ranking(
        self,
        meeting_id: int,
        rationale: str,
        *,
        what_if: WhatIf | None = None,
    ) -> Decision:
        return self.priorities.adopt_ranking(meeting_id, rationale, what_if=what_if)

    def adopted_ranking(self, meeting_id: int) -> list[Ranking]:
        return self.priorities.adopted_ranking(meeting_id)

    def adopted_board(self, meeting_id: int) -> tuple[list[RankRow], float]:
        return self.priorities.adopted_board(meeting_id)

    # -- the audit trail and the minutes' life (data/audit.py) ------------------------

    def outside_edits(self, limit: int = 1000) -> list[OutsideEdit]:
        return self.audit.outside_edits(limit)

    def verify_chain(self) -> ChainCheck:
        return self.audit.verify_chain()

    def circulate_minutes(self, meeting_id: int) -> Meeting:
        return self.audit.circulate_minutes(meeting_id)

    def check_minutes(self, meeting_id: int) -> MinutesCheck:
        return self.audit.check_minutes(meeting_id)

    def closed_meetings(self) -> list[Meeting]:
        return self.audit.closed_meetings()

    def chain_event(self, event_id: int) -> Event | None:
        return self.audit.chain_event(event_id)
