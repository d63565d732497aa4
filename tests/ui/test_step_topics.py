"""Topics proposed into a step are listed in that step during the meeting, ticked as the
meeting records something about each; the minutes say what each came to."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep, RaidItem
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document
from pmo_tui.steps.raid import RaidView
from tests.conftest import fixed_clock
from tests.helpers.meeting import wait_until
from tests.ui.test_ui_live import open_meeting


def plan_with_raid_topics(path: Path) -> tuple[int, list[str]]:
    """The demo's planned meeting with the RAID topics the data proposes, started and at
    its RAID step; returns the meeting id and the topics' codes."""
    with Store(path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        proposed = [
            p for p in store.topics.propose_topics(meeting.id) if p.step is AgendaStep.RAID
        ][:3]
        store.topics.add_topics(meeting.id, proposed)
        store.meetings.start_meeting(meeting.id)
        index = next(
            i
            for i, item in enumerate(store.meetings.agenda(meeting.id))
            if item.step is AgendaStep.RAID
        )
        store.meetings.go_to_step(meeting.id, index)
        return meeting.id, [p.ref_code for p in proposed]


async def test_the_step_lists_its_topics_and_ticks_one_when_the_meeting_acts_on_it(
    demo_path: Path,
) -> None:
    meeting_id, codes = plan_with_raid_topics(demo_path)
    assert len(codes) == 3
    with Store(demo_path) as store:
        first = next(item for item in store.all(RaidItem) if item.code == codes[0])
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        box = screen.query_one("#step-topics", Static)
        await wait_until(pilot, lambda: "0 of 3 taken" in str(box.render()))
        assert box.display and all(code in str(box.render()) for code in codes)
        view = screen.query_one(RaidView)
        await wait_until(pilot, lambda: view.is_mounted and view.items != {})
        view.select(str(first.id))
        await pilot.press("2", "2")  # re-scored in the meeting: taken
        await wait_until(pilot, lambda: "1 of 3 taken" in str(box.render()))
        assert f"✓ {codes[0]}" in str(box.render())
    with Store(demo_path) as store:
        minutes = minutes_document(store, meeting_id)
    assert f"- {codes[0]} " in minutes and "re-scored" in minutes
    assert f"- {codes[1]} " in minutes and "nothing recorded in the meeting" in minutes


async def test_the_cut_queue_keeps_the_topics_proposed_into_the_step(demo_path: Path) -> None:
    """With two minutes left, K keeps two items: the step's own proposed topics, not the
    escalated items the queue puts first."""
    from datetime import timedelta

    from pmo_tui.widgets.table import KeyTable

    _, codes = plan_with_raid_topics(demo_path)
    app = make_app(demo_path, user="tester", clock=lambda: fixed_clock() + timedelta(minutes=23))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        view = screen.query_one(RaidView)
        await wait_until(pilot, lambda: view.is_mounted and view.items != {})
        queue = view.query_one("#raid-queue", KeyTable)
        await pilot.press("K")
        await wait_until(pilot, lambda: queue.row_count == 2)
        shown = {str(queue.get_row_at(row)[0]) for row in range(2)}
        assert shown <= set(codes)
