"""Command palette: open any project or meeting by code or name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp


class PortfolioProvider(Provider):
    """Every project and meeting as a palette entry: type a code (P-6) or part of a name."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("PmoApp", self.app)
        entries: list[tuple[str, str, Callable[[], object]]] = []
        for row in app.store.portfolio.portfolio():
            project = row.project
            title = f"Open project {project.code} {project.name}"
            about = f"{project.programme} · {project.phase.value}"
            entries.append((title, about, partial(app.open_project, project.id)))
        for meeting_row in app.store.meetings.meetings():
            meeting = meeting_row.meeting
            title = f"Open meeting {meeting.code} {meeting.title}"
            about = f"{meeting.scheduled_on.isoformat()} · {meeting.state.value}"
            entries.append((title, about, partial(app.open_meeting, meeting.id)))
        return entries

    async def discover(self) -> Hits:
        for title, help_text, command in self._entries():
            yield DiscoveryHit(Text(title), command, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
