"""A snapshot of every screen and dialog, at the 80x24 minimum and at 120x40: each step of
the meeting, presentation mode, the register, the import screen, help, and each dialog a
key opens. A change to any of them shows up as a picture to look at."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from textual.pilot import Pilot
from textual.widgets import DirectoryTree

from pmo_tui.app import make_app
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from tests.conftest import DEMO_DAY, fixed_clock
from tests.ui.test_snapshots import SnapCompare, settle

# The demo's agenda: the index of each step.
PREVIOUS, STATUS, RAID, CHANGES, PRIORITIES, LESSONS, WRAP_UP = range(7)


class Scene(NamedTuple):
    step: int | None  # the live meeting at this step; None: the home screen
    keys: tuple[str, ...]
    # A DirectoryTree's loader is a worker that never completes: wait on frames instead.
    wait_workers: bool = True


SCENES: dict[str, Scene] = {
    # The meeting, step by step (planning is the planned meeting, step -1).
    "planning": Scene(-1, ()),
    "planning-proposals": Scene(-1, ("e",)),
    "previous-actions": Scene(PREVIOUS, ()),
    "raid-triage": Scene(RAID, ()),
    "changes": Scene(CHANGES, ()),
    "priorities": Scene(PRIORITIES, ()),
    "lessons": Scene(LESSONS, ()),
    "presentation-mode": Scene(RAID, ("p",)),
    # Dialogs a key opens in the meeting.
    "decision": Scene(STATUS, ("d",)),
    "action": Scene(STATUS, ("a",)),
    "park": Scene(RAID, ("P",)),
    "raid-new-item": Scene(RAID, ("i",)),
    "change-decision": Scene(CHANGES, ("a",)),
    "change-new": Scene(CHANGES, ("N",)),
    "weights": Scene(PRIORITIES, ("W",)),
    "pairwise": Scene(PRIORITIES, ("V",)),
    "team-load": Scene(PRIORITIES, ("L",)),
    "lesson": Scene(LESSONS, ("N",)),
    "closure": Scene(LESSONS, ("X",)),
    "close-meeting": Scene(WRAP_UP, ("C",)),
    # From the home screen.
    "help": Scene(None, ("question_mark",)),
    "register": Scene(None, ("R",)),
    "import": Scene(None, ("I",), wait_workers=False),
    "new-meeting": Scene(None, ("n",)),
}


def _set_up(path: Path, step: int | None) -> None:
    if step is None or step < 0:
        return
    with Store(path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        # Leave the first step and come back to the one wanted: "what changed since the
        # last meeting" opens a meeting's first minutes only (it has its own snapshot).
        store.meetings.go_to_step(meeting.id, 1)
        store.meetings.go_to_step(meeting.id, step)


def _driver(scene: Scene) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        if scene.step is not None:
            await pilot.press("m", "enter")
            while not isinstance(pilot.app.screen, MeetingScreen):
                await pilot.pause()
        await settle(pilot)
        if scene.keys:
            await pilot.press(*scene.keys)
        if scene.wait_workers:
            await settle(pilot)
        else:
            # The file tree, loaded to the end before the picture (its loader never ends).
            await pilot.app.screen.query_one(DirectoryTree).reload()
            for _ in range(3):
                await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", list(SCENES))
def test_every_screen_and_dialog(
    snap_compare: SnapCompare,
    demo_here: Path,
    name: str,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene = SCENES[name]
    _set_up(demo_here, scene.step)
    path = demo_here
    if name == "import":
        # The import screen lists the working folder by name: one named the same each run.
        path = demo_here.resolve()
        (path.parent / "registers").mkdir()
        monkeypatch.chdir(path.parent / "registers")
    app = make_app(path, user="tester", clock=fixed_clock)
    assert snap_compare(app, run_before=_driver(scene), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_what_changed_since_the_last_meeting(
    snap_compare: SnapCompare, demo_here: Path, size: tuple[int, int]
) -> None:
    with Store(demo_here, clock=fixed_clock) as store:
        store.meetings.start_meeting(store.meetings.meetings()[0].meeting.id)
    app = make_app(demo_here, user="tester", clock=fixed_clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("m", "enter")
        while pilot.app.screen.__class__.__name__ != "SinceLastScreen":
            await pilot.pause()
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_starting_on_another_day_asks(
    snap_compare: SnapCompare, demo_here: Path, size: tuple[int, int]
) -> None:
    with Store(demo_here, clock=fixed_clock) as store:
        store.meetings.plan_meeting("", DEMO_DAY + timedelta(days=14), "Steering committee")
    app = make_app(demo_here, user="tester", clock=fixed_clock)
    assert snap_compare(app, press=["m", "s"], terminal_size=size)
