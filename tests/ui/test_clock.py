"""The meeting clock as a room reads it: whole minutes, seconds only in the last one."""

from __future__ import annotations

import pytest

from pmo_tui.widgets.agenda_sidebar import clock_text


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
