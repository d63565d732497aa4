"""Whether a session is still there is told by the kernel's locks, not by heartbeats ageing
out: a killed session leaves the list at the next look, and read-only observers, who
cannot write a presence row, are listed as watching. Other sessions are real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_tui.data.models import Meeting
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock

# Joins (or watches, read-only) and says so, then waits to be killed.
NEIGHBOUR = """
import sys
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
path, meeting, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = Store(path, read_only=mode == "watch", user="neighbour", clock=fixed_clock)
if mode == "watch":
    store.presence.watch(meeting)
    print("watching", flush=True)
else:
    session = store.presence.join(meeting)
    print(session.id, flush=True)
sys.stdin.read()
"""


@pytest.fixture
def meeting(demo_path: Path) -> Iterator[Meeting]:
    with Store(demo_path, clock=fixed_clock) as store:
        found = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(found.id)
        yield store.get(Meeting, found.id)


def neighbour(path: Path, meeting: Meeting, mode: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", NEIGHBOUR, str(path), str(meeting.id), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def test_a_killed_session_leaves_the_list_at_the_next_look(
    demo_path: Path, meeting: Meeting
) -> None:
    process, said = neighbour(demo_path, meeting, "join")
    try:
        with Store(demo_path, clock=fixed_clock) as store:
            assert [s.id for s in store.presence.present(meeting.id)] == [int(said)]
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            # Its heartbeat is as fresh as ever (the clock has not moved): only the lock
            # went, with the process.
            assert store.presence.present(meeting.id) == []
    finally:
        process.kill()


def test_a_read_only_observer_is_listed_as_watching_until_it_goes(
    demo_path: Path, meeting: Meeting
) -> None:
    process, said = neighbour(demo_path, meeting, "watch")
    try:
        assert said == "watching"
        with Store(demo_path, clock=fixed_clock) as store:
            watching = store.presence.watching(meeting.id)
            assert [(o.pid, o.mine) for o in watching] == [(process.pid, False)]
            assert watching[0].user  # the login owning the process
            assert store.presence.watching(meeting.id + 1) == []  # another meeting's
            assert process.stdin is not None
            process.stdin.close()  # it ends as a read-only session quitting does
            process.wait()
            assert store.presence.watching(meeting.id) == []
    finally:
        process.kill()


def test_an_observer_in_this_process_moves_between_meetings(
    demo_path: Path, meeting: Meeting
) -> None:
    with Store(demo_path, read_only=True, user="olga", clock=fixed_clock) as observer:
        observer.presence.watch(meeting.id)
        assert [(o.user, o.mine) for o in observer.presence.watching(meeting.id)] == [
            ("olga", True)
        ]
        observer.presence.watch(None)  # back on the home screen
        assert observer.presence.watching(meeting.id) == []


PROBE = """
import sys
from pmo_tui.data.store import Store
with Store(sys.argv[1], read_only=True) as store:
    print([s.id for s in store.presence.present()])
"""


def test_another_connection_of_the_process_closing_keeps_the_session_alive(
    demo_path: Path,
) -> None:
    """POSIX drops a process's locks on a file when any of its descriptors of the file
    closes: the export worker's connection, opened and closed in a thread while the
    session lives, must not make the session look dead to the others."""
    import threading

    def seen_from_outside() -> str:
        told = subprocess.run(
            [sys.executable, "-c", PROBE, str(demo_path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[2],
        )
        return told.stdout.strip()

    with Store(demo_path, user="alice") as alice:  # the probe's clock is the real one
        session = alice.presence.join()
        assert seen_from_outside() == f"[{session.id}]"

        def export() -> None:
            with Store(demo_path, read_only=True) as worker:
                worker.meetings.meetings()

        worker = threading.Thread(target=export)
        worker.start()
        worker.join()
        with Store(demo_path, user="alice") as again:  # and a writer, in this thread
            again.presence.data_version()
        assert seen_from_outside() == f"[{session.id}]"
