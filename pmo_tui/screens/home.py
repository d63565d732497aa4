"""Home: the portfolio at a glance and the meetings, newest first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from pmo_tui.data.agenda import DEFAULT_TEMPLATE
from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import Meeting, MeetingRow, MeetingState, ProjectRow, ProjectStatus
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import STATE_MARK, plain, rag_badge
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.form import Field, FormDialog, Values
from pmo_tui.widgets.table import PAGE, PAGE_BINDINGS, KeyTable, Pager

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp


def _next_date(earlier: list[Meeting], today: date) -> date:
    """The next meeting's likely day: the newest one's, as many days on as the one before
    it was (two weeks when unknown), and never before today."""
    if not earlier:
        return today
    gap = 14
    if len(earlier) > 1:
        gap = (earlier[0].scheduled_on - earlier[1].scheduled_on).days or 14
    return max(today, earlier[0].scheduled_on + timedelta(days=max(1, gap)))


# The "follows" choice of a meeting that starts a new series.
NO_SERIES = "none"


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Open",
            priority=True,
            id="home.open",
            tooltip="Open the selected project or meeting",
        ),
        Binding(
            "s",
            "start_meeting",
            "Start/resume meeting",
            id="home.start",
            tooltip="Start the selected meeting, or resume the live or next planned one",
        ),
        Binding(
            "R",
            "register",
            "RAID register",
            id="home.register",
            tooltip="Every risk, assumption, issue and dependency, filtered and sorted",
        ),
        Binding(
            "n",
            "new_meeting",
            "New meeting",
            id="home.new-meeting",
            tooltip="Plan the next meeting: it follows the newest one (steps, attendees, "
            "quorum rule), or starts a new forum from a template",
        ),
        Binding(
            "p",
            "focus_table('projects')",
            "Projects",
            id="home.projects",
            show=False,
            tooltip="Go to the projects list",
        ),
        Binding(
            "m",
            "focus_table('meetings')",
            "Meetings",
            id="home.meetings",
            show=False,
            tooltip="Go to the meetings list",
        ),
        Binding(
            "B",
            "dashboard",
            "Dashboard",
            id="home.dashboard",
            tooltip="The portfolio on one screen: health now and trends over the meetings",
        ),
        Binding(
            "I",
            "import",
            "Import",
            id="home.import",
            tooltip="Import a register from CSV or Excel (dry run first)",
        ),
        *PAGE_BINDINGS,
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.pagers = {"projects": Pager(), "meetings": Pager()}
        self.totals = {"projects": 0, "meetings": 0}

    @property
    def pmo(self) -> PmoApp:
        return cast("PmoApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # offered only when the focused list is longer than a page
            return self.totals.get(self._focused_list(), 0) > PAGE
        # A read-only session offers no edits: the keys leave the footer and the palette.
        return not (self.store.read_only and action == "new_meeting")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="file-line")
            yield Static(id="projects-title", classes="section-title")
            yield KeyTable(id="projects")
            yield Static(
                "This portfolio has no projects yet. Run `pmo demo` to explore a sample portfolio.",
                id="empty",
            )
            yield Static("Meetings", id="meetings-title", classes="section-title")
            yield KeyTable(id="meetings")
        yield KeyFooter()

    def on_mount(self) -> None:
        projects = self.query_one("#projects", KeyTable)
        projects.add_column("Rank", key="rank")
        projects.add_column("Code", key="code")
        projects.add_column("Project", key="name", width=28)
        projects.add_column("RAG", key="rag")
        projects.add_column("Phase", key="phase")
        projects.add_column("Manager", key="manager")
        projects.add_column("Programme", key="programme", width=20)
        projects.add_column("RAID", key="raid")
        projects.add_column("Actions", key="actions")
        meetings = self.query_one("#meetings", KeyTable)
        meetings.add_column("Code", key="code")
        meetings.add_column("Meeting", key="title", width=30)
        meetings.add_column("Date", key="date")
        meetings.add_column("State", key="state")
        meetings.add_column("Decisions", key="decisions")
        meetings.add_column("Actions", key="actions")
        # No refresh here: the screen's first resume, right after, fills the tables.
        projects.focus()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh_data())

    def on_screen_resume(self) -> None:
        # Back on the home screen: what is done here is in no meeting. The seat follows
        # the screen on top (a follower who left the meeting was refused planning the
        # next one, as if still in it: cold try); clearing it as the meeting screen
        # unmounted came too late, under the next meeting screen a session opened.
        self.store.meeting_id = None
        self.refresh_data()

    def refresh_data(self) -> None:
        path = str(self.store.path)
        mode = "  (read-only)" if self.store.read_only else ""
        self.query_one("#file-line", Static).update(Text(f"File: {path}{mode}"))
        rows = self.store.portfolio.portfolio()
        on_hold = sum(row.project.status is ProjectStatus.ON_HOLD for row in rows)
        title = f"Portfolio · {len(rows) - on_hold} active project"
        title += "" if len(rows) - on_hold == 1 else "s"
        title += f", {on_hold} on hold" if on_hold else ""
        self.totals["projects"] = len(rows)
        shown = self.pagers["projects"].window(len(rows))
        title += (
            f" ·{self.pagers['projects'].label(len(rows), 'Projects')}" if len(rows) > PAGE else ""
        )
        self.query_one("#projects-title", Static).update(title)
        self.query_one("#projects", KeyTable).fill(
            (row.project.id, self._project_cells(row)) for row in rows[shown.start : shown.stop]
        )
        self.set_class(not rows, "-empty")
        meetings = self.store.meetings.meetings()
        self.totals["meetings"] = len(meetings)
        shown = self.pagers["meetings"].window(len(meetings))
        self.query_one("#meetings-title", Static).update(
            # "Meetings · 1-100 of 300 shown": the heading says what they are once.
            "Meetings" + self.pagers["meetings"].label(len(meetings), "·")
        )
        self.query_one("#meetings", KeyTable).fill(
            (row.meeting.id, self._meeting_cells(row)) for row in meetings[shown.start : shown.stop]
        )
        self.refresh_bindings()

    def _focused_list(self) -> str:
        focused = self.focused
        return focused.id or "" if isinstance(focused, KeyTable) else ""

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_page(self, direction: int) -> None:
        name = self._focused_list()
        if name and self.pagers[name].turn(direction, self.totals[name]):
            self.refresh_data()
            self.query_one(f"#{name}", KeyTable).move_cursor(row=0)

    def _project_cells(self, row: ProjectRow) -> list[Text | str]:
        project = row.project
        # An on-hold project is out of the ranking (the priorities step ranks the active
        # ones): its stored rank made the column count it.
        on_hold = project.status is ProjectStatus.ON_HOLD
        return [
            Text("hold" if on_hold else str(project.rank or "-"), justify="right"),
            project.code,
            plain(project.name),
            rag_badge(row.overall, self.app.theme_variables),
            project.phase.value,
            plain(row.manager or "-"),
            plain(project.programme or "-"),
            Text(str(row.open_raid), justify="right"),
            Text(str(row.open_actions), justify="right"),
        ]

    def _meeting_cells(self, row: MeetingRow) -> list[Text | str]:
        meeting = row.meeting
        return [
            meeting.code,
            plain(meeting.title),
            meeting.scheduled_on.isoformat(),
            STATE_MARK[meeting.state],
            Text(str(row.decisions), justify="right"),
            Text(str(row.actions), justify="right"),
        ]

    # -- actions ---------------------------------------------------------------------

    def action_register(self) -> None:
        # Screens away from home load on first use: start-up pays only for this one.
        from pmo_tui.screens.register import RegisterScreen

        self.app.push_screen(RegisterScreen(self.store))

    def action_dashboard(self) -> None:
        from pmo_tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.store))

    def action_import(self) -> None:
        from pmo_tui.screens.import_screen import ImportScreen

        self.app.push_screen(ImportScreen(self.store, Path.cwd()))

    def action_focus_table(self, table_id: str) -> None:
        self.query_one(f"#{table_id}", KeyTable).focus()

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, KeyTable) or focused.selected_key is None:
            return
        if focused.id == "projects":
            self.pmo.open_project(focused.selected_key)
        else:
            self.pmo.open_meeting(focused.selected_key)

    @on(DataTable.RowSelected)
    def _row_clicked(self, event: DataTable.RowSelected) -> None:
        event.data_table.focus()
        self.action_open()

    def action_start_meeting(self) -> None:
        if self.store.read_only:
            # A read-only session watches the live meeting; it cannot start one.
            live = [
                r.meeting
                for r in self.store.meetings.meetings()
                if r.meeting.state is MeetingState.LIVE
            ]
            if not live:
                self.notify(
                    "No meeting is live: a read-only session can watch one once it starts.",
                    severity="warning",
                )
                return
            self.pmo.open_meeting(live[0].id)
            return
        meeting_id = self._meeting_to_start()
        if meeting_id is None:
            self.notify("There is no planned meeting: press n to plan one.", severity="warning")
            return
        try:
            meeting = self.store.get(Meeting, meeting_id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if meeting.state is MeetingState.CLOSED:  # a closed one is only looked at
            self.pmo.open_meeting(meeting.id)
            return
        from pmo_tui.screens.meeting_start import start_meeting

        start_meeting(self, self.store, meeting_id, None, lambda m: self.pmo.open_meeting(m.id))

    def _meeting_to_start(self) -> int | None:
        table = self.query_one("#meetings", KeyTable)
        if self.focused is table and table.selected_key is not None:
            return table.selected_key
        rows = self.store.meetings.meetings()
        for state in (MeetingState.LIVE, MeetingState.PLANNED):
            candidates = [row.meeting for row in rows if row.meeting.state is state]
            if candidates:
                # meetings() is newest first: the next planned one is the earliest.
                return candidates[0].id if state is MeetingState.LIVE else candidates[-1].id
        return None

    def action_new_meeting(self) -> None:
        """Plan the next meeting: by default it follows the newest one of the forum (its
        steps, attendees and quorum rule carry over) and its title names its own date."""
        today = self.store.clock().date()
        templates = [template.name for template in self.store.meetings.templates()]
        earlier = [row.meeting for row in self.store.meetings.meetings()]  # newest first
        planned: list[Meeting] = []

        def submit(values: Values) -> str | None:
            follows = values["follows"]
            try:
                planned.append(
                    self.store.meetings.plan_meeting(
                        values["title"].strip(),
                        date.fromisoformat(values["date"]),
                        values["template"],
                        follows=int(follows) if follows.isdecimal() else None,
                    )
                )
            except StoreError as error:
                return str(error)
            return None

        def done(saved: bool | None) -> None:
            if not saved or not planned:
                return
            self.refresh_data()
            table = self.query_one("#meetings", KeyTable)
            table.focus()
            table.select_key(planned[0].id)
            meeting = planned[0]
            self.notify(
                f"Planned {meeting.code} {meeting.title}: enter opens it to prepare the agenda.",
                markup=False,
            )

        fields = [
            Field(
                "title",
                "Title",
                "",
                placeholder="blank: the forum's name and the meeting's date",
                max_length=200,
            ),
            Field(
                "date", "Date", _next_date(earlier, today).isoformat(), kind="date", required=True
            ),
            Field(
                "follows",
                "Follows (carries its steps, attendees and quorum rule)",
                str(earlier[0].id) if earlier else NO_SERIES,
                kind="choice",
                choices=[
                    *((f"{m.code} {m.title}", str(m.id)) for m in earlier[:12]),
                    ("none: a new forum, from the template below", NO_SERIES),
                ],
            ),
            Field(
                "template",
                "Template (for a meeting that follows none)",
                DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in templates else templates[0],
                kind="choice",
                choices=[(t, t) for t in templates],
            ),
        ]
        self.app.push_screen(
            FormDialog("Plan a meeting", fields, submit, today=today, submit_label="Plan"), done
        )
