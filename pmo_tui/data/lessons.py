"""Lessons learned and project closure: lessons captured and searched across the whole
portfolio history (SQLite FTS5, kept in step by triggers), lessons offered beside new RAID
items and change requests, and the closure checklist a project passes (or is overridden
past, with a reason) when the forum closes it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pmo_tui.data.core import Db, validated
from pmo_tui.data.decisions import Decisions
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    Closure,
    ClosureCheck,
    ClosurePoint,
    Decision,
    Lesson,
    LessonCategory,
    LessonHit,
    Project,
    ProjectStatus,
    RaidItem,
    RaidStatus,
)
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.rules import fts_query, related_query
from pmo_tui.data.sqlite import fields

# A final status report counts when it is this recent (or from the closing meeting).
FINAL_REPORT_DAYS = 30

_MARK_OPEN, _MARK_CLOSE = "\x01", "\x02"

LESSON_TEXT = frozenset(
    {"project_id", "category", "title", "what_happened", "impact", "next_time", "tags"}
)


class Lessons:
    """Lessons and project closure over the core, the portfolio and forum decisions."""

    def __init__(self, db: Db, portfolio: Portfolio, decisions: Decisions) -> None:
        self.db = db
        self.portfolio = portfolio
        self.decisions = decisions

    def add_lesson(self, **values: Any) -> Lesson:
        """A lesson, stamped with today's date (and the meeting when captured in one)."""
        with self.db.write():
            self.db.seat(None, "capture")
            values.setdefault("recorded_on", self.db.clock().date())
            for name in ("title", "what_happened", "impact", "next_time", "tags"):
                if isinstance(values.get(name), str):
                    values[name] = values[name].strip()
            lesson = validated(Lesson, **values)
            if lesson.project_id is not None:
                self.db.get(Project, lesson.project_id)
            return self.db.add(lesson)

    def edit_lesson(self, lesson_id: int, version: int, **values: Any) -> Lesson:
        """Change what a lesson says (title, project, category, what happened, its impact,
        what to do next time, tags); never who captured it, when, or its adoption."""
        unknown = set(values) - LESSON_TEXT
        if unknown:
            raise InvalidInputError(
                f"A lesson's edit does not change {', '.join(sorted(unknown))}."
            )
        return self.db.update(Lesson, lesson_id, version, **values)

    def delete_lesson(self, lesson_id: int, version: int) -> Lesson:
        """Remove a lesson (the audit trail keeps what it said)."""
        return self.db.delete(Lesson, lesson_id, version)

    def adopt_lesson(self, lesson_id: int, version: int, adopted: bool = True) -> Lesson:
        """Mark a lesson adopted into the PMO's standards today (or not adopted)."""
        with self.db.write():
            on = self.db.clock().date() if adopted else None
            return self.db.update(Lesson, lesson_id, version, adopted_on=on)

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
        """Lessons matching ``words`` (best first, matches marked) and the filters; the
        newest first when no words are given. Any text is safe to pass."""
        query = fts_query(words)
        where, params = self._lesson_filters(category, project_id, programme, since)
        if query is None:
            rows = self.db.conn.execute(
                "select l.*, p.name as project_name, p.programme as programme, "
                "l.title as marked_title, '' as snippet from lessons l "
                f"left join projects p on p.id = l.project_id where 1 {where} "
                "order by l.recorded_on desc, l.id desc limit ?",
                [*params, limit],
            )
        else:
            rows = self.db.conn.execute(
                "select l.*, p.name as project_name, p.programme as programme, "
                f"highlight(lessons_fts, 0, '{_MARK_OPEN}', '{_MARK_CLOSE}') as marked_title, "
                f"snippet(lessons_fts, -1, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 16) as snippet "
                "from lessons_fts join lessons l on l.id = lessons_fts.rowid "
                f"left join projects p on p.id = l.project_id where lessons_fts match ? {where} "
                # Title and what to do next time weigh most in the ranking.
                "order by bm25(lessons_fts, 10.0, 1.0, 1.0, 2.0, 0.5), l.id limit ?",
                [query, *params, limit],
            )
        return [self._hit(row) for row in rows]

    def _lesson_filters(
        self,
        category: LessonCategory | None,
        project_id: int | None,
        programme: str,
        since: date | None,
    ) -> tuple[str, list[object]]:
        where = ""
        params: list[object] = []
        if category is not None:
            where += " and l.category = ?"
            params.append(category.value)
        if project_id is not None:
            where += " and l.project_id = ?"
            params.append(project_id)
        if programme.strip():
            where += " and p.programme = ? collate nocase"
            params.append(programme.strip())
        if since is not None:
            where += " and l.recorded_on >= ?"
            params.append(since.isoformat())
        return where, params

    def _hit(self, row: Any) -> LessonHit:
        data = fields(row)
        project_name = data.pop("project_name")
        programme = data.pop("programme")
        marked, snippet = data.pop("marked_title"), data.pop("snippet")
        lesson = Lesson.model_validate(data)
        project = f"P-{lesson.project_id} {project_name}" if lesson.project_id else "portfolio"
        return LessonHit(
            lesson=lesson,
            project=project,
            programme=programme or "",
            marked_title=marked or lesson.title,
            snippet=snippet or "",
        )

    def related_lessons(self, text: str, limit: int = 3) -> list[LessonHit]:
        """Lessons that share telling words with ``text`` (a RAID item's or a change
        request's title), best first: the memory offered without a search."""
        query = related_query(text)
        if query is None:
            return []
        rows = self.db.conn.execute(
            "select l.*, p.name as project_name, p.programme as programme, "
            f"highlight(lessons_fts, 0, '{_MARK_OPEN}', '{_MARK_CLOSE}') as marked_title, "
            "'' as snippet from lessons_fts join lessons l on l.id = lessons_fts.rowid "
            "left join projects p on p.id = l.project_id where lessons_fts match ? "
            "order by bm25(lessons_fts, 10.0, 1.0, 1.0, 2.0, 0.5) limit ?",
            (query, limit),
        )
        return [self._hit(row) for row in rows]

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
        """The closure checklist as the data stands (and as the forum fills it in);
        ``transferred`` counts the RAID items and actions just moved to ``transferred_to``
        in the same step, so the checklist says so instead of "none open"."""
        project = self.db.get(Project, project_id)
        open_raid = self.db.conn.execute(
            "select count(*) from raid_items where project_id = ? and status != ?",
            (project_id, RaidStatus.CLOSED.value),
        ).fetchone()[0]
        open_actions = self.db.conn.execute(
            "select count(*) from actions where project_id = ? and status = ?",
            (project_id, ActionStatus.OPEN.value),
        ).fetchone()[0]
        lessons = self.db.conn.execute(
            "select count(*) from lessons where project_id = ?", (project_id,)
        ).fetchone()[0]
        recent = (self.db.clock().date() - timedelta(days=FINAL_REPORT_DAYS)).isoformat()
        report = self.db.conn.execute(
            "select reported_on from status_reports where project_id = ? "
            "and (meeting_id = ? or reported_on >= ?) order by reported_on desc limit 1",
            (project_id, meeting_id, recent),
        ).fetchone()
        points = [
            ClosurePoint(
                name="Deliverables handed over",
                met=bool(handed_over_to.strip()),
                detail=f"to {handed_over_to.strip()}" if handed_over_to.strip() else "to whom?",
            ),
            ClosurePoint(
                name="Benefits owner named",
                met=bool(benefits_owner.strip()),
                detail=benefits_owner.strip() or "nobody named",
            ),
            ClosurePoint(
                name="Open RAID items closed or transferred",
                met=open_raid == 0,
                detail=_open_detail(open_raid, transferred[0], transferred_to),
            ),
            ClosurePoint(
                name="Open actions done, transferred or dropped",
                met=open_actions == 0,
                detail=_open_detail(open_actions, transferred[1], transferred_to),
            ),
            ClosurePoint(
                name="Lessons captured",
                met=lessons > 0,
                detail=f"{lessons} recorded" if lessons else "none yet",
            ),
            ClosurePoint(
                name="Final status report",
                met=report is not None,
                detail=f"reported {report[0]}"
                if report
                else f"none in this meeting or the last {FINAL_REPORT_DAYS} days",
            ),
        ]
        return ClosureCheck(
            project=project, points=points, open_raid=open_raid, open_actions=open_actions
        )

    def transfer_open_items(self, project_id: int, to_project: str) -> tuple[int, int]:
        """Move a project's open RAID items and open actions to another project (or to the
        portfolio: ``to_project`` "portfolio"); returns how many of each moved."""
        with self.db.write():
            portfolio = to_project.strip().lower() == "portfolio"
            target = None if portfolio else self.portfolio.project_called(to_project).id
            if target == project_id:
                raise InvalidInputError("Transfer them to another project, or to the portfolio.")
            moved_raid = moved_actions = 0
            for row in self.db.conn.execute(
                "select id, version from raid_items where project_id = ? and status != ?",
                (project_id, RaidStatus.CLOSED.value),
            ).fetchall():
                self.db.update(RaidItem, row[0], row[1], project_id=target)
                moved_raid += 1
            for row in self.db.conn.execute(
                "select id, version from actions where project_id = ? and status = ?",
                (project_id, ActionStatus.OPEN.value),
            ).fetchall():
                self.db.update(Action, row[0], row[1], project_id=target)
                moved_actions += 1
            return moved_raid, moved_actions

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
        """The forum closes a project: refused while the checklist has open points,
        unless the override and its reason are recorded with the decision. Open RAID
        items and actions can be transferred (to a project, or "portfolio") first, in the
        same transaction: a refused closure transfers nothing."""
        if not rationale.strip():
            raise InvalidInputError("A decision needs its rationale: say why.")
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            project = self.db.get(Project, project_id)
            if project.version != version:
                raise self.db.conflict(project)
            if project.status is ProjectStatus.CLOSED:
                raise InvalidInputError(f"{project.code} is closed already.")
            moved, to = (0, 0), ""
            if transfer_to.strip():
                moved = self.transfer_open_items(project_id, transfer_to)
                to = _transfer_label(self.portfolio, transfer_to)
            check = self.closure_check(
                project_id,
                meeting_id,
                handed_over_to=handed_over_to,
                benefits_owner=benefits_owner,
                transferred=moved,
                transferred_to=to,
            )
            still_open = check.open_points
            if still_open and not override_reason.strip():
                raise InvalidInputError(
                    f"{project.code} cannot close with {len(still_open)} open points ("
                    + "; ".join(f"{p.name}: {p.detail}" for p in still_open)
                    + "): resolve them, or give the reason to override."
                )
            text = f"{project.code} {project.name} closed"
            if still_open:
                text += f" with {len(still_open)} open points overridden: {override_reason.strip()}"
            decision = self.decisions.forum_decision(
                meeting,
                text=text,
                rationale=rationale.strip(),
                outcome="closure",
                tally=None,
                project_id=project_id,
            )
            self.db.add(
                validated(
                    Closure,
                    project_id=project_id,
                    meeting_id=meeting_id,
                    decision_id=decision.id,
                    closed_on=self.db.clock().date(),
                    handed_over_to=handed_over_to.strip(),
                    benefits_owner=benefits_owner.strip(),
                    checklist="\n".join(
                        f"{'✓' if p.met else '✗'} {p.name}: {p.detail}" for p in check.points
                    ),
                    override_reason=override_reason.strip() if still_open else "",
                )
            )
            if benefits_owner.strip():
                self.portfolio.person_named(benefits_owner, create=True)
            self.db.update(
                Project,
                project_id,
                version,
                status=ProjectStatus.CLOSED,
                percent_complete=100,
            )
            return decision

    def meeting_lessons(self, meeting_id: int) -> list[Lesson]:
        """The lessons captured in this meeting."""
        rows = self.db.conn.execute(
            "select * from lessons where meeting_id = ? order by id", (meeting_id,)
        )
        return [self.db.row_to(Lesson, row) for row in rows]

    def meeting_closures(self, meeting_id: int) -> list[Closure]:
        """The projects this meeting closed, with their checklists."""
        rows = self.db.conn.execute(
            "select * from closures where meeting_id = ? order by id", (meeting_id,)
        )
        return [self.db.row_to(Closure, row) for row in rows]


def _open_detail(still_open: int, moved: int, to: str) -> str:
    if still_open:
        return f"{still_open} still open" + (f" ({moved} transferred to {to})" if moved else "")
    if moved:
        return f"{moved} transferred to {to}"
    return "none open"


def _transfer_label(portfolio: Portfolio, to: str) -> str:
    if to.strip().lower() == "portfolio":
        return "the portfolio"
    project = portfolio.project_called(to)
    return f"{project.code} {project.name}"
