"""Decisions and actions: what a meeting records, and what becomes of its actions after."""

from __future__ import annotations

from datetime import date
from typing import Any

from pmo_tui.data.core import Db, Seat, validated
from pmo_tui.data.errors import InvalidInputError, NotFoundError
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    Attendance,
    CarriedAction,
    ChangeRequest,
    Decision,
    Meeting,
    Project,
    RaidItem,
    Record,
)
from pmo_tui.data.portfolio import Portfolio


class Tally:
    """An optional vote: all three counts or none."""

    def __init__(self, votes_for: int = 0, against: int = 0, abstain: int = 0) -> None:
        if min(votes_for, against, abstain) < 0:
            raise InvalidInputError("Votes cannot be negative.")
        self.votes_for, self.against, self.abstain = votes_for, against, abstain

    @property
    def total(self) -> int:
        return self.votes_for + self.against + self.abstain


class Decisions:
    """Decisions and actions over the core, reading the meeting they are recorded in."""

    def __init__(self, db: Db, portfolio: Portfolio, meetings: Meetings) -> None:
        self.db = db
        self.portfolio = portfolio
        self.meetings = meetings

    def _links(self, code: str, of: type[Decision] | type[Action]) -> dict[str, Any]:
        """Foreign keys for a typed link like ``P-3``, ``R-12``, ``CR-4``, ``D-7`` (an
        action's decision) or ``A-6`` (a decision about an action)."""
        code = code.strip()
        if not code:
            return {}
        try:
            record: Record = self.db.find(code)
        except NotFoundError as error:
            raise InvalidInputError(f"Link {code!r}: {error}") from None
        if isinstance(record, Project):
            return {"project_id": record.id}
        if isinstance(record, RaidItem):
            return {"raid_item_id": record.id, "project_id": record.project_id}
        if isinstance(record, ChangeRequest):
            return {"change_request_id": record.id, "project_id": record.project_id}
        if isinstance(record, Decision):
            return {"decision_id": record.id, "project_id": record.project_id}
        if isinstance(record, Action) and of is Decision:
            return {"action_id": record.id, "project_id": record.project_id}
        raise InvalidInputError(
            f"Link {code!r}: "
            + (
                "a decision links to a project, RAID item, change request or action."
                if of is Decision
                else "an action links to a project, RAID item, change request or decision."
            )
        )

    def record_decision(
        self,
        meeting_id: int | None,
        text: str,
        rationale: str = "",
        link: str = "",
        *,
        draft: bool = False,
        step: int | None = None,
    ) -> Decision:
        """A decision; ``draft`` when a follower proposes it for the driver to confirm
        (a follower's decision is always a draft, whatever the caller asked: the drive
        may have passed while its dialog was open). It belongs to agenda step ``step``
        (the one its author looked at), else to the meeting's current step."""
        with self.db.write():
            step = self.meetings.current_item(meeting_id, step)
            if meeting_id is not None:
                draft = draft or not self.db.drives(self.db.get(Meeting, meeting_id))
            else:
                self.db.seat(None, "capture")
            links = self._links(link, Decision)
            links.pop("decision_id", None)
            decision = validated(
                Decision,
                agenda_item_id=step,
                draft_by=self.db.user if draft else "",
                meeting_id=meeting_id,
                text=text.strip(),
                rationale=rationale.strip(),
                decided_on=self.db.clock().date(),
                **links,
            )
            return self.db.add(decision)

    def add_action(
        self,
        meeting_id: int | None,
        text: str,
        owner: str = "",
        due_on: date | None = None,
        link: str = "",
        *,
        step: int | None = None,
    ) -> Action:
        """An action; an owner not yet among ``people`` is added (and audited). It belongs
        to agenda step ``step`` (the one its author looked at), else the current one."""
        with self.db.write():
            step = self.meetings.current_item(meeting_id, step)
            self.db.seat(None, "capture")
            owner_id = self.portfolio.person_named(owner, create=True).id if owner.strip() else None
            action = validated(
                Action,
                agenda_item_id=step,
                meeting_id=meeting_id,
                text=text.strip(),
                owner_id=owner_id,
                due_on=due_on,
                **self._links(link, Action),
            )
            return self.db.add(action)

    def _unfrozen(self, record: Decision | Action, seat: Seat = "capture") -> None:
        """A closed meeting's decisions are its record: they change only if it is reopened.
        Actions live on after their meeting and can always be worked. In a live meeting,
        editing an action or a draft is capturing (``seat``); a confirmed decision, like
        confirming a draft, is the driver's: a follower cannot rewrite what the forum
        decided."""
        if isinstance(record, Decision) and record.draft_by in ("", None):
            seat = "drive"
        elif isinstance(record, Decision) and record.draft_by != self.db.user:
            seat = "drive"  # another person's draft: theirs or the driver's to change
        if isinstance(record, Decision) and record.meeting_id is not None:
            self.db.live_meeting(record.meeting_id, seat)
        else:
            self.db.seat(None, seat)

    def confirm_decision(self, decision_id: int, version: int) -> Decision:
        with self.db.write():
            self._unfrozen(self.db.get(Decision, decision_id), "drive")
            return self.db.update(Decision, decision_id, version, draft_by="")

    def delete_entry(self, record: Decision | Action) -> None:
        """Delete a decision or action (the audit trail keeps what it said). In a live
        meeting only the driver deletes, but a follower may withdraw a draft."""
        with self.db.write():
            current = self.db.get(type(record), record.id)
            own_draft = isinstance(current, Decision) and current.draft_by == self.db.user
            self._unfrozen(current, "capture" if own_draft else "drive")
            self.db.delete(type(record), record.id, record.version)

    def edit_decision(
        self, decision_id: int, version: int, text: str, rationale: str, link: str
    ) -> Decision:
        with self.db.write():
            self._unfrozen(self.db.get(Decision, decision_id))
            links = {
                "project_id": None,
                "raid_item_id": None,
                "change_request_id": None,
                "action_id": None,
            }
            links.update(self._links(link, Decision))
            links.pop("decision_id", None)
            return self.db.update(
                Decision,
                decision_id,
                version,
                text=text.strip(),
                rationale=rationale.strip(),
                **links,
            )

    def edit_action(
        self,
        action_id: int,
        version: int,
        text: str,
        owner: str,
        due_on: date | None,
        link: str,
    ) -> Action:
        with self.db.write():
            self.db.seat(None, "capture")
            owner_id = self.portfolio.person_named(owner, create=True).id if owner.strip() else None
            links: dict[str, Any] = {
                "project_id": None,
                "raid_item_id": None,
                "change_request_id": None,
                "decision_id": None,
            }
            links.update(self._links(link, Action))
            return self.db.update(
                Action,
                action_id,
                version,
                text=text.strip(),
                owner_id=owner_id,
                due_on=due_on,
                **links,
            )

    def decisions(self, meeting_id: int) -> list[Decision]:
        rows = self.db.conn.execute(
            "select * from decisions where meeting_id = ? order by id", (meeting_id,)
        )
        return [self.db.row_to(Decision, row) for row in rows]

    def actions(self, meeting_id: int) -> list[Action]:
        rows = self.db.conn.execute(
            "select * from actions where meeting_id = ? order by id", (meeting_id,)
        )
        return [self.db.row_to(Action, row) for row in rows]

    def open_actions_before(self, meeting_id: int) -> list[Action]:
        """Open actions raised anywhere but in this meeting, overdue (earliest due) first."""
        rows = self.db.conn.execute(
            "select * from actions where status = ? and (meeting_id is null or meeting_id != ?)"
            " order by due_on is null, due_on, id",
            (ActionStatus.OPEN.value, meeting_id),
        )
        return [self.db.row_to(Action, row) for row in rows]

    def action_list(self, *, open_only: bool = False, owner: str = "") -> list[Action]:
        """Actions across all meetings, by due date; optionally open ones, one owner's."""
        sql = "select a.* from actions a left join people p on p.id = a.owner_id where 1 = 1"
        params: list[object] = []
        if open_only:
            sql += " and a.status = ?"
            params.append(ActionStatus.OPEN.value)
        if owner.strip():
            sql += " and p.name = ? collate nocase"
            params.append(" ".join(owner.split()))
        sql += " order by a.due_on is null, a.due_on, a.id"
        return [self.db.row_to(Action, row) for row in self.db.conn.execute(sql, params)]

    def close_action(
        self, action_id: int, version: int, status: ActionStatus, reason: str = ""
    ) -> Action:
        """Mark an action done, or drop it (a reason is required)."""
        reason = " ".join(reason.split())
        if status is ActionStatus.DROPPED and not reason:
            raise InvalidInputError("Dropping an action needs a reason; nothing was saved.")
        return self.db.update(
            Action,
            action_id,
            version,
            status=status,
            closed_on=self.db.clock().date(),
            close_reason=reason,
        )

    def reopen_action(self, action_id: int, version: int) -> Action:
        """A done or dropped action is open again (its closing date and reason go)."""
        return self.db.update(
            Action,
            action_id,
            version,
            status=ActionStatus.OPEN,
            closed_on=None,
            close_reason="",
        )

    def redate_action(self, action_id: int, version: int, due_on: date) -> Action:
        """A new due date for an action."""
        with self.db.write():
            self.db.seat(None, "capture")
            return self.db.update(Action, action_id, version, due_on=due_on)

    def reassign_action(self, action_id: int, version: int, owner: str) -> Action:
        with self.db.write():
            self.db.seat(None, "capture")
            person = self.portfolio.person_named(owner, create=True)
            return self.db.update(Action, action_id, version, owner_id=person.id)

    def carried_over(self, meeting: Meeting) -> list[CarriedAction]:
        """Actions from earlier meetings that this meeting dealt with, and how."""
        rows = self.db.conn.execute(
            "select entity_id, field, old, new from events where meeting_id = ? "
            "and entity = 'actions' and field in ('status', 'due_on', 'owner_id', "
            "'close_reason') order by id",
            (meeting.id,),
        ).fetchall()
        outcomes: dict[int, list[str]] = {}
        names = self.portfolio.names()
        for row in rows:
            field, old, new = row["field"], row["old"], row["new"]
            if field == "status":
                text = f"marked {new}"
            elif field == "due_on":
                text = f"re-dated from {old or 'none'} to {new or 'none'}"
            elif field == "owner_id":
                text = f"reassigned to {names.get(int(new), '?') if new else 'nobody'}"
            else:
                text = f"reason: {new}"
            outcomes.setdefault(int(row["entity_id"]), []).append(text)
        carried = []
        for action_id, texts in outcomes.items():
            try:
                action = self.db.get(Action, action_id)
            except NotFoundError:
                continue
            if action.meeting_id != meeting.id:
                carried.append(CarriedAction(action=action, outcome="; ".join(texts)))
        return carried

    def forum_decision(self, meeting: Meeting, *, tally: Tally | None, **values: Any) -> Decision:
        present = [
            row.name
            for row in self.meetings.attendees(meeting.id)
            if row.attendee.attendance is Attendance.PRESENT
        ]
        if tally is not None and present and tally.total > len(present):
            raise InvalidInputError(
                f"The tally counts {tally.total} votes but {len(present)} "
                f"{'person is' if len(present) == 1 else 'people are'} present."
            )
        votes: dict[str, int | None] = {
            "votes_for": tally.votes_for if tally else None,
            "votes_against": tally.against if tally else None,
            "votes_abstain": tally.abstain if tally else None,
        }
        decision = validated(
            Decision,
            meeting_id=meeting.id,
            agenda_item_id=self.meetings.current_item(meeting.id),
            decided_on=self.db.clock().date(),
            present=", ".join(present),
            **votes,
            **values,
        )
        return self.db.add(decision)
