"""Several processes on one file is the normal case: no lost update, no "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.importing import ImportKind
from pmo_tui.data.models import Objective, Person
from pmo_tui.data.store import Store

WORKER = Path(__file__).parent.parent / "helpers" / "rmw_worker.py"


def test_two_processes_doing_1000_read_modify_writes_each_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Store(path, create=True) as store:
        counter = store.db.add(Objective(name="counter", weight=0))
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(path), str(counter.id), "1000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    reports = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], reports
    assert all("errors 0" in report for report in reports), reports
    with Store(path) as store:
        final = store.get(Objective, counter.id)
        assert final.weight == 2000
        assert final.version == 2001
        updates = [event for event in store.events(final, limit=5000) if event.field == "weight"]
        assert len(updates) == 2000
        assert store.integrity_problems() == []


def test_two_processes_creating_a_new_file_at_once_both_open_it(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    script = (
        "import sys; from pmo_tui.data.store import Store; "
        "s = Store(sys.argv[1], create=True); print(s.schema_version()); s.close()"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    with Store(path) as store:
        assert store.integrity_problems() == []
        assert store.row_counts()["projects"] == 0


# Asked from another process: does some process hold a lock on the database file's
# shared-lock range (SQLite's SHARED_FIRST, 510 bytes)? A WAL session holds one for as long
# as it is open; a neighbour's close deletes the WAL only when nobody does.
LOCK_PROBE = """
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
layout = "hhqqi"  # struct flock: l_type, l_whence, l_start, l_len, l_pid
asked = struct.pack(layout, fcntl.F_WRLCK, 0, 0x40000002, 510, 0) + bytes(8)
told = fcntl.fcntl(fd, fcntl.F_GETLK, asked)
kind = struct.unpack(layout, told[: struct.calcsize(layout)])[0]
print("free" if kind == fcntl.F_UNLCK else "held")
"""

# A neighbour with the system's SQLite (Debian 12: 3.40.1, what `sqlite3` and a script
# using the standard library get) that reads and closes.
NEIGHBOUR = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "print(c.execute('select count(*) from people').fetchone()[0]); c.close()"
)


def run_beside(code: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def test_a_second_store_in_the_same_process_keeps_the_first_ones_lock_and_writes(
    tmp_path: Path,
) -> None:
    """The app opens a second Store in a worker (exporting the minutes, importing). POSIX
    drops every lock a process holds on a file when any of its descriptors of that file
    is closed: a header check that opened and closed the file let a neighbour's close
    delete the live session's WAL, and every later edit of that session was lost."""
    path = tmp_path / "p.db"
    with Store(path, create=True) as session:
        session.db.add(Person(name="Before"))
        assert run_beside(LOCK_PROBE, path) == "held"
        Store(path, read_only=True).close()  # the export worker's own connection
        Store(path).close()  # the import worker's
        assert run_beside(LOCK_PROBE, path) == "held"
        assert run_beside(NEIGHBOUR, path) == "1"
        assert (tmp_path / "p.db-wal").exists()
        session.db.add(Person(name="After"))
        assert run_beside(NEIGHBOUR, path) == "2"
    assert run_beside(NEIGHBOUR, path) == "2"


def test_importing_the_portfolio_file_itself_is_refused_and_keeps_the_lock(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.csv"  # named like a register: nothing but its content tells
    with Store(path, create=True) as session:
        with pytest.raises(InvalidInputError, match="the portfolio file itself"):
            session.importer.plan_import(ImportKind.PEOPLE, path)
        assert run_beside(LOCK_PROBE, path) == "held"
