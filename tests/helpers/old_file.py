"""A portfolio file as an older pmo left it: the first migrations only, plus some rows."""

from __future__ import annotations

from pathlib import Path

from pmo_tui.data import schema
from pmo_tui.data.sqlite import sqlite3


def file_at_version(path: Path, version: int, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for step in schema.MIGRATIONS[:version]:
        step(conn)
    for statement in statements:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path
