"""Shared steps for UI tests: a live meeting at a given step, opened in the app, and forms
filled in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.data.models import AgendaStep
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.widgets.form import FormDialog
from tests.conftest import fixed_clock


def at_step(path: Path, step: AgendaStep) -> int:
    """Start the demo's planned meeting and go to its ``step``; returns the meeting id."""
    with Store(path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        index = next(
            i for i, item in enumerate(store.meetings.agenda(meeting.id)) if item.step is step
        )
        store.meetings.go_to_step(meeting.id, index)
        return meeting.id


async def open_newest_meeting(pilot: Pilot[None]) -> MeetingScreen:
    await pilot.pause()
    await pilot.press("m", "enter")  # the newest meeting is the first in the list
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5) -> None:
    """Let the app run until ``condition`` holds; fail after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "the condition did not become true in time"
        await pilot.pause(0.02)


async def open_form(pilot: Pilot[None], *keys: str) -> FormDialog:
    """Press ``keys`` and return the dialog they open."""
    await pilot.pause()
    await pilot.press(*keys)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    return dialog


async def fill_form(pilot: Pilot[None], **values: str) -> FormDialog:
    """Type ``values`` into the open form and save it; returns the dialog (which stays
    open when the save was refused). Waits for the form the key opened: on a loaded
    machine it can be on screen a few frames after the key."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while not (
        isinstance(pilot.app.screen, FormDialog) and pilot.app.screen.query("#dialog-error")
    ):
        assert loop.time() < deadline, f"no form opened: {pilot.app.screen}"
        await pilot.pause(0.02)
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog), dialog
    for name, value in values.items():
        dialog.query_one(f"#field-{name}", Input).value = value
    await pilot.press("ctrl+s")
    await pilot.pause()
    return dialog


def rendered(widget: Static, width: int = 120) -> str:
    """What a Static shows, as plain text (its content may be any Rich renderable)."""
    console = Console(width=width, record=True)
    console.print(widget.content)
    return console.export_text()
