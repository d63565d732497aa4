"""The dashboard's data: the portfolio's health now and its trends over the last meetings,
read with a fixed number of queries a meeting (never a query an item)."""

from __future__ import annotations

from datetime import date, timedelta

from pmo_tui.data.core import Db
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
from pmo_tui.data.raid import Raid
from pmo_tui.data.rules import PHASE_ORDER

TREND_MEETINGS = 12

TOP_RISKS = 5


class Dashboards:
    """Portfolio dashboards and trends over the core, scoring through RAID."""

    def __init__(self, db: Db, raid: Raid) -> None:
        self.db = db
        self.raid = raid

    def dashboard(self, day: date | None = None, meetings: int = TREND_MEETINGS) -> Dashboard:
        day = day or self.db.clock().date()
        projects = [
            self.db.row_to(Project, row)
            for row in self.db.conn.execute(
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
        for row in self.db.conn.execute(
            "select project_id, objective_id, score from project_scores"
        ):
            scores.setdefault(row[0], {})[row[1]] = row[2]
        objectives = [
            self.db.row_to(Objective, row)
            for row in self.db.conn.execute(
                "select * from objectives where kind = 'objective' order by id"
            )
        ]
        board.budget = budget_by_objective(projects, scores, objectives)
        board.top_risks = [
            self.db.row_to(RaidItem, row)
            for row in self.db.conn.execute(
                "select * from raid_items where status != ? and kind = 'risk' and probability "
                "is not null order by probability * impact desc, id limit ?",
                (RaidStatus.CLOSED.value, TOP_RISKS),
            )
        ]
        for row in self.db.conn.execute(
            "select coalesce(p.name, 'No owner') as owner, a.id from actions a "
            "left join people p on p.id = a.owner_id "
            "where a.status = ? and a.due_on < ? order by a.due_on, a.id",
            (ActionStatus.OPEN.value, day.isoformat()),
        ):
            board.overdue.setdefault(row[0], []).append(f"A-{row[1]}")
        board.trend, behind = self._trend(day, meetings)
        board.exposure_items, board.high_risk_items, board.rag_items = behind
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
        day = day or self.db.clock().date()
        board = self.dashboard(day)
        # The period is ``since`` to ``day``, both included: "before" is the day before it.
        before, after = self._latest_rag(since - timedelta(days=1)), self._latest_rag(day)
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
            self.db.row_to(RaidItem, row)
            for row in self.db.conn.execute(
                "select * from raid_items where status = ? order by id",
                (RaidStatus.ESCALATED.value,),
            )
        ]
        decisions = [
            (f"D-{row[0]}", f"M-{row[1]}" if row[1] else "-", row[2])
            for row in self.db.conn.execute(
                "select id, meeting_id, text from decisions where decided_on >= ? "
                "and decided_on <= ? and draft_by = '' order by decided_on, id",
                (since.isoformat(), day.isoformat()),
            )
        ]
        changes = [
            (f"CR-{row[0]}", f"P-{row[1]} {row[2]}", row[3], row[4], row[5])
            for row in self.db.conn.execute(
                "select c.id, c.project_id, p.name, c.cost_impact, c.schedule_impact_days, "
                "c.title from change_requests c join projects p on p.id = c.project_id "
                "join decisions d on d.id = c.decision_id "
                f"where c.status in ({', '.join('?' for _ in APPROVED_CHANGES)}) "
                "and d.decided_on >= ? and d.decided_on <= ? order by d.decided_on, c.id",
                [*(s.value for s in APPROVED_CHANGES), since.isoformat(), day.isoformat()],
            )
        ]
        rank_moves = self._rank_moves(since, day)
        return Highlight(
            since=since,
            board=board,
            rag_moves=moves,
            escalated=escalated,
            decisions=decisions,
            changes=changes,
            rank_moves=rank_moves,
        )

    def _rank_moves(self, since: date, day: date) -> list[tuple[str, str, int | None, int]]:
        """Projects whose place in the ranking changed in the period (adopted by a meeting
        or moved between meetings), read from the audit trail: each project's rank before
        the period against its rank at its end. As on the ranking board, a move is a change
        of place among the projects ranked at both ends: those below a project that left
        the ranking do not count as moving up. New entries count; leavers do not."""
        now = {
            int(row[0]): int(row[1])
            for row in self.db.conn.execute("select id, rank from projects where rank is not null")
        }
        then: dict[int, int | None] = {pid: rank for pid, rank in now.items()}
        at_end: dict[int, int | None] = dict(then)
        end = day.isoformat()
        # Walk back from now: first to the period's end, then to its start.
        for entity_id, old, stamp in self.db.conn.execute(
            "select entity_id, old, substr(at, 1, 10) from events where entity = 'projects' "
            "and field = 'rank' and substr(at, 1, 10) >= ? order by id desc",
            (since.isoformat(),),
        ):
            value = int(old) if old else None
            if stamp > end:
                at_end[entity_id] = value
            then[entity_id] = value
        before = {pid: rank for pid, rank in then.items() if rank is not None}
        after = {pid: rank for pid, rank in at_end.items() if rank is not None}
        both = sorted(set(before) & set(after))
        place_before = {pid: n for n, pid in enumerate(sorted(both, key=before.__getitem__))}
        place_after = {pid: n for n, pid in enumerate(sorted(both, key=after.__getitem__))}
        moved = [pid for pid in both if place_before[pid] != place_after[pid]]
        moved += [pid for pid in after if pid not in before]
        names = {
            row[0]: row[1]
            for row in self.db.conn.execute(
                f"select id, name from projects where id in ({', '.join('?' for _ in moved)})",
                moved,
            )
        }
        moves = [(f"P-{pid}", names.get(pid, ""), before.get(pid), after[pid]) for pid in moved]
        return sorted(moves, key=lambda move: (move[3], move[0]))

    def _codes(self, prefix: str, sql: str, params: tuple[object, ...]) -> list[str]:
        return [f"{prefix}-{row[0]}" for row in self.db.conn.execute(sql, params)]

    def _latest_rag(self, day: date) -> dict[int, str]:
        """Each project's overall RAG in its latest report on or before ``day``."""
        rows = self.db.conn.execute(
            "select project_id, overall from (select project_id, overall, row_number() over "
            "(partition by project_id order by reported_on desc, id desc) as newest "
            "from status_reports where reported_on <= ?) where newest = 1",
            (day.isoformat(),),
        )
        return {row[0]: row[1] for row in rows}

    def _trend(
        self, day: date, count: int
    ) -> tuple[list[MeetingPoint], tuple[list[str], list[str], dict[str, list[str]]]]:
        """The last ``count`` meetings up to ``day``, each measured on the data as it stood
        on its day (scores as they were then: later re-scores are walked back through the
        audit trail); and the items behind the last meeting's exposure and high risks."""
        meetings = list(
            reversed(
                self.db.conn.execute(
                    "select id, scheduled_on from meetings where state != ? and scheduled_on "
                    "<= ? order by scheduled_on desc, id desc limit ?",
                    (MeetingState.PLANNED.value, day.isoformat(), count),
                ).fetchall()
            )
        )
        high = self.raid.scoring().high
        days = [date.fromisoformat(when) for _, when in meetings]
        raid = self._raid_as_of(days)
        flying = self._in_flight_as_of(days)
        points = []
        previous: str | None = None
        behind: tuple[list[str], list[str], dict[str, list[str]]] = ([], [], {})
        for meeting_id, when in meetings:
            rag: dict[str, int] = {}
            by_rag: dict[str, list[str]] = {}
            in_flight = flying[date.fromisoformat(when)]
            for project_id, overall in self._latest_rag(date.fromisoformat(when)).items():
                if project_id in in_flight:
                    rag[overall] = rag.get(overall, 0) + 1
                    by_rag.setdefault(overall, []).append(f"P-{project_id}")
            items = raid[date.fromisoformat(when)]
            exposure = sum(score for _, _, score in items)
            highs = [code for code, kind, score in items if kind == "risk" and score >= high]
            behind = ([code for code, _, score in items if score], highs, by_rag)
            opened, decisions, decided = self.db.conn.execute(
                "select (select count(*) from actions where meeting_id = :m), "
                "(select count(*) from decisions where meeting_id = :m), "
                "(select count(*) from decisions where meeting_id = :m "
                "and change_request_id is not null and outcome != '')",
                {"m": meeting_id},
            ).fetchone()
            closed, overdue = self.db.conn.execute(
                "select coalesce(sum(closed_on > ? and closed_on <= ?), 0), "
                "coalesce(sum(due_on < ? and (closed_on is null or closed_on > ?)), 0) "
                "from actions",
                (previous or "0000-00-00", when, when, when),
            ).fetchone()
            cost = self.db.conn.execute(
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
                    high_risks=len(highs),
                    opened=opened,
                    closed=closed,
                    overdue=overdue,
                    changes_decided=decided,
                    change_cost=cost,
                    decisions=decisions,
                )
            )
            previous = when
        return points, behind

    def _in_flight_as_of(self, days: list[date]) -> dict[date, set[int]]:
        """For each day: the projects in flight at its end (active or on hold then, and
        created by then), their status changes after it walked back through the trail."""
        status = {
            int(row[0]): str(row[1])
            for row in self.db.conn.execute("select id, status from projects")
        }
        created = {
            int(row[0]): str(row[1])
            for row in self.db.conn.execute(
                "select entity_id, substr(at, 1, 10) from events where entity = 'projects' "
                "and field = 'created'"
            )
        }
        changes = self.db.conn.execute(
            "select entity_id, old, substr(at, 1, 10) from events where entity = 'projects' "
            "and field = 'status' and substr(at, 1, 10) > ? order by id desc",
            (min(days).isoformat() if days else "9999",),
        ).fetchall()
        flying = (ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value)
        result: dict[date, set[int]] = {}
        undone = 0
        for when in sorted(set(days), reverse=True):
            stamp = when.isoformat()
            while undone < len(changes) and changes[undone][2] > stamp:
                project_id, old, _ = changes[undone]
                if old:
                    status[project_id] = old
                undone += 1
            result[when] = {
                pid
                for pid, value in status.items()
                if value in flying and created.get(pid, "") <= stamp
            }
        return result

    def _raid_as_of(self, days: list[date]) -> dict[date, list[tuple[str, str, int]]]:
        """For each day: the RAID items open at its end (raised by then, not closed by
        then) as (code, kind, score), highest score first, scored as they were that day."""
        if not days:
            return {}
        scores: dict[int, dict[str, int | None]] = {}
        items = self.db.conn.execute(
            "select id, kind, probability, impact, raised_on, closed_on from raid_items"
        ).fetchall()
        for row in items:
            scores[row[0]] = {"probability": row[2], "impact": row[3]}
        # Score changes after the earliest day, newest first: walked back day by day.
        changes = self.db.conn.execute(
            "select entity_id, field, old, substr(at, 1, 10) from events "
            "where entity = 'raid_items' and field in ('probability', 'impact') "
            "and substr(at, 1, 10) > ? order by id desc",
            (min(days).isoformat(),),
        ).fetchall()
        result: dict[date, list[tuple[str, str, int]]] = {}
        undone = 0
        for when in sorted(set(days), reverse=True):
            stamp = when.isoformat()
            while undone < len(changes) and changes[undone][3] > stamp:
                item_id, field, old, _ = changes[undone]
                if item_id in scores:
                    scores[item_id][field] = int(old) if old else None
                undone += 1
            rows = []
            for item_id, kind, _, _, raised, closed in items:
                if raised > stamp or (closed is not None and closed <= stamp):
                    continue
                values = scores[item_id]
                probability, impact = values["probability"], values["impact"]
                rows.append((f"R-{item_id}", kind, (probability or 0) * (impact or 0)))
            rows.sort(key=lambda row: (-row[2], int(row[0][2:])))
            result[when] = rows
        return result
