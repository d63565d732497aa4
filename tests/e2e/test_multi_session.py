"""Three real `pmo` processes on one file, each in its own terminal, as a distributed team
runs a meeting: the driver moves and decides, followers see it, a follower's action reaches
the driver, and two people editing one action end in a reported conflict, not a lost edit."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.data.models import Action
from pmo_tui.data.store import Store
from tests.e2e.test_cli import PMO
from tests.helpers.terminal import Terminal

CTRL_S = "\x13"
# The first line of a RAID item's card: code, kind and title two spaces apart (a queue
# row pads its columns with more spaces, or has the project's code after the kind).
CARD = re.compile(r"(R-\d+)  (?:risk|issue|assumption|dependency|opportunity)  (?!P-\d)\S")


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


def drain_until(terminals: list[Terminal], done: Callable[[], bool], what: str) -> None:
    """Read the terminals (an app nobody reads blocks) until ``done`` holds."""
    deadline = time.monotonic() + 20
    while not done():
        assert time.monotonic() < deadline, what
        for terminal in terminals:
            terminal.drain()
        time.sleep(0.02)


def test_five_sessions_follow_one_driver_and_nobody_loses_a_word(
    team: tuple[Path, dict[str, str]],
) -> None:
    """Five real sessions, one driving: the step and the triage card follow the driver on
    every screen; two followers write notes in the step as the driver moves on and both
    texts reach the file; a follower's driver-only keys change nothing; the driver is
    killed, everyone sees the seat empty within a second or so, and the driver comes back
    to drive again."""
    path, env = team
    folder = path.parent
    driver = join(env, folder, "alice")
    followers: list[Terminal] = []
    try:
        followers = [join(env, folder, user) for user in ("bob", "carol", "dan", "erin")]
        everyone = [driver, *followers]
        for follower in followers:
            follower.wait_for("alice  driving")
        for step in ("2. Status", "3. RAID triage"):
            driver.send("]")
            for terminal in everyone:
                terminal.wait_for(step, timeout=10)

        # The driver's cursor moves down the triage queue: every follower's card shows
        # the item the driver's cursor is on (as the driver's session publishes it).
        with Store(path) as store:
            meeting_id = store.meetings.meetings()[0].meeting.id

            def drivers_row() -> str:
                driving = [s for s in store.presence.present(meeting_id) if s.driving]
                return driving[0].selection if driving else ""

            # The step is built on the driver's screen (its title shows first).
            drain_until(everyone, lambda: drivers_row() != "", "the triage step was not built")
            for _ in range(3):
                marks = [f.mark() for f in followers]
                before = drivers_row()
                driver.send("j")
                drain_until(
                    everyone,
                    lambda b=before: drivers_row() not in (b, ""),  # type: ignore[misc]
                    "the driver's cursor did not move",
                )
                shown = f"R-{drivers_row()}"
                for follower, since in zip(followers, marks, strict=True):
                    drain_until(
                        everyone,
                        lambda f=follower, m=since, s=shown: s in CARD.findall(f.text_since(m)),  # type: ignore[misc]
                        f"a follower's card did not follow the driver's to {shown}",
                    )

        # A follower presses what only the driver may do: nothing is written.
        with Store(path) as store:
            before = store.presence.content_mark()
        bob, carol = followers[0], followers[1]
        for key in ("5", "5", "+", "C", "o", "r", "u"):
            bob.send(key)
            time.sleep(0.05)
        with Store(path) as store:
            drain_until(everyone, lambda: True, "")
            assert store.presence.content_mark() == before

        # Two followers write notes in the step; the driver moves on at once.
        for terminal, words in ((bob, "bob: the vendor slipped"), (carol, "carol: budget ok")):
            mark = terminal.mark()
            terminal.send("n")
            terminal.wait_for("esc closes", since=mark)  # the box is open: type into it
            terminal.send(words)
        driver.send("]")
        with Store(path) as store:
            meeting = store.meetings.meetings()[0].meeting
            triage = store.meetings.agenda(meeting.id)[2]
            drain_until(
                everyone,
                lambda: all(
                    words in store.get(type(triage), triage.id).notes
                    for words in ("bob: the vendor slipped", "carol: budget ok")
                ),
                "a follower's notes were lost",
            )

        # The driver's process is killed: the seat shows empty, then the driver returns.
        driver.kill()
        for follower in followers:
            follower.wait_for("alice has left: D takes the drive", timeout=10)
        # Marked before the driver returns: a follower may show it back before the test
        # has read the driver's own screen (marked after, it was missed at times).
        marks = [follower.mark() for follower in followers]
        driver.close()
        driver = Terminal(
            [PMO, "--db", "team.db"], {**env, "USER": "alice", "LOGNAME": "alice"}, str(folder)
        )
        driver.wait_for("Online Onboarding")
        driver.send("s")
        driver.wait_for("alice (you)  driving", timeout=10)
        for follower, mark in zip(followers, marks, strict=True):
            follower.wait_for("alice  driving", timeout=10, since=mark)
    finally:
        for terminal in (driver, *followers):
            terminal.close()


def test_keys_in_the_same_burst_as_the_next_step_key_never_act_on_the_step_left(
    team: tuple[Path, dict[str, str]],
) -> None:
    """`]` and `space` in one write (a fast typist, SSH delivering both in one packet)
    marked an overdue action done on the previous-actions step just left."""
    path, env = team
    with Store(path) as store:
        open_before = len(store.decisions.action_list(open_only=True))
    driver = join(env, path.parent, "alice")
    try:
        # Both steps built (visited once): the switch is immediate, the focus is not.
        driver.send("]")
        driver.wait_for("2. Status", timeout=10)
        mark = driver.mark()
        driver.send("[")
        driver.wait_for("1. Previous actions", timeout=10, since=mark)
        time.sleep(0.5)
        driver.drain()
        mark = driver.mark()
        driver.send("] ")
        driver.wait_for("2. Status", timeout=10, since=mark)
        driver.send("j ")  # and keys right after it: on the new step only
        time.sleep(1)
        driver.drain()
    finally:
        driver.close()
    with Store(path) as store:
        assert len(store.decisions.action_list(open_only=True)) == open_before
