"""Checks on the portfolio file done before SQLite touches it.

SQLite reports a bad file late and vaguely ("file is not a database" on the first query,
"unable to open database file" for a directory it cannot write), and opening a file in
WAL mode writes to it. Looking at the bytes and permissions first lets us say exactly
what is wrong and leave the file as it was.
"""

from __future__ import annotations

import fcntl
import getpass
import grp
import os
import pwd
import stat
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

from pmo_tui.data.errors import BadFileError, ReadOnlyError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's `PRAGMA application_id` of a pmo portfolio ("PMO1"); `file(1)` shows it.
APPLICATION_ID = int.from_bytes(b"PMO1", "big")

# The files this process has open through SQLite, by identity (device, inode), counted.
# POSIX drops every lock a process holds on a file when *any* descriptor of that file in
# the process is closed. SQLite guards its own descriptors, but reading the header with
# open() and close() while a connection is open would drop that connection's locks, and a
# neighbour closing the file (with an older SQLite) would then delete the live WAL: every
# later edit of this session lost. So a file already open here is never opened again
# outside SQLite; it was checked when it was first opened.
_OPEN: Counter[tuple[int, int]] = Counter()
_OPEN_LOCK = threading.RLock()


def identity(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` (device, inode), None when there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


@contextmanager
def opening(path: Path) -> Iterator[None]:
    """Around checking and connecting to ``path``: no other thread of this process checks
    the same file meanwhile (its open and close would drop the new connection's locks)."""
    with _OPEN_LOCK:
        yield


def open_here(path: Path) -> bool:
    """A connection of this process has ``path`` open."""
    found = identity(path)
    return found is not None and _OPEN[found] > 0


def opened(path: Path) -> tuple[int, int] | None:
    """Count a connection to ``path`` as open; returns what ``closed`` is given."""
    found = identity(path)
    if found is not None:
        with _OPEN_LOCK:
            _OPEN[found] += 1
    return found


def closed(found: tuple[int, int] | None) -> None:
    if found is not None:
        with _OPEN_LOCK:
            _OPEN[found] -= 1
            if _OPEN[found] <= 0:
                del _OPEN[found]


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def describe_mode(path: Path) -> str:
    """``owner alice, group pmo, mode -rw-rw----``: what a user needs to fix a permission."""
    info = path.stat()
    return (
        f"owner {_owner(info.st_uid)}, group {_group(info.st_gid)}, "
        f"mode {stat.filemode(info.st_mode)}"
    )


class Access(NamedTuple):
    label: str
    path: Path
    exists: bool
    detail: str
    writable: bool


def access_report(path: Path) -> list[Access]:
    """The file, its -wal and -shm, and the folder: who owns them and whether this user
    can write them (all four are needed to edit a WAL database)."""
    report = []
    for label, candidate in (
        ("file", path),
        ("wal", Path(f"{path}-wal")),
        ("shm", Path(f"{path}-shm")),
        ("folder", path.absolute().parent),
    ):
        if candidate.exists():
            mode = os.W_OK | (os.X_OK if candidate.is_dir() else 0)
            report.append(
                Access(label, candidate, True, describe_mode(candidate), os.access(candidate, mode))
            )
        else:
            report.append(Access(label, candidate, False, "not there (created when needed)", False))
    return report


def share_with_group(path: Path) -> None:
    """A new portfolio is private (0600) unless it is made in a team folder: a setgid,
    group-writable folder (the README's shared-server set-up), where it is for the whole
    group (0660, the folder's group). The -wal and -shm SQLite creates take the file's
    mode. Not the umask's 0644: a portfolio names people and money, and a folder such as
    /tmp is writable by everyone without being anyone's team folder."""
    folder = path.absolute().parent
    mode = new_file_mode(folder)
    if mode == 0o660:
        with suppress(OSError):
            if path.stat().st_gid != folder.stat().st_gid:
                os.chown(path, -1, folder.stat().st_gid)  # setgid folders do this themselves
    with suppress(OSError):
        path.chmod(mode)


def check_existing(path: Path) -> None:
    """Raise BadFileError unless ``path`` looks like a whole SQLite database file."""
    kind = file_kind(path)
    if kind == "folder":
        raise BadFileError(f"{path} is a folder, not a portfolio file.")
    if kind != "file":
        # A FIFO would block the first read for ever; a device is endless.
        raise BadFileError(f"{path} is not a regular file (it is a {kind}).")
    with _OPEN_LOCK:
        if open_here(path):
            return  # checked when first opened; opening it again would drop its locks
        _check_header(path)


def file_kind(path: Path) -> str:
    """What ``path`` is ("file", "folder", "FIFO", "device", "socket"), following links;
    BadFileError when it cannot be reached (a folder on the way the user cannot enter)."""
    found = _stat(path)
    if found is None:
        raise BadFileError(f"{path} cannot be read: it does not exist.")
    mode = found.st_mode
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def reachable(path: Path) -> bool:
    """Whether ``path`` exists; BadFileError when a folder on the way is closed to us."""
    return _stat(path) is not None


def _stat(path: Path) -> os.stat_result | None:
    """The file's status (None: it does not exist), or one sentence why it cannot be had."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise BadFileError(
            f"{path} cannot be reached by {current_user()}: {_closed_folder(path)} is not "
            "open to them."
        ) from None
    except OSError as error:
        raise BadFileError(f"{path} cannot be read: {error.strerror}.") from None


def check_export_target(target: Path, portfolio: Path | None = None) -> None:
    """Raise (one sentence) unless ``target`` may be written by an export: a new file, or
    an existing plain file that is not a database. Never the portfolio or its -wal/-shm,
    never a link (a group member could plant one), never a device or FIFO (it would be
    renamed over, not written to)."""
    if target.is_symlink():
        raise StoreError(f"{target} is a link: name the file itself.")
    if not reachable(target):
        if not reachable(target.parent):
            raise StoreError(f"Cannot write {target}: the folder {target.parent} does not exist.")
        return
    kind = file_kind(target)
    if kind == "folder":
        raise StoreError(f"{target} is a folder: name the file to write.")
    if kind != "file":
        raise StoreError(f"{target} is not a regular file (it is a {kind}).")
    if portfolio is not None and reachable(portfolio):
        for ours in (portfolio, *side_files(portfolio)):
            if ours.exists() and os.path.samefile(target, ours):
                raise StoreError(
                    f"{target} is the portfolio (or its {ours.name}): an export never replaces it."
                )
    if open_here(target) or _starts_like_sqlite(target):
        raise StoreError(
            f"{target} is an SQLite database: an export never replaces one; name another file."
        )


def is_pmo_file(path: Path) -> bool:
    """Whether the file's header says it is a pmo portfolio (SQLite, marked "PMO1"). Not
    for a file this process has open (a read drops its locks: see ``_OPEN``)."""
    if open_here(path):
        return True
    try:
        with path.open("rb") as handle:
            header = handle.read(72)
    except OSError:
        return False
    return header[:16] == SQLITE_HEADER and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def new_file_mode(folder: Path) -> int:
    """The mode of a file pmo makes (a portfolio, a backup, an export): private (0600)
    unless the folder is a team folder, setgid and group-writable (0660)."""
    try:
        info = folder.stat()
    except OSError:
        return 0o600
    team = bool(info.st_mode & stat.S_ISGID) and bool(info.st_mode & stat.S_IWGRP)
    return 0o660 if team else 0o600


def remove_new_file(path: Path) -> None:
    """Remove a portfolio this process has just created and could not finish, with its
    -wal and -shm (nothing in them: nothing was committed)."""
    for candidate in (path, *side_files(path)):
        with suppress(OSError):
            candidate.unlink()


def side_files(path: Path) -> list[Path]:
    """The -wal and -shm files SQLite keeps beside a WAL database."""
    return [path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def header_says_wal(path: Path) -> bool:
    """The file format bytes of the header (18 and 19) are 2 in a WAL database."""
    with path.open("rb") as handle:
        header = handle.read(20)
    return header[18:20] == b"\x02\x02"


def needs_snapshot(path: Path) -> bool:
    """Whether reading ``path`` must do without its -shm: neither side file exists and
    this user cannot create them in its folder."""
    return not any(side.exists() for side in side_files(path)) and not os.access(
        path.absolute().parent, os.W_OK
    )


def tidy_side_files(path: Path, made: list[Path]) -> None:
    """After a read-only session: remove the -wal and -shm files it made, as the last
    connection to close does (a read-only connection cannot), unless another process
    has the file open (it holds the -shm's dead-man lock) or the -wal holds anything."""
    if open_here(path):
        return
    wal, shm = side_files(path)
    with suppress(OSError):
        if wal in made and wal.exists() and wal.stat().st_size > 0:
            return
        if shm.exists() and _shm_in_use(shm):
            return
        for side in made:
            side.unlink(missing_ok=True)


def open_elsewhere(path: Path) -> bool:
    """Whether another process has ``path`` open through SQLite (it holds the -shm's
    dead-man lock). Call it with no connection of this process open on it."""
    _, shm = side_files(path)
    try:
        return shm.exists() and _shm_in_use(shm)
    except OSError:
        return True  # cannot tell: say open, and change nothing


# Every connection to a WAL database holds a shared lock on this byte of the -shm file
# for as long as it is open (SQLite's unix VFS: UNIX_SHM_DMS, 120 + 8 lock bytes).
_SHM_DEAD_MAN = 128


def _shm_in_use(shm: Path) -> bool:
    """Whether another process holds the -shm's dead-man lock (never this process's own:
    call it with no connection of ours open, since closing a descriptor drops locks)."""
    layout = "hhqqi"  # struct flock: l_type, l_whence, l_start, l_len, l_pid
    fd = os.open(shm, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        asked = struct.pack(layout, fcntl.F_WRLCK, 0, _SHM_DEAD_MAN, 1, 0) + bytes(8)
        told = fcntl.fcntl(fd, fcntl.F_GETLK, asked)
    finally:
        os.close(fd)
    return int(struct.unpack(layout, told[: struct.calcsize(layout)])[0]) != fcntl.F_UNLCK


def _closed_folder(path: Path) -> Path:
    """The first folder on the way to ``path`` that the user cannot enter."""
    for folder in reversed(path.absolute().parents):
        if not os.access(folder, os.X_OK):
            return folder
    return path.absolute().parent


def _check_header(path: Path) -> None:
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
            f"{path} is empty (0 bytes), not a portfolio yet; `pmo init {path}` makes it one."
        )
    if not header.startswith(SQLITE_HEADER):
        raise BadFileError(f"{path} is not a portfolio: it is not an SQLite database file.")
    if len(header) < 100:
        raise BadFileError(f"{path} is truncated: {size} bytes, shorter than an SQLite header.")
    application = int.from_bytes(header[68:72], "big")
    if application not in (0, APPLICATION_ID):
        raise BadFileError(
            f"{path} is not a pmo portfolio: it is marked as another application's database "
            f"(application id {application:#010x}); it was not changed."
        )
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
            "open it with --read-only to view it, or ask its owner for write access "
            "(for a team: the group needs rw, e.g. chmod g+rw)."
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
