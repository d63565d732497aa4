"""Running a meeting through the store: steps and their time, parking, status, closing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pmo_tui.data.errors import ConflictError, InvalidInputError
from pmo_tui.data.meetings import series_title
from pmo_tui.data.models import (
    ActionStatus,
    AgendaStep,
    Attendance,
    AttendeeRole,
    Meeting,
    MeetingState,
    Person,
    Project,
    Rag,
)
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(tmp_path: Path, clock: Clock) -> Store:
    return Store(tmp_path / "m.db", create=True, user="tester", clock=clock)


def test_steps_record_their_start_end_and_time_over_visits(timed: Store, clock: Clock) -> None:
    meeting = timed.meetings.plan_meeting("Review", DAY)
    timed.meetings.start_meeting(meeting.id)
    clock.advance(7)
    timed.meetings.go_to_step(meeting.id, 1)
    clock.advance(20)
    timed.meetings.go_to_step(meeting.id, 0)
    clock.advance(3)
    timed.meetings.go_to_step(meeting.id, 1)
    first, second = timed.meetings.agenda(meeting.id)[:2]
    assert first.spent_seconds == 10 * 60
    assert first.started_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    assert first.ended_at == clock.now and first.entered_at is None
    assert second.spent_seconds == 20 * 60 and second.entered_at == clock.now
    assert timed.get(Meeting, meeting.id).current_step == 1


def test_extending_and_parking_a_step_carries_it_to_the_next_meeting(timed: Store) -> None:
    meeting = timed.meetings.plan_meeting("Review", DAY)
    timed.meetings.start_meeting(meeting.id)
    raid = timed.meetings.agenda(meeting.id)[2]
    assert timed.meetings.extend_step(raid.id, 5).timebox_minutes == raid.timebox_minutes + 5
    with pytest.raises(InvalidInputError, match="reason"):
        timed.meetings.park_step(raid.id, "  ")
    timed.meetings.park_step(raid.id, "Out of time for the supplier risks")
    following = timed.meetings.plan_meeting("Next", DAY + timedelta(days=28))
    first = timed.meetings.agenda(following.id)[0]
    assert first.title == f"Parked from M-{meeting.id}: RAID triage"
    assert first.step is AgendaStep.RAID
    assert "Out of time for the supplier risks" in first.notes
    assert len(timed.meetings.agenda(following.id)) == 8
    again = timed.meetings.plan_meeting("Later", DAY + timedelta(days=56))
    assert not timed.meetings.agenda(again.id)[0].title.startswith("Parked")


def test_parking_reaches_an_already_planned_meeting(timed: Store) -> None:
    meeting = timed.meetings.plan_meeting("Review", DAY)
    following = timed.meetings.plan_meeting("Next", DAY + timedelta(days=28))
    timed.meetings.start_meeting(meeting.id)
    status = timed.meetings.agenda(meeting.id)[1]
    timed.meetings.park_step(status.id, "Ran out of time")
    titles = [item.title for item in timed.meetings.agenda(following.id)]
    assert titles[0] == f"Parked from M-{meeting.id}: Status"
    assert [item.position for item in timed.meetings.agenda(following.id)] == list(range(8))


def test_the_agenda_is_edited_before_the_meeting_and_saved_as_a_template(store: Store) -> None:
    meeting = store.meetings.plan_meeting("Review", DAY, "Steering committee")
    added = store.meetings.add_agenda_step(
        meeting.id, AgendaStep.LESSONS, "Lessons from go-live", 7
    )
    titles = [item.title for item in store.meetings.agenda(meeting.id)]
    assert titles[-2:] == ["Lessons from go-live", "Wrap-up"]
    store.meetings.move_agenda_step(added.id, -1)
    assert [i.title for i in store.meetings.agenda(meeting.id)][-3] == "Lessons from go-live"
    aob = next(i for i in store.meetings.agenda(meeting.id) if i.step is AgendaStep.AOB)
    store.meetings.remove_agenda_step(aob.id, aob.version)
    steps = [item.step for item in store.meetings.agenda(meeting.id)]
    assert AgendaStep.AOB not in steps
    assert [item.position for item in store.meetings.agenda(meeting.id)] == list(range(len(steps)))
    store.meetings.save_agenda_as_template(meeting.id, "Our steering")
    other = store.meetings.plan_meeting("Next", DAY, "our steering")
    assert [i.step for i in store.meetings.agenda(other.id)] == steps
    store.meetings.start_meeting(meeting.id)
    with pytest.raises(InvalidInputError, match="has started"):
        store.meetings.add_agenda_step(meeting.id, AgendaStep.AOB)


def test_status_changes_make_this_meetings_report_and_conflicts_are_caught(
    demo_store: Store,
) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    row = demo_store.portfolio.status_board(meeting.id)[0]
    with pytest.raises(InvalidInputError, match="start or reopen"):
        demo_store.portfolio.set_status(meeting.id, row.project.id, row.current, overall=Rag.RED)
    demo_store.meetings.start_meeting(meeting.id)
    assert not row.reported_this_meeting and row.current is not None
    seen = row.current
    report = demo_store.portfolio.set_status(meeting.id, row.project.id, seen, overall=Rag.RED)
    assert report.meeting_id == meeting.id and report.id != seen.id
    assert report.schedule == seen.schedule and report.commentary == seen.commentary
    again = demo_store.portfolio.set_status(meeting.id, row.project.id, report, schedule=Rag.RED)
    assert again.id == report.id and again.version == 2
    board = demo_store.portfolio.status_board(meeting.id)[0]
    assert board.reported_this_meeting and board.previous == seen
    with pytest.raises(ConflictError):
        demo_store.portfolio.set_status(meeting.id, row.project.id, seen, overall=Rag.GREEN)
    with pytest.raises(ConflictError):
        demo_store.portfolio.set_status(meeting.id, row.project.id, report, overall=Rag.GREEN)


def test_decisions_and_actions_link_to_what_they_are_about(store: Store) -> None:
    project = store.db.add(Project(name="Portal"))
    meeting = store.meetings.plan_meeting("Review", DAY)
    with pytest.raises(InvalidInputError, match="start or reopen"):
        store.decisions.record_decision(meeting.id, "Too early")
    store.meetings.start_meeting(meeting.id)
    decision = store.decisions.record_decision(meeting.id, "Go", "ready", link="p-1")
    assert decision.project_id == project.id
    assert decision.agenda_item_id == store.meetings.agenda(meeting.id)[0].id
    with pytest.raises(InvalidInputError, match="R-99"):
        store.decisions.add_action(meeting.id, "Chase", link="R-99")
    action = store.decisions.add_action(meeting.id, "Chase", owner="new person", link=decision.code)
    assert action.decision_id == decision.id and action.project_id == project.id
    assert store.portfolio.person_named("New Person").id == action.owner_id
    with pytest.raises(InvalidInputError, match="text"):
        store.decisions.add_action(meeting.id, "   ")


def test_previous_actions_are_done_redated_reassigned_or_dropped(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.meeting_id = meeting.id
    open_before = demo_store.decisions.open_actions_before(meeting.id)
    dues = [a.due_on for a in open_before if a.due_on]
    assert dues == sorted(dues) and dues[0] < meeting.scheduled_on
    first, second, third, fourth = open_before[:4]
    demo_store.decisions.close_action(first.id, first.version, ActionStatus.DONE)
    demo_store.db.update(type(second), second.id, second.version, due_on=date(2027, 1, 8))
    demo_store.decisions.reassign_action(third.id, third.version, "Priya Raman")
    with pytest.raises(InvalidInputError, match="reason"):
        demo_store.decisions.close_action(fourth.id, fourth.version, ActionStatus.DROPPED)
    demo_store.decisions.close_action(fourth.id, fourth.version, ActionStatus.DROPPED, "Overtaken")
    carried = {c.action.id: c.outcome for c in demo_store.decisions.carried_over(meeting)}
    assert carried[first.id] == "marked done"
    assert "re-dated from" in carried[second.id] and "2027-01-08" in carried[second.id]
    assert carried[third.id] == "reassigned to Priya Raman"
    assert "marked dropped" in carried[fourth.id] and "Overtaken" in carried[fourth.id]
    assert len(demo_store.decisions.open_actions_before(meeting.id)) == len(open_before) - 2


def test_closing_freezes_and_reopening_is_recorded(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    closed = demo_store.records.close_meeting(meeting.id)
    assert closed.state is MeetingState.CLOSED and closed.closed_at is not None
    with pytest.raises(InvalidInputError, match="closed"):
        demo_store.decisions.record_decision(meeting.id, "Late")
    with pytest.raises(InvalidInputError, match="reason"):
        demo_store.records.reopen_meeting(meeting.id, "")
    reopened = demo_store.records.reopen_meeting(meeting.id, "Decision D-9 was minuted wrongly")
    assert reopened.state is MeetingState.LIVE
    fields = {(e.field, e.new) for e in demo_store.events(reopened)}
    assert ("reopened", "Decision D-9 was minuted wrongly") in fields
    assert any(field == "quorum" for field, _ in fields)


def test_quorum_follows_attendance(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    assert demo_store.meetings.quorum(meeting.id)[0]
    chair = next(
        r
        for r in demo_store.meetings.attendees(meeting.id)
        if r.attendee.role is AttendeeRole.CHAIR
    )
    demo_store.meetings.set_attendance(
        meeting.id, chair.attendee.person_id, AttendeeRole.CHAIR, Attendance.APOLOGIES
    )
    met, why = demo_store.meetings.quorum(meeting.id)
    assert not met and "chair absent" in why
    guest = demo_store.db.add(Person(name="Visiting Auditor"))
    demo_store.meetings.set_attendance(meeting.id, guest.id, AttendeeRole.GUEST)
    assert len(demo_store.meetings.attendees(meeting.id)) == 8


def test_since_last_meeting_reads_the_audit_trail(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    since = demo_store.meetings.since_last(meeting.id)
    assert since.previous_code == "M-2"
    assert since.rank_moves and all("rank" in c.detail for c in since.rank_moves)
    assert since.slipped and all("→" in c.detail for c in since.slipped)
    assert since.new_raid and since.closed_raid and since.actions_overdue
    first = demo_store.meetings.meetings()[-1].meeting
    assert demo_store.meetings.since_last(first.id).previous_code is None


def test_the_data_proposes_what_the_forum_must_see(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    proposals = demo_store.topics.propose_topics(meeting.id)
    steps = {p.step for p in proposals}
    assert steps == {
        AgendaStep.PREVIOUS_ACTIONS,
        AgendaStep.STATUS,
        AgendaStep.RAID,
        AgendaStep.CHANGES,
    }
    reds = [p for p in proposals if p.step is AgendaStep.STATUS]
    assert all(p.reason in ("red", "turned red", "RAG worsened") for p in reds)
    added = demo_store.topics.add_topics(meeting.id, proposals[:5])
    assert len(added) == 5
    assert demo_store.topics.add_topics(meeting.id, proposals[:5]) == []  # no duplicates
    assert [t.ref_code for t in demo_store.meetings.topics(meeting.id)] == [
        p.ref_code for p in proposals[:5]
    ]


def test_a_closed_meetings_record_is_frozen_but_its_actions_live_on(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    decision = demo_store.decisions.record_decision(meeting.id, "Go")
    action = demo_store.decisions.add_action(meeting.id, "Do it")
    item = demo_store.meetings.agenda(meeting.id)[0]
    demo_store.records.close_meeting(meeting.id)
    with pytest.raises(InvalidInputError, match="closed"):
        demo_store.decisions.edit_decision(decision.id, decision.version, "Changed", "", "")
    with pytest.raises(InvalidInputError, match="closed"):
        demo_store.decisions.delete_entry(decision)
    with pytest.raises(InvalidInputError, match="closed"):
        demo_store.meetings.set_notes(item.id, item.version, "late note")
    project = demo_store.portfolio.portfolio()[0].project
    with pytest.raises(InvalidInputError, match="closed"):
        demo_store.portfolio.set_status(meeting.id, project.id, None, overall=Rag.RED)
    assert demo_store.db.update(type(action), action.id, action.version, due_on=DAY).due_on == DAY
    assert demo_store.decisions.decisions(meeting.id) == [decision]


def test_presence_ages_out_dead_sessions_and_knows_the_driver(timed: Store, clock: Clock) -> None:
    meeting = timed.meetings.plan_meeting("Review", DAY)
    alive = timed.presence.join(meeting.id)
    dead = timed.presence.join(meeting.id)
    timed.meetings.start_meeting(meeting.id, alive.id)
    clock.now += timedelta(seconds=1)
    timed.presence.beat(alive.id, meeting.id, 0, "P-3")
    assert {s.id for s in timed.presence.present(meeting.id)} == {alive.id, dead.id}
    clock.now += timedelta(seconds=40)  # dead stopped beating (on another machine)
    timed.presence.beat(alive.id, meeting.id, 1, "R-7")
    present = timed.presence.present(meeting.id)
    assert [(s.id, s.driving, s.step, s.selection) for s in present] == [(alive.id, True, 1, "R-7")]
    assert timed.presence.driver_present(timed.get(Meeting, meeting.id))
    taken = timed.meetings.take_drive(meeting.id, dead.id)
    assert taken.driver_session == dead.id and taken.driver == "tester"
    assert any(e.field == "driver_session" for e in timed.events(taken))
    assert not timed.presence.driver_present(taken)
    timed.presence.leave(alive.id)
    assert timed.presence.present(meeting.id) == []


def test_a_followers_decision_is_a_draft_until_confirmed(store: Store) -> None:
    meeting = store.meetings.plan_meeting("Review", DAY)
    store.meetings.start_meeting(meeting.id)
    draft = store.decisions.record_decision(meeting.id, "Proposed by a follower", draft=True)
    assert draft.draft_by == "tester"
    confirmed = store.decisions.confirm_decision(draft.id, draft.version)
    assert confirmed.draft_by == "" and confirmed.version == 2


def test_a_meeting_with_an_unconfirmed_draft_is_not_closed(store: Store) -> None:
    """A follower's draft is not a decision of the meeting: the minutes must not say it
    was. Closing names the drafts; confirmed (or deleted), the meeting closes."""
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Review", DAY).id)
    draft = store.decisions.record_decision(meeting.id, "Proposed by a follower", draft=True)
    with pytest.raises(InvalidInputError, match=f"{draft.code} is a draft"):
        store.records.close_meeting(meeting.id)
    assert store.get(Meeting, meeting.id).state is MeetingState.LIVE
    store.decisions.confirm_decision(draft.id, draft.version)
    assert store.records.close_meeting(meeting.id).state is MeetingState.CLOSED


def test_a_record_belongs_to_the_step_its_author_was_looking_at(store: Store) -> None:
    """A follower may look at another step than the driver's: what they record goes under
    the step their dialog named, not the driver's."""
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Review", DAY).id)
    agenda = store.meetings.agenda(meeting.id)
    store.meetings.go_to_step(meeting.id, len(agenda) - 1)  # the driver is at wrap-up
    raid = next(item for item in agenda if item.step is AgendaStep.RAID)
    decision = store.decisions.record_decision(meeting.id, "Seen in RAID", step=raid.id)
    action = store.decisions.add_action(meeting.id, "Chase it", step=raid.id)
    assert decision.agenda_item_id == raid.id and action.agenda_item_id == raid.id
    assert store.decisions.record_decision(meeting.id, "At the driver's").agenda_item_id == (
        agenda[-1].id
    )
    other = store.meetings.plan_meeting("Another", DAY)
    elsewhere = store.meetings.agenda(other.id)[0]
    with pytest.raises(InvalidInputError, match="not in"):
        store.decisions.record_decision(meeting.id, "Wrong step", step=elsewhere.id)


def test_notes_saved_by_two_people_at_once_keep_every_word(store: Store) -> None:
    """A step's notes are one text the room adds to: a save merges over what the person
    saw, so neither a second writer nor the driver's edit of the step loses anything."""
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Review", DAY).id)
    item = store.meetings.agenda(meeting.id)[0]
    store.meetings.save_notes(item.id, "", "Alice: vendor late")
    store.meetings.extend_step(item.id, 5)  # the driver changes the step meanwhile
    # Bob started from the empty box too: his words are added, attributed, not refused.
    merged = store.meetings.save_notes(item.id, "", "Bob: budget holds").notes
    assert "Alice: vendor late" in merged and "Bob: budget holds" in merged
    # Alice goes on typing at the end of what she saw: her addition lands after Bob's.
    again = store.meetings.save_notes(item.id, "Alice: vendor late", "Alice: vendor late\nand QA")
    assert again.notes.index("Bob: budget holds") < again.notes.index("and QA")
    assert "Alice: vendor late" in again.notes
    # Saving what is already there writes nothing.
    assert store.meetings.save_notes(item.id, again.notes, again.notes).version == again.version


def test_notes_written_at_once_never_glue_or_repeat(store: Store) -> None:
    """Seen in a cold try: "bob10carol01" (two writers' words glued), and a person's whole
    text appended again when they had typed before what they saw."""
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Review", DAY).id)
    item = store.meetings.agenda(meeting.id)[0]
    store.meetings.save_notes(item.id, "", "bob01 bob02")
    merged = store.meetings.save_notes(item.id, "", "carol01 carol02").notes
    # Two people wrote at once: the second's words on their own line, under their name.
    assert merged == "bob01 bob02\n[tester] carol01 carol02"
    # Words typed before and after the text someone saw go around the current notes,
    # and what they saw is not repeated.
    seen = merged
    store.meetings.save_notes(item.id, seen, seen + "\ndan01")
    final = store.meetings.save_notes(item.id, seen, "Agreed: " + seen + " erin01").notes
    assert final.startswith("Agreed: bob01 bob02\n[tester] carol01 carol02\ndan01")
    assert final.endswith("\n[tester] erin01") and final.count("carol01") == 1


def test_a_meeting_that_follows_another_carries_the_forum_and_names_its_own_date(
    timed: Store, clock: Clock
) -> None:
    first = timed.meetings.plan_meeting("", DAY, "Steering committee")
    assert first.title == "Steering committee 26 Nov 2026"
    chair = timed.db.add(Person(name="Grace Okafor"))
    member = timed.db.add(Person(name="Lukas Novak"))
    timed.meetings.set_attendance(first.id, chair.id, AttendeeRole.CHAIR)
    timed.meetings.set_attendance(first.id, member.id, attendance=Attendance.APOLOGIES)
    first = timed.meetings.set_quorum(first.id, timed.get(Meeting, first.id).version, 1)
    agenda = timed.meetings.agenda(first.id)
    timed.meetings.rename_step(agenda[1].id, agenda[1].version, "Health of the portfolio")
    timed.meetings.start_meeting(first.id)
    timed.meetings.park_step(timed.meetings.agenda(first.id)[2].id, "out of time")

    second = timed.meetings.plan_meeting("", DAY + timedelta(days=14), follows=first.id)
    assert second.title == "Steering committee 10 Dec 2026"
    assert second.quorum_members == 1 and second.template == first.template
    steps = [(item.step, item.title, item.timebox_minutes) for item in agenda]
    steps[1] = (steps[1][0], "Health of the portfolio", steps[1][2])
    carried = timed.meetings.agenda(second.id)
    # The parked step opens the agenda once, then the forum's own steps as it last had them.
    assert carried[0].title.startswith("Parked from M-")
    assert [(i.step, i.title, i.timebox_minutes) for i in carried[1:]] == steps
    people = {row.attendee.person_id: row.attendee for row in timed.meetings.attendees(second.id)}
    assert people[chair.id].role is AttendeeRole.CHAIR
    assert people[member.id].attendance is Attendance.PRESENT  # expected again
    # A meeting following one that itself had a carried step does not carry it twice.
    third = timed.meetings.plan_meeting("Special", DAY + timedelta(days=28), follows=second.id)
    assert third.title == "Special"
    assert not any(
        item.title.startswith("Parked from M-") for item in timed.meetings.agenda(third.id)
    )


def test_a_meeting_held_on_another_day_takes_that_day_and_its_title_follows(
    timed: Store, clock: Clock
) -> None:
    ahead = timed.meetings.plan_meeting("", DAY + timedelta(days=14))
    named = timed.meetings.plan_meeting("Budget special", DAY + timedelta(days=14))
    started = timed.meetings.start_meeting(ahead.id, held_today=True)
    assert started.scheduled_on == DAY and started.title == "Portfolio review 26 Nov 2026"
    kept = timed.meetings.start_meeting(named.id, held_today=True)
    assert kept.scheduled_on == DAY and kept.title == "Budget special"  # a title of its own
    # A title ending in the planned day written as ISO (imports, scripts) follows too
    # (the cold try started "Portfolio review 2026-11-26" on the 30th, title unchanged).
    iso = timed.meetings.plan_meeting(
        f"Portfolio review {(DAY + timedelta(days=7)).isoformat()}", DAY + timedelta(days=7)
    )
    moved = timed.meetings.start_meeting(iso.id, held_today=True)
    assert moved.title == f"Portfolio review {DAY.isoformat()}"
    # The next of the series, title left blank: the forum's name and its own date, not
    # both dates ("Portfolio review 2026-11-30 11 Dec 2026"; cold try).
    following = timed.meetings.plan_meeting("", DAY + timedelta(days=21), follows=iso.id)
    assert following.title == series_title("Portfolio review", DAY + timedelta(days=21))
    later = timed.meetings.plan_meeting("", DAY + timedelta(days=28))
    unmoved = timed.meetings.start_meeting(later.id)
    assert unmoved.scheduled_on == DAY + timedelta(days=28)


def test_a_decision_links_to_an_action_and_the_minutes_name_it(demo_store: Store) -> None:
    from pmo_tui.export.files import minutes_document

    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    action = demo_store.decisions.open_actions_before(meeting.id)[0]
    decision = demo_store.decisions.record_decision(
        meeting.id, "Drop it: overtaken by the new plan", "No longer needed", action.code
    )
    assert decision.action_id == action.id and decision.project_id == action.project_id
    assert f"| {action.code} |" in minutes_document(demo_store, meeting.id)
    # An action links to a decision, not to another action: one sentence, nothing written.
    count = len(demo_store.decisions.actions(meeting.id))
    with pytest.raises(InvalidInputError, match="an action links to a project"):
        demo_store.decisions.add_action(meeting.id, "Follow up", link=action.code)
    assert len(demo_store.decisions.actions(meeting.id)) == count


def test_since_the_last_meeting_counts_from_the_last_one_held(demo_store: Store) -> None:
    """A meeting planned after one never held counted from that one: a window starting in
    the future, "nothing changed", and the minutes said so."""
    planned = demo_store.meetings.meetings()[0].meeting
    assert planned.state is MeetingState.PLANNED
    held = demo_store.meetings.previous_meeting(planned)
    assert held is not None and held.state is MeetingState.CLOSED
    later = demo_store.meetings.plan_meeting(
        "", planned.scheduled_on + timedelta(days=14), follows=planned.id
    )
    assert demo_store.meetings.previous_meeting(later) == held
    since = demo_store.meetings.since_last(later.id)
    assert not since.empty


def test_topics_of_a_meeting_held_early_are_read_again_on_the_day(demo_store: Store) -> None:
    from pmo_tui.data.models import AgendaStep

    planned = demo_store.meetings.meetings()[0].meeting
    ahead = planned.scheduled_on + timedelta(days=14)
    later = demo_store.meetings.plan_meeting("", ahead, follows=planned.id)
    proposals = [
        p
        for p in demo_store.topics.propose_topics(later.id)
        if p.step is AgendaStep.PREVIOUS_ACTIONS
    ]
    not_yet = [p for p in proposals if p.reason >= f"overdue since {planned.scheduled_on}"]
    assert not_yet, "the demo has actions falling due between the two dates"
    demo_store.topics.add_topics(later.id, proposals)
    demo_store.meetings.start_meeting(later.id, held_today=True)
    assert demo_store.topics.refresh_reasons(later.id, ahead) >= len(not_yet)
    reasons = {t.ref_code: t.reason for t in demo_store.meetings.topics(later.id)}
    for proposal in not_yet:
        assert reasons[proposal.ref_code].startswith(f"proposed for {ahead:%d %b}: overdue")
    assert demo_store.topics.refresh_reasons(later.id, ahead) == 0  # said once
