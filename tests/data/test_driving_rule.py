"""Driving is a rule of the data: in a live meeting, a session that follows may capture
(notes, actions, draft decisions, lessons, edits of those) and nothing else, whatever
path its edit takes; the driver steers. Two real sessions on one file, as two people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pmo_tui.data.errors import NotDrivingError
from pmo_tui.data.models import Action, AgendaItem, Meeting, Project, Rag, RaidItem
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock


@dataclass
class Room:
    meeting: Meeting
    driver: Store
    follower: Store

    def fresh(self) -> Meeting:
        return self.driver.get(Meeting, self.meeting.id)

    def item(self, index: int = 1) -> AgendaItem:
        return self.driver.meetings.agenda(self.meeting.id)[index]


@pytest.fixture
def room(demo_path: Path) -> Iterator[Room]:
    with (
        Store(demo_path, user="alice", clock=fixed_clock) as driver,
        Store(demo_path, user="bob", clock=fixed_clock) as follower,
    ):
        meeting = driver.meetings.meetings()[0].meeting
        alice = driver.presence.join(meeting.id)
        bob = follower.presence.join(meeting.id)
        driver.meetings.start_meeting(meeting.id, alice.id)
        driver.meetings.go_to_step(meeting.id, 1)
        # Each is in the meeting (the app sets this when a meeting screen opens).
        driver.meeting_id = follower.meeting_id = meeting.id
        assert bob.id != alice.id
        yield Room(driver.get(Meeting, meeting.id), driver, follower)


def test_a_follower_cannot_steer_the_meeting(room: Room) -> None:
    follower, meeting = room.follower, room.meeting
    before = follower.presence.content_mark()
    project = follower.portfolio.portfolio()[0].project
    risk = follower.all(RaidItem)[0]
    refused: list[Callable[[], object]] = [
        lambda: follower.meetings.go_to_step(meeting.id, 3),
        lambda: follower.meetings.extend_step(room.item().id),
        lambda: follower.meetings.park_step(room.item().id, "no time"),
        # Not a meeting operation at all: a project's status set while following.
        lambda: follower.portfolio.set_status(meeting.id, project.id, None, overall=Rag.RED),
        lambda: follower.raid.rescore(risk.id, risk.version, 5, 5),
        lambda: follower.records.close_meeting(meeting.id),
    ]
    for edit in refused:
        with pytest.raises(NotDrivingError, match=r"alice drives .* \(D takes the drive\)"):
            edit()
    assert follower.presence.content_mark() == before  # nothing was written


def test_a_follower_captures_and_their_decision_is_a_draft(room: Room) -> None:
    follower, meeting = room.follower, room.meeting
    # Asked as final: the drive may have passed while the dialog was open.
    decision = follower.decisions.record_decision(meeting.id, "Fund the pilot", draft=False)
    assert decision.draft_by == "bob"
    action = follower.decisions.add_action(meeting.id, "Send the plan", owner="Bob")
    follower.decisions.redate_action(action.id, action.version, fixed_clock().date())
    item = room.item()
    follower.meetings.save_notes(item.id, item.notes, item.notes + "\nbob's point")
    assert "bob's point" in room.item().notes
    # Confirming a draft is the driver's.
    with pytest.raises(NotDrivingError):
        follower.decisions.confirm_decision(decision.id, decision.version)
    confirmed = room.driver.decisions.confirm_decision(decision.id, decision.version)
    assert confirmed.draft_by == ""
    assert room.driver.get(Action, action.id).owner_id is not None


def test_when_followers_may_not_capture_the_data_refuses_them_too(room: Room) -> None:
    room.driver.meetings.set_followers_capture(room.meeting.id, room.meeting.version, False)
    follower, meeting = room.follower, room.meeting
    before = follower.presence.content_mark()
    item = room.item()
    for edit in (
        lambda: follower.decisions.record_decision(meeting.id, "Fund it", draft=True),
        lambda: follower.decisions.add_action(meeting.id, "Do it"),
        lambda: follower.meetings.save_notes(item.id, item.notes, "bob was here"),
        lambda: follower.lessons.add_lesson(title="Plan buffers", meeting_id=meeting.id),
    ):
        with pytest.raises(NotDrivingError, match="followers may not capture"):
            edit()
    assert follower.presence.content_mark() == before  # nothing was written


def test_a_driver_whose_drive_was_taken_is_refused_and_the_new_driver_steers(
    room: Room,
) -> None:
    driver, follower, meeting = room.driver, room.follower, room.meeting
    assert follower.db.session_id is not None
    follower.meetings.take_drive(meeting.id, follower.db.session_id)
    # alice's dialog was open while bob took the drive: her extend is refused.
    with pytest.raises(NotDrivingError, match="bob drives"):
        driver.meetings.extend_step(room.item().id)
    decision = driver.decisions.record_decision(meeting.id, "Go ahead")
    assert decision.draft_by == "alice"  # kept, as a draft for bob to confirm
    follower.meetings.go_to_step(meeting.id, 2)
    assert room.fresh().current_step == 2


def test_commands_and_scripts_are_no_session_and_keep_working(room: Room) -> None:
    # A connection that never joined (pmo's commands, imports, a script) is not a
    # participant: the rule is about sessions in the meeting.
    with Store(room.driver.path, user="carol", clock=fixed_clock) as script:
        project = script.all(Project)[0]
        script.portfolio.set_status(room.meeting.id, project.id, None, overall=Rag.AMBER)


def test_a_follower_cannot_rewrite_or_delete_what_the_forum_decided(room: Room) -> None:
    follower, meeting = room.follower, room.meeting
    decided = room.driver.decisions.record_decision(meeting.id, "Fund the pilot")
    with pytest.raises(NotDrivingError):
        follower.decisions.edit_decision(decided.id, decided.version, "Fund it all", "", "")
    with pytest.raises(NotDrivingError):
        follower.decisions.delete_entry(decided)
    action = room.driver.decisions.add_action(meeting.id, "Send the plan")
    with pytest.raises(NotDrivingError):
        follower.decisions.delete_entry(action)
    # Their own draft stays theirs to reword or withdraw until the driver confirms it.
    draft = follower.decisions.record_decision(meeting.id, "Pause the rollout")
    draft = follower.decisions.edit_decision(draft.id, draft.version, "Pause it", "", "")
    follower.decisions.delete_entry(draft)
    assert [d.text for d in room.driver.decisions.decisions(meeting.id)] == ["Fund the pilot"]


def test_a_followers_draft_is_theirs_or_the_drivers_to_change(room: Room, demo_path: Path) -> None:
    """A second follower could reword another person's draft (confirmed later with their
    words) or delete it."""
    follower, meeting = room.follower, room.meeting
    draft = follower.decisions.record_decision(meeting.id, "Pause the rollout")
    with Store(demo_path, user="carol", clock=fixed_clock) as carol:
        carol.presence.join(meeting.id)
        carol.meeting_id = meeting.id
        with pytest.raises(NotDrivingError):
            carol.decisions.edit_decision(draft.id, draft.version, "Carol's words", "", "")
        with pytest.raises(NotDrivingError):
            carol.decisions.delete_entry(draft)
    reworded = room.driver.decisions.edit_decision(draft.id, draft.version, "Pause it", "", "")
    assert reworded.text == "Pause it"  # the driver may
