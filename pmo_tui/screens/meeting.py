"""A meeting's agenda, attendees and what each step is for (read-only until the meeting
shell lands)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.data.models import AgendaItem, MeetingState
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import STATE_MARK, plain
from pmo_tui.widgets.table import KeyTable


def _clock(value: datetime | None) -> str:
    return value.astimezone().strftime("%H:%M") if value else "-"


def _spent(item: AgendaItem) -> str:
    if item.started_at is None or item.ended_at is None:
        return "-"
    minutes = round((item.ended_at - item.started_at).total_seconds() / 60)
    return f"{minutes} min"


class MeetingScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="meeting.back"),
        Binding("backspace", "app.pop_screen", "Back", show=False, id="meeting.back-alt"),
    ]

    def __init__(self, store: Store, meeting_id: int) -> None:
        super().__init__()
        self.store = store
        self.meeting_id = meeting_id
        self._agenda: dict[int, AgendaItem] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="meeting"):
            yield Static(id="meeting-title", classes="screen-title")
            yield Static(id="meeting-facts")
            with Horizontal(id="meeting-body"):
                with Vertical(id="agenda-pane"):
                    yield Static("Agenda", classes="section-title")
                    yield KeyTable(id="agenda")
                    yield Static(id="step-guide")
                with Vertical(id="attendees-pane"):
                    yield Static("Attendees", classes="section-title")
                    yield KeyTable(id="attendees")
        yield Footer()

    def on_mount(self) -> None:
        agenda = self.query_one("#agenda", KeyTable)
        for label in ("#", "Step", "Timebox", "Started", "Spent"):
            agenda.add_column(label, key=label.lower())
        attendees = self.query_one("#attendees", KeyTable)
        for label in ("Name", "Role", "Attendance"):
            attendees.add_column(label, key=label.lower())
        self.refresh_data()
        agenda.focus()

    def refresh_data(self) -> None:
        detail = self.store.meeting_detail(self.meeting_id)
        meeting = detail.meeting
        self.sub_title = meeting.code
        self.query_one("#meeting-title", Static).update(
            Text.assemble((meeting.code, "bold"), "  ", (meeting.title, "bold"))
        )
        facts = (
            f"{meeting.scheduled_on.isoformat()} · {STATE_MARK[meeting.state]} · "
            f"{meeting.template} · {detail.decisions} decisions · {detail.actions} actions"
        )
        if meeting.state is MeetingState.LIVE:
            facts += f" · started {_clock(meeting.started_at)}"
        facts += "\nThe agenda is shown read-only: the live meeting screens come next."
        self.query_one("#meeting-facts", Static).update(Text(facts))
        self._agenda = {item.id: item for item in detail.agenda}
        self.query_one("#agenda", KeyTable).fill(
            (
                item.id,
                [
                    Text(str(number), justify="right"),
                    Text.assemble(
                        (
                            "▶ "
                            if number - 1 == meeting.current_step
                            and meeting.state is MeetingState.LIVE
                            else "  "
                        ),
                        plain(item.title),
                    ),
                    Text(f"{item.timebox_minutes} min", justify="right"),
                    _clock(item.started_at),
                    _spent(item),
                ],
            )
            for number, item in enumerate(detail.agenda, start=1)
        )
        self.query_one("#attendees", KeyTable).fill(
            (
                row.attendee.id,
                [plain(row.name), row.attendee.role.value, row.attendee.attendance.value],
            )
            for row in detail.attendees
        )
        self._show_guide(self.query_one("#agenda", KeyTable).selected_key)

    @on(DataTable.RowHighlighted, "#agenda")
    def _step_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        self._show_guide(int(key) if key is not None else None)

    def _show_guide(self, item_id: int | None) -> None:
        item = self._agenda.get(item_id or 0)
        guide = self.query_one("#step-guide", Static)
        if item is None:
            guide.update("")
            return
        step = STEP_GUIDE[item.step]
        guide.update(Text.assemble((step.title, "bold"), "\n", step.purpose))
