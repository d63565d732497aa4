"""Every edit the interface makes is a store operation named for what the user does, with
its rules here, tested without the app: milliseconds, a real SQLite file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    Lesson,
    Meeting,
    MeetingState,
    RaidItem,
    RaidStatus,
    Response,
)
from pmo_tui.data.store import Store
from tests.conftest import DEMO_DAY


def risk(store: Store) -> RaidItem:
    return next(i for i in store.raid.all_open_raid() if i.kind.value == "risk")


def planned(store: Store) -> Meeting:
    return next(
        r.meeting for r in store.meetings.meetings() if r.meeting.state is MeetingState.PLANNED
    )


def test_triage_changes_score_response_and_status_only(demo_store: Store) -> None:
    item = risk(demo_store)
    done = demo_store.raid.triage_raid_item(item.id, item.version, probability=2, impact=3)
    assert (done.probability, done.impact) == (2, 3)
    done = demo_store.raid.triage_raid_item(done.id, done.version, response=Response.MITIGATE)
    assert done.response is Response.MITIGATE
    with pytest.raises(InvalidInputError, match="does not change title"):
        demo_store.raid.triage_raid_item(done.id, done.version, title="x")
    with pytest.raises(InvalidInputError, match="needs a reason"):
        demo_store.raid.triage_raid_item(done.id, done.version, status=RaidStatus.CLOSED)
    with pytest.raises(InvalidInputError):
        demo_store.raid.triage_raid_item(done.id, done.version, probability=9, impact=1)


def test_details_never_touch_the_score_and_need_a_title(demo_store: Store) -> None:
    item = risk(demo_store)
    with pytest.raises(InvalidInputError, match="do not include probability"):
        demo_store.raid.edit_raid_details(item.id, item.version, probability=1)
    with pytest.raises(InvalidInputError, match="needs a title"):
        demo_store.raid.edit_raid_details(item.id, item.version, title="  ")
    done = demo_store.raid.edit_raid_details(item.id, item.version, title="Renamed", trigger="When")
    assert (done.title, done.trigger) == ("Renamed", "When")


def test_a_note_is_dated_and_signed_under_the_description(demo_store: Store) -> None:
    item = risk(demo_store)
    done = demo_store.raid.note_raid_item(item.id, item.version, "  Supplier   called ")
    assert done.description.endswith(f"{DEMO_DAY.isoformat()} tester: Supplier called")
    with pytest.raises(InvalidInputError, match="needs some text"):
        demo_store.raid.note_raid_item(done.id, done.version, "   ")


def test_owner_review_date_and_closing_keep_their_rules(demo_store: Store) -> None:
    item = risk(demo_store)
    item = demo_store.raid.assign_raid_owner(item.id, item.version, "Sofia Marques")
    assert demo_store.portfolio.names()[item.owner_id or 0] == "Sofia Marques"
    with pytest.raises(InvalidInputError, match="in the past"):
        demo_store.raid.set_review_date(item.id, item.version, DEMO_DAY - timedelta(days=1))
    item = demo_store.raid.set_review_date(item.id, item.version, DEMO_DAY)
    assert item.review_by == DEMO_DAY
    with pytest.raises(InvalidInputError, match="needs a reason"):
        demo_store.raid.close_raid_item(item.id, item.version, " ")
    closed = demo_store.raid.close_raid_item(item.id, item.version, "Supplier delivered")
    assert closed.status is RaidStatus.CLOSED and closed.closed_on == DEMO_DAY
    assert closed.close_reason == "Supplier delivered"


def test_agenda_edits_have_their_bounds_and_stop_at_close(demo_store: Store) -> None:
    meeting = planned(demo_store)
    step = demo_store.meetings.agenda(meeting.id)[0]
    with pytest.raises(InvalidInputError, match="needs a title"):
        demo_store.meetings.rename_step(step.id, step.version, "   ")
    step = demo_store.meetings.rename_step(step.id, step.version, "  Actions   first ")
    assert step.title == "Actions first"
    with pytest.raises(InvalidInputError, match="0 to 600"):
        demo_store.meetings.timebox_step(step.id, step.version, 601)
    assert demo_store.meetings.timebox_step(step.id, step.version, 20).timebox_minutes == 20
    with pytest.raises(InvalidInputError, match="0 to 100"):
        demo_store.meetings.set_quorum(meeting.id, meeting.version, -1)
    meeting = demo_store.meetings.set_quorum(meeting.id, meeting.version, 4)
    meeting = demo_store.meetings.set_followers_capture(meeting.id, meeting.version, False)
    assert (meeting.quorum_members, meeting.followers_capture) == (4, False)
    closed = next(
        r.meeting for r in demo_store.meetings.meetings() if r.meeting.state.value == "closed"
    )
    old_step = demo_store.meetings.agenda(closed.id)[0]
    with pytest.raises(InvalidInputError, match="is closed"):
        demo_store.meetings.rename_step(old_step.id, old_step.version, "Rewritten history")


def test_a_topic_comes_off_a_planned_agenda_only(demo_store: Store) -> None:
    meeting = planned(demo_store)
    demo_store.topics.add_topics(meeting.id, demo_store.topics.propose_topics(meeting.id)[:2])
    first, second = demo_store.meetings.topics(meeting.id)
    demo_store.topics.remove_topic(first.id, first.version)
    assert [t.id for t in demo_store.meetings.topics(meeting.id)] == [second.id]
    demo_store.meetings.start_meeting(meeting.id)
    with pytest.raises(InvalidInputError, match="has started"):
        demo_store.topics.remove_topic(second.id, second.version)


def test_an_action_reopens_and_is_redated(demo_store: Store) -> None:
    action = next(a for a in demo_store.all(Action) if a.status is ActionStatus.OPEN)
    done = demo_store.decisions.close_action(action.id, action.version, ActionStatus.DONE)
    again = demo_store.decisions.reopen_action(done.id, done.version)
    assert (again.status, again.closed_on, again.close_reason) == (ActionStatus.OPEN, None, "")
    moved = demo_store.decisions.redate_action(again.id, again.version, date(2027, 1, 15))
    assert moved.due_on == date(2027, 1, 15)


def test_a_lesson_edit_changes_what_it_says_only(demo_store: Store) -> None:
    lesson = demo_store.all(Lesson)[0]
    with pytest.raises(InvalidInputError, match="does not change adopted_on"):
        demo_store.lessons.edit_lesson(lesson.id, lesson.version, adopted_on=DEMO_DAY)
    edited = demo_store.lessons.edit_lesson(lesson.id, lesson.version, title="Sharper")
    assert edited.title == "Sharper"
    demo_store.lessons.delete_lesson(edited.id, edited.version)
    assert edited.id not in [x.id for x in demo_store.all(Lesson)]
