"""The agenda as a sidebar: the current step, each step's timebox against time spent, the
meeting clock and its projected end. Overrun shows as a word and a sign, not colour alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from pmo_tui.data.models import AgendaItem, Meeting, MeetingState
from pmo_tui.data.rules import seconds_spent
from pmo_tui.widgets.cells import safe


def clock_text(seconds: int) -> str:
    """A time left, over or spent as a room reads it on a projector: whole minutes (a
    time left rounded up, as a countdown reads "12 min" until 11 are left), seconds only
    in the last minute. A figure that changes once a minute is calmer to read and costs
    a repaint a minute, not one a second (idle CPU: see README)."""
    # Over time counts whole minutes gone by (3:20 over is "3 min" over); time left
    # counts up to the next minute.
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}0:{seconds:02d}"
    minutes = -(-seconds // 60) if not sign else seconds // 60
    return f"{sign}{minutes} min"


def over_text(seconds_left: int) -> str:
    """How far over a negative time left is: "3 min" at 3:20 over."""
    return clock_text(seconds_left).removeprefix("-")


# One row of the sidebar: marker, label, figure, style, whether over its time.
_Row = tuple[str, str, str, str, bool]


class AgendaSidebar(Widget):
    """Set ``meeting`` and ``agenda`` with ``show``, the time with ``tick``: it redraws
    only when what it shows changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting: Meeting | None = None
        self.agenda: list[AgendaItem] = []
        self.now: datetime | None = None
        self._drawn: tuple[tuple[_Row, ...], tuple[tuple[str, str], ...]] | None = None

    def show(self, meeting: Meeting, agenda: list[AgendaItem], now: datetime) -> None:
        self.meeting = meeting
        self.agenda = agenda
        self.now = now
        # The meeting is shown again after every edit (a re-score, a move): the agenda
        # rarely changes with it, and drawing it (a Rich grid) was 3-4 ms of each key.
        if self._content(now) != self._drawn:
            self.refresh()

    def tick(self, now: datetime) -> None:
        """The clock moved: redraw if a figure shown changed (about once a minute)."""
        self.now = now
        if self._content(now) != self._drawn:
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

    def _content(
        self, now: datetime
    ) -> tuple[tuple[_Row, ...], tuple[tuple[str, str], ...]] | None:
        meeting = self.meeting
        if meeting is None:
            return None
        live = meeting.state is MeetingState.LIVE
        rows: list[_Row] = []
        remaining_total = 0
        furthest = max(
            [meeting.current_step]
            + [index for index, item in enumerate(self.agenda) if item.started_at]
        )
        for index, item in enumerate(self.agenda):
            spent = seconds_spent(item.spent_seconds, item.entered_at, now)
            budget = item.timebox_minutes * 60
            current = live and index == meeting.current_step
            # What is still to run: from the furthest step reached on. Going back to an
            # earlier step brings none of its time back (the estimate jumped by it): the
            # room returns to where it was, and the end moves only as the revisit takes
            # time. A parked step has nothing left to run.
            if index >= furthest and not item.parked_reason:
                remaining_total += max(0, budget - spent)
            marker = "▶" if current else ("✓" if item.ended_at and not current else " ")
            style = "bold reverse" if current else ("dim" if item.ended_at else "")
            if item.parked_reason:
                figure = "parked"
            elif current:
                left = budget - spent
                figure = f"{clock_text(left)} left" if left >= 0 else f"+{over_text(left)} over"
            elif item.started_at:
                figure = f"{round(spent / 60)}/{item.timebox_minutes}m"
            else:
                figure = f"{item.timebox_minutes}m"
            over = spent > budget and not item.parked_reason
            rows.append((marker, f"{index + 1} {safe(item.title)}", figure, style, over))
        lines: list[tuple[str, str]] = []
        if live and meeting.started_at:
            elapsed = int((now - meeting.started_at).total_seconds())
            end = now + timedelta(seconds=remaining_total)
            planned = sum(item.timebox_minutes for item in self.agenda)
            lines.append((f"Running {elapsed // 60} of {planned} min planned", ""))
            lines.append((f"Ends about {end.astimezone():%H:%M}", ""))
            if self.current_overrun():
                lines.append(("TIME IS UP: + extends, P parks", "bold reverse"))
        elif meeting.state is MeetingState.CLOSED:
            lines.append(("Closed", "bold"))
        else:
            planned = sum(item.timebox_minutes for item in self.agenda)
            lines.append((f"Planned: {planned} min", ""))
        return tuple(rows), tuple(lines)

    def render(self) -> RenderableType:
        now = self.now
        content = self._content(now) if now is not None else None
        self._drawn = content
        if content is None:
            return Text("")
        rows, lines = content
        steps = Table.grid(padding=(0, 1), expand=True)
        steps.add_column(width=2)
        steps.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        steps.add_column(justify="right", no_wrap=True)
        for marker, label, figure, style, over in rows:
            steps.add_row(
                Text(marker, style=style),
                Text(label, style=style),
                Text(figure, style="bold" if over else style),
            )
        shown: list[RenderableType] = [steps, Text("")]
        shown += [Text(text, style=style) for text, style in lines]
        return Group(*shown)
