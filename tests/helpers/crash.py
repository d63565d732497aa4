"""A scripted meeting in a real pmo process, killed at random moments (issue 12).

The child runs the app on the file and records decisions through the keyboard, printing
``SHOWN n`` once the app has shown decision n in its log. The parent kills it (SIGKILL, or
SIGHUP as a dropped SSH connection does) at a random moment, starts the next child on
the same file, and at the end checks that every decision ever shown is in the file, the
file is intact and the meeting can be resumed. Used by tests/e2e/test_crash.py (a few kills)
and bench/killloop.py (many)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

CHILD = r"""
import sys
from textual.widgets import Input
from pmo_tui.app import make_app
from pmo_tui.widgets.form import FormDialog
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.steps.records import RecordsTable

path, first = sys.argv[1], int(sys.argv[2])
app = make_app(path, user=f"script-{first}")


# The app is exiting (a hang-up): the script stops with it, as a user's keys would.
class Stopped(Exception):
    pass


async def until(pilot, condition):
    while not condition():
        if not app.is_running:
            raise Stopped
        await pilot.pause(0.01)


async def script(pilot):
    try:
        await drive(pilot)
    except Stopped:
        pass


async def drive(pilot):
    await pilot.pause()
    await pilot.press("s")  # resume the live meeting
    await until(pilot, lambda: not isinstance(app.screen, type(app.get_default_screen())))
    while not isinstance(app.screen, MeetingScreen):
        await pilot.press("enter")  # past "since the last meeting"
        await pilot.pause(0.01)
    meeting = app.screen
    if not meeting.driving:
        await pilot.press("D")
        await until(pilot, lambda: meeting.driving)
    log = meeting.query_one("#log-records", RecordsTable)
    number = first
    while True:
        text = f"kill-test decision {number}"
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#field-text", Input).value = text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is meeting)
        await until(pilot, lambda: any(
            text in str(log.get_row_at(row)) for row in range(log.row_count)
        ))
        print(f"SHOWN {number}", flush=True)
        number += 1


app.run(headless=True, size=(120, 40), auto_pilot=script)
"""


@dataclass
class Round:
    signal: int
    shown: list[int] = field(default_factory=list)
    exit_code: int | None = None


def kill_round(path: Path, first: int, sig: int, rng: random.Random, within: float) -> Round:
    """One child, killed with ``sig`` a random moment (0..within s) after its first shown
    decision. Returns what it showed before dying."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(first)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    result = Round(signal=sig)
    timer: threading.Timer | None = None
    for line in child.stdout:
        if line.startswith("SHOWN "):
            result.shown.append(int(line.split()[1]))
            if timer is None:
                timer = threading.Timer(rng.uniform(0, within), child.send_signal, (sig,))
                timer.start()
    result.exit_code = child.wait(timeout=60)
    if timer is not None:
        timer.cancel()
    if not result.shown:
        raise RuntimeError(f"the scripted meeting never showed a decision: {child.stderr.read()}")
    return result


def shown_decisions_kept(path: Path, rounds: list[Round]) -> tuple[int, list[int]]:
    """(decisions shown, those missing from the file)."""
    from pmo_tui.data.store import Store

    with Store(path, read_only=True) as store:
        texts = {
            row[0]
            for row in store.db.conn.execute(
                "select text from decisions where text like 'kill-test decision %'"
            )
        }
    shown = [number for one in rounds for number in one.shown]
    return len(shown), [n for n in shown if f"kill-test decision {n}" not in texts]


SIGNALS = {"SIGKILL": signal.SIGKILL, "SIGHUP": signal.SIGHUP}
