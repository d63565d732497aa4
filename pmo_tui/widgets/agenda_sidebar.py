"""The agenda as a sidebar: the current step, each step's timebox against time spent, the
meeting clock and its projected end. Overrun shows as a word and a sign, not colour alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from pmo_tui.data.models import AgendaItem, Meeting, MeetingState
from pmo_tui.data.rules import seconds_spent
from pmo_tui.widgets.cells import safe


def clock_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


class AgendaSidebar(Widget):
    """Set ``meeting``, ``agenda`` and ``now``; it draws itself."""

    now: reactive[datetime | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting: Meeting | None = None
        self.agenda: list[AgendaItem] = []

    def show(self, meeting: Meeting, agenda: list[AgendaItem], now: datetime) -> None:
        self.meeting = meeting
        self.agenda = agenda
        self.now = now
        self.refresh()

    def current_overrun(self) -> bool:
        item = self.current_item()
        if item is None or self.now is None:
            return False
        spent = seconds_spent(item.spent_seconds, item.entered_at, self.now)
        return spent > item.timebox_minutes * 60

    def current_item(self) -> AgendaItem | None:
        meeting = self.meeting
        if meeting is None or meeting.state is not MeetingState.LIVE:
            return None
        if 0 <= meeting.current_step < len(self.agenda):
            return self.agenda[meeting.current_step]
        return None

    def render(self) -> RenderableType:
        meeting, now = self.meeting, self.now
        if meeting is None or now is None:
            return Text("")
        live = meeting.state is MeetingState.LIVE
        steps = Table.grid(padding=(0, 1), expand=True)
        steps.add_column(width=2)
        steps.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        steps.add_column(justify="right", no_wrap=True)
        remaining_total = 0
        for index, item in enumerate(self.agenda):
            spent = seconds_spent(item.spent_seconds, item.entered_at, now)
            budget = item.timebox_minutes * 60
            current = live and index == meeting.current_step
            if index >= meeting.current_step:
                remaining_total += max(0, budget - spent)
            marker = "▶" if current else ("✓" if item.ended_at and not current else " ")
            style = "bold reverse" if current else ("dim" if item.ended_at else "")
            if item.parked_reason:
                figure = "parked"
            elif current:
                left = budget - spent
                figure = f"{clock_text(left)} left" if left >= 0 else f"+{clock_text(-left)} over"
            elif item.started_at:
                figure = f"{round(spent / 60)}/{item.timebox_minutes}m"
            else:
                figure = f"{item.timebox_minutes}m"
            over = spent > budget and not item.parked_reason
            steps.add_row(
                Text(marker, style=style),
                Text(f"{index + 1} {safe(item.title)}", style=style),
                Text(figure, style="bold" if over else style),
            )
        lines: list[RenderableType] = [steps, Text("")]
        if live and meeting.started_at:
            elapsed = int((now - meeting.started_at).total_seconds())
            end = now + timedelta(seconds=remaining_total)
            planned = sum(item.timebox_minutes for item in self.agenda)
            lines.append(Text(f"Running {clock_text(elapsed)} of {planned} min planned"))
            lines.append(Text(f"Ends about {end.astimezone():%H:%M}"))
            if self.current_overrun():
                lines.append(Text("TIME IS UP: + extends, P parks", style="bold reverse"))
        elif meeting.state is MeetingState.CLOSED:
            lines.append(Text("Closed", style="bold"))
        else:
            planned = sum(item.timebox_minutes for item in self.agenda)
            lines.append(Text(f"Planned: {planned} min"))
        return Group(*lines)
