"""Minutes people can trust: the audit chain checked end to end, and minutes that go
draft -> circulated -> approved, the approval stamping the chain's head so anyone can
check later that the record was not edited since."""

from __future__ import annotations

from pmo_tui.data.chain import COLUMNS, first_break
from pmo_tui.data.dashboard import DashboardStore
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import Event, Meeting, MeetingState, MinutesState, Model


class ChainCheck(Model):
    """What `pmo verify` found in the audit trail."""

    events: int
    head_id: int = 0
    head_hash: str = ""
    broken: Event | None = None  # the first event that does not fit, when one does not
    problem: str = ""


class MinutesCheck(Model):
    """An approved meeting's minutes against the chain: stamp intact, nothing edited since."""

    meeting: Meeting
    stamp_fits: bool
    edited_since: list[Event] = []


class AuditStore(DashboardStore):
    def verify_chain(self) -> ChainCheck:
        """Recompute every event's hash in order; name the first that does not fit."""
        total = int(self.conn.execute("select count(*) from events").fetchone()[0])
        rows = self.conn.execute(f"select {', '.join(COLUMNS)}, hash from events order by id")
        found = first_break(rows)
        if found is None:
            head = self.conn.execute("select id, hash from events order by id desc limit 1")
            last = head.fetchone()
            return ChainCheck(
                events=total,
                head_id=int(last[0]) if last else 0,
                head_hash=(last[1] or "") if last else "",
            )
        checked, event_id, stored, _expected = found
        event = self._event(event_id)
        if not stored:
            why = "it has no hash: it was written outside pmo"
        elif checked == 0:
            why = "it is the first event but its hash does not start the chain"
        else:
            why = (
                "its content, or an event before it, was changed, inserted or removed "
                "after it was written"
            )
        return ChainCheck(events=total, broken=event, problem=f"E-{event_id} does not fit: {why}")

    def _event(self, event_id: int) -> Event:
        row = self.conn.execute("select * from events where id = ?", (event_id,)).fetchone()
        return Event.model_validate(dict(row))

    # -- minutes -----------------------------------------------------------------------

    def circulate_minutes(self, meeting_id: int) -> Meeting:
        """Draft minutes of a closed meeting go out for comment."""
        with self._write():
            meeting = self.get(Meeting, meeting_id)
            if meeting.state is not MeetingState.CLOSED:
                raise InvalidInputError(
                    f"{meeting.code} is {meeting.state.value}: close the meeting before its "
                    "minutes are circulated."
                )
            if meeting.minutes_state is not MinutesState.DRAFT:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are already {meeting.minutes_state.value}."
                )
            return self.update(
                Meeting,
                meeting_id,
                meeting.version,
                minutes_state=MinutesState.CIRCULATED,
                minutes_circulated_at=self.clock(),
            )

    def approve_minutes(self, meeting_id: int, approved_by: str) -> Meeting:
        """Circulated minutes approved (at the next meeting, usually): the audit chain's
        head at this moment is stamped into them."""
        approved_by = " ".join(approved_by.split())
        if not approved_by:
            raise InvalidInputError("Say who approved the minutes; nothing was changed.")
        with self._write():
            meeting = self.get(Meeting, meeting_id)
            if meeting.minutes_state is not MinutesState.CIRCULATED:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are {meeting.minutes_state.value}: only "
                    "circulated minutes can be approved."
                )
            head = self.conn.execute("select id, hash from events order by id desc limit 1")
            last = head.fetchone()
            return self.update(
                Meeting,
                meeting_id,
                meeting.version,
                minutes_state=MinutesState.APPROVED,
                minutes_approved_at=self.clock(),
                minutes_approved_by=approved_by,
                minutes_event_id=int(last[0]),
                minutes_hash=last[1] or "",
            )

    def check_minutes(self, meeting_id: int) -> MinutesCheck:
        """Approved minutes: does the stamped event still carry the stamped hash, and did
        any edit since touch what the minutes record? The record is the meeting, its
        agenda, attendees and decisions, and the wording of its actions; an action's later
        life (done, re-dated, given to someone else) belongs to later minutes."""
        meeting = self.get(Meeting, meeting_id)
        if meeting.minutes_state is not MinutesState.APPROVED or meeting.minutes_event_id is None:
            raise InvalidInputError(f"{meeting.code}'s minutes are not approved.")
        stamped = self.conn.execute(
            "select hash from events where id = ?", (meeting.minutes_event_id,)
        ).fetchone()
        fits = stamped is not None and stamped[0] == meeting.minutes_hash
        rows = self.conn.execute(
            """
            select * from events where id > :stamp and (
                (entity = 'meetings' and entity_id = :meeting and field not like 'minutes%'
                 and field != 'version')
                or (entity = 'agenda_items' and entity_id in
                    (select id from agenda_items where meeting_id = :meeting))
                or (entity = 'attendees' and entity_id in
                    (select id from attendees where meeting_id = :meeting))
                or (entity = 'decisions' and entity_id in
                    (select id from decisions where meeting_id = :meeting))
                or (entity = 'actions' and field = 'text' and entity_id in
                    (select id from actions where meeting_id = :meeting))
            ) order by id
            """,
            {"stamp": meeting.minutes_event_id, "meeting": meeting_id},
        )
        edited = [Event.model_validate(dict(row)) for row in rows]
        return MinutesCheck(meeting=meeting, stamp_fits=fits, edited_since=edited)

    def approved_meetings(self) -> list[Meeting]:
        rows = self.conn.execute(
            "select * from meetings where minutes_state = ? order by scheduled_on, id",
            (MinutesState.APPROVED.value,),
        )
        return [self._row_to(Meeting, row) for row in rows]
