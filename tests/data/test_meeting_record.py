"""A closed meeting's minutes are its record, written when it closed: nothing done to the
portfolio afterwards changes a byte of them (the stamp line aside)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_tui.data.models import (
    Action,
    ActionStatus,
    MeetingState,
    Person,
    Project,
    RaidItem,
    RaidStatus,
)
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document
from pmo_tui.export.markdown import split_minutes
from tests.conftest import fixed_clock


def closed_ids(store: Store) -> list[int]:
    return [
        r.meeting.id for r in store.meetings.meetings() if r.meeting.state is MeetingState.CLOSED
    ]


def all_minutes(store: Store) -> dict[int, str]:
    return {meeting_id: minutes_document(store, meeting_id) for meeting_id in closed_ids(store)}


def open_risks(store: Store) -> list[RaidItem]:
    return [i for i in store.all(RaidItem) if i.status is not RaidStatus.CLOSED]


# -- later edits, each an ordinary thing to do to a portfolio ---------------------------


def rename_projects(store: Store, seed: int) -> None:
    for project in store.all(Project)[seed % 5 :: 4]:
        store.db.update(Project, project.id, project.version, name=f"{project.name} (renamed)")


def rename_people(store: Store, seed: int) -> None:
    for person in store.all(Person)[seed % 3 :: 3]:
        store.db.update(Person, person.id, person.version, name=f"{person.name} Jr")


def rescore_risks(store: Store, seed: int) -> None:
    for item in open_risks(store)[seed % 7 :: 5]:
        store.raid.rescore(item.id, item.version, 1 + seed % 5, 5 - seed % 5)


def close_risks(store: Store, seed: int) -> None:
    for item in open_risks(store)[seed % 4 :: 9]:
        store.db.update(RaidItem, item.id, item.version, status=RaidStatus.CLOSED)


def finish_actions(store: Store, seed: int) -> None:
    for action in store.all(Action)[seed % 2 :: 2]:
        if action.status is ActionStatus.OPEN:
            store.decisions.close_action(action.id, action.version, ActionStatus.DONE)


def reassign_actions(store: Store, seed: int) -> None:
    for action in store.all(Action)[seed % 3 :: 3]:
        store.decisions.reassign_action(action.id, action.version, "Someone New")


def add_lessons(store: Store, seed: int) -> None:
    project = store.all(Project)[seed % 10]
    store.lessons.add_lesson(
        title=f"Lesson {seed}",
        what_happened="Something",
        category="planning",
        project_id=project.id,
        meeting_id=closed_ids(store)[seed % 2],
    )


def rerank(store: Store, seed: int) -> None:
    projects = [p for p in store.all(Project) if p.rank is not None]
    first, second = projects[seed % len(projects)], projects[(seed + 3) % len(projects)]
    store.db.update(Project, first.id, first.version, rank=second.rank)
    store.db.update(Project, second.id, second.version, rank=first.rank)


def reweigh(store: Store, seed: int) -> None:
    store.priorities.set_weights(
        {objective.id: 1 + seed % 4 for objective in store.priorities.criteria()}
    )


LATER_EDITS = (
    rename_projects,
    rename_people,
    rescore_risks,
    close_risks,
    finish_actions,
    reassign_actions,
    add_lessons,
    rerank,
    reweigh,
)


def test_a_closed_meetings_minutes_do_not_change_when_the_portfolio_does(
    demo_store: Store,
) -> None:
    before = all_minutes(demo_store)
    assert len(before) == 2
    for number, edit in enumerate(LATER_EDITS):
        edit(demo_store, number)
    assert all_minutes(demo_store) == before


def test_closing_writes_the_record_and_its_hash_into_the_audit_trail(
    demo_store: Store,
) -> None:
    meeting = next(
        r.meeting for r in demo_store.meetings.meetings() if r.meeting.state.value == "planned"
    )
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.decisions.record_decision(meeting.id, "Fund the recovery plan", "")
    live = minutes_document(demo_store, meeting.id)
    closed = demo_store.records.close_meeting(meeting.id)
    stored = demo_store.records.recorded_minutes(meeting.id)
    assert stored is not None
    (event,) = [e for e in demo_store.events(closed) if e.field == "record"]
    assert event.new == stored[1]
    at_close = minutes_document(demo_store, meeting.id)
    assert "Fund the recovery plan" in at_close
    # Only what closing changes differs from the live minutes a moment before.
    assert live.count("\n") <= at_close.count("\n") + 2
    rename_projects(demo_store, 0)
    rename_people(demo_store, 1)
    assert minutes_document(demo_store, meeting.id) == at_close


def test_reopening_discards_the_record_and_closing_again_writes_a_new_one(
    demo_store: Store,
) -> None:
    meeting_id = closed_ids(demo_store)[-1]
    first = demo_store.records.recorded_minutes(meeting_id)
    assert first is not None
    reopened = demo_store.records.reopen_meeting(meeting_id, "A decision was missed")
    assert demo_store.records.recorded_minutes(meeting_id) is None
    assert next(e.old for e in demo_store.events(reopened) if e.field == "record") == first[1]
    demo_store.decisions.record_decision(meeting_id, "The missed decision", "")
    demo_store.records.close_meeting(meeting_id)
    second = demo_store.records.recorded_minutes(meeting_id)
    assert second is not None and second[1] != first[1]
    assert "The missed decision" in minutes_document(demo_store, meeting_id)


def test_the_stamp_line_is_the_only_part_that_follows_the_minutes_life(
    demo_store: Store,
) -> None:
    meeting_id = closed_ids(demo_store)[-1]
    draft = split_minutes(minutes_document(demo_store, meeting_id))
    demo_store.audit.circulate_minutes(meeting_id)
    circulated = split_minutes(minutes_document(demo_store, meeting_id))
    assert draft is not None and circulated is not None
    assert draft[0] == circulated[0]
    assert (draft[1], circulated[1]) == ("draft", "circulated 2026-11-26 for comment")


def test_a_file_from_before_records_gets_one_for_each_closed_meeting(demo_path: Path) -> None:
    conn = sqlite3.connect(demo_path)  # the demo as schema version 9 had it
    for (trigger,) in conn.execute(
        "select name from sqlite_master where type = 'trigger' and name like '%_counted_%'"
    ).fetchall():
        conn.execute(f"drop trigger {trigger}")
    conn.execute("drop table content_marks")
    conn.execute("pragma application_id = 0")
    conn.execute("drop table meeting_records")
    conn.execute("alter table meetings drop column minutes_document_hash")
    conn.execute("alter table decisions drop column action_id")
    for column in ("score_rank", "cost", "funded", "over_teams", "crossed", "budget"):
        conn.execute(f"alter table rankings drop column {column}")
    conn.execute("pragma user_version = 9")
    conn.commit()
    conn.close()
    with Store(demo_path, clock=fixed_clock) as store:
        ids = closed_ids(store)
        assert ids and all(store.records.recorded_minutes(i) is not None for i in ids)
        before = all_minutes(store)
        rename_projects(store, 2)
        assert all_minutes(store) == before
        with store.snapshot():
            assert store.audit.outside_edits() == []


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(LATER_EDITS), st.integers(min_value=0, max_value=50)),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_later_edits_leaves_every_closed_meetings_minutes_byte_identical(
    demo_template: Path, edits: list[tuple[object, int]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        shutil.copy(demo_template, path)
        with Store(path, user="tester", clock=fixed_clock) as store:
            before = all_minutes(store)
            for edit, seed in edits:
                assert callable(edit)
                edit(store, seed)
            assert all_minutes(store) == before
