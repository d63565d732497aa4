"""Three real `pmo` processes on one file, each in its own terminal, as a distributed team
runs a meeting: the driver moves and decides, followers see it, a follower's action reaches
the driver, and two people editing one action end in a reported conflict, not a lost edit."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.data.models import Action
from pmo_tui.data.store import Store
from tests.e2e.test_cli import PMO
from tests.helpers.terminal import Terminal

CTRL_S = "\x13"


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    subprocess.run(
        [PMO, "init", "--demo", "team.db"], cwd=tmp_path, check=True, capture_output=True
    )
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("PMO_DB", None)
    yield tmp_path / "team.db", env


def join(env: dict[str, str], folder: Path, user: str) -> Terminal:
    terminal = Terminal(
        [PMO, "--db", "team.db"], {**env, "USER": user, "LOGNAME": user}, str(folder)
    )
    terminal.wait_for("Online Onboarding")
    terminal.send("s")  # start the planned meeting, or resume the live one
    terminal.wait_for("What changed since the last meeting")
    terminal.send("\r")
    terminal.wait_for("1. Previous actions")
    return terminal


def test_three_sessions_run_one_meeting(team: tuple[Path, dict[str, str]]) -> None:
    path, env = team
    folder = path.parent
    driver = join(env, folder, "alice")
    followers: list[Terminal] = []
    try:
        followers = [join(env, folder, user) for user in ("bob", "carol")]
        for follower in followers:
            follower.wait_for("alice  driving")  # presence: who drives

        # The driver moves on: followers' screens follow.
        driver.send("]")
        driver.wait_for("2. Status")
        for follower in followers:
            follower.wait_for("2. Status", timeout=5)

        # The driver records a decision: followers are told.
        driver.send("d")
        driver.wait_for("Decision in Status")
        driver.send("Fund the recovery plan\r")
        driver.wait_for("Recorded D-11")
        for follower in followers:
            follower.wait_for("D-11 recorded", timeout=5)

        # A follower records an action: it reaches the driver.
        bob, carol = followers
        bob.send("t")
        bob.wait_for("Action from Status")
        bob.send("Send the revised plan to the sponsor\r")
        bob.wait_for("Recorded A-15")
        # Each session learns of it on its own poll: both must have it before they act on it.
        for terminal in (driver, carol):
            terminal.wait_for("A-15 recorded", timeout=5)

        # Two people change the same action's date: the second is refused, not lost.
        for terminal in (carol, driver):
            terminal.send("l")  # the log of decisions and actions, cursor in it
            terminal.wait_for("Decisions and actions of this meeting")
            terminal.send("j")  # from D-11 down to A-15
            terminal.send("u")
            terminal.wait_for("Due date of A-15")
        driver.send("2026-12-20\r")
        with Store(path) as store:
            wait_for_due(store, date(2026, 12, 20), [driver, *followers])
        carol.send("2026-12-24\r")
        carol.wait_for("changed by alice", timeout=5)
        with Store(path) as store:
            assert store.get(Action, 15).due_on == date(2026, 12, 20)  # alice's stands
        carol.send(CTRL_S)  # one key re-applies carol's date over it
        with Store(path) as store:
            wait_for_due(store, date(2026, 12, 24), [driver, *followers])
            users = [e.user for e in store.events(store.get(Action, 15)) if e.field == "due_on"]
            assert users == ["carol", "alice"]
            assert store.integrity_problems() == []
    finally:
        for terminal in (driver, *followers):
            terminal.close()


def wait_for_due(
    store: Store, expected: date, terminals: list[Terminal], seconds: float = 20
) -> None:
    """Read the file until the action has the expected date, draining the terminals
    meanwhile so no app is blocked writing its screen."""
    deadline = time.monotonic() + seconds
    while store.get(Action, 15).due_on != expected:
        assert time.monotonic() < deadline, f"A-15 never got due date {expected}"
        for terminal in terminals:
            terminal.drain()
        time.sleep(0.02)
