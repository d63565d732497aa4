"""Checks on the portfolio file done before SQLite touches it.

SQLite reports a bad file late and vaguely ("file is not a database" on the first query,
"unable to open database file" for a directory it cannot write), and opening a file in
WAL mode writes to it. Looking at the bytes and permissions first lets us say exactly
what is wrong and leave the file as it was.
"""

from __future__ import annotations

import getpass
import os
import stat
from pathlib import Path

from pmo_tui.data.errors import BadFileError, ReadOnlyError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def describe_mode(path: Path) -> str:
    info = path.stat()
    return f"mode {stat.filemode(info.st_mode)}"


def check_existing(path: Path) -> None:
    """Raise BadFileError unless ``path`` looks like a whole SQLite database file."""
    if path.is_dir():
        raise BadFileError(f"{path} is a folder, not a portfolio file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise BadFileError(
            f"{path} cannot be read by {current_user()} ({describe_mode(path)})."
        ) from None
    size = path.stat().st_size
    if size == 0:
        raise BadFileError(
            f"{path} is empty (0 bytes), not a portfolio; create one with `pmo init {path}`."
        )
    if not header.startswith(SQLITE_HEADER):
        raise BadFileError(f"{path} is not a portfolio: it is not an SQLite database file.")
    if len(header) < 100:
        raise BadFileError(f"{path} is truncated: {size} bytes, shorter than an SQLite header.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages_in_header = int.from_bytes(header[28:32], "big")
    if page_size < 512 or size % page_size:
        raise BadFileError(
            f"{path} is truncated or damaged: {size} bytes is not a whole number of "
            f"{page_size}-byte pages."
        )
    # The header's page count is only trusted when its change counter matches (offset 92).
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if (
        valid_for == change_counter
        and pages_in_header
        and size < pages_in_header * page_size
        and not has_wal
    ):
        raise BadFileError(
            f"{path} is truncated: {size} bytes, but its header says "
            f"{pages_in_header * page_size} bytes."
        )


def check_writable(path: Path) -> None:
    """Raise when this user cannot write the file, or create its -wal/-shm beside it."""
    user = current_user()
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyError(
            f"{path} is read-only for {user} ({describe_mode(path)}); "
            "open it with --read-only to view it, or ask its owner for write access."
        )
    folder = path.parent
    if not folder.exists():
        raise BadFileError(f"The folder {folder} does not exist.")
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if side.exists():
            if not os.access(side, os.W_OK):
                raise ReadOnlyError(
                    f"{side} is not writable by {user} ({describe_mode(side)}); "
                    "every user of the portfolio needs write access to it."
                )
        elif not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(
                f"Cannot create {side.name}: the folder {folder} is not writable by {user} "
                f"({describe_mode(folder)}); SQLite keeps its write-ahead log beside the file."
            )
