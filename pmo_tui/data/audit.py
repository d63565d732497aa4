"""Minutes people can trust: the audit chain checked end to end, and minutes that go
draft -> circulated -> approved, the approval stamping the chain's head so anyone can
check later that the record was not edited since."""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

from pmo_tui.data.chain import COLUMNS, first_break
from pmo_tui.data.core import Db
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    RECORD_TYPES,
    Event,
    Meeting,
    MeetingState,
    MinutesState,
    Model,
    Ranking,
)
from pmo_tui.data.sqlite import fields

# Rows pmo writes without an event each: a meeting's adopted ranking (written with, and
# named by, its audited decision; the minutes keep it in the meeting's record).
UNAUDITED = frozenset({Ranking.TABLE})

# Tables whose first rows a migration wrote (templates, gate criteria): a row there may have
# no "created" event; its later edits are still checked.
SEEDED = frozenset({"meeting_templates", "template_steps", "gate_criteria"})


class ChainCheck(Model):
    """What `pmo verify` found in the audit trail."""

    events: int
    head_id: int = 0
    head_hash: str = ""
    broken: Event | None = None  # the first event that does not fit, when one does not
    problem: str = ""


class MinutesCheck(Model):
    """A closed meeting's record and, once approved, its stamp against the audit trail."""

    meeting: Meeting
    record_problem: str = ""  # empty when the record fits the hash its close wrote
    stamp_fits: bool = True  # the stamped chain event still carries the stamped hash


class OutsideEdit(Model):
    """A row whose stored value is not the one its audit trail says pmo wrote."""

    table: str
    row_id: int
    code: str
    field: str
    found: str | None
    expected: str | None

    @property
    def problem(self) -> str:
        if self.field == "(row)":
            return f"{self.code} ({self.table}) {self.expected}"
        return (
            f"{self.code} ({self.table}) {self.field} is {_quoted(self.found)}, but the audit "
            f"trail's last value is {_quoted(self.expected)}: changed outside pmo"
        )


def _quoted(value: str | None) -> str:
    return "empty" if value is None else f"“{value}”"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class Audit:
    """The audit trail's checks and the minutes' circulation and approval, over the core."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def outside_edits(self, limit: int = 1000) -> list[OutsideEdit]:
        """Rows and fields that differ from what their audit trail says pmo wrote: each
        audited field's current value must be the one its last event set, every row must
        have been created by an event, and every row an event created and did not delete
        must still be there. Replays the trail in one pass (call inside ``snapshot()``)."""
        tables = {model.TABLE: model for model in RECORD_TYPES if model.TABLE not in UNAUDITED}
        expected: dict[str, dict[int, dict[str, str | None]]] = {name: {} for name in tables}
        born: dict[str, set[int]] = {name: set() for name in tables}  # created by an event
        rows = self.db.conn.execute("select entity, entity_id, field, new from events order by id")
        for entity, entity_id, field, new in rows:
            state = expected.get(entity)
            if state is None:
                continue
            if field == "created":
                try:
                    values = json.loads(new) if new else {}
                except ValueError:
                    values = None  # a damaged event: the chain walk names it
                if not isinstance(values, dict):
                    values = {}
                state[entity_id] = {key: _text(value) for key, value in values.items()}
                born[entity].add(entity_id)
            elif field == "deleted":
                state.pop(entity_id, None)
                born[entity].discard(entity_id)
            elif entity_id in state or entity in SEEDED:
                state.setdefault(entity_id, {})[field] = new
        found: list[OutsideEdit] = []
        for table, model in tables.items():
            columns = [name for name in model.model_fields if name not in ("id", "version")]
            wanted = expected[table]
            seen: set[int] = set()
            for row in self.db.conn.execute(f"select id, {', '.join(columns)} from {table}"):
                row_id = int(row[0])
                seen.add(row_id)
                code = f"{model.PREFIX}-{row_id}"
                values = wanted.get(row_id)
                if values is None:
                    if table not in SEEDED:
                        found.append(
                            OutsideEdit(
                                table=table,
                                row_id=row_id,
                                code=code,
                                field="(row)",
                                found=None,
                                expected="has no event that created it: inserted outside "
                                "pmo, or its event was removed",
                            )
                        )
                    continue
                for index, name in enumerate(columns, start=1):
                    if name not in values:
                        continue  # a column added since the row was written
                    current = _text(row[index])
                    if current != values[name] and not _same_number(current, values[name]):
                        found.append(
                            OutsideEdit(
                                table=table,
                                row_id=row_id,
                                code=code,
                                field=name,
                                found=current,
                                expected=values[name],
                            )
                        )
                if len(found) >= limit:
                    return found
            for row_id in sorted(born[table] - seen):
                found.append(
                    OutsideEdit(
                        table=table,
                        row_id=row_id,
                        code=f"{model.PREFIX}-{row_id}",
                        field="(row)",
                        found=None,
                        expected="was deleted outside pmo (no event deleted it)",
                    )
                )
        return found[:limit]

    def verify_chain(self) -> ChainCheck:
        """Recompute every event's hash in order; name the first that does not fit."""
        total = int(self.db.conn.execute("select count(*) from events").fetchone()[0])
        rows = self.db.conn.execute(f"select {', '.join(COLUMNS)}, hash from events order by id")
        found = first_break(rows)
        if found is None:
            head = self.db.conn.execute("select id, hash from events order by id desc limit 1")
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
        row = self.db.conn.execute("select * from events where id = ?", (event_id,)).fetchone()
        return Event.model_validate(fields(row))

    def circulate_minutes(self, meeting_id: int) -> Meeting:
        """Draft minutes of a closed meeting go out for comment."""
        with self.db.write():
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.state is not MeetingState.CLOSED:
                raise InvalidInputError(
                    f"{meeting.code} is {meeting.state.value}: close the meeting before its "
                    "minutes are circulated."
                )
            if meeting.minutes_state is not MinutesState.DRAFT:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are already {meeting.minutes_state.value}."
                )
            return self.db.update(
                Meeting,
                meeting_id,
                meeting.version,
                minutes_state=MinutesState.CIRCULATED,
                minutes_circulated_at=self.db.clock(),
            )

    def stamp_approval(self, meeting_id: int, approved_by: str, document_hash: str) -> Meeting:
        """Circulated minutes approved (at the next meeting, usually): the document's hash
        and the audit chain's head at this moment are stamped into them."""
        approved_by = " ".join(approved_by.split())
        if not approved_by:
            raise InvalidInputError("Say who approved the minutes; nothing was changed.")
        with self.db.write():
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.minutes_state is not MinutesState.CIRCULATED:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are {meeting.minutes_state.value}: only "
                    "circulated minutes can be approved."
                )
            head = self.db.conn.execute("select id, hash from events order by id desc limit 1")
            last = head.fetchone()
            return self.db.update(
                Meeting,
                meeting_id,
                meeting.version,
                minutes_state=MinutesState.APPROVED,
                minutes_approved_at=self.db.clock(),
                minutes_approved_by=approved_by,
                minutes_event_id=int(last[0]),
                minutes_hash=last[1] or "",
                minutes_document_hash=document_hash,
            )

    def check_minutes(self, meeting_id: int) -> MinutesCheck:
        """Does the meeting's record still hash to what its close wrote into the audit
        trail, and (approved) does the stamped chain event still carry the stamped hash?
        The document hash is checked by whoever renders it (verification.py)."""
        meeting = self.db.get(Meeting, meeting_id)
        row = self.db.conn.execute(
            "select minutes, sha256 from meeting_records where meeting_id = ?", (meeting_id,)
        ).fetchone()
        written = self.db.conn.execute(
            "select new from events where entity = 'meetings' and entity_id = ? "
            "and field = 'record' order by id desc limit 1",
            (meeting_id,),
        ).fetchone()
        problem = ""
        if row is None:
            problem = "has no record although it is closed"
        elif written is None or written[0] != row[1]:
            problem = "record does not match the hash its close wrote into the audit trail"
        elif _record_hash(row[0]) != row[1]:
            problem = "record was changed outside pmo (it no longer hashes to its stored hash)"
        fits = True
        if meeting.minutes_state is MinutesState.APPROVED:
            stamped = self.db.conn.execute(
                "select hash from events where id = ?", (meeting.minutes_event_id,)
            ).fetchone()
            fits = stamped is not None and stamped[0] == meeting.minutes_hash
        return MinutesCheck(meeting=meeting, record_problem=problem, stamp_fits=fits)

    def closed_meetings(self) -> list[Meeting]:
        rows = self.db.conn.execute(
            "select * from meetings where state = ? order by scheduled_on, id",
            (MeetingState.CLOSED.value,),
        )
        return [self.db.row_to(Meeting, row) for row in rows]

    def chain_event(self, event_id: int) -> Event | None:
        row = self.db.conn.execute("select * from events where id = ?", (event_id,)).fetchone()
        return None if row is None else Event.model_validate(fields(row))


def _same_number(found: str | None, expected: str | None) -> bool:
    """1000 and 1000.0 are one value (a REAL column hands back a float)."""
    if found is None or expected is None:
        return False
    try:
        return float(found) == float(expected)
    except ValueError:
        return False


def unpack(stored: bytes | str) -> bytes:
    """A meeting record's JSON: stored compressed (a text record is read as it is)."""
    if isinstance(stored, str):
        return stored.encode()
    return zlib.decompress(stored)


def _record_hash(stored: Any) -> str:
    """The SHA-256 of a record's JSON; empty when it does not unpack."""
    try:
        return hashlib.sha256(unpack(stored)).hexdigest()
    except (zlib.error, TypeError):
        return ""
