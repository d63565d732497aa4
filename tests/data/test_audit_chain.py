"""Minutes people can trust: the audit trail is a hash chain no SQL can quietly edit, and
approved minutes carry the chain's head so `pmo verify` can say later whether the record
was touched since."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_tui.data.chain import COLUMNS, GENESIS, event_hash, json_encoder
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import Meeting, MeetingState, MinutesState, Person, Record
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from pmo_tui.export.markdown import minutes_body
from tests.conftest import fixed_clock
from tests.e2e.test_cli import pmo
from tests.helpers.old_file import file_at_version


def closed_meeting(store: Store) -> Meeting:
    return next(
        row.meeting for row in store.meetings.meetings() if row.meeting.state is MeetingState.CLOSED
    )


def tamper(path: Path, *statements: str) -> None:
    """What someone with the sqlite3 shell could do: drop the guard, then edit."""
    conn = sqlite3.connect(path)
    conn.execute("drop trigger if exists events_append_only_update")
    conn.execute("drop trigger if exists events_append_only_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_every_event_is_chained_to_the_one_before(store: Store) -> None:
    store.db.add(Person(name="Ann"))
    store.db.add(Person(name="Bo"))
    rows = store.db.conn.execute(f"select {', '.join(COLUMNS)}, hash from events order by id")
    previous = GENESIS
    events = list(rows)
    assert len(events) >= 2
    for row in events:
        assert row[-1] == event_hash(previous, tuple(row)[:-1])
        previous = row[-1]
    check = store.audit.verify_chain()
    assert check.broken is None and check.events == len(events)
    assert check.head_hash == previous


def test_the_trail_refuses_update_and_delete_through_sql(store: Store) -> None:
    store.db.add(Person(name="Ann"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.conn.execute("update events set new = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.conn.execute("delete from events")
    assert store.audit.verify_chain().broken is None


@pytest.mark.parametrize(
    ("statements", "named", "why"),
    [
        (("update events set new = 'Mallory' where id = 2",), 2, "changed"),
        (("delete from events where id = 2",), 3, "removed"),
        (
            (
                "insert into events (id, at, user, entity, entity_id, code, field) "
                "values (99, '2026-11-26T10:30:00+00:00', 'x', 'people', 1, 'U-1', 'name')",
            ),
            99,
            "outside pmo",
        ),
    ],
)
def test_verify_names_the_first_event_that_does_not_fit(
    tmp_path: Path, statements: tuple[str, ...], named: int, why: str
) -> None:
    path = tmp_path / "t.db"
    with Store(path, create=True, clock=fixed_clock) as store:
        for name in ("Ann", "Bo", "Cy"):
            store.db.add(Person(name=name))
    tamper(path, *statements)
    with Store(path, read_only=True) as store:
        check = store.audit.verify_chain()
    assert check.broken is not None and check.broken.id == named
    assert f"E-{named} does not fit" in check.problem and why in check.problem


def test_events_written_before_the_chain_are_hashed_by_the_migration(tmp_path: Path) -> None:
    path = file_at_version(
        tmp_path / "v8.db",
        8,
        "insert into events (at, user, entity, entity_id, code, field, new) values "
        "('2026-01-05T09:00:00+00:00', 'old', 'people', 1, 'U-1', 'created', 'Ann')",
    )
    with Store(path, clock=fixed_clock) as store:
        store.db.add(Person(name="Bo"))
        check = store.audit.verify_chain()
    assert check.broken is None and check.events == 2


def test_minutes_go_draft_circulated_approved_and_approval_stamps_the_head(
    demo_store: Store,
) -> None:
    meeting = closed_meeting(demo_store)
    assert meeting.minutes_state is MinutesState.DRAFT
    with pytest.raises(InvalidInputError, match="only circulated minutes"):
        demo_store.records.approve_minutes(meeting.id, "Chair", minutes_body)
    live = next(
        row.meeting
        for row in demo_store.meetings.meetings()
        if row.meeting.state is not MeetingState.CLOSED
    )
    with pytest.raises(InvalidInputError, match="close the meeting"):
        demo_store.audit.circulate_minutes(live.id)
    circulated = demo_store.audit.circulate_minutes(meeting.id)
    assert circulated.minutes_state is MinutesState.CIRCULATED
    with pytest.raises(InvalidInputError, match="who approved"):
        demo_store.records.approve_minutes(meeting.id, "   ", minutes_body)
    head = demo_store.audit.verify_chain()
    approved = demo_store.records.approve_minutes(meeting.id, "Grace  Okafor", minutes_body)
    assert approved.minutes_state is MinutesState.APPROVED
    assert approved.minutes_approved_by == "Grace Okafor"
    assert (approved.minutes_event_id, approved.minutes_hash) == (head.head_id, head.head_hash)
    body = minutes_body(demo_store.records.minutes(meeting.id))
    assert approved.minutes_document_hash == hashlib.sha256(body.encode()).hexdigest()
    check = demo_store.audit.check_minutes(meeting.id)
    assert check.stamp_fits and check.record_problem == ""
    with pytest.raises(InvalidInputError, match="approved"):
        demo_store.records.reopen_meeting(meeting.id, "One more thing")


def test_reopening_circulated_minutes_makes_them_a_draft_again(demo_store: Store) -> None:
    meeting = closed_meeting(demo_store)
    demo_store.audit.circulate_minutes(meeting.id)
    reopened = demo_store.records.reopen_meeting(meeting.id, "Wrong figure in the minutes")
    assert reopened.minutes_state is MinutesState.DRAFT


def test_pmo_verify_passes_then_names_the_tampered_event(demo_path: Path, tmp_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        code = closed_meeting(store).code
    db = ["--db", str(demo_path)]
    assert pmo(*db, "minutes", "circulate", code, cwd=tmp_path).returncode == 0
    approved = pmo(*db, "minutes", "approve", code, "--by", "Grace Okafor", cwd=tmp_path)
    assert approved.returncode == 0 and "audit chain E-" in approved.stdout
    good = pmo(*db, "verify", cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    assert "chain intact" in good.stdout and f"{code} minutes approved" in good.stdout
    minutes = pmo(*db, "export", "minutes", code, cwd=tmp_path).stdout
    assert "**Minutes:** approved" in minutes and "above this line `" in minutes
    tamper(demo_path, "update events set new = 'tampered' where id = 7")
    bad = pmo(*db, "verify", cwd=tmp_path)
    assert bad.returncode == 1
    assert "E-7 does not fit" in bad.stdout and "breaks at E-7" in bad.stderr


def _many(kind: str) -> list[Record]:
    """Five new records of one kind, with dates, enums, booleans, times and text that
    JSON must escape: what add_many converts (only the fields that may need it)."""
    from datetime import datetime

    from pmo_tui.data.models import (
        Action,
        ActionStatus,
        Lesson,
        LessonCategory,
        RaidItem,
        RaidKind,
    )
    from tests.conftest import DEMO_DAY as DAY

    title = "Supplier risk {} “quoted” | piped \\ \n"
    made: dict[str, list[Record]] = {
        "raid": [
            RaidItem(kind=RaidKind.RISK, title=title.format(n), impact=n + 1, raised_on=DAY)
            for n in range(5)
        ],
        "actions": [
            Action(text=title.format(n), due_on=DAY, status=ActionStatus.DONE, closed_on=DAY)
            for n in range(5)
        ],
        "lessons": [
            Lesson(category=LessonCategory.SUPPLIER, title=title.format(n), recorded_on=DAY)
            for n in range(5)
        ],
        "meetings": [
            Meeting(
                title=title.format(n),
                scheduled_on=DAY,
                followers_capture=bool(n % 2),
                started_at=datetime(2026, 3, 2, 9, n, tzinfo=UTC),
            )
            for n in range(5)
        ],
    }
    return made[kind]


@pytest.mark.parametrize("kind", ["raid", "actions", "lessons", "meetings"])
def test_rows_added_at_once_are_stored_and_chained_as_one_by_one(tmp_path: Path, kind: str) -> None:
    """An import adds a batch of rows in two statements (add_many): the rows, their ids
    (never reused after a delete), their 'created' events and the chain must be what
    adding them one at a time gives, and `pmo verify` must find nothing to say."""
    from pmo_tui.verification import verify_portfolio

    trails, rows = [], []
    for name, at_once in (("one.db", False), ("many.db", True)):
        with Store(tmp_path / name, create=True, user="ann", clock=fixed_clock) as store:
            records = _many(kind)
            model = type(records[0])
            gone = store.db.add(records[0])
            store.db.delete(model, gone.id, gone.version)  # its id is never given again
            if at_once:
                ids = store.db.add_many(records)
            else:
                ids = [store.db.add(record).id for record in records]
            assert ids == [gone.id + n for n in range(1, 6)]
            rows.append([tuple(r) for r in store.db.conn.execute(f"select * from {model.TABLE}")])
            trails.append(
                store.db.conn.execute(
                    f"select {', '.join(COLUMNS)}, hash from events order by id"
                ).fetchall()
            )
            assert not verify_portfolio(store).problems
    assert rows[0] == rows[1]
    assert [tuple(row) for row in trails[0]] == [tuple(row) for row in trails[1]]


def test_a_records_data_is_its_model_dump_for_every_kind_of_record(demo_store: Store) -> None:
    """Events and add_many read a record's values off the record (``_data``), not through
    model_dump: for every kind of record the demo holds, and one changed by assignment,
    that must be model_dump's values in model_dump's order, or "created" events differ
    from what earlier files hold."""
    from pmo_tui.data.core import _NOT_DATA, _data
    from pmo_tui.data.models import RECORD_TYPES

    seen = 0
    for model in RECORD_TYPES:
        for record in demo_store.db.all(model)[:50]:
            expected = record.model_dump(exclude=_NOT_DATA)
            assert list(_data(record).items()) == list(expected.items()), model.__name__
            seen += 1
    assert seen > 200
    person = demo_store.db.all(Person)[0]
    person.name = "Renamed By Assignment"
    assert list(_data(person).items()) == list(person.model_dump(exclude=_NOT_DATA).items())


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_the_chains_json_is_the_standard_encoders_text(value: object) -> None:
    """Hashes and "created" events are written through the C encoder made once: every
    value must come out as json.JSONEncoder writes it, or files written before no longer
    verify (floats, escapes, non-ASCII, NaN, nesting)."""
    for separators in ((",", ":"), (", ", ": ")):
        standard = json.JSONEncoder(ensure_ascii=False, separators=separators)
        assert json_encoder(separators)(value) == standard.encode(value)
