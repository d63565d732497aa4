"""A golden meeting: the demo's planned meeting run by keys through every step in the real
app, closed and exported, its minutes compared with a reviewed file. Later edits to the
portfolio leave them byte for byte as they were.

To change the expected file on purpose: PMO_UPDATE_GOLDEN=1 pytest tests/ui/test_golden_meeting.py,
then read the diff of tests/fixtures/golden-minutes.md before committing it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_tui.data.models import MeetingState, Project
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.minutes_preview import MinutesPreview
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.steps.planning import ProposalsDialog
from pmo_tui.widgets.form import FormDialog
from tests.conftest import fixed_clock
from tests.helpers.meeting import fill_form
from tests.ui.test_ui_keys import wait_until
from tests.ui.test_ui_meeting import app_for, open_planned_meeting, title_of

EXPECTED = Path(__file__).parent.parent / "fixtures" / "golden-minutes.md"


@pytest.fixture
def utc() -> Iterator[None]:
    """Clock times in the minutes are written in the zone the meeting closed in."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


async def next_step(pilot, screen: MeetingScreen, title: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("right_square_bracket")
    await wait_until(pilot, lambda: title in title_of(screen))
    await pilot.pause()


async def test_a_meeting_run_by_keys_gives_the_reviewed_minutes(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None
) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        meeting_id = screen.meeting_id

        await pilot.press("e")  # topics proposed from the data, all kept
        await wait_until(pilot, lambda: isinstance(app.screen, ProposalsDialog))
        await pilot.press("enter", "enter")  # over the agenda's minutes: asked once
        await wait_until(pilot, lambda: not isinstance(app.screen, ProposalsDialog))
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SinceLastScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "1. Previous actions" in title_of(screen))

        await pilot.press("space")  # the most overdue action is done
        await pilot.pause()

        await next_step(pilot, screen, "2. Status")
        await pilot.press("r")  # the first project's overall RAG goes red
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, text="Fund the recovery plan", rationale="Keeps the date")

        await next_step(pilot, screen, "3. RAID triage")
        await pilot.press("2", "3", "m", "enter")  # re-scored, mitigated, next
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, text="Escalate the supplier risk", owner="priya raman", due="+2w")

        await next_step(pilot, screen, "4. Change decisions")
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, rationale="Benefits justify the cost")

        await next_step(pilot, screen, "5. Priorities")
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, why="Sponsor on leave until March")
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, why="Agreed by the board")

        await next_step(pilot, screen, "6. Lessons")
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, project="P-3", title="Book the test lab a quarter ahead")

        await next_step(pilot, screen, "7. Wrap-up")
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "closed" in title_of(screen))
        await pilot.press("E")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: isinstance(app.screen, MinutesPreview))
        preview = app.screen
        assert isinstance(preview, MinutesPreview)
        await wait_until(pilot, lambda: preview.shown)
        written = preview.path
        assert written is not None

    with Store(demo_path, clock=fixed_clock) as store:
        minutes = minutes_document(store, meeting_id)
        assert store.meetings.meetings()[0].meeting.state is MeetingState.CLOSED
    assert written.read_text() == minutes  # the file the app wrote is the export
    if os.environ.get("PMO_UPDATE_GOLDEN"):
        EXPECTED.write_text(minutes)
    assert minutes == EXPECTED.read_text()

    # Next year: renamed projects, re-scored risks; the minutes do not move.
    with Store(demo_path, clock=fixed_clock) as store:
        for project in store.all(Project):
            store.db.update(Project, project.id, project.version, name=project.name + " (new)")
        for item in store.raid.all_open_raid()[:30]:
            store.raid.rescore(item.id, item.version, 1, 1)
        assert minutes_document(store, meeting_id) == minutes
