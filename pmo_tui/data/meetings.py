"""Meetings: templates, planning the agenda, attendance, running the steps, closing."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from pmo_tui.data.agenda import DEFAULT_TEMPLATE, STEP_GUIDE
from pmo_tui.data.core import Db, validated
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    AgendaItem,
    AgendaStep,
    AgendaTopic,
    Attendance,
    Attendee,
    AttendeeRole,
    AttendeeRow,
    Meeting,
    MeetingDetail,
    MeetingRow,
    MeetingState,
    MeetingTemplate,
    SinceLast,
    TemplateStep,
)
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.rules import quorum
from pmo_tui.data.since import since_last
from pmo_tui.data.sqlite import fields

# The title of a step carried into a meeting from one where it was parked.
CARRIED_PREFIX = "Parked from M-"

# "Portfolio review 30 Nov 2026" (or "... 2026-11-30", as imports and scripts write it):
# the date a meeting's title ends with.
_TITLE_DATE = re.compile(r"\s+(\d{1,2} [A-Z][a-z]{2} \d{4}|\d{4}-\d{2}-\d{2})$")


def series_title(forum: str, day: date) -> str:
    """A meeting's title from its forum and its own date: "Portfolio review 14 Dec 2026"."""
    return f"{forum} {day.day} {day:%b %Y}"


def forum_name(title: str) -> str:
    """The forum a meeting belongs to: its title without the date it ends with."""
    return _TITLE_DATE.sub("", title).strip() or title


Positioned = TypeVar("Positioned", AgendaItem, AgendaTopic)


class Meetings:
    """A meeting's life from plan to close: a topic store over the core and the portfolio."""

    def __init__(self, db: Db, portfolio: Portfolio) -> None:
        self.db = db
        self.portfolio = portfolio

    def meetings(self) -> list[MeetingRow]:
        rows = self.db.conn.execute(
            """
            select m.*,
                (select count(*) from decisions d where d.meeting_id = m.id) as n_decisions,
                (select count(*) from actions a where a.meeting_id = m.id) as n_actions
            from meetings m order by m.scheduled_on desc, m.id desc
            """
        )
        result = []
        for row in rows:
            data = fields(row)
            decisions = data.pop("n_decisions")
            actions = data.pop("n_actions")
            result.append(
                MeetingRow(
                    meeting=Meeting.model_validate(data), decisions=decisions, actions=actions
                )
            )
        return result

    def attendees(self, meeting_id: int) -> list[AttendeeRow]:
        rows = self.db.conn.execute(
            "select a.*, p.name as person_name from attendees a "
            "join people p on p.id = a.person_id where a.meeting_id = ? order by a.id",
            (meeting_id,),
        )
        result = []
        for row in rows:
            data = fields(row)
            name = data.pop("person_name")
            result.append(AttendeeRow(attendee=Attendee.model_validate(data), name=name))
        return result

    def meeting_detail(self, meeting_id: int) -> MeetingDetail:
        meeting = self.db.get(Meeting, meeting_id)
        counts = self.db.conn.execute(
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
        rows = self.db.conn.execute(
            "select * from agenda_items where meeting_id = ? order by position, id",
            (meeting_id,),
        )
        return [self.db.row_to(AgendaItem, row) for row in rows]

    def topics(self, meeting_id: int) -> list[AgendaTopic]:
        rows = self.db.conn.execute(
            "select t.* from agenda_topics t join agenda_items a on a.id = t.agenda_item_id "
            "where t.meeting_id = ? order by a.position, t.position, t.id",
            (meeting_id,),
        )
        return [self.db.row_to(AgendaTopic, row) for row in rows]

    def previous_meeting(self, meeting: Meeting) -> Meeting | None:
        """The last meeting held before ``meeting`` (closed): "since the last meeting"
        counts from it. A meeting only planned, or still running, was not held (counting
        from one planned two weeks out left a window that started in the future)."""
        row = self.db.conn.execute(
            "select * from meetings where id != ? and state = ? and (scheduled_on < ? or "
            "(scheduled_on = ? and id < ?)) order by scheduled_on desc, id desc limit 1",
            (
                meeting.id,
                MeetingState.CLOSED.value,
                meeting.scheduled_on.isoformat(),
                meeting.scheduled_on.isoformat(),
                meeting.id,
            ),
        ).fetchone()
        return None if row is None else self.db.row_to(Meeting, row)

    def templates(self) -> list[MeetingTemplate]:
        rows = self.db.conn.execute("select * from meeting_templates order by name")
        return [self.db.row_to(MeetingTemplate, row) for row in rows]

    def template_steps(self, template_id: int) -> list[TemplateStep]:
        rows = self.db.conn.execute(
            "select * from template_steps where template_id = ? order by position, id",
            (template_id,),
        )
        return [self.db.row_to(TemplateStep, row) for row in rows]

    def _template(self, name: str) -> MeetingTemplate:
        row = self.db.conn.execute(
            "select * from meeting_templates where name = ? collate nocase", (name,)
        ).fetchone()
        if row is None:
            names = ", ".join(template.name for template in self.templates())
            raise InvalidInputError(
                f"There is no meeting template {name!r}; choose one of {names}."
            )
        return self.db.row_to(MeetingTemplate, row)

    def save_agenda_as_template(self, meeting_id: int, name: str) -> MeetingTemplate:
        """Make this meeting's agenda the template ``name`` (replacing its steps)."""
        name = name.strip()
        if not name:
            raise InvalidInputError("A template needs a name; nothing was saved.")
        with self.db.write():
            try:
                template = self._template(name)
                for step in self.template_steps(template.id):
                    self.db.delete(TemplateStep, step.id, step.version)
            except InvalidInputError:
                template = self.db.add(MeetingTemplate(name=name))
            for position, item in enumerate(self.agenda(meeting_id)):
                self.db.add(
                    TemplateStep(
                        template_id=template.id,
                        position=position,
                        step=item.step,
                        title=item.title,
                        timebox_minutes=item.timebox_minutes,
                    )
                )
        return template

    def plan_meeting(
        self,
        title: str,
        scheduled_on: date,
        template: str = DEFAULT_TEMPLATE,
        follows: int | None = None,
    ) -> Meeting:
        """A new planned meeting: any steps parked earlier, then the template's steps; or,
        when it ``follows`` an earlier meeting of the same forum, that meeting's steps,
        attendees (each expected present) and quorum rule. A blank ``title`` is the
        forum's name and the meeting's own date ("Portfolio review 14 Dec 2026")."""
        with self.db.write():
            previous = self.db.get(Meeting, follows) if follows is not None else None
            forum = forum_name(previous.title) if previous is not None else template
            meeting = self.db.add(
                validated(
                    Meeting,
                    title=title.strip() or series_title(forum, scheduled_on),
                    scheduled_on=scheduled_on,
                    template=previous.template if previous is not None else template,
                    quorum_members=previous.quorum_members if previous is not None else 3,
                )
            )
            position = self._carry_parked(meeting)
            if previous is not None:
                steps = [
                    (item.step, item.title, item.timebox_minutes)
                    for item in self.agenda(previous.id)
                    if not item.title.startswith(CARRIED_PREFIX)
                ]
                for row in self.attendees(previous.id):
                    self.db.add(
                        Attendee(
                            meeting_id=meeting.id,
                            person_id=row.attendee.person_id,
                            role=row.attendee.role,
                        )
                    )
            else:
                steps = [
                    (step.step, step.title, step.timebox_minutes)
                    for step in self.template_steps(self._template(template).id)
                ]
            for offset, (kind, step_title, minutes) in enumerate(steps):
                self.db.add(
                    AgendaItem(
                        meeting_id=meeting.id,
                        position=position + offset,
                        step=kind,
                        title=step_title,
                        timebox_minutes=minutes,
                    )
                )
        return meeting

    def _carry_parked(self, meeting: Meeting) -> int:
        """Open ``meeting``'s agenda with the steps parked in earlier meetings."""
        rows = self.db.conn.execute(
            "select a.*, m.id as from_meeting from agenda_items a "
            "join meetings m on m.id = a.meeting_id "
            "where a.parked_reason != '' and a.carried_to is null and m.id != ? "
            "and m.scheduled_on <= ? order by m.scheduled_on, a.position",
            (meeting.id, meeting.scheduled_on.isoformat()),
        ).fetchall()
        for position, row in enumerate(rows):
            data = fields(row)
            data.pop("from_meeting")
            parked = AgendaItem.model_validate(data)
            self.db.update(AgendaItem, parked.id, parked.version, carried_to=meeting.id)
            self.db.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=position,
                    step=parked.step,
                    title=f"{CARRIED_PREFIX}{parked.meeting_id}: {parked.title}"[:200],
                    timebox_minutes=max(5, parked.timebox_minutes // 2),
                    notes=f"Parked because: {parked.parked_reason}",
                )
            )
        return len(rows)

    def _editable_agenda(self, meeting_id: int) -> Meeting:
        meeting = self.db.get(Meeting, meeting_id)
        if meeting.state is not MeetingState.PLANNED:
            raise InvalidInputError(
                f"{meeting.code} has started: its steps can be renamed, extended or parked, "
                "but not added, removed or reordered."
            )
        return meeting

    def add_agenda_step(
        self, meeting_id: int, step: AgendaStep, title: str = "", timebox_minutes: int = 10
    ) -> AgendaItem:
        with self.db.write():
            self._editable_agenda(meeting_id)
            items = self.agenda(meeting_id)
            # Wrap-up stays last: a new step goes before it.
            wrap = next((i for i in items if i.step is AgendaStep.WRAP_UP), None)
            position = wrap.position if wrap else len(items)
            if wrap is not None:
                for item in items[items.index(wrap) :]:
                    self.db.update(AgendaItem, item.id, item.version, position=item.position + 1)
            return self.db.add(
                AgendaItem(
                    meeting_id=meeting_id,
                    position=position,
                    step=step,
                    title=title.strip() or STEP_GUIDE[step].title,
                    timebox_minutes=timebox_minutes,
                )
            )

    def remove_agenda_step(self, item_id: int, version: int) -> None:
        with self.db.write():
            item = self.db.get(AgendaItem, item_id)
            self._editable_agenda(item.meeting_id)
            self.db.delete(AgendaItem, item_id, version)
            self.renumber(AgendaItem, self.agenda(item.meeting_id))

    def move_agenda_step(self, item_id: int, delta: int) -> None:
        with self.db.write():
            item = self.db.get(AgendaItem, item_id)
            self._editable_agenda(item.meeting_id)
            self.move_within(AgendaItem, self.agenda(item.meeting_id), item_id, delta)

    def renumber(self, model: type[Positioned], rows: list[Positioned]) -> None:
        for position, row in enumerate(rows):
            if row.position != position:
                self.db.update(model, row.id, row.version, position=position)

    def move_within(
        self, model: type[Positioned], rows: list[Positioned], record_id: int, delta: int
    ) -> None:
        index = next(i for i, row in enumerate(rows) if row.id == record_id)
        target = index + delta
        if 0 <= target < len(rows):
            rows.insert(target, rows.pop(index))
            self.renumber(model, rows)

    def set_attendance(
        self,
        meeting_id: int,
        person_id: int,
        role: AttendeeRole = AttendeeRole.MEMBER,
        attendance: Attendance = Attendance.PRESENT,
    ) -> Attendee:
        with self.db.write():
            row = self.db.conn.execute(
                "select * from attendees where meeting_id = ? and person_id = ?",
                (meeting_id, person_id),
            ).fetchone()
            if row is None:
                return self.db.add(
                    Attendee(
                        meeting_id=meeting_id, person_id=person_id, role=role, attendance=attendance
                    )
                )
            current = self.db.row_to(Attendee, row)
            return self.db.update(
                Attendee, current.id, current.version, role=role, attendance=attendance
            )

    def quorum(self, meeting_id: int) -> tuple[bool, str]:
        meeting = self.db.get(Meeting, meeting_id)
        roles = [
            (row.attendee.role.value, row.attendee.attendance.value)
            for row in self.attendees(meeting_id)
        ]
        return quorum(roles, meeting.quorum_members)

    def start_meeting(
        self, meeting_id: int, session_id: int | None = None, held_today: bool = False
    ) -> Meeting:
        """Make a planned meeting live and enter its first step (a live one: resume).
        The session that starts it drives it. ``held_today``: a meeting planned for
        another day is held today, and its date (and a title that names the date) become
        today's, so that what is overdue is judged on the day it is held."""
        with self.db.write():
            meeting = self.db.get(Meeting, meeting_id)
            if meeting.state is MeetingState.LIVE:
                return meeting
            if meeting.state is MeetingState.CLOSED:
                raise InvalidInputError(f"{meeting.code} is closed; reopen it to change anything.")
            now = self.db.clock()
            moved: dict[str, object] = {}
            if held_today and meeting.scheduled_on != now.date():
                moved["scheduled_on"] = now.date()
                forum = forum_name(meeting.title)
                planned_iso = f" {meeting.scheduled_on.isoformat()}"
                if meeting.title == series_title(forum, meeting.scheduled_on):
                    moved["title"] = series_title(forum, now.date())
                elif meeting.title.endswith(planned_iso):
                    # "Portfolio review 2026-11-26", as imports and scripts name meetings.
                    moved["title"] = meeting.title.removesuffix(planned_iso) + (
                        f" {now.date().isoformat()}"
                    )
            meeting = self.db.update(
                Meeting,
                meeting_id,
                meeting.version,
                state=MeetingState.LIVE,
                started_at=now,
                driver_session=session_id,
                driver=self.db.user if session_id is not None else "",
                **moved,
            )
            self.enter_step(meeting, meeting.current_step)
            return meeting

    def wiki_folder(self) -> str:
        """The wiki working copy this portfolio's minutes are published to ("" if none)."""
        return self.db.setting("wiki") or ""

    def remember_wiki_folder(self, folder: str) -> None:
        """Publishing went to ``folder``: the next publish goes there unless told otherwise
        (recorded like any edit)."""
        with self.db.write():
            self.db.seat(None, "capture")
            if self.wiki_folder() != folder:
                self.db.set_setting("wiki", folder)

    def take_drive(self, meeting_id: int, session_id: int) -> Meeting:
        """This session drives from now on (recorded: who took over from whom)."""
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id, "take")
            if meeting.driver_session == session_id:
                return meeting
            return self.db.update(
                Meeting, meeting_id, meeting.version, driver_session=session_id, driver=self.db.user
            )

    def enter_step(self, meeting: Meeting, index: int) -> None:
        """Step ``index`` starts now (the caller holds the transaction)."""
        items = self.agenda(meeting.id)
        if not 0 <= index < len(items):
            return
        item = items[index]
        now = self.db.clock()
        self.db.update(
            AgendaItem, item.id, item.version, entered_at=now, started_at=item.started_at or now
        )

    def leave_step(self, meeting: Meeting) -> None:
        """The current step ends now: its time spent is added up (the caller holds the
        transaction)."""
        items = self.agenda(meeting.id)
        if not 0 <= meeting.current_step < len(items):
            return
        item = items[meeting.current_step]
        if item.entered_at is None:
            return
        now = self.db.clock()
        spent = item.spent_seconds + max(0, int((now - item.entered_at).total_seconds()))
        self.db.update(
            AgendaItem, item.id, item.version, entered_at=None, ended_at=now, spent_seconds=spent
        )

    def go_to_step(self, meeting_id: int, index: int) -> Meeting:
        """Leave the current step (recording its time) and enter step ``index``."""
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            count = len(self.agenda(meeting_id))
            index = max(0, min(count - 1, index))
            if index == meeting.current_step:
                return meeting
            self.leave_step(meeting)
            meeting = self.db.update(Meeting, meeting_id, meeting.version, current_step=index)
            self.enter_step(meeting, index)
            return meeting

    def extend_step(self, item_id: int, minutes: int = 5) -> AgendaItem:
        with self.db.write():
            item = self.db.get(AgendaItem, item_id)
            self.db.live_meeting(item.meeting_id)
            return self.db.update(
                AgendaItem, item_id, item.version, timebox_minutes=item.timebox_minutes + minutes
            )

    def park_step(self, item_id: int, reason: str) -> AgendaItem:
        """Park what is left of a step for the next meeting, where it opens the agenda."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError("Parking a step needs a reason; nothing was saved.")
        with self.db.write():
            item = self.db.get(AgendaItem, item_id)
            meeting = self.db.live_meeting(item.meeting_id)
            item = self.db.update(AgendaItem, item_id, item.version, parked_reason=reason)
            row = self.db.conn.execute(
                "select * from meetings where state = ? and id != ? and scheduled_on >= ? "
                "order by scheduled_on, id limit 1",
                (MeetingState.PLANNED.value, meeting.id, meeting.scheduled_on.isoformat()),
            ).fetchone()
            if row is not None:
                self._carry_parked_into_planned(self.db.row_to(Meeting, row))
            return self.db.get(AgendaItem, item_id)

    def _carry_parked_into_planned(self, meeting: Meeting) -> int:
        existing = self.agenda(meeting.id)
        for item in existing:
            # Make room at the top; _carry_parked numbers the carried steps from 0.
            self.db.update(AgendaItem, item.id, item.version, position=item.position + 1000)
        carried = self._carry_parked(meeting)
        for offset, item in enumerate(self.agenda(meeting.id)[carried:]):
            self.db.update(AgendaItem, item.id, item.version, position=carried + offset)
        return carried

    def rename_step(self, item_id: int, version: int, title: str) -> AgendaItem:
        """A step's title, as the agenda and the minutes show it (any time before close)."""
        title = " ".join(title.split())
        if not title:
            raise InvalidInputError("A step needs a title; nothing was saved.")
        with self.db.write():
            self._unclosed(self.db.get(AgendaItem, item_id).meeting_id)
            return self.db.update(AgendaItem, item_id, version, title=title)

    def timebox_step(self, item_id: int, version: int, minutes: int) -> AgendaItem:
        """How long a step is planned to take, 0 to 600 minutes."""
        if not 0 <= minutes <= 600:
            raise InvalidInputError("A timebox is 0 to 600 minutes; nothing was saved.")
        with self.db.write():
            self._unclosed(self.db.get(AgendaItem, item_id).meeting_id)
            return self.db.update(AgendaItem, item_id, version, timebox_minutes=minutes)

    def set_quorum(self, meeting_id: int, version: int, members: int) -> Meeting:
        """The quorum rule: the chair and at least ``members`` voting members present."""
        if not 0 <= members <= 100:
            raise InvalidInputError("A quorum is 0 to 100 members; nothing was saved.")
        with self.db.write():
            self._unclosed(meeting_id)
            return self.db.update(Meeting, meeting_id, version, quorum_members=members)

    def set_followers_capture(self, meeting_id: int, version: int, allowed: bool) -> Meeting:
        """Whether sessions following the driver may record actions, notes and drafts."""
        with self.db.write():
            self._unclosed(meeting_id)
            return self.db.update(Meeting, meeting_id, version, followers_capture=allowed)

    def _unclosed(self, meeting_id: int) -> Meeting:
        meeting = self.db.get(Meeting, meeting_id)
        if meeting.state is MeetingState.CLOSED:
            raise InvalidInputError(f"{meeting.code} is closed; reopen it to change anything.")
        return meeting

    def save_notes(self, item_id: int, seen: str, typed: str) -> AgendaItem:
        """Save a step's notes as typed over ``seen`` (what this person's box showed when
        they started), without ever losing another person's words: a step's notes are one
        text everyone in the room adds to. If nobody else saved since, the typed text is
        the notes. If someone did, what this person added at the end is added after
        theirs; any other edit is added whole, under the person's name. Not tied to the
        step's version: the driver extending or renaming the step does not refuse it."""
        typed = typed.rstrip()
        with self.db.write():
            item = self.db.get(AgendaItem, item_id)
            self.db.live_meeting(item.meeting_id, "capture")
            current = item.notes
            if current in (seen, typed) or not typed.strip():
                merged = typed if current == seen else current
            elif typed.startswith(seen):
                merged = current + _own_line(current, typed[len(seen) :], self.db.user)
            elif seen and seen in typed:
                # Words added before and after what they saw: around the current notes.
                before, _, after = typed.partition(seen)
                merged = before + current + _own_line(current, after, self.db.user)
            else:
                merged = f"{current}\n[{self.db.user}] {typed}" if current else typed
            if merged == current:
                return item
            return self.db.update(AgendaItem, item.id, item.version, notes=merged)

    def set_notes(self, item_id: int, version: int, notes: str) -> AgendaItem:
        with self.db.write():
            self.db.live_meeting(self.db.get(AgendaItem, item_id).meeting_id, "capture")
            return self.db.update(AgendaItem, item_id, version, notes=notes)

    def current_item(self, meeting_id: int | None, viewing: int | None = None) -> int | None:
        """The agenda step a record made in a live meeting belongs to: the one the person
        was looking at (``viewing``, a follower may look at another step than the
        driver's), else the step the meeting is in. None outside a meeting."""
        if meeting_id is None:
            return None
        meeting = self.db.live_meeting(meeting_id, "capture")
        items = self.agenda(meeting_id)
        if viewing is not None:
            if all(item.id != viewing for item in items):
                raise InvalidInputError(f"That agenda step is not in {meeting.code}.")
            return viewing
        return items[meeting.current_step].id if meeting.current_step < len(items) else None

    def since_last(self, meeting_id: int) -> SinceLast:
        meeting = self.db.get(Meeting, meeting_id)
        previous = self.previous_meeting(meeting)
        if previous is None:
            since = None
        else:
            since = previous.closed_at or datetime.combine(
                previous.scheduled_on + timedelta(days=1), time(0), tzinfo=self.db.clock().tzinfo
            )
        return since_last(self.db, meeting, previous, since, meeting.started_at)


def _own_line(current: str, added: str, user: str) -> str:
    """Words one person added at the end while another person's were saved: on a line of
    their own under their name, not glued onto the other person's last word."""
    if not current or not added.strip():
        return added
    if added.lstrip(" \n").startswith(f"[{user}] "):
        return added if added.startswith("\n") or current.endswith("\n") else "\n" + added
    separator = "" if current.endswith("\n") else "\n"
    return f"{separator}[{user}] " + added.lstrip(" \n")
