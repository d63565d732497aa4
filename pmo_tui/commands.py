"""Command palette: open any project or meeting by code or name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.project import ProjectScreen

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp


class PortfolioProvider(Provider):
    """Every project and meeting as a palette entry: type a code (P-6) or part of a name."""

    def _entries(self) -> list[tuple[str, str, partial[object]]]:
        app = cast("PmoApp", self.app)
        store = app.store
        entries: list[tuple[str, str, partial[object]]] = []
        for row in store.portfolio():
            project = row.project
            entries.append(
                (
                    f"Open project {project.code} {project.name}",
                    f"{project.programme} · {project.phase.value}",
                    partial(app.push_screen, ProjectScreen(store, project.id)),
                )
            )
        for meeting_row in store.meetings():
            meeting = meeting_row.meeting
            entries.append(
                (
                    f"Open meeting {meeting.code} {meeting.title}",
                    f"{meeting.scheduled_on.isoformat()} · {meeting.state.value}",
                    partial(app.push_screen, MeetingScreen(store, meeting.id)),
                )
            )
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
