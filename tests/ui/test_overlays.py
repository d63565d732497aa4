"""Help and the minutes preview: built once and shown again, drawn a screenful at a time,
never showing an older text as the current one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep, Meeting
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_name
from pmo_tui.screens.help import HelpScreen
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.minutes_preview import MinutesPreview
from pmo_tui.widgets.text_view import TextView
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, fill_form, wait_until
from tests.ui.test_ui_live import open_meeting


def shown_text(view: TextView) -> str:
    return "\n".join(view.plain_lines())


async def test_help_opens_again_at_its_top_with_every_key(demo_path: Path) -> None:
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        first = app.screen
        view = first.query_one("#help", TextView)
        await wait_until(pilot, lambda: view.laid_out)
        assert "Quit pmo" in shown_text(view) and "Wrap-up" in shown_text(view)
        # Longer than the screen: it scrolls, a screenful drawn at a time.
        assert view.line_count > 24
        await pilot.press("pagedown", "pagedown")
        await wait_until(pilot, lambda: view.scroll_y > 0)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen is first  # kept, not built again
        await wait_until(pilot, lambda: view.scroll_y == 0)


async def test_the_preview_shows_the_minutes_just_written_not_the_last_ones(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    at_step(demo_path, AgendaStep.WRAP_UP)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("D")  # resumed by a new process: take the drive
        await wait_until(pilot, lambda: screen.driving)
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, MinutesPreview))
        preview = app.screen
        assert isinstance(preview, MinutesPreview)
        await wait_until(pilot, lambda: preview.shown)
        view = preview.query_one("#minutes", TextView)
        assert "Buy the second test rig" not in shown_text(view)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)

        await pilot.press("d")
        await fill_form(pilot, text="Buy the second test rig")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("E")
        await wait_until(pilot, lambda: app.screen is preview)
        # Until the new minutes are laid out, the screen says they are being written and
        # shows none of the old ones.
        assert preview.shown or (view.line_count == 0 and preview.path is None)
        await wait_until(pilot, lambda: preview.shown)
        assert "Buy the second test rig" in shown_text(view)
        assert preview.path is not None
        assert "Buy the second test rig" in preview.path.read_text()


async def test_minutes_that_cannot_be_written_close_the_preview_and_say_why(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    meeting_id = at_step(demo_path, AgendaStep.WRAP_UP)
    with Store(demo_path) as store:
        target = tmp_path / minutes_name(store.get(Meeting, meeting_id))
    os.symlink(tmp_path / "elsewhere.md", target)  # planted: never followed
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("E")
        await wait_until(pilot, lambda: any("not written" in n.message for n in app._notifications))
        await wait_until(pilot, lambda: app.screen is screen)
        assert isinstance(app.screen, MeetingScreen)
    assert not (tmp_path / "elsewhere.md").exists()
