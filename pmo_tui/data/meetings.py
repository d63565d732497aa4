"""Meetings: templates, planning the agenda, running the steps, decisions and actions,
closing, and what the minutes are built from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from pmo_tui.data.agenda import DEFAULT_TEMPLATE, STEP_GUIDE
from pmo_tui.data.core import validated
from pmo_tui.data.errors import InvalidInputError, NotFoundError
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaStep,
    AgendaTopic,
    Attendance,
    Attendee,
    AttendeeRole,
    AttendeeRow,
    CarriedAction,
    ChangeRequest,
    ChangeStatus,
    Decision,
    Meeting,
    MeetingDetail,
    MeetingRow,
    MeetingState,
    MeetingTemplate,
    MinutesState,
    Project,
    ProposedTopic,
    RaidItem,
    RaidKind,
    RaidStatus,
    Record,
    SinceLast,
    TemplateStep,
)
from pmo_tui.data.portfolio import PortfolioStore
from pmo_tui.data.rules import quorum, rag_severity, risk_score
from pmo_tui.data.since import since_last

HIGH_RISK_SCORE = 15

Positioned = TypeVar("Positioned", AgendaItem, AgendaTopic)


class MeetingStore(PortfolioStore):
    # -- listing ---------------------------------------------------------------------

    def meetings(self) -> list[MeetingRow]:
        rows = self.conn.execute(
            """
            select m.*,
                (select count(*) from decisions d where d.meeting_id = m.id) as n_decisions,
                (select count(*) from actions a where a.meeting_id = m.id) as n_actions
            from meetings m order by m.scheduled_on desc, m.id desc
            """
        )
        result = []
        for row in rows:
            data = dict(row)
            decisions = data.pop("n_decisions")
            actions = data.pop("n_actions")
            result.append(
                MeetingRow(
                    meeting=Meeting.model_validate(data), decisions=decisions, actions=actions
                )
            )
        return result

    def attendees(self, meeting_id: int) -> list[AttendeeRow]:
        rows = self.conn.execute(
            "select a.*, p.name as person_name from attendees a "
            "join people p on p.id = a.person_id where a.meeting_id = ? order by a.id",
            (meeting_id,),
        )
        result = []
        for row in rows:
            data = dict(row)
            name = data.pop("person_name")
            result.append(AttendeeRow(attendee=Attendee.model_validate(data), name=name))
        return result

    def meeting_detail(self, meeting_id: int) -> MeetingDetail:
        meeting = self.get(Meeting, meeting_id)
        counts = self.conn.execute(
            "select (select count(*) from decisions where meeting_id = :m),"
            " (select count(*) from actions where meeting_id = :m)",
            {"m": meeting_id},
        ).fetchone()
        return MeetingDetail(
            meeting=meeting,
            agenda=self.agenda(meeting_id),
            attendees=self.attendees(meeting_id),
            decisions=counts[0],
            actions=counts[1],
        )

    def agenda(self, meeting_id: int) -> list[AgendaItem]:
        rows = self.conn.execute(
            "select * from agenda_items where meeting_id = ? order by position, id",
            (meeting_id,),
        )
        return [self._row_to(AgendaItem, row) for row in rows]

    def topics(self, meeting_id: int) -> list[AgendaTopic]:
        rows = self.conn.execute(
            "select t.* from agenda_topics t join agenda_items a on a.id = t.agenda_item_id "
            "where t.meeting_id = ? order by a.position, t.position, t.id",
            (meeting_id,),
        )
        return [self._row_to(AgendaTopic, row) for row in rows]

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        row = self.conn.execute(
            "select * from meetings where id != ? and (scheduled_on < ? or "
            "(scheduled_on = ? and id < ?)) order by scheduled_on desc, id desc limit 1",
            (
                meeting.id,
                meeting.scheduled_on.isoformat(),
                meeting.scheduled_on.isoformat(),
                meeting.id,
            ),
        ).fetchone()
        return None if row is None else self._row_to(Meeting, row)

    # -- templates -------------------------------------------------------------------

    def templates(self) -> list[MeetingTemplate]:
        rows = self.conn.execute("select * from meeting_templates order by name")
        return [self._row_to(MeetingTemplate, row) for row in rows]

    def template_steps(self, template_id: int) -> list[TemplateStep]:
        rows = self.conn.execute(
            "select * from template_steps where template_id = ? order by position, id",
            (template_id,),
        )
        return [self._row_to(TemplateStep, row) for row in rows]

    def _template(self, name: str) -> MeetingTemplate:
        row = self.conn.execute(
            "select * from meeting_templates where name = ? collate nocase", (name,)
        ).fetchone()
        if row is None:
            names = ", ".join(template.name for template in self.templates())
            raise InvalidInputError(
                f"There is no meeting template {name!r}; choose one of {names}."
            )
        return self._row_to(MeetingTemplate, row)

    def save_agenda_as_template(self, meeting_id: int, name: str) -> MeetingTemplate:
        """Make this meeting's agenda the template ``name`` (replacing its steps)."""
        name = name.strip()
        if not name:
            raise InvalidInputError("A template needs a name; nothing was saved.")
        with self._write():
            try:
                template = self._template(name)
                for step in self.template_steps(template.id):
                    self.delete(TemplateStep, step.id, step.version)
            except InvalidInputError:
                template = self.add(MeetingTemplate(name=name))
            for position, item in enumerate(self.agenda(meeting_id)):
                self.add(
                    TemplateStep(
                        template_id=template.id,
                        position=position,
                        step=item.step,
                        title=item.title,
                        timebox_minutes=item.timebox_minutes,
                    )
                )
        return template

    # -- planning --------------------------------------------------------------------

    def plan_meeting(
        self, title: str, scheduled_on: date, template: str = DEFAULT_TEMPLATE
    ) -> Meeting:
        """A new planned meeting: the template's steps, after any steps parked earlier."""
        with self._write():
            steps = self.template_steps(self._template(template).id)
            meeting = self.add(
                validated(Meeting, title=title, scheduled_on=scheduled_on, template=template)
            )
            position = self._carry_parked(meeting)
            for offset, step in enumerate(steps):
                self.add(
                    AgendaItem(
                        meeting_id=meeting.id,
                        position=position + offset,
                        step=step.step,
                        title=step.title,
                        timebox_minutes=step.timebox_minutes,
                    )
                )
        return meeting

    def _carry_parked(self, meeting: Meeting) -> int:
        """Open ``meeting``'s agenda with the steps parked in earlier meetings."""
        rows = self.conn.execute(
            "select a.*, m.id as from_meeting from agenda_items a "
            "join meetings m on m.id = a.meeting_id "
            "where a.parked_reason != '' and a.carried_to is null and m.id != ? "
            "and m.scheduled_on <= ? order by m.scheduled_on, a.position",
            (meeting.id, meeting.scheduled_on.isoformat()),
        ).fetchall()
        for position, row in enumerate(rows):
            data = dict(row)
            data.pop("from_meeting")
            parked = AgendaItem.model_validate(data)
            self.update(AgendaItem, parked.id, parked.version, carried_to=meeting.id)
            self.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=position,
                    step=parked.step,
                    title=f"Parked from M-{parked.meeting_id}: {parked.title}"[:200],
                    timebox_minutes=max(5, parked.timebox_minutes // 2),
                    notes=f"Parked because: {parked.parked_reason}",
                )
            )
        return len(rows)

    def _editable_agenda(self, meeting_id: int) -> Meeting:
        meeting = self.get(Meeting, meeting_id)
        if meeting.state is not MeetingState.PLANNED:
            raise InvalidInputError(
                f"{meeting.code} has started: its steps can be renamed, extended or parked, "
                "but not added, removed or reordered."
            )
        return meeting

    def add_agenda_step(
        self, meeting_id: int, step: AgendaStep, title: str = "", timebox_minutes: int = 10
    ) -> AgendaItem:
        with self._write():
            self._editable_agenda(meeting_id)
            items = self.agenda(meeting_id)
            # Wrap-up stays last: a new step goes before it.
            wrap = next((i for i in items if i.step is AgendaStep.WRAP_UP), None)
            position = wrap.position if wrap else len(items)
            if wrap is not None:
                for item in items[items.index(wrap) :]:
                    self.update(AgendaItem, item.id, item.version, position=item.position + 1)
            return self.add(
                AgendaItem(
                    meeting_id=meeting_id,
                    position=position,
                    step=step,
                    title=title.strip() or STEP_GUIDE[step].title,
                    timebox_minutes=timebox_minutes,
                )
            )

    def remove_agenda_step(self, item_id: int, version: int) -> None:
        with self._write():
            item = self.get(AgendaItem, item_id)
            self._editable_agenda(item.meeting_id)
            self.delete(AgendaItem, item_id, version)
            self._renumber(AgendaItem, self.agenda(item.meeting_id))

    def move_agenda_step(self, item_id: int, delta: int) -> None:
        with self._write():
            item = self.get(AgendaItem, item_id)
            self._editable_agenda(item.meeting_id)
            self._move_within(AgendaItem, self.agenda(item.meeting_id), item_id, delta)

    def _renumber(self, model: type[Positioned], rows: list[Positioned]) -> None:
        for position, row in enumerate(rows):
            if row.position != position:
                self.update(model, row.id, row.version, position=position)

    def _move_within(
        self, model: type[Positioned], rows: list[Positioned], record_id: int, delta: int
    ) -> None:
        index = next(i for i, row in enumerate(rows) if row.id == record_id)
        target = index + delta
        if 0 <= target < len(rows):
            rows.insert(target, rows.pop(index))
            self._renumber(model, rows)

    # -- management by exception ----------------------------------------------------

    def propose_topics(self, meeting_id: int) -> list[ProposedTopic]:
        """What this forum must see, most severe first, each timeboxed by severity."""
        meeting = self.get(Meeting, meeting_id)
        today = meeting.scheduled_on
        proposals: list[ProposedTopic] = []
        for row in self.status_board(meeting_id):
            current, previous = row.current, row.previous
            if current is None:
                continue
            worse = previous is not None and rag_severity(current.overall) > rag_severity(
                previous.overall
            )
            if current.overall.value == "red" or worse:
                reason = "red" if current.overall.value == "red" else "RAG worsened"
                if current.overall.value == "red" and worse:
                    reason = "turned red"
                severity = 3 if current.overall.value == "red" else 2
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.STATUS,
                        ref_code=row.project.code,
                        title=row.project.name,
                        reason=reason,
                        timebox_minutes=2 + severity,
                        severity=severity,
                    )
                )
        for item in self.all_open_raid():
            score = risk_score(item)
            if item.kind is RaidKind.RISK and score is not None and score >= HIGH_RISK_SCORE:
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.RAID,
                        ref_code=item.code,
                        title=item.title,
                        reason=f"risk score {score}",
                        timebox_minutes=5 if score >= 20 else 3,
                        severity=3 if score >= 20 else 2,
                    )
                )
            elif (
                item.kind is RaidKind.ASSUMPTION
                and item.review_by is not None
                and item.review_by < today
            ):
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.RAID,
                        ref_code=item.code,
                        title=item.title,
                        reason=f"not validated by {item.review_by.isoformat()}",
                        timebox_minutes=2,
                        severity=1,
                    )
                )
        for action in self.open_actions_before(meeting_id):
            if action.due_on is not None and action.due_on < today:
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.PREVIOUS_ACTIONS,
                        ref_code=action.code,
                        title=action.text[:200],
                        reason=f"overdue since {action.due_on.isoformat()}",
                        timebox_minutes=2,
                        severity=2,
                    )
                )
        for change in self.all(ChangeRequest):
            if change.status in (ChangeStatus.SUBMITTED, ChangeStatus.MORE_INFORMATION):
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.CHANGES,
                        ref_code=change.code,
                        title=change.title,
                        reason=f"awaiting decision ({change.status})",
                        timebox_minutes=4,
                        severity=2,
                    )
                )
        order = list(AgendaStep)

        def code_order(code: str) -> tuple[str, int]:
            prefix, _, number = code.partition("-")
            return prefix, int(number) if number.isdigit() else 0

        proposals.sort(key=lambda p: (order.index(p.step), -p.severity, code_order(p.ref_code)))
        return proposals

    def add_topics(self, meeting_id: int, proposals: list[ProposedTopic]) -> list[AgendaTopic]:
        """Put the kept proposals under the first step of their kind (others are skipped)."""
        added: list[AgendaTopic] = []
        with self._write():
            items = {item.step: item for item in reversed(self.agenda(meeting_id))}
            existing = {(t.agenda_item_id, t.ref_code) for t in self.topics(meeting_id)}
            for proposal in proposals:
                item = items.get(proposal.step)
                if item is None or (item.id, proposal.ref_code) in existing:
                    continue
                position = sum(1 for t in added if t.agenda_item_id == item.id) + sum(
                    1 for key in existing if key[0] == item.id
                )
                added.append(
                    self.add(
                        AgendaTopic(
                            meeting_id=meeting_id,
                            agenda_item_id=item.id,
                            position=position,
                            ref_code=proposal.ref_code,
                            title=proposal.title[:400],
                            reason=proposal.reason,
                            timebox_minutes=proposal.timebox_minutes,
                        )
                    )
                )
        return added

    def move_topic(self, topic_id: int, delta: int) -> None:
        """Move a topic up or down within its step."""
        with self._write():
            topic = self.get(AgendaTopic, topic_id)
            siblings = [
                t for t in self.topics(topic.meeting_id) if t.agenda_item_id == topic.agenda_item_id
            ]
            self._move_within(AgendaTopic, siblings, topic_id, delta)

    def all_open_raid(self) -> list[RaidItem]:
        rows = self.conn.execute(
            "select * from raid_items where status != ? "
            "order by coalesce(probability * impact, 0) desc, id",
            (RaidStatus.CLOSED.value,),
        )
        return [self._row_to(RaidItem, row) for row in rows]

    # -- attendees -------------------------------------------------------------------

    def set_attendance(
        self,
        meeting_id: int,
        person_id: int,
        role: AttendeeRole = AttendeeRole.MEMBER,
        attendance: Attendance = Attendance.PRESENT,
    ) -> Attendee:
        with self._write():
            row = self.conn.execute(
                "select * from attendees where meeting_id = ? and person_id = ?",
                (meeting_id, person_id),
            ).fetchone()
            if row is None:
                return self.add(
                    Attendee(
                        meeting_id=meeting_id, person_id=person_id, role=role, attendance=attendance
                    )
                )
            current = self._row_to(Attendee, row)
            return self.update(
                Attendee, current.id, current.version, role=role, attendance=attendance
            )

    def quorum(self, meeting_id: int) -> tuple[bool, str]:
        meeting = self.get(Meeting, meeting_id)
        roles = [
            (row.attendee.role.value, row.attendee.attendance.value)
            for row in self.attendees(meeting_id)
        ]
        return quorum(roles, meeting.quorum_members)

    # -- running ---------------------------------------------------------------------

    def start_meeting(self, meeting_id: int, session_id: int | None = None) -> Meeting:
        """Make a planned meeting live and enter its first step (a live one: resume).
        The session that starts it drives it."""
        with self._write():
            meeting = self.get(Meeting, meeting_id)
            if meeting.state is MeetingState.LIVE:
                return meeting
            if meeting.state is MeetingState.CLOSED:
                raise InvalidInputError(f"{meeting.code} is closed; reopen it to change anything.")
            meeting = self.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.LIVE,
                started_at=self.clock(),
                driver_session=session_id,
                driver=self.user if session_id is not None else "",
            )
            self._enter(meeting, meeting.current_step)
            return meeting

    def take_drive(self, meeting_id: int, session_id: int) -> Meeting:
        """This session drives from now on (recorded: who took over from whom)."""
        with self._write():
            meeting = self._live(meeting_id)
            if meeting.driver_session == session_id:
                return meeting
            return self.update(
                Meeting, meeting_id, meeting.version, driver_session=session_id, driver=self.user
            )

    def _enter(self, meeting: Meeting, index: int) -> None:
        items = self.agenda(meeting.id)
        if not 0 <= index < len(items):
            return
        item = items[index]
        now = self.clock()
        self.update(
            AgendaItem, item.id, item.version, entered_at=now, started_at=item.started_at or now
        )

    def _leave(self, meeting: Meeting) -> None:
        items = self.agenda(meeting.id)
        if not 0 <= meeting.current_step < len(items):
            return
        item = items[meeting.current_step]
        if item.entered_at is None:
            return
        now = self.clock()
        spent = item.spent_seconds + max(0, int((now - item.entered_at).total_seconds()))
        self.update(
            AgendaItem, item.id, item.version, entered_at=None, ended_at=now, spent_seconds=spent
        )

    def go_to_step(self, meeting_id: int, index: int) -> Meeting:
        """Leave the current step (recording its time) and enter step ``index``."""
        with self._write():
            meeting = self._live(meeting_id)
            count = len(self.agenda(meeting_id))
            index = max(0, min(count - 1, index))
            if index == meeting.current_step:
                return meeting
            self._leave(meeting)
            meeting = self.update(Meeting, meeting_id, meeting.version, current_step=index)
            self._enter(meeting, index)
            return meeting

    def extend_step(self, item_id: int, minutes: int = 5) -> AgendaItem:
        with self._write():
            item = self.get(AgendaItem, item_id)
            self._live(item.meeting_id)
            return self.update(
                AgendaItem, item_id, item.version, timebox_minutes=item.timebox_minutes + minutes
            )

    def park_step(self, item_id: int, reason: str) -> AgendaItem:
        """Park what is left of a step for the next meeting, where it opens the agenda."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError("Parking a step needs a reason; nothing was saved.")
        with self._write():
            item = self.get(AgendaItem, item_id)
            meeting = self._live(item.meeting_id)
            item = self.update(AgendaItem, item_id, item.version, parked_reason=reason)
            row = self.conn.execute(
                "select * from meetings where state = ? and id != ? and scheduled_on >= ? "
                "order by scheduled_on, id limit 1",
                (MeetingState.PLANNED.value, meeting.id, meeting.scheduled_on.isoformat()),
            ).fetchone()
            if row is not None:
                self._carry_parked_into_planned(self._row_to(Meeting, row))
            return self.get(AgendaItem, item_id)

    def _carry_parked_into_planned(self, meeting: Meeting) -> int:
        existing = self.agenda(meeting.id)
        for item in existing:
            # Make room at the top; _carry_parked numbers the carried steps from 0.
            self.update(AgendaItem, item.id, item.version, position=item.position + 1000)
        carried = self._carry_parked(meeting)
        for offset, item in enumerate(self.agenda(meeting.id)[carried:]):
            self.update(AgendaItem, item.id, item.version, position=carried + offset)
        return carried

    def rename_step(self, item_id: int, version: int, title: str) -> AgendaItem:
        """A step's title, as the agenda and the minutes show it (any time before close)."""
        title = " ".join(title.split())
        if not title:
            raise InvalidInputError("A step needs a title; nothing was saved.")
        with self._write():
            self._unclosed(self.get(AgendaItem, item_id).meeting_id)
            return self.update(AgendaItem, item_id, version, title=title)

    def timebox_step(self, item_id: int, version: int, minutes: int) -> AgendaItem:
        """How long a step is planned to take, 0 to 600 minutes."""
        if not 0 <= minutes <= 600:
            raise InvalidInputError("A timebox is 0 to 600 minutes; nothing was saved.")
        with self._write():
            self._unclosed(self.get(AgendaItem, item_id).meeting_id)
            return self.update(AgendaItem, item_id, version, timebox_minutes=minutes)

    def remove_topic(self, topic_id: int, version: int) -> AgendaTopic:
        """Take a proposed topic off a planned meeting's agenda (the trail keeps it)."""
        with self._write():
            topic = self.get(AgendaTopic, topic_id)
            self._editable_agenda(topic.meeting_id)
            return self.delete(AgendaTopic, topic_id, version)

    def set_quorum(self, meeting_id: int, version: int, members: int) -> Meeting:
        """The quorum rule: the chair and at least ``members`` voting members present."""
        if not 0 <= members <= 100:
            raise InvalidInputError("A quorum is 0 to 100 members; nothing was saved.")
        with self._write():
            self._unclosed(meeting_id)
            return self.update(Meeting, meeting_id, version, quorum_members=members)

    def set_followers_capture(self, meeting_id: int, version: int, allowed: bool) -> Meeting:
        """Whether sessions following the driver may record actions, notes and drafts."""
        with self._write():
            self._unclosed(meeting_id)
            return self.update(Meeting, meeting_id, version, followers_capture=allowed)

    def _unclosed(self, meeting_id: int) -> Meeting:
        meeting = self.get(Meeting, meeting_id)
        if meeting.state is MeetingState.CLOSED:
            raise InvalidInputError(f"{meeting.code} is closed; reopen it to change anything.")
        return meeting

    def set_notes(self, item_id: int, version: int, notes: str) -> AgendaItem:
        with self._write():
            self._live(self.get(AgendaItem, item_id).meeting_id)
            return self.update(AgendaItem, item_id, version, notes=notes)

    def close_meeting(self, meeting_id: int) -> Meeting:
        """Freeze the meeting: its current step ends now and nothing more is changed."""
        with self._write():
            meeting = self._live(meeting_id)
            self._leave(meeting)
            _, why = self.quorum(meeting_id)
            meeting = self.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.CLOSED,
                closed_at=self.clock(),
            )
            self._log(meeting, "quorum", None, why)
            return meeting

    def reopen_meeting(self, meeting_id: int, reason: str) -> Meeting:
        """Reopening a closed meeting is explicit and recorded with its reason."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError("Reopening a meeting needs a reason; nothing was changed.")
        with self._write():
            meeting = self.get(Meeting, meeting_id)
            if meeting.state is not MeetingState.CLOSED:
                raise InvalidInputError(f"{meeting.code} is not closed.")
            if meeting.minutes_state is MinutesState.APPROVED:
                raise InvalidInputError(
                    f"{meeting.code}'s minutes are approved and stay as approved: record "
                    "what changed in the next meeting instead."
                )
            self._log(meeting, "reopened", None, reason)
            # Circulated minutes no longer say what the meeting will have said: draft again.
            meeting = self.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.LIVE,
                closed_at=None,
                minutes_state=MinutesState.DRAFT,
                minutes_circulated_at=None,
            )
            self._enter(meeting, meeting.current_step)
            return meeting

    # -- decisions and actions -------------------------------------------------------

    def _links(self, code: str) -> dict[str, Any]:
        """Foreign keys for a typed link like ``P-3``, ``R-12``, ``CR-4`` (or ``D-7``)."""
        code = code.strip()
        if not code:
            return {}
        try:
            record: Record = self.find(code)
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
        raise InvalidInputError(
            f"Link {code!r}: decisions and actions link to a project, RAID item, change "
            "request or decision."
        )

    def record_decision(
        self,
        meeting_id: int | None,
        text: str,
        rationale: str = "",
        link: str = "",
        *,
        draft: bool = False,
    ) -> Decision:
        """A decision; ``draft`` when a follower proposes it for the driver to confirm."""
        with self._write():
            step = self._current_item(meeting_id)
            links = self._links(link)
            links.pop("decision_id", None)
            decision = validated(
                Decision,
                agenda_item_id=step,
                draft_by=self.user if draft else "",
                meeting_id=meeting_id,
                text=text.strip(),
                rationale=rationale.strip(),
                decided_on=self.clock().date(),
                **links,
            )
            return self.add(decision)

    def add_action(
        self,
        meeting_id: int | None,
        text: str,
        owner: str = "",
        due_on: date | None = None,
        link: str = "",
    ) -> Action:
        """An action; an owner not yet among ``people`` is added (and audited)."""
        with self._write():
            step = self._current_item(meeting_id)
            owner_id = self.person_named(owner, create=True).id if owner.strip() else None
            action = validated(
                Action,
                agenda_item_id=step,
                meeting_id=meeting_id,
                text=text.strip(),
                owner_id=owner_id,
                due_on=due_on,
                **self._links(link),
            )
            return self.add(action)

    def _current_item(self, meeting_id: int | None) -> int | None:
        """The agenda step a live meeting is in (None outside a meeting)."""
        if meeting_id is None:
            return None
        meeting = self._live(meeting_id)
        items = self.agenda(meeting_id)
        return items[meeting.current_step].id if meeting.current_step < len(items) else None

    def _unfrozen(self, record: Decision | Action) -> None:
        """A closed meeting's decisions are its record: they change only if it is reopened.
        Actions live on after their meeting and can always be worked."""
        if isinstance(record, Decision) and record.meeting_id is not None:
            self._live(record.meeting_id)

    def confirm_decision(self, decision_id: int, version: int) -> Decision:
        with self._write():
            self._unfrozen(self.get(Decision, decision_id))
            return self.update(Decision, decision_id, version, draft_by="")

    def delete_entry(self, record: Decision | Action) -> None:
        """Delete a decision or action (the audit trail keeps what it said)."""
        with self._write():
            self._unfrozen(self.get(type(record), record.id))
            self.delete(type(record), record.id, record.version)

    def edit_decision(
        self, decision_id: int, version: int, text: str, rationale: str, link: str
    ) -> Decision:
        with self._write():
            self._unfrozen(self.get(Decision, decision_id))
            links = {"project_id": None, "raid_item_id": None, "change_request_id": None}
            links.update(self._links(link))
            links.pop("decision_id", None)
            return self.update(
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
        with self._write():
            owner_id = self.person_named(owner, create=True).id if owner.strip() else None
            links: dict[str, Any] = {
                "project_id": None,
                "raid_item_id": None,
                "change_request_id": None,
                "decision_id": None,
            }
            links.update(self._links(link))
            return self.update(
                Action,
                action_id,
                version,
                text=text.strip(),
                owner_id=owner_id,
                due_on=due_on,
                **links,
            )

    def decisions(self, meeting_id: int) -> list[Decision]:
        rows = self.conn.execute(
            "select * from decisions where meeting_id = ? order by id", (meeting_id,)
        )
        return [self._row_to(Decision, row) for row in rows]

    def actions(self, meeting_id: int) -> list[Action]:
        rows = self.conn.execute(
            "select * from actions where meeting_id = ? order by id", (meeting_id,)
        )
        return [self._row_to(Action, row) for row in rows]

    def open_actions_before(self, meeting_id: int) -> list[Action]:
        """Open actions raised anywhere but in this meeting, overdue (earliest due) first."""
        rows = self.conn.execute(
            "select * from actions where status = ? and (meeting_id is null or meeting_id != ?)"
            " order by due_on is null, due_on, id",
            (ActionStatus.OPEN.value, meeting_id),
        )
        return [self._row_to(Action, row) for row in rows]

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
        return [self._row_to(Action, row) for row in self.conn.execute(sql, params)]

    def close_action(
        self, action_id: int, version: int, status: ActionStatus, reason: str = ""
    ) -> Action:
        """Mark an action done, or drop it (a reason is required)."""
        reason = " ".join(reason.split())
        if status is ActionStatus.DROPPED and not reason:
            raise InvalidInputError("Dropping an action needs a reason; nothing was saved.")
        return self.update(
            Action,
            action_id,
            version,
            status=status,
            closed_on=self.clock().date(),
            close_reason=reason,
        )

    def reopen_action(self, action_id: int, version: int) -> Action:
        """A done or dropped action is open again (its closing date and reason go)."""
        return self.update(
            Action,
            action_id,
            version,
            status=ActionStatus.OPEN,
            closed_on=None,
            close_reason="",
        )

    def redate_action(self, action_id: int, version: int, due_on: date) -> Action:
        """A new due date for an action."""
        return self.update(Action, action_id, version, due_on=due_on)

    def reassign_action(self, action_id: int, version: int, owner: str) -> Action:
        with self._write():
            person = self.person_named(owner, create=True)
            return self.update(Action, action_id, version, owner_id=person.id)

    # -- the minutes -----------------------------------------------------------------

    def carried_over(self, meeting: Meeting) -> list[CarriedAction]:
        """Actions from earlier meetings that this meeting dealt with, and how."""
        rows = self.conn.execute(
            "select entity_id, field, old, new from events where meeting_id = ? "
            "and entity = 'actions' and field in ('status', 'due_on', 'owner_id', "
            "'close_reason') order by id",
            (meeting.id,),
        ).fetchall()
        outcomes: dict[int, list[str]] = {}
        names = self.names()
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
                action = self.get(Action, action_id)
            except NotFoundError:
                continue
            if action.meeting_id != meeting.id:
                carried.append(CarriedAction(action=action, outcome="; ".join(texts)))
        return carried

    def since_last(self, meeting_id: int) -> SinceLast:
        meeting = self.get(Meeting, meeting_id)
        previous = self.previous_meeting(meeting)
        if previous is None:
            since = None
        else:
            since = previous.closed_at or datetime.combine(
                previous.scheduled_on + timedelta(days=1), time(0), tzinfo=self.clock().tzinfo
            )
        return since_last(self, meeting, previous, since, meeting.started_at)
