"""What the bench scripts share: the demo's day and clock, a live meeting at a step, and
the figure line each prints."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, date, datetime

from rich.console import RenderableType
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
    meeting = store.meetings()[0].meeting
    store.start_meeting(meeting.id)
    index = next(i for i, item in enumerate(store.agenda(meeting.id)) if item.step is step)
    store.go_to_step(meeting.id, index)
    return meeting.id


def figure(name: str, times: list[float]) -> str:
    return (
        f"{name:<40} median {statistics.median(times) * 1000:7.1f} ms   "
        f"worst {max(times) * 1000:7.1f} ms"
    )


async def key_to_screen(pilot: Pilot[None], *keys: str) -> float:
    """Seconds from the keys reaching the app to the last frame they caused.

    Pilot's press() and pause() sleep at least 20 ms per call and then force a frame
    themselves, so timing around them measures the pilot. This sends the keys as the
    terminal driver does, records when the compositor writes each frame, and returns once
    the screen has been quiet for QUIET seconds (not counted). It uses two private Textual
    names (``_driver``, ``_display``): there is no public "frame written" hook, and a bench
    may lean on internals the app must not. A timer's frame (the meeting clock ticks once a
    second) can land inside the window and stretch a worst case."""
    app = pilot.app
    shown: list[float] = []
    original = app._display

    def display(screen: Screen[object], renderable: RenderableType | None) -> None:
        if renderable is not None:
            shown.append(time.perf_counter())
        original(screen, renderable)

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
            if shown and now - shown[-1] > QUIET:
                break
            if now - started > 5:
                raise RuntimeError(f"keys {keys} changed nothing on screen in 5 s")
    finally:
        app._display = original  # type: ignore[method-assign]
    return shown[-1] - started


# How long the screen must stay unchanged for a key's effect to count as complete.
QUIET = 0.15

_CHARACTERS = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "enter": "\r",
}
