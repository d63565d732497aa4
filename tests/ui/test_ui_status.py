"""The status board: the project under the cursor shows its commentary in full, at any
width (the board's commentary column is past the edge even at 120 columns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.steps.status import StatusView
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, wait_until
from tests.ui.test_ui_live import open_meeting


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_commentary_of_the_project_under_the_cursor_is_shown(
    demo_path: Path, size: tuple[int, int]
) -> None:
    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        screen = await open_meeting(pilot)
        view = screen.query_one(StatusView)
        board = view.query_one("#status-board", KeyTable)
        await wait_until(pilot, lambda: board.row_count > 0)
        line = view.query_one("#status-comment", Static)
        for _ in range(2):
            row = view.rows[board.selected_key or 0]
            assert row.current is not None
            expected = row.current.commentary
            await wait_until(pilot, lambda shown=expected[:40]: shown in str(line.render()))
            assert line.region.height > 0 and line.region.y + line.region.height <= size[1]
            await pilot.press("j")
