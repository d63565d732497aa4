"""Presentation mode (p) is what a projector at the back of a room needs: the step and its
time left large, the item under discussion in a band of its own, no key hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits, Header, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.presentation import clock_figure
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, wait_until
from tests.ui.test_ui_live import open_meeting


def test_the_clock_reads_as_digits_and_words() -> None:
    assert clock_figure(12 * 60) == ("12", "min left")
    assert clock_figure(11 * 60 + 1) == ("12", "min left")  # a countdown rounds up
    assert clock_figure(45) == ("0:45", "left")
    assert clock_figure(-3 * 60 - 20) == ("+3", "min over")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_presentation_mode_shows_the_step_the_time_and_the_item_large(
    demo_path: Path, size: tuple[int, int]
) -> None:
    at_step(demo_path, AgendaStep.RAID)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        screen = await open_meeting(pilot)
        await pilot.pause()
        queue = screen.query_one("#raid-queue", KeyTable)
        summary = screen.query_one("#raid-summary", StepSummary)
        assert "probability then impact" in str(summary.render())
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.presenting)
        await pilot.pause()
        # No key hints, no chrome: the header, the footer, the sidebar and notes go.
        for hidden in (Header, KeyFooter):
            assert not screen.query_one(hidden).display
        for selector in ("#sidebar", "#notes-title", "#step-title"):
            assert not screen.query_one(selector).display
        assert "probability then impact" not in str(summary.render())
        assert "items need this forum" in summary.facts
        # The step and its time left, the clock in digits three rows high.
        bar = screen.query_one("#present-bar")
        assert bar.display and bar.region.height == 3
        assert "3. RAID triage" in str(screen.query_one("#present-step", Static).render())
        assert screen.query_one("#present-clock", Digits).value.isdigit()
        # The item under discussion in its own band: the row under the cursor, and it
        # follows the cursor.
        band = screen.query_one("#present-item", Static)
        first = queue.get_row_at(queue.cursor_row)[0]
        assert str(first) in str(band.render())
        await pilot.press("j")
        second = queue.get_row_at(queue.cursor_row)[0]
        assert second != first
        await wait_until(pilot, lambda: str(second) in str(band.render()))
        # p again: back to the working screen, keys and all.
        await pilot.press("p")
        await wait_until(pilot, lambda: not screen.presenting)
        await pilot.pause()
        assert screen.query_one(KeyFooter).display and not bar.display
        assert "probability then impact" in str(summary.render())


async def test_the_band_follows_the_status_boards_cell_cursor(demo_path: Path) -> None:
    """The status board's cursor is a cell, not a row: its band stayed empty."""
    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        board = screen.query_one("#status-board", KeyTable)
        await wait_until(pilot, lambda: board.row_count > 0)
        await pilot.press("p")
        band = screen.query_one("#present-item", Static)
        for _ in range(2):
            code = board.get_row_at(board.cursor_row)[0]
            await wait_until(pilot, lambda c=str(code): c[:6] in str(band.render()))
            await pilot.press("j")


async def test_a_step_title_with_escapes_is_shown_not_obeyed(demo_path: Path) -> None:
    from pmo_tui.data.models import AgendaItem
    from pmo_tui.data.store import Store

    meeting_id = at_step(demo_path, AgendaStep.RAID)
    with Store(demo_path, clock=fixed_clock) as store:
        item = next(i for i in store.meetings.agenda(meeting_id) if i.step is AgendaStep.RAID)
        store.db.update(AgendaItem, item.id, item.version, title="Risks \x1b]0;pwned\x07 [b]x")
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.presenting)
        shown = str(screen.query_one("#present-step", Static).render())
        assert "Risks" in shown and "[b]x" in shown and "\x1b" not in shown
