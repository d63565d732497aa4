"""The portfolio: people, projects and their status reports, the status board."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pmo_tui.data.core import Db, validated
from pmo_tui.data.errors import InvalidInputError, NotFoundError
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    Person,
    Project,
    ProjectDetail,
    ProjectRow,
    ProjectStatus,
    Rag,
    RaidItem,
    RaidStatus,
    StatusReport,
    StatusRow,
)
from pmo_tui.data.sqlite import fields


class Portfolio:
    """People, projects and status: a topic store over the core alone."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def people(self) -> list[Person]:
        rows = self.db.conn.execute("select * from people order by name")
        return [self.db.row_to(Person, row) for row in rows]

    def names(self) -> dict[int, str]:
        """Each person's name, by id (kept between content writes: see Db.kept)."""
        return dict(self.db.kept("names", self._read_names))

    def _read_names(self) -> dict[int, str]:
        rows = self.db.conn.execute("select id, name from people")
        return {int(row[0]): str(row[1]) for row in rows}

    def project_labels(self) -> dict[int, str]:
        """Each project's "P-14 Name", by id, without building 2,000 models for it (and
        kept between content writes: every refresh of a step or the register asks)."""
        return dict(self.db.kept("project_labels", self._read_project_labels))

    def labels_of(self, project_ids: Iterable[int]) -> dict[int, str]:
        """ "P-14 Name" for just these projects: a list that shows 100 rows needs their
        labels only, and reading all 2,000 again after each edit cost 6 ms a key."""
        wanted = sorted(set(project_ids))
        rows = self.db.conn.execute(
            f"select id, '{Project.PREFIX}-' || id || ' ' || name from projects "
            "where id in (select value from json_each(?))",
            (json.dumps(wanted),),
        )
        return {int(row[0]): str(row[1]) for row in rows}

    def _read_project_labels(self) -> dict[int, str]:
        rows = self.db.conn.execute(
            f"select id, '{Project.PREFIX}-' || id || ' ' || name from projects order by id"
        )
        return {int(row[0]): str(row[1]) for row in rows}

    def person_named(self, name: str, *, create: bool = False) -> Person:
        """The person called ``name`` (any case); added to ``people`` when ``create``."""
        name = " ".join(name.split())
        row = self.db.conn.execute(
            "select * from people where name = ? collate nocase", (name,)
        ).fetchone()
        if row is not None:
            return self.db.row_to(Person, row)
        if not create:
            raise NotFoundError(f"Nobody called {name!r} is among the people.")
        return self.db.add(validated(Person, name=name))

    def project_called(self, text: str) -> Project:
        """The project a person typed: its code (``P-6``, or ``P-6 Customer Portal`` as
        the suggestions show it), its name, or part of a name only one project has."""
        typed = text.strip()
        if not typed:
            raise InvalidInputError("Which project? Type its code, like P-6.")
        first = typed.split(" ", 1)[0]
        if "-" in first and first.rpartition("-")[2].isdecimal():
            try:
                record = self.db.find(first)
            except NotFoundError as missing:
                raise InvalidInputError(str(missing)) from None
            if isinstance(record, Project):
                return record
            raise InvalidInputError(f"{record.code} is not a project (projects are P-1, P-2...).")
        row = self.db.conn.execute(
            "select * from projects where name = ? collate nocase order by id limit 1", (typed,)
        ).fetchone()
        if row is not None:
            return self.db.row_to(Project, row)
        # Part of a name ("CRM" for "CRM Upgrade"): the project, when only one has it.
        pattern = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.db.conn.execute(
            "select * from projects where name like ? escape '\\' order by status != 'active', id"
            " limit 4",
            (pattern,),
        ).fetchall()
        if len(rows) == 1:
            return self.db.row_to(Project, rows[0])
        if not rows:
            raise InvalidInputError(
                f"No project's code or name has “{typed}”: type its code, like P-6, or part "
                "of its name."
            )
        found = [self.db.row_to(Project, row) for row in rows[:3]]
        named = ", ".join(f"{project.code} {project.name}" for project in found)
        more = " and more" if len(rows) > 3 else ""
        raise InvalidInputError(
            f"“{typed}” is in {named}{more}: type more of the name, or the code."
        )

    def project_id_for(self, text: str) -> int | None:
        """``project_called`` for an optional field: empty means no project."""
        return self.project_called(text).id if text.strip() else None

    def portfolio(self) -> list[ProjectRow]:
        """Active and on-hold projects in rank order, with their latest overall RAG."""
        rows = self.db.conn.execute(
            """
            select p.*, m.name as manager_name,
                (select overall from status_reports s where s.project_id = p.id
                    order by s.reported_on desc, s.id desc limit 1) as latest_overall,
                (select count(*) from raid_items r
                    where r.project_id = p.id and r.status != ?) as open_raid,
                (select count(*) from actions a
                    where a.project_id = p.id and a.status = ?) as open_actions
            from projects p left join people m on m.id = p.manager_id
            where p.status in (?, ?)
            order by p.rank is null, p.rank, p.id
            """,
            (
                RaidStatus.CLOSED.value,
                ActionStatus.OPEN.value,
                ProjectStatus.ACTIVE.value,
                ProjectStatus.ON_HOLD.value,
            ),
        )
        result = []
        for row in rows:
            data = fields(row)
            manager = data.pop("manager_name") or ""
            overall = data.pop("latest_overall")
            open_raid = data.pop("open_raid")
            open_actions = data.pop("open_actions")
            result.append(
                ProjectRow(
                    project=Project.model_validate(data),
                    manager=manager,
                    overall=Rag(overall) if overall else None,
                    open_raid=open_raid,
                    open_actions=open_actions,
                )
            )
        return result

    def project_detail(self, project_id: int, reports: int = 3) -> ProjectDetail:
        project = self.db.get(Project, project_id)
        names = {person.id: person.name for person in self.people()}
        status_rows = self.db.conn.execute(
            "select * from status_reports where project_id = ? "
            "order by reported_on desc, id desc limit ?",
            (project_id, reports),
        )
        raid_rows = self.db.conn.execute(
            "select * from raid_items where project_id = ? and status != ? "
            "order by coalesce(probability * impact, 0) desc, id",
            (project_id, RaidStatus.CLOSED.value),
        )
        action_rows = self.db.conn.execute(
            "select * from actions where project_id = ? and status = ? "
            "order by due_on is null, due_on, id",
            (project_id, ActionStatus.OPEN.value),
        )
        return ProjectDetail(
            project=project,
            manager=names.get(project.manager_id or 0, ""),
            sponsor=names.get(project.sponsor_id or 0, ""),
            reports=[self.db.row_to(StatusReport, row) for row in status_rows],
            raid=[self.db.row_to(RaidItem, row) for row in raid_rows],
            actions=[self.db.row_to(Action, row) for row in action_rows],
            owners=names,
        )

    def _reports_by_project(
        self, meeting_id: int, project_id: int | None = None
    ) -> dict[int, list[StatusReport]]:
        """Each project's two newest reports up to this meeting (this meeting's first):
        the current one and the one its trend is measured against. Picked in SQL, so a
        file with years of reports reads two rows a project."""
        meeting_day = self.db.conn.execute(
            "select scheduled_on from meetings where id = ?", (meeting_id,)
        ).fetchone()
        if meeting_day is None:
            raise NotFoundError(f"M-{meeting_id} does not exist.")
        # Per project, an index seek for the two newest reports before the meeting (2,000
        # seeks: 8 ms on the large file, where a window over every report took 70 ms),
        # plus this meeting's own reports; the two that count are picked below.
        only = "and p.id = :project" if project_id is not None else ""
        own = "and project_id = :project" if project_id is not None else ""
        rows = self.db.conn.execute(
            "select r.* from projects p join status_reports r on r.id in ("
            " select s.id from status_reports s where s.project_id = p.id"
            " and s.reported_on <= :day and s.meeting_id is not :meeting"
            f" order by s.reported_on desc, s.id desc limit 2) where 1 {only} "
            f"union all select * from status_reports where meeting_id = :meeting {own}",
            {"meeting": meeting_id, "day": meeting_day[0], "project": project_id},
        )
        reports: dict[int, list[StatusReport]] = {}
        for row in rows:
            report = StatusReport.model_validate(fields(row))
            reports.setdefault(report.project_id, []).append(report)
        for project_reports in reports.values():
            # This meeting's report first, then the newest: sorted twice, stably.
            project_reports.sort(key=lambda report: (report.reported_on, report.id), reverse=True)
            project_reports.sort(key=lambda report: report.meeting_id != meeting_id)
            del project_reports[2:]
        return reports

    def status_board(self, meeting_id: int) -> list[StatusRow]:
        """Projects in flight in rank order, then any the meeting reported on or closed
        (a project closed in the lessons step stays on the board it was reviewed on): this
        meeting's report, or the last one, and the one before it for the trend."""
        reports = self._reports_by_project(meeting_id)
        rows = [(row.project, row.manager) for row in self.portfolio()]
        shown = {project.id for project, _ in rows}
        touched = self.db.conn.execute(
            "select project_id from status_reports where meeting_id = :m union select "
            "entity_id from events where meeting_id = :m and entity = 'projects' and "
            "field = 'status'",
            {"m": meeting_id},
        ).fetchall()
        extra = sorted({int(row[0]) for row in touched} - shown)
        if extra:
            names = self.names()
            for project in self.db.get_many(Project, extra).values():
                rows.append((project, names.get(project.manager_id or 0, "")))
        board = []
        for project, manager in rows:
            history = reports.get(project.id, [])
            this_meeting = bool(history) and history[0].meeting_id == meeting_id
            board.append(
                StatusRow(
                    project=project,
                    manager=manager,
                    current=history[0] if history else None,
                    previous=history[1] if len(history) > 1 else None,
                    reported_this_meeting=this_meeting,
                )
            )
        return board

    def set_status(
        self, meeting_id: int, project_id: int, seen: StatusReport | None, **changes: Any
    ) -> StatusReport:
        """Change a project's status in this meeting: the first change makes this meeting's
        report (a copy of the last one), later ones update it. ``seen`` is the report the
        user was looking at; if someone else made or changed this meeting's report since,
        the edit is refused with the current one."""
        with self.db.write():
            self.db.live_meeting(meeting_id)
            history = self._reports_by_project(meeting_id, project_id).get(project_id, [])
            latest = history[0] if history else None
            if latest is not None and latest.meeting_id == meeting_id:
                if seen is None or seen.id != latest.id:
                    raise self.db.conflict(latest)
                return self.db.update(StatusReport, latest.id, seen.version, **changes)
            if seen is not None and latest is not None and seen.id != latest.id:
                raise self.db.conflict(latest)
            meeting_day = self.db.conn.execute(
                "select scheduled_on from meetings where id = ?", (meeting_id,)
            ).fetchone()[0]
            base = latest or StatusReport(
                project_id=project_id,
                reported_on=meeting_day,
                overall=Rag.GREEN,
                schedule=Rag.GREEN,
                budget=Rag.GREEN,
                scope=Rag.GREEN,
            )
            values = {
                **base.model_dump(exclude={"id", "version"}),
                "meeting_id": meeting_id,
                "reported_on": meeting_day,
                **changes,
            }
            return self.db.add(validated(StatusReport, **values))
