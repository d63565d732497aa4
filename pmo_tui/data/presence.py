"""Presence: which sessions have the file open, where they are, and who drives a meeting.

Session rows are not content: they are written without audit events, and the app tells
content changes from heartbeats by the newest event id (``content_mark``), so a room of
idle sessions does not make every screen refresh on every heartbeat.

Whether a session is still there is told by the kernel (liveness.py): each holds a lock
that goes when its process goes, so a killed session leaves the list at the next look,
not when its heartbeats age out. Heartbeats remain for what a lock cannot tell: a session
on another machine, a process stopped but not ended. Read-only sessions cannot write a
row: they hold an observer's lock, and are listed as watching."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from pmo_tui.data.core import Db
from pmo_tui.data.liveness import OBSERVERS, SESSIONS, SPAN, Observer
from pmo_tui.data.models import Meeting, Session
from pmo_tui.data.sqlite import fields

# Whereabouts are written when they change (a step, the driver's cursor, looking away);
# the heartbeat only says "still here" for what the kernel's locks cannot tell: a session
# on another machine. Every beat wakes every other session's poll, so it is rare.
HEARTBEAT_SECONDS = 10

# A session that missed this many seconds of heartbeats is gone (on another machine; one
# on this machine is known gone at once, by its lock).
STALE_SECONDS = 35


class Presence:
    """Who is in which meeting, and how a screen learns the file changed."""

    def __init__(self, db: Db) -> None:
        self.db = db
        # The observer's byte this read-only session holds (``watch``).
        self._watching: int | None = None

    def data_version(self) -> int:
        """Changes when another connection commits (not on our own commits): cheap to poll."""
        return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def content_mark(self) -> int:
        """Moves on every content write, by pmo or from outside it (a script), never on a
        heartbeat: triggers count them (schema v12)."""
        return self.db.content_mark() or 0

    def view_mark(self) -> int:
        """Moves on every write that can change what a step's view shows: not a meeting
        moving between steps (its current step, each step's time), so a view shown again
        with nothing else changed need not re-read its data (90 ms for the status board of
        2,000 projects)."""
        row = self.db.conn.execute("select shown from content_marks").fetchone()
        return int(row[0]) if row else 0

    def join(self, meeting_id: int | None = None) -> Session:
        now = self.db.clock()
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "insert into sessions (user, host, pid, started_at, heartbeat_at, meeting_id)"
                " values (?, ?, ?, ?, ?, ?)",
                (
                    self.db.user,
                    socket.gethostname(),
                    os.getpid(),
                    now.isoformat(),
                    now.isoformat(),
                    meeting_id,
                ),
            )
            session_id = int(cursor.lastrowid or 0)
            # Held before the row is seen by others, so it is never taken for dead.
            self.db.hold(SESSIONS + session_id)
        # This connection speaks for the session from now on: the driving rule applies.
        self.db.session_id = session_id
        return self.session(session_id)

    def session(self, session_id: int) -> Session:
        row = self.db.conn.execute("select * from sessions where id = ?", (session_id,)).fetchone()
        if row is None:
            raise LookupError(f"session {session_id} is gone")
        return Session.model_validate(fields(row))

    def beat(
        self, session_id: int, meeting_id: int | None, step: int | None, selection: str = ""
    ) -> None:
        """Say where this session is; also clears sessions that stopped beating long ago."""
        now = self.db.clock()
        with self.db.transaction() as conn:
            updated = conn.execute(
                "update sessions set heartbeat_at = ?, meeting_id = ?, step = ?, selection = ?"
                " where id = ?",
                (now.isoformat(), meeting_id, step, selection, session_id),
            ).rowcount
            if not updated:
                # Pruned while suspended (a laptop lid, a stalled link): come back.
                conn.execute(
                    "insert into sessions (id, user, host, pid, started_at, heartbeat_at,"
                    " meeting_id, step, selection) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        session_id,
                        self.db.user,
                        socket.gethostname(),
                        os.getpid(),
                        now.isoformat(),
                        now.isoformat(),
                        meeting_id,
                        step,
                        selection,
                    ),
                )
            cutoff = now - timedelta(seconds=STALE_SECONDS * 10)
            conn.execute("delete from sessions where heartbeat_at < ?", (cutoff.isoformat(),))

    def leave(self, session_id: int) -> None:
        with self.db.transaction() as conn:
            conn.execute("delete from sessions where id = ?", (session_id,))
        self.db.release(SESSIONS + session_id)
        if self.db.session_id == session_id:
            self.db.session_id = None

    def present(self, meeting_id: int | None = None) -> list[Session]:
        """Sessions alive now (heartbeat within STALE_SECONDS), in one meeting or all."""
        cutoff = (self.db.clock() - timedelta(seconds=STALE_SECONDS)).isoformat()
        sql = "select * from sessions where heartbeat_at >= ?"
        params: list[object] = [cutoff]
        if meeting_id is not None:
            sql += " and meeting_id = ?"
            params.append(meeting_id)
        rows = self.db.conn.execute(sql + " order by started_at, id", params)
        here = socket.gethostname()
        sessions = [
            session
            for session in (Session.model_validate(fields(row)) for row in rows)
            # Its process ended (killed, crashed): gone now, not when its beats age out.
            if session.host != here or self.db.alive(SESSIONS + session.id) is not False
        ]
        if meeting_id is not None:
            meeting = self.db.get(Meeting, meeting_id)
            for session in sessions:
                session.driving = session.id == meeting.driver_session
        return sessions

    def driver_present(self, meeting: Meeting) -> bool:
        if meeting.driver_session is None:
            return False
        return any(s.id == meeting.driver_session for s in self.present(meeting.id))

    def watch(self, meeting_id: int | None) -> None:
        """A read-only session says which meeting it watches (None: none), by the lock
        it holds: it cannot write a presence row."""
        offset = OBSERVERS + (meeting_id or 0) * SPAN + os.getpid()
        if offset == self._watching:
            return
        if self._watching is not None:
            self.db.release(self._watching)
        self._watching = offset if self.db.hold(offset) else None

    def watching(self, meeting_id: int) -> list[Observer]:
        """The read-only sessions on this machine watching ``meeting_id``."""
        return self.db.observers(meeting_id)

    def pulse(self, session_ids: list[int], meeting_id: int) -> tuple[object, ...]:
        """What changes when a listed session's process ends or an observer comes or
        goes, none of which writes anything: asked every second, so no SQL, only the
        kernel's locks (microseconds)."""
        return (
            tuple(self.db.alive(SESSIONS + session_id) for session_id in session_ids),
            tuple(self.db.observers(meeting_id)),
        )
