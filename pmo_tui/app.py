"""PmoApp: global keys, the screens, the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from pmo_tui.commands import PortfolioProvider
from pmo_tui.data.store import Clock, Store, utc_now
from pmo_tui.screens.help import HelpScreen, KeySection
from pmo_tui.screens.home import HomeScreen
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.minutes_preview import MinutesPreview
from pmo_tui.screens.project import ProjectScreen
from pmo_tui.widgets.planning import PlanningView
from pmo_tui.widgets.steps import PreviousActionsView, RecordsTable, StatusView

LIGHT, DARK = "textual-light", "textual-dark"


class PmoApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pmo"
    COMMANDS = App.COMMANDS | {PortfolioProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit pmo (everything is saved)"),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            id="app.help",
            tooltip="Every key, and what each agenda step is for",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.palette",
            tooltip="Search commands, projects and meetings",
        ),
        Binding(
            "f2",
            "toggle_theme",
            "Light/dark",
            id="app.theme",
            tooltip="Switch between the light and dark theme",
        ),
    ]

    def __init__(self, store: Store, *, notice: str = "") -> None:
        super().__init__()
        self.store = store
        self.notice = notice
        self.sub_title = store.path.name + (" (read-only)" if store.read_only else "")

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen(self.store)

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, markup=False, timeout=8)

    def open_project(self, project_id: int) -> None:
        self.push_screen(ProjectScreen(self.store, project_id))

    def open_meeting(self, meeting_id: int) -> None:
        self.push_screen(MeetingScreen(self.store, meeting_id))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[KeySection]:
        return [
            ("Everywhere", self.BINDINGS),
            ("Home", HomeScreen.BINDINGS),
            ("Project detail", ProjectScreen.BINDINGS),
            ("Meeting (from any step)", MeetingScreen.BINDINGS),
            ("Before the meeting", PlanningView.BINDINGS),
            ("Previous actions step", PreviousActionsView.BINDINGS),
            ("Status step", StatusView.BINDINGS),
            ("Decisions and actions (wrap-up, log panel)", RecordsTable.BINDINGS),
            ("Minutes preview", MinutesPreview.BINDINGS),
            (
                "Lists",
                [
                    Binding("j,down", "", "Next row"),
                    Binding("k,up", "", "Previous row"),
                    Binding("home", "", "First row"),
                    Binding("end", "", "Last row"),
                    Binding("tab", "", "Next panel"),
                ],
            ),
        ]

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every key shown in the footer is also a palette command, named the same way.
        seen = {"quit", "command_palette"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )


def make_app(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = True,
    user: str | None = None,
    clock: Clock = utc_now,
) -> PmoApp:
    """Open the portfolio (raising StoreError with one clear sentence) and build the app."""
    store = Store(path, create=create, read_only=read_only, user=user, clock=clock)
    notice = f"Created a new, empty portfolio at {store.path}." if store.created else ""
    return PmoApp(store, notice=notice)
