"""A closed meeting's record: what the meeting saw and did, written once when it closes.

The minutes of a closed meeting are read from this record, never recomputed: renaming a
project, re-scoring a risk or closing another project next year cannot change them. The
record is the composed ``Minutes`` as canonical JSON; its SHA-256 goes into the audit
chain in the same transaction, so `pmo verify` can tell a record edited outside pmo.
Reopening a meeting (draft minutes only) discards the record, audited; closing it again
writes a new one."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable

from pmo_tui.data.audit import Audit, unpack
from pmo_tui.data.core import Db
from pmo_tui.data.errors import BadFileError, InvalidInputError
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.models import Meeting, MeetingState, Minutes, MinutesState, Project

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


class Records:
    """Closed meetings' records over the core, the meetings and the audit trail.

    ``compose`` assembles a meeting's minutes (data/minutes.py, which reads every topic
    store through the façade): the record stores what it returns at the close."""

    def __init__(
        self, db: Db, meetings: Meetings, audit: Audit, compose: Callable[[int], Minutes]
    ) -> None:
        self.db = db
        self.meetings = meetings
        self.audit = audit
        self.compose = compose

    def minutes(self, meeting_id: int) -> Minutes:
        """What the minutes say: a closed meeting's record as written at its close, or a
        live (or planned) meeting's minutes so far."""
        row = self.db.conn.execute(
            "select minutes from meeting_records where meeting_id = ?", (meeting_id,)
        ).fetchone()
        if row is None:
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.state is MeetingState.CLOSED:
                # pmo writes a record whenever a meeting closes: its absence is tampering,
                # and recomputing would show today's data as the meeting's.
                raise BadFileError(
                    f"{meeting.code} is closed but its record is missing (removed outside "
                    "pmo): its minutes cannot be shown. Run `pmo verify`."
                )
            return self.compose(meeting_id)
        try:
            minutes = Minutes.model_validate_json(unpack(row[0]))
        except (zlib.error, ValueError):
            raise BadFileError(
                f"The record of meeting M-{meeting_id} is damaged (changed outside pmo); its "
                "minutes cannot be shown. Run `pmo verify`."
            ) from None
        current = self.db.get(Meeting, meeting_id)
        life = {name: getattr(current, name) for name in MINUTES_LIFE}
        minutes.meeting = minutes.meeting.model_copy(update=life)
        return minutes

    def recorded_minutes(self, meeting_id: int) -> tuple[str, str] | None:
        """The stored record's text and the hash stored beside it (None: not recorded)."""
        row = self.db.conn.execute(
            "select minutes, sha256 from meeting_records where meeting_id = ?", (meeting_id,)
        ).fetchone()
        if row is None:
            return None
        try:
            text = unpack(row[0]).decode()
        except (zlib.error, UnicodeDecodeError):
            text = ""  # damaged: it no longer hashes to its stored hash, and verify says so
        return text, str(row[1])

    def close_meeting(self, meeting_id: int) -> Meeting:
        """Freeze the meeting: its current step ends now, nothing more is changed, and its
        record is written in the same transaction."""
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            drafts = [
                f"D-{row[0]}"
                for row in self.db.conn.execute(
                    "select id from decisions where meeting_id = ? and draft_by != '' order by id",
                    (meeting_id,),
                )
            ]
            if drafts:
                # A follower's draft is not a decision of the meeting until the driver
                # confirms it: the minutes would say otherwise.
                listed = ", ".join(drafts)
                raise InvalidInputError(
                    f"{listed} {'is a draft' if len(drafts) == 1 else 'are drafts'} from a "
                    "follower: confirm (y on wrap-up) or delete each before closing; "
                    f"{meeting.code} was not closed."
                )
            self.meetings.leave_step(meeting)
            _, why = self.meetings.quorum(meeting_id)
            meeting = self.db.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.CLOSED,
                closed_at=self.db.clock(),
            )
            self.db.log(meeting, "quorum", None, why)
            self._record(meeting)
            return meeting

    def reopen_meeting(self, meeting_id: int, reason: str) -> Meeting:
        """Reopening a closed meeting is explicit and recorded with its reason; its record
        goes, audited (closing again writes a new one)."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError("Reopening a meeting needs a reason; nothing was changed.")
        with self.db.write():
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.state is not MeetingState.CLOSED:
                raise InvalidInputError(f"{meeting.code} is not closed.")
            if meeting.minutes_state is MinutesState.APPROVED:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are approved and stay as approved: record "
                    "what changed in the next meeting instead."
                )
            self.db.log(meeting, "reopened", None, reason)
            # Circulated minutes no longer say what the meeting will have said: draft again.
            meeting = self.db.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.LIVE,
                closed_at=None,
                minutes_state=MinutesState.DRAFT,
                minutes_circulated_at=None,
            )
            self.meetings.enter_step(meeting, meeting.current_step)
            stored = self.recorded_minutes(meeting_id)
            if stored is not None:
                self.db.conn.execute(
                    "delete from meeting_records where meeting_id = ?", (meeting_id,)
                )
                self.db.log(meeting, "record", stored[1], None)
            return meeting

    def approve_minutes(
        self, meeting_id: int, approved_by: str, render: Callable[[Minutes], str]
    ) -> Meeting:
        """Circulated minutes approved: the stamp carries the hash of the document as
        ``render`` writes it (all above its stamp line) and the audit chain's head."""
        with self.db.write():
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.state is MeetingState.CLOSED and self.recorded_minutes(meeting_id) is None:
                raise InvalidInputError(f"{meeting.code} has no record; nothing was changed.")
            body = render(self.minutes(meeting_id))
            return self.audit.stamp_approval(meeting_id, approved_by, digest(body))

    def record_unrecorded(self) -> int:
        """Write a record for each closed meeting that has none (closed before pmo kept
        records, or generated in bulk): from the data as it stands now. Returns how many."""
        with self.db.write():
            rows = self.db.conn.execute(
                "select m.* from meetings m left join meeting_records r on r.meeting_id = m.id "
                "where m.state = ? and r.meeting_id is null order by m.id",
                (MeetingState.CLOSED.value,),
            ).fetchall()
            for row in rows:
                self._record(self.db.row_to(Meeting, row))
            return len(rows)

    def migrated(self, from_version: int) -> None:
        """After a migration (the caller holds its transaction): a file from before records
        gets one for each meeting already closed."""
        if from_version < RECORDS_SINCE:
            self.record_unrecorded()

    def _record(self, meeting: Meeting) -> None:
        """Compose and store the meeting's record (the caller holds the transaction)."""
        minutes = self.compose(meeting.id)
        closed = minutes.meeting.closed_at or self.db.clock()
        offset = closed.astimezone().utcoffset()
        minutes.utc_offset_minutes = int(offset.total_seconds() // 60) if offset else 0
        # The minutes' later life is never part of the record: it is read from the meeting.
        minutes.meeting = minutes.meeting.model_copy(
            update={name: Meeting.model_fields[name].default for name in MINUTES_LIFE}
        )
        text = _slim(minutes).model_dump_json()
        sha = digest(text)
        # Compressed: a portfolio of 2,000 projects puts 2,000 status and ranking rows in
        # each meeting's record (3.6 MB of JSON, 0.3 MB compressed).
        self.db.conn.execute(
            "insert into meeting_records (meeting_id, minutes, sha256, recorded_at) "
            "values (?, ?, ?, ?)",
            (meeting.id, zlib.compress(text.encode()), sha, self.db.clock().isoformat()),
        )
        self.db.log(meeting, "record", None, sha)


def _slim(minutes: Minutes) -> Minutes:
    """Only what the minutes show: a project row needs the project's code and name, the
    names and project labels only those the sections use."""

    def project(row: Project) -> Project:
        return Project(id=row.id, name=row.name)

    people = {action.owner_id for action in minutes.actions}
    people |= {carried.action.owner_id for carried in minutes.carried}
    raid = minutes.raid
    people |= {item.owner_id for item in [*raid.new, *raid.escalated, *raid.closed]}
    people |= {rescore.item.owner_id for rescore in raid.rescored}
    projects = {lesson.project_id for lesson in minutes.lessons}
    projects |= {closure.project_id for closure in minutes.closures}
    return minutes.model_copy(
        update={
            "status": [
                r.model_copy(update={"project": project(r.project)}) for r in minutes.status
            ],
            "ranking": [
                r.model_copy(update={"project": project(r.project)}) for r in minutes.ranking
            ],
            "changes": [
                r.model_copy(update={"project": project(r.project)}) for r in minutes.changes
            ],
            "gates": [r.model_copy(update={"project": project(r.project)}) for r in minutes.gates],
            "names": {key: name for key, name in minutes.names.items() if key in people},
            "projects": {key: name for key, name in minutes.projects.items() if key in projects},
        }
    )
