"""The meeting clock as a room reads it: whole minutes, seconds only in the last one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pmo_tui.data.models import Meeting
from pmo_tui.data.store import Store
from pmo_tui.widgets.agenda_sidebar import AgendaSidebar, clock_text


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (25 * 60, "25 min"),
        (11 * 60 + 59, "12 min"),  # a time left rounds up, as a countdown reads
        (60, "1 min"),
        (59, "0:59"),
        (0, "0:00"),
        (-30, "-0:30"),
        (-150, "-2 min"),  # a time over counts whole minutes gone
        (3 * 3600, "180 min"),
    ],
)
def test_the_clock_shows_minutes_and_seconds_only_in_the_last_minute(
    seconds: int, shown: str
) -> None:
    assert clock_text(seconds) == shown


def test_ends_about_holds_when_the_driver_goes_back_a_step(demo_path: Path) -> None:
    """Going back to a step already done brings back none of the time of the steps done
    after it: the estimate of the end stays put (it jumped by their leftover time)."""
    now = [datetime(2026, 11, 26, 10, 0, tzinfo=UTC)]
    with Store(demo_path, clock=lambda: now[0]) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        for step in (1, 2, 3):  # two minutes in each of the first three steps
            now[0] += timedelta(minutes=2)
            store.meetings.go_to_step(meeting.id, step)
        sidebar = AgendaSidebar()

        def ends_about() -> str:
            sidebar.show(store.get(Meeting, meeting.id), store.meetings.agenda(meeting.id), now[0])
            content = sidebar._content(now[0])
            assert content is not None
            return next(text for text, _ in content[1] if text.startswith("Ends about"))

        before = ends_about()
        store.meetings.go_to_step(meeting.id, 1)  # back to the status step, at once
        assert ends_about() == before


async def test_time_up_is_said_once_a_session_not_again_on_every_return(demo_path: Path) -> None:
    """The cold try: leaving the meeting and coming back said "Time is up" again each
    time, for the same step."""
    from pmo_tui.app import make_app
    from pmo_tui.screens.meeting import MeetingScreen
    from tests.conftest import NOW, fixed_clock
    from tests.helpers.meeting import open_newest_meeting, wait_until

    with Store(demo_path, clock=lambda: NOW - timedelta(hours=2)) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)  # its first step began two hours ago

    def said() -> int:
        return sum("Time is up" in str(n.message) for n in app._notifications)

    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newest_meeting(pilot)
        await wait_until(pilot, lambda: said() == 1)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, MeetingScreen))
        again = await open_newest_meeting(pilot)
        assert again is not screen
        ticks = again._ticks
        await wait_until(pilot, lambda: again._ticks > ticks + 1)  # the clock has ticked
        assert said() == 1


async def test_time_up_tells_a_watcher_who_can_add_time(demo_path: Path) -> None:
    """The cold try: a read-only watcher (and a follower) was told "+ adds 5 minutes, P
    parks the rest", keys only the driver has; D there did nothing and said nothing."""
    from pmo_tui.app import make_app
    from tests.conftest import NOW, fixed_clock
    from tests.helpers.meeting import open_newest_meeting, wait_until

    with Store(demo_path, clock=lambda: NOW - timedelta(hours=2)) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)

    def said(part: str) -> list[str]:
        return [str(n.message) for n in app._notifications if part in str(n.message)]

    app = make_app(demo_path, read_only=True, user="watcher", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest_meeting(pilot)
        await wait_until(pilot, lambda: bool(said("Time is up")))
        assert said("Time is up")[0].endswith(
            ": the driver can add 5 minutes (+) or park the rest (P)."
        )
        await pilot.press("D")
        await wait_until(pilot, lambda: bool(said("cannot drive")))
        assert said("cannot drive") == ["Opened read-only: this session watches and cannot drive."]
