"""What the bench scripts share: the demo's day and clock, a live meeting at a step, and
the figure line each prints."""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console, RenderableType
from rich.segment import ControlType
from rich.style import Style
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen

from pmo_tui.data.models import AgendaStep
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)

# The words generated titles and texts are made of (searches match many of them).
_VOCABULARY = (
    "supplier contract delay scope budget testing release freeze stakeholder sponsor "
    "migration data vendor estimate risk plan resource training handover benefits"
)
WORDS = _VOCABULARY.split()


def clock() -> datetime:
    return datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def live_at_step(store: Store, step: AgendaStep) -> int:
    """Start the demo's planned meeting at ``step``; returns the meeting id."""
    meeting = store.meetings.meetings()[0].meeting
    store.meetings.start_meeting(meeting.id)
    index = next(i for i, item in enumerate(store.meetings.agenda(meeting.id)) if item.step is step)
    store.meetings.go_to_step(meeting.id, index)
    return meeting.id


def copy_settled(source: Path, target: Path) -> None:
    """Copy a large file and have the system write the copy to disk before anything is
    timed on it. Left to write back in its own time, the copy's pages were written by the
    first fsync on the file: the first checkpoint of an import, 0.8 s of the 50,000-row
    import at scale 1 (one batch of 870 ms among ones of 80), the import's work as timed."""
    shutil.copy(source, target)
    os.sync()


def figure(name: str, times: list[float]) -> str:
    return (
        f"{name:<40} median {statistics.median(times) * 1000:7.1f} ms   "
        f"worst {max(times) * 1000:7.1f} ms"
    )


async def key_to_screen(pilot: Pilot[None], *keys: str) -> float:
    """Seconds from the keys to the last frame that changed the screen (key_to_frames)."""
    return (await key_to_frames(pilot, *keys))[1]


async def key_to_frames(pilot: Pilot[None], *keys: str) -> tuple[float, float]:
    """Seconds from the keys to the first and to the last frame that changed the screen.

    Pilot's press() and pause() sleep at least 20 ms per call and then force a frame
    themselves, so timing around them measures the pilot. This sends the keys as the
    terminal driver does, applies each frame the compositor writes to a copy of the
    terminal's cells, and returns once the screen has been quiet for QUIET seconds (not
    counted). A frame that rewrites cells with what they already held (Textual repaints a
    table's scroll bars a frame after its rows change, unchanged) does not count: the
    last figure is when the key's last visible effect appeared. It uses private Textual names
    (``_driver``, ``_display``, ``_compositor``): there is no public "frame written"
    hook, and a bench may lean on internals the app must not. A timer's frame (the
    meeting clock ticks once a second) can land inside the window and stretch a worst
    case."""
    app = pilot.app
    terminal = Terminal(app.console)
    terminal.write(app.screen._compositor.render_full_update())
    changed: list[float] = []
    last_frame: list[float] = []
    original = app._display

    def display(screen: Screen[object], renderable: RenderableType | None) -> None:
        original(screen, renderable)
        if renderable is not None:
            written = time.perf_counter()
            last_frame[:] = [written]
            if terminal.write(renderable):
                changed.append(written)

    app._display = display  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        assert app._driver is not None
        for key in keys:
            char = key if len(key) == 1 else _CHARACTERS.get(key)
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        while True:
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            if last_frame and now - last_frame[0] > QUIET:
                break
            if now - started > 5:
                raise RuntimeError(f"keys {keys} drew nothing in 5 s")
    finally:
        app._display = original  # type: ignore[method-assign]
    if not changed:
        raise RuntimeError(f"keys {keys} redrew the screen but changed nothing on it")
    return changed[0] - started, changed[-1] - started


class Terminal:
    """The cells of a terminal (character and style), as the frames written to it left
    them."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.cells: dict[tuple[int, int], tuple[str, Style | None]] = {}

    def write(self, update: RenderableType) -> bool:
        """Apply one frame; True when any cell now shows something else."""
        changed = False
        x = y = 0
        cells = self.cells
        for segment in self.console.render(update):
            if segment.control:
                for code in segment.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = int(code[1]), int(code[2])  # type: ignore[misc]
                continue
            if segment.text == "\n":
                continue
            for character in segment.text:
                cell = (character, segment.style)
                if cells.get((x, y)) != cell:
                    cells[(x, y)] = cell
                    changed = True
                x += 1
        return changed


# How long the screen must stay unchanged for a key's effect to count as complete.
QUIET = 0.15

_CHARACTERS = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "enter": "\r",
}
