"""Meetings form a series: the next one follows the last (attendees, steps, quorum rule)
and names its own date; starting one planned for another day, or short of its quorum,
asks first."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from textual.widgets.data_table import ColumnKey

from pmo_tui.app import make_app
from pmo_tui.data.models import Meeting, MeetingState
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import DEMO_DAY, fixed_clock
from tests.helpers.meeting import open_form, wait_until


async def test_the_next_meeting_follows_the_last_and_names_its_own_date(demo_path: Path) -> None:
    with Store(demo_path) as store:
        last = store.meetings.meetings()[0].meeting
        invited = {row.attendee.person_id for row in store.meetings.attendees(last.id)}
        steps = [item.title for item in store.meetings.agenda(last.id)]
    assert invited and steps
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_form(pilot, "n")
        assert dialog.values()["follows"] == str(last.id)  # the newest meeting, by default
        dialog.query_one("#field-date", Input).value = "+2w"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog))
    with Store(demo_path) as store:
        new = store.meetings.meetings()[0].meeting
        assert new.id != last.id
        day = DEMO_DAY + timedelta(days=14)
        assert new.scheduled_on == day
        assert new.title == f"Portfolio review {day.day} {day:%b %Y}"
        assert {row.attendee.person_id for row in store.meetings.attendees(new.id)} == invited
        assert [item.title for item in store.meetings.agenda(new.id)][-len(steps) :] == steps


async def test_starting_a_meeting_planned_for_another_day_without_quorum_asks_first(
    demo_path: Path,
) -> None:
    ahead = DEMO_DAY + timedelta(days=14)
    with Store(demo_path) as store:
        meeting = store.meetings.plan_meeting("", ahead, "Steering committee")  # nobody invited
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")  # the meetings list; the new meeting is the first row
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        question = app.screen
        message = str(question.query_one(".dialog-message", Static).render())
        assert f"planned for {ahead:%a %d %b %Y}, not today" in message
        assert "Quorum NOT met" in message
        await pilot.press("escape")  # not now: nothing happens
        await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog))
        with Store(demo_path) as store:
            assert store.get(Meeting, meeting.id).state is MeetingState.PLANNED
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press("enter")  # the Start button has the focus
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen | SinceLastScreen))
    with Store(demo_path) as store:
        started = store.get(Meeting, meeting.id)
    assert started.state is MeetingState.LIVE
    assert started.scheduled_on == DEMO_DAY  # held today: overdue is judged on today
    assert started.title == f"Steering committee {DEMO_DAY.day} {DEMO_DAY:%b %Y}"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_attendance_column_reads_whole_words(
    demo_path: Path, size: tuple[int, int]
) -> None:
    """It was cut to its first letter, and "a" is apologies or absent."""
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")  # the planned meeting: its planning
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        table = app.screen.query_one("#plan-attendees", KeyTable)
        await wait_until(pilot, lambda: table.row_count > 0)
        await pilot.pause()
        shown = 0
        for column in table.ordered_columns:
            shown += column.get_render_width(table)
            if column.key.value == "attendance":
                break
        assert shown <= table.scrollable_content_region.width
        assert table.columns[ColumnKey("attendance")].content_width >= len("apologies")
