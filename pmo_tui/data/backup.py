"""Backups of a portfolio and putting one back.

A backup is made with SQLite's online backup API from an open connection: a consistent
copy of the file at one moment while other sessions go on writing (copying the file would
catch a half-written WAL). The copy is checked (SQLite's integrity check and the audit
chain) before it gets its final name, so a backup in the folder is one that opens.
Restoring refuses while anyone has the portfolio open, and keeps the file it replaces."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from pmo_tui.data import files
from pmo_tui.data.errors import BadFileError, InvalidInputError, StoreError
from pmo_tui.data.sqlite import DatabaseError, sqlite3
from pmo_tui.data.store import Store

# portfolio-20261130-023300.db: the portfolio's name and when the backup was taken.
STAMP = "%Y%m%d-%H%M%S"


def _pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}})(?:-\d+)?\.db$")


@dataclass
class BackupMade:
    path: Path
    events: int
    removed: list[Path]


def make_backup(store: Store, folder: Path, keep: int = 0) -> BackupMade:
    """Copy the open portfolio into ``folder`` as ``NAME-STAMP.db``, check the copy, then
    (with ``keep``) remove all but the newest ``keep`` backups of this portfolio there."""
    if keep < 0:
        raise InvalidInputError("--keep counts backups: 1 or more (0 keeps them all).")
    kind = files.file_kind(folder) if files.reachable(folder) else ""
    if kind != "folder":
        raise InvalidInputError(
            f"{folder} is not a folder: name the folder the backups go in."
            if kind
            else f"The folder {folder} does not exist."
        )
    stem = store.path.stem
    stamp = store.clock().astimezone().strftime(STAMP)
    target = folder / f"{stem}-{stamp}.db"
    number = 1
    while target.exists():  # two backups in one second
        number += 1
        target = folder / f"{stem}-{stamp}-{number}.db"
    try:
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}-", suffix=".db.tmp")
    except OSError as error:
        raise StoreError(f"Cannot write in {folder}: {error.strerror}.") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        copy = sqlite3.connect(temporary)
        try:
            # One step (pages=-1): the copy is the file at one moment, while others write.
            store.db.conn.backup(copy)
        finally:
            copy.close()
        events = check_copy(temporary, store.path)
        os.chmod(temporary, files.new_file_mode(folder))  # the team's, in a team folder
        os.replace(temporary, target)
    except BadFileError as error:
        raise StoreError(f"No backup was made: {error}") from None
    except (DatabaseError, OSError) as error:
        raise StoreError(f"No backup was made: {error}.") from None
    finally:
        with suppress(OSError):
            temporary.unlink()
        for side in files.side_files(temporary):
            with suppress(OSError):
                side.unlink()
    removed = prune(folder, stem, keep) if keep else []
    return BackupMade(target, events, removed)


def check_copy(path: Path, name: Path | None = None) -> int:
    """A copy that opens as a sound pmo portfolio with an intact audit chain; returns its
    number of events. BadFileError (one sentence, naming ``name`` or the copy) otherwise."""
    said = name or path
    try:
        with Store(path, read_only=True) as copy:
            problems = copy.integrity_problems()
            chain = None if problems else copy.audit.verify_chain()
    except StoreError as error:
        # The store's sentence names the file and says it was not changed: keep its why.
        why = str(error).replace(str(path), "it").rstrip(".")
        raise BadFileError(f"{said} is not a sound pmo portfolio ({why}).") from None
    if chain is None:
        raise BadFileError(f"{said} is damaged ({problems[0]}).")
    if chain.broken is not None:
        raise BadFileError(f"{said} has a broken audit chain (at E-{chain.broken}).")
    return chain.events


def prune(folder: Path, stem: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups of portfolio ``stem`` in ``folder``
    (only files named as ``make_backup`` names them); returns what was removed."""
    pattern = _pattern(stem)
    found = sorted(
        (match.group(1), path)
        for path in folder.iterdir()
        if (match := pattern.match(path.name))
        and path.is_file()
        and not path.is_symlink()
        and files.is_pmo_file(path)  # only what a backup made: not a file named like one
    )
    doomed = [path for _, path in found[: max(0, len(found) - keep)]]
    for path in doomed:
        path.unlink()
    return doomed


@dataclass
class Restored:
    kept: Path | None  # where the file it replaced went (None: there was none)
    events: int


def restore_backup(backup: Path, target: Path) -> Restored:
    """Put ``backup`` back as ``target``: checked first, refused while anyone has the
    target open, the replaced file kept beside it as ``NAME.replaced-STAMP``."""
    kind = files.file_kind(backup) if files.reachable(backup) else ""
    if kind != "file":
        raise InvalidInputError(
            f"{backup} is not a file." if kind else f"The backup {backup} does not exist."
        )
    if target.is_symlink():
        raise InvalidInputError(
            f"{target} is a link: name the portfolio file itself; nothing was changed."
        )
    if files.reachable(target):
        if (found := files.file_kind(target)) != "file":
            raise InvalidInputError(
                f"{target} is not a regular file (it is a {found}); nothing was changed."
            )
        if os.path.samefile(backup, target):
            raise InvalidInputError(
                f"{backup} is the portfolio itself: name a backup; nothing was changed."
            )
    events = check_copy(backup)
    kept: Path | None = None
    mode, group = 0o600, -1
    if files.reachable(target):
        _refuse_if_open(target)
        # What a session that died left in the -wal goes into the file kept: opened and
        # closed as the last connection, SQLite folds it in. A damaged file cannot be
        # opened; it is kept as it is, its -wal beside it.
        with suppress(StoreError):
            Store(target).close()
        _refuse_if_open(target)
        kept = target.with_name(f"{target.name}.replaced-{datetime.now().strftime(STAMP)}")
        info = target.stat()
        mode, group = info.st_mode & 0o777, info.st_gid
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        source = sqlite3.connect(f"file:{quote(str(backup.absolute()))}?mode=ro", uri=True)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        os.chmod(temporary, mode)
        with suppress(OSError):
            os.chown(temporary, -1, group)
        if kept is not None:
            # A second name for the old file first: the target is never missing (a session
            # starting then would make a new, empty portfolio).
            os.link(target, kept)
            wal, _ = files.side_files(target)
            if wal.exists():
                os.replace(wal, kept.with_name(kept.name + "-wal"))
        os.replace(temporary, target)
    except (DatabaseError, OSError) as error:
        raise StoreError(f"Nothing was restored: {error}.") from None
    finally:
        with suppress(OSError):
            temporary.unlink()
    return Restored(kept, events)


def _refuse_if_open(target: Path) -> None:
    present = []
    with suppress(StoreError), Store(target, read_only=True) as store:
        present = store.presence.present()  # (a damaged file has no one to ask)
    if present:
        who = ", ".join(sorted({session.user for session in present}))
        raise InvalidInputError(
            f"{target} is open in {len(present)} session(s) ({who}): restore it when "
            "everyone has left; nothing was changed."
        )
    if files.open_elsewhere(target):
        raise InvalidInputError(
            f"{target} is open in another process: restore it when it is closed; nothing "
            "was changed."
        )
