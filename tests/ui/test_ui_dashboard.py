"""The dashboard by keys: from the home screen and from the status step, each figure
opening to the items behind it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.screens.dashboard import DashboardScreen, ItemsScreen
from pmo_tui.screens.project import ProjectScreen
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, open_newest_meeting


def codes_shown(screen: ItemsScreen) -> list[str]:
    table = screen.query_one(KeyTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def open_figure(pilot: Pilot[None], dashboard: DashboardScreen, label: str) -> ItemsScreen:
    index = next(i for i, f in enumerate(dashboard.figures) if f.label == label)
    dashboard.query_one(KeyTable).move_cursor(row=index)
    await pilot.press("enter")
    await pilot.pause()
    items = pilot.app.screen
    assert isinstance(items, ItemsScreen)
    return items


async def test_home_dashboard_figures_open_to_their_items(demo_path: Path) -> None:
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        dashboard = pilot.app.screen
        assert isinstance(dashboard, DashboardScreen)
        red = next(f for f in dashboard.figures if f.label == "Red")
        items = await open_figure(pilot, dashboard, "Red")
        assert codes_shown(items) == red.codes and red.codes
        await pilot.press("enter")  # a project opens its detail
        await pilot.pause()
        assert isinstance(pilot.app.screen, ProjectScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert pilot.app.screen is dashboard
        decisions = await open_figure(pilot, dashboard, "Decisions")
        assert all(code.startswith("D-") for code in codes_shown(decisions))


async def test_the_status_step_opens_the_dashboard(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.STATUS)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        meeting = await open_newest_meeting(pilot)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is meeting
