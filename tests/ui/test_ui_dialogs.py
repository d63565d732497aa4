"""Every dialog fits 80x24: its fields scroll, its title and buttons stay on screen, it
is centred, and no raw glyph (a "⏎" for a line break) shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.steps.priorities_dialogs import PairwiseDialog
from pmo_tui.widgets.form import FormDialog
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, open_form, wait_until
from tests.ui.test_ui_live import open_meeting


def inside(region_y: int, height: int, screen_height: int) -> bool:
    return region_y >= 0 and region_y + height <= screen_height


@pytest.mark.parametrize(
    ("step", "key"),
    [
        (AgendaStep.LESSONS, "N"),
        (AgendaStep.LESSONS, "X"),
        (AgendaStep.PRIORITIES, "W"),
        (AgendaStep.CHANGES, "N"),
    ],
)
async def test_a_tall_form_keeps_its_title_and_buttons_on_an_80x24_screen(
    demo_path: Path, step: AgendaStep, key: str
) -> None:
    at_step(demo_path, step)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.pause()
        dialog = app.screen
        title = dialog.query_one(".dialog-title", Static).region
        save = dialog.query_one("#ok", Button).region
        assert inside(title.y, title.height, 24) and inside(save.y, save.height, 24)
        assert save.height > 0 and title.height > 0
        # The last field is reachable: tab to it and it scrolls into view.
        for _ in range(len(dialog.fields) - 1):
            await pilot.press("tab")
        await pilot.pause()
        focused = app.focused
        assert focused is not None and inside(focused.region.y, focused.region.height, 24)


async def test_the_pairwise_dialog_is_centred_and_shows_no_raw_glyphs(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.PRIORITIES)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, PairwiseDialog))
        await pilot.press("a")  # the left one matters more: "by how much?"
        await pilot.pause()
        box = app.screen.query_one(".dialog").region
        assert box.x > 10 and box.y > 2  # not in the top-left corner
        question = str(app.screen.query_one("#pair-question", Static).render())
        assert "by how much" in question and "⏎" not in question


async def test_typing_a_date_past_the_calendar_says_so_and_the_app_stays(
    demo_path: Path,
) -> None:
    """ "+999999w" typed into the new meeting's date ended pmo (OverflowError)."""
    from textual.widgets import Input

    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_form(pilot, "n")
        date_input = dialog.query_one("#field-date", Input)
        date_input.value = ""
        date_input.focus()
        await pilot.press(*"+999999w")
        await pilot.pause()
        assert app.is_running and app.screen is dialog
        assert "not a date yet" in str(dialog.query_one("#hint-date", Static).render())


async def test_quick_enters_in_a_dialog_record_one_decision_and_close_it(
    demo_path: Path,
) -> None:
    """The cold try: three quick enters in the decision dialog recorded the decision three
    times, then ended pmo (the dialog closed twice)."""
    from textual import events
    from textual.widgets import Input

    from pmo_tui.data.store import Store

    meeting_id = at_step(demo_path, AgendaStep.STATUS)
    with Store(demo_path, clock=fixed_clock) as store:
        before = len(store.decisions.decisions(meeting_id))
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        dialog = await open_form(pilot, "d")
        text = next(iter(dialog.query(Input).results(Input)))
        text.focus()
        await pilot.press(*"double enter test")
        # Three enters as a terminal delivers them, in one burst (the pilot would wait for
        # the screen between keys).
        for _ in range(3):
            app.post_message(events.Key("enter", "\r"))
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog))
        await pilot.pause()
        assert app.is_running
    with Store(demo_path, clock=fixed_clock) as store:
        decided = store.decisions.decisions(meeting_id)
    assert [d.text for d in decided[before:]] == ["double enter test"]


async def test_keys_typed_in_one_burst_across_a_tab_land_in_the_field_tab_moved_to(
    demo_path: Path,
) -> None:
    """The cold try: "abc", tab, "xyz" arriving together (a paste, a fast typist, a slow
    link) gave "abcxyz" in the decision and an empty rationale: Screen's tab binding ran
    in the field after the keys already handed to it."""
    from textual import events
    from textual.widgets import Input

    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        dialog = await open_form(pilot, "d")
        fields = list(dialog.query(Input).results(Input))
        fields[0].focus()
        await pilot.pause()
        for key, character in [*((c, c) for c in "abc"), ("tab", "\t"), *((c, c) for c in "xyz")]:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: fields[1].value == "xyz")
        assert fields[0].value == "abc"


async def test_keys_typed_while_a_dialog_opens_land_in_its_fields(demo_path: Path) -> None:
    """The cold try: "d" then the decision in one burst (a fast facilitator, a slow link):
    the dialog opened empty, every word lost. (A tab typed in the same burst, before the
    dialog is there, moves the focus of the screen under it: the words then land in the
    first field, seen, not lost.)"""
    from textual import events
    from textual.widgets import Input

    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        await pilot.pause()
        burst = [("d", "d")] + [("space" if c == " " else c, c) for c in "Go ahead"]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        fields = list(app.screen.query(Input).results(Input))
        await wait_until(pilot, lambda: fields[0].value == "Go ahead")
        await pilot.press("tab", *"why")
        await wait_until(pilot, lambda: fields[1].value == "why")


async def test_a_decision_typed_and_entered_as_its_dialog_opens_is_recorded(
    demo_path: Path,
) -> None:
    """Keys held while the dialog opened came back as the app's own, and Textual stops a
    message at its sender: the enter among them never reached its binding (a pty run of
    three sessions caught it)."""
    from textual import events

    from pmo_tui.data.store import Store

    meeting_id = at_step(demo_path, AgendaStep.STATUS)
    with Store(demo_path, clock=fixed_clock) as store:
        before = len(store.decisions.decisions(meeting_id))
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        await pilot.pause()
        burst = [("d", "d"), *((c, c) for c in "Fund"), ("enter", "\r")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog))
    with Store(demo_path, clock=fixed_clock) as store:
        decided = store.decisions.decisions(meeting_id)
    assert [d.text for d in decided[before:]] == ["Fund"]


async def decision_field(pilot: Pilot[None]) -> Input:
    """The decision dialog open in the live meeting, its text field focused."""
    await open_meeting(pilot)
    dialog = await open_form(pilot, "d")
    field = dialog.query_one("#field-text", Input)
    await wait_until(pilot, lambda: pilot.app.focused is field)
    return field


async def test_keys_still_queued_when_the_held_ones_come_back_land_after_them(
    demo_path: Path,
) -> None:
    """A clean-clone CI run recorded "-plan before the killApprove the re": the keys held
    while the dialog opened were posted again behind keys that had reached the app's queue
    meanwhile, and those ran first."""
    from textual import events

    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        field = await decision_field(pilot)
        app.hold_keys()  # as when a dialog opens
        for character in "Approve":
            app.post_message(events.Key(character, character))
        await pilot.pause()
        assert field.value == ""  # held
        # More keys reach the queue, then the held ones are let go in the same turn.
        for character in " now":
            app.post_message(events.Key("space" if character == " " else character, character))
        app.release_keys()
        await wait_until(pilot, lambda: len(field.value) == len("Approve now"))
        assert field.value == "Approve now"


async def test_keys_are_not_kept_waiting_for_a_released_key_that_never_comes(
    demo_path: Path,
) -> None:
    """The guard on the ordering above: had a released key been lost, every key after it
    would go round the queue for ever, and typing would stop."""
    from textual import events

    at_step(demo_path, AgendaStep.STATUS)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        field = await decision_field(pilot)
        app._replaying.append(events.Key("x", "x"))  # posted, then lost
        await pilot.press(*"ok")
        await wait_until(pilot, lambda: field.value == "ok")
