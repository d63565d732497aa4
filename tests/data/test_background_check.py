"""A large file's quick check runs on a thread while the app starts: its verdict is the
same as the check made at once, the first write waits for it, a damaged file is refused
with nothing written, and leaving before it ends stops it and leaves no side files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pmo_tui.data import store as store_module
from pmo_tui.data.errors import BadFileError
from pmo_tui.data.models import Person
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with a pattern, as a bad disk might."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("select rootpage from sqlite_master where name = ?", (table,))
    root = int(page.fetchone()[0])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    start, end = (root - 1) * page_size, root * page_size
    data[start:end] = (bytes(range(256)) * (page_size // 256 + 1))[: end - start]
    path.write_bytes(bytes(data))


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as large: checked on a thread."""
    monkeypatch.setattr(store_module, "CHECK_NOW_BYTES", -1)


def test_a_sound_file_checked_on_a_thread_is_written_to(demo_path: Path, large: None) -> None:
    with Store(demo_path, user="tester", clock=fixed_clock) as store:
        store.check_at_start()
        assert store.db._checker is not None  # on its thread
        person = store.portfolio.people()[0]
        store.db.update(Person, person.id, person.version, name="Written after the check")
        assert store.db._checker is None and store.verdict() is None
    with Store(demo_path, read_only=True) as again:
        assert again.portfolio.names()[person.id] == "Written after the check"


def test_a_damaged_file_checked_on_a_thread_is_refused_and_unchanged(
    demo_path: Path, large: None
) -> None:
    damage_table(demo_path, "decisions")
    before = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    with Store(demo_path, user="tester", clock=fixed_clock) as store:
        store.check_at_start()
        store.wait_for_check()
        problem = store.verdict()
        assert problem is not None and "is damaged" in problem and "pmo check" in problem
        person = store.portfolio.people()[0]
        with pytest.raises(BadFileError, match="nothing was written"):
            store.db.update(Person, person.id, person.version, name="Never written")
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == before


def test_a_small_file_is_checked_before_the_app_starts(demo_path: Path) -> None:
    damage_table(demo_path, "decisions")
    with Store(demo_path, user="tester", clock=fixed_clock) as store:
        with pytest.raises(BadFileError, match="is damaged"):
            store.check_at_start()
        assert store.db._checker is None


def test_leaving_while_the_check_runs_stops_it_and_leaves_no_side_files(
    demo_path: Path, large: None
) -> None:
    for _ in range(5):  # closed at once, each time at another point of the check
        store = Store(demo_path, user="tester", clock=fixed_clock)
        store.check_at_start()
        store.close()
        assert store.db._checker is None
    assert not demo_path.with_name(demo_path.name + "-wal").exists()
    assert not demo_path.with_name(demo_path.name + "-shm").exists()
