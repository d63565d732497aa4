"""The dashboard's data: the portfolio's health now and its trends over the last meetings,
read with a fixed number of queries a meeting (never a query an item)."""

from __future__ import annotations

from datetime import date

from pmo_tui.data.importing import ImportStore
from pmo_tui.data.metrics import (
    Dashboard,
    Highlight,
    MeetingPoint,
    RagMove,
    budget_by_objective,
)
from pmo_tui.data.models import (
    APPROVED_CHANGES,
    ActionStatus,
    MeetingState,
    Objective,
    Project,
    ProjectStatus,
    RaidItem,
    RaidStatus,
)
from pmo_tui.data.rules import PHASE_ORDER

TREND_MEETINGS = 12
TOP_RISKS = 5


class DashboardStore(ImportStore):
    def dashboard(self, day: date | None = None, meetings: int = TREND_MEETINGS) -> Dashboard:
        day = day or self.clock().date()
        projects = [
            self._row_to(Project, row)
            for row in self.conn.execute(
                "select * from projects where status in (?, ?) order by rank is null, rank, id",
                (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value),
            )
        ]
        board = Dashboard(day=day, projects=projects)
        latest = self._latest_rag(day)
        board.phases = {phase.value: [] for phase in PHASE_ORDER}
        for project in projects:
            board.rag.setdefault(latest.get(project.id, "not reported"), []).append(project.code)
            board.phases[project.phase.value].append(project.code)
        board.phases = {phase: codes for phase, codes in board.phases.items() if codes}
        scores: dict[int, dict[int, int]] = {}
        for row in self.conn.execute("select project_id, objective_id, score from project_scores"):
            scores.setdefault(row[0], {})[row[1]] = row[2]
        objectives = [
            self._row_to(Objective, row)
            for row in self.conn.execute(
                "select * from objectives where kind = 'objective' order by id"
            )
        ]
        board.budget = budget_by_objective(projects, scores, objectives)
        board.top_risks = [
            self._row_to(RaidItem, row)
            for row in self.conn.execute(
                "select * from raid_items where status != ? and probability is not null "
                "order by probability * impact desc, id limit ?",
                (RaidStatus.CLOSED.value, TOP_RISKS),
            )
        ]
        board.open_raid = [
            f"R-{row[0]}"
            for row in self.conn.execute(
                "select id from raid_items where status != ? "
                "order by coalesce(probability * impact, 0) desc, id limit 500",
                (RaidStatus.CLOSED.value,),
            )
        ]
        for row in self.conn.execute(
            "select coalesce(p.name, 'No owner') as owner, a.id from actions a "
            "left join people p on p.id = a.owner_id "
            "where a.status = ? and a.due_on < ? order by a.due_on, a.id",
            (ActionStatus.OPEN.value, day.isoformat()),
        ):
            board.overdue.setdefault(row[0], []).append(f"A-{row[1]}")
        board.trend = self._trend(day, meetings)
        if board.trend:
            last = int(board.trend[-1].code.removeprefix("M-"))
            before = board.trend[-2].day.isoformat() if len(board.trend) > 1 else "0000-00-00"
            when = board.trend[-1].day.isoformat()
            board.last_meeting_decisions = self._codes(
                "D", "select id from decisions where meeting_id = ? order by id", (last,)
            )
            board.last_opened = self._codes(
                "A", "select id from actions where meeting_id = ? order by id", (last,)
            )
            board.last_closed = self._codes(
                "A",
                "select id from actions where closed_on > ? and closed_on <= ? order by id",
                (before, when),
            )
            board.last_changes = self._codes(
                "CR",
                "select change_request_id from decisions where meeting_id = ? "
                "and change_request_id is not null and outcome != '' order by id",
                (last,),
            )
        board.approved = self._codes(
            "CR",
            "select id from change_requests where status in "
            f"({', '.join('?' for _ in APPROVED_CHANGES)}) order by id",
            tuple(status.value for status in APPROVED_CHANGES),
        )
        return board

    def highlight(self, since: date, day: date | None = None) -> Highlight:
        """Everything a highlight report needs for the period after ``since``."""
        day = day or self.clock().date()
        board = self.dashboard(day)
        before, after = self._latest_rag(since), self._latest_rag(day)
        moves = [
            RagMove(
                code=project.code,
                name=project.name,
                before=before.get(project.id, "not reported"),
                after=after.get(project.id, "not reported"),
            )
            for project in board.projects
            if before.get(project.id) != after.get(project.id)
        ]
        escalated = [
            self._row_to(RaidItem, row)
            for row in self.conn.execute(
                "select * from raid_items where status = ? order by id",
                (RaidStatus.ESCALATED.value,),
            )
        ]
        decisions = [
            (f"D-{row[0]}", f"M-{row[1]}" if row[1] else "-", row[2])
            for row in self.conn.execute(
                "select id, meeting_id, text from decisions where decided_on > ? "
                "and decided_on <= ? and draft_by = '' order by decided_on, id",
                (since.isoformat(), day.isoformat()),
            )
        ]
        changes = [
            (f"CR-{row[0]}", f"P-{row[1]} {row[2]}", row[3], row[4], row[5])
            for row in self.conn.execute(
                "select c.id, c.project_id, p.name, c.cost_impact, c.schedule_impact_days, "
                "c.title from change_requests c join projects p on p.id = c.project_id "
                "join decisions d on d.id = c.decision_id "
                f"where c.status in ({', '.join('?' for _ in APPROVED_CHANGES)}) "
                "and d.decided_on > ? and d.decided_on <= ? order by d.decided_on, c.id",
                [*(s.value for s in APPROVED_CHANGES), since.isoformat(), day.isoformat()],
            )
        ]
        rank_moves = [
            (f"P-{row[0]}", row[1], row[2], row[3])
            for row in self.conn.execute(
                "select r.project_id, p.name, r.rank_before, r.rank_after from rankings r "
                "join meetings m on m.id = r.meeting_id join projects p on p.id = r.project_id "
                "where m.scheduled_on > ? and m.scheduled_on <= ? "
                "and (r.rank_before is null or r.rank_before != r.rank_after) "
                "order by m.scheduled_on, r.rank_after",
                (since.isoformat(), day.isoformat()),
            )
        ]
        return Highlight(
            since=since,
            board=board,
            rag_moves=moves,
            escalated=escalated,
            decisions=decisions,
            changes=changes,
            rank_moves=rank_moves,
        )

    def _codes(self, prefix: str, sql: str, params: tuple[object, ...]) -> list[str]:
        return [f"{prefix}-{row[0]}" for row in self.conn.execute(sql, params)]

    def _latest_rag(self, day: date) -> dict[int, str]:
        """Each project's overall RAG in its latest report on or before ``day``."""
        rows = self.conn.execute(
            "select project_id, overall from (select project_id, overall, row_number() over "
            "(partition by project_id order by reported_on desc, id desc) as newest "
            "from status_reports where reported_on <= ?) where newest = 1",
            (day.isoformat(),),
        )
        return {row[0]: row[1] for row in rows}

    def _trend(self, day: date, count: int) -> list[MeetingPoint]:
        meetings = list(
            reversed(
                self.conn.execute(
                    "select id, scheduled_on from meetings where state != ? and scheduled_on "
                    "<= ? order by scheduled_on desc, id desc limit ?",
                    (MeetingState.PLANNED.value, day.isoformat(), count),
                ).fetchall()
            )
        )
        high = self.scoring().high
        points = []
        previous: str | None = None
        for meeting_id, when in meetings:
            rag: dict[str, int] = {}
            for overall in self._latest_rag(date.fromisoformat(when)).values():
                rag[overall] = rag.get(overall, 0) + 1
            exposure, high_risks = self.conn.execute(
                "select coalesce(sum(probability * impact), 0), "
                "coalesce(sum(probability * impact >= ?), 0) from raid_items "
                "where raised_on <= ? and (closed_on is null or closed_on > ?)",
                (high, when, when),
            ).fetchone()
            opened, decisions, decided = self.conn.execute(
                "select (select count(*) from actions where meeting_id = :m), "
                "(select count(*) from decisions where meeting_id = :m), "
                "(select count(*) from decisions where meeting_id = :m "
                "and change_request_id is not null and outcome != '')",
                {"m": meeting_id},
            ).fetchone()
            closed, overdue = self.conn.execute(
                "select coalesce(sum(closed_on > ? and closed_on <= ?), 0), "
                "coalesce(sum(due_on < ? and (closed_on is null or closed_on > ?)), 0) "
                "from actions",
                (previous or "0000-00-00", when, when, when),
            ).fetchone()
            cost = self.conn.execute(
                "select coalesce(sum(c.cost_impact), 0) from change_requests c "
                "join decisions d on d.id = c.decision_id "
                f"where c.status in ({', '.join('?' for _ in APPROVED_CHANGES)}) "
                "and d.decided_on <= ?",
                [*(status.value for status in APPROVED_CHANGES), when],
            ).fetchone()[0]
            points.append(
                MeetingPoint(
                    code=f"M-{meeting_id}",
                    day=date.fromisoformat(when),
                    rag=rag,
                    exposure=exposure,
                    high_risks=high_risks,
                    opened=opened,
                    closed=closed,
                    overdue=overdue,
                    changes_decided=decided,
                    change_cost=cost,
                    decisions=decisions,
                )
            )
            previous = when
        return points
