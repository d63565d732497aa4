"""Bad files get one clear sentence and are left exactly as they were."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.data import sqlite as sqlite_module
from pmo_tui.data.errors import (
    BadFileError,
    InvalidInputError,
    NewerSchemaError,
    NotFoundError,
    OldSqliteError,
    ReadOnlyError,
    StoreError,
)
from pmo_tui.data.models import Person, Project
from pmo_tui.data.schema import SCHEMA_VERSION
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.helpers.unprivileged import run_unprivileged


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Project,Owner\nPortal,Ann\n")
    before = digest(path)
    with pytest.raises(BadFileError, match="not an SQLite database"):
        Store(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_an_empty_file_is_refused_when_not_creating(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(BadFileError, match=r"is empty \(0 bytes\)"):
        Store(path)
    assert path.stat().st_size == 0


def test_a_truncated_file_is_refused_untouched(demo_path: Path) -> None:
    data = demo_path.read_bytes()
    demo_path.write_bytes(data[: len(data) // 2 + 100])
    before = digest(demo_path)
    with pytest.raises(BadFileError, match="truncated"):
        Store(demo_path)
    assert digest(demo_path) == before


def test_a_header_only_file_is_refused(demo_path: Path) -> None:
    demo_path.write_bytes(demo_path.read_bytes()[:60])
    with pytest.raises(BadFileError, match="truncated"):
        Store(demo_path)


def test_a_folder_and_a_missing_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(BadFileError, match="is a folder"):
        Store(tmp_path)
    with pytest.raises(BadFileError, match="does not exist"):
        Store(tmp_path / "missing.db")
    with pytest.raises(BadFileError, match=r"folder .* does not exist"):
        Store(tmp_path / "no" / "such.db", create=True)
    assert not (tmp_path / "missing.db").exists()


def test_a_newer_schema_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = digest(path)
    with pytest.raises(NewerSchemaError) as caught:
        Store(path)
    assert f"schema version {SCHEMA_VERSION + 5}" in str(caught.value)
    assert f"up to {SCHEMA_VERSION}" in str(caught.value)
    assert digest(path) == before


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table customers (id integer primary key, name text)")
    conn.execute("insert into customers (name) values ('Acme')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(BadFileError, match=r"not a pmo portfolio .*customers"):
        Store(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_read_only_mode_opens_for_viewing_and_refuses_writes(demo_path: Path) -> None:
    before = digest(demo_path)
    with Store(demo_path, read_only=True) as store:
        assert len(store.portfolio.portfolio()) == 24
        with pytest.raises(ReadOnlyError, match="read-only"):
            store.db.add(Person(name="Intruder"))
    assert digest(demo_path) == before


def test_an_old_sqlite_is_refused_for_writing(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_module, "MIN_SQLITE_VERSION", (99, 0, 0))
    with pytest.raises(OldSqliteError, match=r"3\.51\.3"):
        Store(demo_path)
    with Store(demo_path, read_only=True) as store:
        assert store.portfolio.portfolio()


def test_the_bundled_sqlite_is_current() -> None:
    assert sqlite_module.is_safe_version(sqlite_module.library_version())
    assert sqlite_module.module_name().startswith("pysqlite3")


OPEN_SCRIPT = """
import sys
from pmo_tui.data.errors import StoreError
from pmo_tui.data.store import Store
try:
    Store(sys.argv[1], read_only=sys.argv[2] == "ro").close()
    print("opened")
except StoreError as error:
    print(error)
"""


def _open_without_privileges(path: Path, mode: str) -> str:
    return run_unprivileged(OPEN_SCRIPT, str(path), mode)


def test_a_file_the_user_cannot_write_says_so_and_offers_read_only(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    path.write_bytes(demo_template.read_bytes())
    path.chmod(0o444)
    before = digest(path)
    message = _open_without_privileges(path, "rw")
    assert "read-only for" in message and "--read-only" in message
    assert "r--r--r--" in message
    assert _open_without_privileges(path, "ro") == "opened"
    assert digest(path) == before


def test_a_folder_where_the_wal_cannot_be_created_is_named(
    tmp_path: Path, demo_template: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "team.db"
    path.write_bytes(demo_template.read_bytes())
    folder.chmod(0o555)
    try:
        message = _open_without_privileges(path, "rw")
    finally:
        folder.chmod(0o755)
    assert "Cannot create team.db-wal" in message
    assert str(folder) in message and "not writable" in message


def test_store_errors_are_one_sentence_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"\x00" * 10)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert "\n" not in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_portfolio_made_in_a_group_folder_is_writable_by_the_group(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    folder.chmod(0o2770)  # setgid, group-writable: the shared-server set-up in the README
    with Store(folder / "team.db", create=True) as store:
        store.db.add(Person(name="Ann"))  # the -wal and -shm exist while it is open
        for name in ("team.db", "team.db-wal", "team.db-shm"):
            info = (folder / name).stat()
            assert info.st_mode & 0o060 == 0o060, name
            assert info.st_gid == folder.stat().st_gid, name


def test_a_portfolio_made_in_a_private_folder_stays_private(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    folder.chmod(0o700)
    Store(folder / "me.db", create=True).close()
    assert not (folder / "me.db").stat().st_mode & 0o020


def test_values_a_file_cannot_hold_are_refused_and_read_back_in_one_sentence(
    store: Store,
) -> None:
    """A year-9999 end date overflowed the moment a change request moved it; a
    400-digit budget was stored as infinity; a huge rank failed deep in SQLite."""
    project = store.db.add(Project(name="Portal"))
    for field, value in (
        ("end_on", date(9999, 12, 31)),
        ("budget", float("9" * 400)),
        ("rank", 99999999999999999999999),
    ):
        with pytest.raises(InvalidInputError, match=field.replace("_", " ")):
            store.db.update(Project, project.id, project.version, **{field: value})
    assert store.get(Project, project.id) == project
    # Written from outside pmo, such a value is named when read, not a traceback.
    store.db.conn.execute("update projects set end_on = '9999-12-31' where id = ?", (project.id,))
    with pytest.raises(BadFileError, match=f"{project.code} holds a value pmo cannot read"):
        store.get(Project, project.id)
    with pytest.raises(NotFoundError):
        store.find("P-99999999999999999999999")


@pytest.mark.parametrize("mode", [0o755, 0o775, 0o1777])
def test_a_new_portfolio_is_private_outside_a_team_folder(tmp_path: Path, mode: int) -> None:
    """Not the umask's 0644 (world-readable), and not group-writable in /tmp-like folders:
    only a setgid group folder makes a portfolio the group's."""
    folder = tmp_path / "somewhere"
    folder.mkdir()
    folder.chmod(mode)
    with Store(folder / "p.db", create=True) as store:
        store.db.add(Person(name="Ann"))
        for name in ("p.db", "p.db-wal", "p.db-shm"):
            assert (folder / name).stat().st_mode & 0o777 == 0o600, name
