"""Messages never hide the row being edited: at 80x24 a toast sat over the notes box."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.widgets.table import KeyTable
from pmo_tui.widgets.toasts import TOP, edit_row
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, wait_until
from tests.ui.test_ui_live import open_meeting


async def test_a_toast_keeps_clear_of_the_notes_box_and_of_the_cursor_row(
    demo_path: Path,
) -> None:
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    # Textual's test harness leaves toasts out unless asked.
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_meeting(pilot)
        rack = screen.query_one("#textual-toastrack")
        await pilot.press("n")
        notes = screen.query_one("#notes")
        await wait_until(pilot, lambda: notes.has_focus)
        await wait_until(pilot, lambda: rack.has_class(TOP))
        screen.notify("Saved by another session: a long message of two lines or more here.")
        await wait_until(pilot, lambda: bool(screen.query("Toast")))
        await pilot.pause()
        toast = screen.query("Toast").first(Static)
        assert not toast.region.overlaps(notes.region)

        await pilot.press("escape")  # the notes close: back to the list, its first row
        table = screen.query("KeyTable").first(KeyTable)
        table.focus()
        table.move_cursor(row=0)
        await wait_until(pilot, lambda: not rack.has_class(TOP))
        await pilot.pause()
        row = edit_row(table)
        for shown in screen.query("Toast").results(Static):
            assert not shown.region.y <= row < shown.region.y + shown.region.height


async def test_notes_opened_over_the_log_drawer_close_it_and_show(demo_path: Path) -> None:
    """`l` then `n`: the words went into a notes box under the drawer, unseen."""
    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: screen.log_open)
        await pilot.press("n")
        notes = screen.query_one("#notes")
        await wait_until(pilot, lambda: notes.has_focus and not screen.log_open)
        await pilot.pause()
        drawer = screen.query_one("#log")
        assert not drawer.display or not drawer.region.overlaps(notes.region)
        assert notes.region.height > 0


async def test_many_messages_at_once_show_the_newest_two_clear_of_the_cursor(
    demo_path: Path,
) -> None:
    """Five decisions recorded by a follower stacked five toasts down over the notes."""
    at_step(demo_path, AgendaStep.RAID)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_meeting(pilot)
        table = screen.query_one("#raid-queue", KeyTable)
        table.focus()
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        for number in range(5):
            screen.notify(f"D-{number} drafted by another session: a decision of some length")
        await wait_until(pilot, lambda: len(screen.query("Toast")) == 2)
        await pilot.pause()
        assert [n.message[:3] for n in app._notifications] == ["D-3", "D-4"]
        row = edit_row(table)
        for shown in screen.query("Toast").results(Static):
            assert not shown.region.y <= row < shown.region.y + shown.region.height


async def test_the_footer_drops_keys_that_type_into_the_notes(demo_path: Path) -> None:
    """With the notes box open the footer offered "+ +5 min": "+" typed a plus."""
    from pmo_tui.widgets.footer import KeyFooter

    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        footer = screen.query_one(KeyFooter)

        def offered() -> set[str]:
            return {key.description for key in footer.keys}

        await wait_until(pilot, lambda: "+5 min" in offered())
        await pilot.press("n")
        await wait_until(pilot, lambda: "+5 min" not in offered())
        assert "Next step" in offered()  # F8 still moves on
        await pilot.press("escape")
        await wait_until(pilot, lambda: "+5 min" in offered())
