"""A closed meeting's record: what the meeting saw and did, written once when it closes.

The minutes of a closed meeting are read from this record, never recomputed: renaming a
project, re-scoring a risk or closing another project next year cannot change them. The
record is the composed ``Minutes`` as canonical JSON; its SHA-256 goes into the audit
chain in the same transaction, so `pmo verify` can tell a record edited outside pmo.
Reopening a meeting (draft minutes only) discards the record, audited; closing it again
writes a new one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from pmo_tui.data.audit import AuditStore
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import Meeting, MeetingState, Minutes

# The meeting's fields that belong to the minutes' later life (circulated, approved): the
# record keeps everything else of the meeting as it closed.
MINUTES_LIFE = (
    "minutes_state",
    "minutes_circulated_at",
    "minutes_approved_at",
    "minutes_approved_by",
    "minutes_event_id",
    "minutes_hash",
    "minutes_document_hash",
)

# The schema version that introduced records: files migrated from before it get a record
# for each meeting already closed, as the data stands at the migration.
RECORDS_SINCE = 10


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class RecordStore(AuditStore):
    def minutes(self, meeting_id: int) -> Minutes:
        """What the minutes say: a closed meeting's record as written at its close, or a
        live (or planned) meeting's minutes so far."""
        row = self.conn.execute(
            "select minutes from meeting_records where meeting_id = ?", (meeting_id,)
        ).fetchone()
        if row is None:
            return self._compose_minutes(meeting_id)
        minutes = Minutes.model_validate_json(row[0])
        current = self.get(Meeting, meeting_id)
        life = {name: getattr(current, name) for name in MINUTES_LIFE}
        minutes.meeting = minutes.meeting.model_copy(update=life)
        return minutes

    def recorded_minutes(self, meeting_id: int) -> tuple[str, str] | None:
        """The stored record's text and the hash stored beside it (None: not recorded)."""
        row = self.conn.execute(
            "select minutes, sha256 from meeting_records where meeting_id = ?", (meeting_id,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def close_meeting(self, meeting_id: int) -> Meeting:
        """Close the meeting and write its record, in one transaction."""
        with self._write():
            meeting = super().close_meeting(meeting_id)
            self._record(meeting)
            return meeting

    def reopen_meeting(self, meeting_id: int, reason: str) -> Meeting:
        """Reopened (draft minutes only): the record goes, audited; closing writes anew."""
        with self._write():
            meeting = super().reopen_meeting(meeting_id, reason)
            stored = self.recorded_minutes(meeting_id)
            if stored is not None:
                self.conn.execute("delete from meeting_records where meeting_id = ?", (meeting_id,))
                self._log(meeting, "record", stored[1], None)
            return meeting

    def approve_minutes(
        self, meeting_id: int, approved_by: str, render: Callable[[Minutes], str]
    ) -> Meeting:
        """Circulated minutes approved: the stamp carries the hash of the document as
        ``render`` writes it (all above its stamp line) and the audit chain's head."""
        with self._write():
            meeting = self.get(Meeting, meeting_id)
            if meeting.state is MeetingState.CLOSED and self.recorded_minutes(meeting_id) is None:
                raise InvalidInputError(f"{meeting.code} has no record; nothing was changed.")
            body = render(self.minutes(meeting_id))
            return self._approve(meeting_id, approved_by, digest(body))

    def record_unrecorded(self) -> int:
        """Write a record for each closed meeting that has none (closed before pmo kept
        records, or generated in bulk): from the data as it stands now. Returns how many."""
        with self._write():
            rows = self.conn.execute(
                "select m.* from meetings m left join meeting_records r on r.meeting_id = m.id "
                "where m.state = ? and r.meeting_id is null order by m.id",
                (MeetingState.CLOSED.value,),
            ).fetchall()
            for row in rows:
                self._record(self._row_to(Meeting, row))
            return len(rows)

    def _migrated(self, from_version: int) -> None:
        super()._migrated(from_version)
        if from_version < RECORDS_SINCE:
            self.record_unrecorded()

    def _record(self, meeting: Meeting) -> None:
        """Compose and store the meeting's record (the caller holds the transaction)."""
        minutes = self._compose_minutes(meeting.id)
        closed = minutes.meeting.closed_at or self.clock()
        offset = closed.astimezone().utcoffset()
        minutes.utc_offset_minutes = int(offset.total_seconds() // 60) if offset else 0
        # The minutes' later life is never part of the record: it is read from the meeting.
        minutes.meeting = minutes.meeting.model_copy(
            update={name: Meeting.model_fields[name].default for name in MINUTES_LIFE}
        )
        text = minutes.model_dump_json()
        sha = digest(text)
        self.conn.execute(
            "insert into meeting_records (meeting_id, minutes, sha256, recorded_at) "
            "values (?, ?, ?, ?)",
            (meeting.id, text, sha, self.clock().isoformat()),
        )
        self._log(meeting, "record", None, sha)
