"""Who is alive on a portfolio file right now, told by the kernel, not by heartbeats.

Each live session holds a shared byte-range lock on one byte of the portfolio file, far
past the bytes SQLite locks (its lock bytes sit at 1 GiB; ours start at 2^40, where no
file of ours reaches). The kernel drops a process's locks the moment it ends, however it
ends (SIGKILL, a crash, a dropped connection), so another session on the same machine
learns within one probe (``fcntl(F_GETLK)``, a microsecond) that it is gone: no need to
wait for its heartbeats to age out. Read-only observers, who cannot write a presence row,
hold a lock too, on a byte that names the meeting they watch and their process; that is
how the others list them as watching.

The locks are taken on one descriptor per file per process, opened with the first
connection and closed after the last: POSIX drops every lock a process holds on a file
when *any* of its descriptors of that file closes (files.py), so this descriptor is never
closed while a connection of this process is open."""

from __future__ import annotations

import fcntl
import os
import pwd
import struct
import threading
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

# A session's byte: SESSIONS + its presence row's id.
SESSIONS = 1 << 40
# An observer's byte: OBSERVERS + meeting id * SPAN + its process id (0: no meeting).
OBSERVERS = 1 << 41
SPAN = 1 << 22  # Linux process ids stay below 2^22

_FLOCK = "hhqqi"  # struct flock: l_type, l_whence, l_start, l_len, l_pid (then padding)
_SIZE = struct.calcsize(_FLOCK)

Identity = tuple[int, int]

_LOCK = threading.RLock()
_FDS: dict[Identity, int] = {}
_USERS: Counter[Identity] = Counter()
# Bytes this process holds, by file, with the user each is for: a probe never sees the
# caller's own locks, so this process answers for its own.
_HELD: dict[Identity, dict[int, str]] = {}


class Observer(NamedTuple):
    user: str
    pid: int
    mine: bool  # held by this process


def attach(path: Path, identity: Identity | None) -> None:
    """A connection to ``path`` opened: keep the file's lock descriptor open."""
    if identity is None:
        return
    with _LOCK:
        if identity not in _FDS:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                return  # presence falls back on heartbeats alone
            if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != identity:
                os.close(fd)  # replaced meanwhile: never lock another file
                return
            _FDS[identity] = fd
        _USERS[identity] += 1


def detach(identity: Identity | None) -> None:
    """A connection closed: the last one of this process closes the lock descriptor
    (SQLite has closed its own by then, so no lock of SQLite's is dropped)."""
    if identity is None:
        return
    with _LOCK:
        if identity not in _FDS:
            return
        _USERS[identity] -= 1
        if _USERS[identity] <= 0:
            del _USERS[identity]
            _HELD.pop(identity, None)
            os.close(_FDS.pop(identity))


def hold(identity: Identity | None, offset: int, user: str) -> bool:
    """Take the shared lock on byte ``offset``; False when it cannot be had."""
    with _LOCK:
        fd = _FDS.get(identity) if identity is not None else None
        if fd is None or identity is None:
            return False
        try:
            fcntl.fcntl(fd, fcntl.F_SETLK, _flock(fcntl.F_RDLCK, offset, 1))
        except OSError:
            return False
        _HELD.setdefault(identity, {})[offset] = user
        return True


def release(identity: Identity | None, offset: int) -> None:
    with _LOCK:
        fd = _FDS.get(identity) if identity is not None else None
        if fd is None or identity is None:
            return
        held = _HELD.get(identity, {})
        if held.pop(offset, None) is None:
            return
        with suppress(OSError):
            fcntl.fcntl(fd, fcntl.F_SETLK, _flock(fcntl.F_UNLCK, offset, 1))


def alive(identity: Identity | None, offset: int) -> bool | None:
    """Whether some process holds byte ``offset``: None when this process cannot tell
    (no descriptor), so the caller keeps to heartbeats."""
    with _LOCK:
        fd = _FDS.get(identity) if identity is not None else None
        if fd is None or identity is None:
            return None
        if offset in _HELD.get(identity, {}):
            return True
        try:
            told = fcntl.fcntl(fd, fcntl.F_GETLK, _flock(fcntl.F_WRLCK, offset, 1))
        except OSError:
            return None
    return _unpack(told)[0] != fcntl.F_UNLCK


def observers(identity: Identity | None, meeting_id: int | None) -> list[Observer]:
    """Who holds an observer's byte for ``meeting_id`` (None: the file, no meeting)."""
    start = OBSERVERS + (meeting_id or 0) * SPAN
    found: dict[int, str] = {}
    mine: set[int] = set()
    with _LOCK:
        fd = _FDS.get(identity) if identity is not None else None
        if fd is None or identity is None:
            return []
        for offset, user in _HELD.get(identity, {}).items():
            if start <= offset < start + SPAN:
                found[offset - start] = user
                mine.add(offset - start)
        # F_GETLK answers one conflicting lock of the range: split around each one found.
        ranges = [(start, SPAN)]
        while ranges and len(found) < 1000:
            begin, length = ranges.pop()
            try:
                told = fcntl.fcntl(fd, fcntl.F_GETLK, _flock(fcntl.F_WRLCK, begin, length))
            except OSError:
                break
            kind, at, pid = _unpack(told)
            if kind == fcntl.F_UNLCK:
                continue
            found.setdefault(at - start, _user_of(pid))
            if at > begin:
                ranges.append((begin, at - begin))
            if at + 1 < begin + length:
                ranges.append((at + 1, begin + length - at - 1))
    return [Observer(user, pid, pid in mine) for pid, user in sorted(found.items())]


def _user_of(pid: int) -> str:
    """The login owning process ``pid`` (same machine: locks are local)."""
    try:
        return pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name
    except (OSError, KeyError):
        return "someone"


def _flock(kind: int, offset: int, length: int) -> bytes:
    return struct.pack(_FLOCK, kind, os.SEEK_SET, offset, length, 0) + bytes(8)


def _unpack(told: bytes) -> tuple[int, int, int]:
    kind, _, start, _, pid = struct.unpack(_FLOCK, told[:_SIZE])
    return int(kind), int(start), int(pid)
