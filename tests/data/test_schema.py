from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pmo_tui.data import schema
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import Person, StatusReport
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store


def test_a_new_file_is_migrated_to_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store(path, create=True) as store:
        assert store.created
        assert store.schema_version() == schema.SCHEMA_VERSION
        assert store.journal_mode() == "wal"
        assert set(store.row_counts()) == schema.OUR_TABLES
        pragmas = {
            name: store.db.conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("foreign_keys", "synchronous", "busy_timeout")
        }
    assert pragmas["foreign_keys"] == 1
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["busy_timeout"] >= 5000


def test_migrations_run_from_any_earlier_version(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    schema.migrate(conn, 0)
    conn.execute("COMMIT")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()
    with Store(path) as store:
        assert store.schema_version() == schema.SCHEMA_VERSION
        assert store.integrity_problems() == []


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="no longer exists"):
        store.db.add(
            StatusReport.model_validate(
                {
                    "project_id": 999,
                    "reported_on": "2026-11-26",
                    "overall": "red",
                    "schedule": "red",
                    "budget": "red",
                    "scope": "red",
                }
            )
        )


def test_the_data_package_does_not_import_textual() -> None:
    script = (
        "import sys\n"
        "import pmo_tui.data.store, pmo_tui.data.demo, pmo_tui.data.rules, pmo_tui.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_duplicate_name_is_refused_with_a_sentence(store: Store) -> None:
    store.db.add(Person(name="Ann"))
    with pytest.raises(InvalidInputError, match=r"people\.name is already taken"):
        store.db.add(Person(name="ann"))
    assert len(store.portfolio.people()) == 1
