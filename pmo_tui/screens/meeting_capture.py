"""What the meeting screen's own keys record, each as a dialog calling one intent-named
store operation: a decision or an action in any step (linked to what the step's cursor is
on), a lesson, extending or parking a step, closing and reopening the meeting, and
circulating then approving its minutes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.widgets import ContentSwitcher

from pmo_tui.data.models import Action, AttendeeRole, Decision, Lesson, MeetingState, MinutesState
from pmo_tui.export.markdown import minutes_body
from pmo_tui.steps.base import StepView
from pmo_tui.steps.lessons import ask_lesson, project_of
from pmo_tui.steps.records import action_fields, decision_fields
from pmo_tui.widgets.cells import safe
from pmo_tui.widgets.editing import ask, try_edit
from pmo_tui.widgets.form import Field, Values

if TYPE_CHECKING:
    from pmo_tui.screens.meeting import MeetingScreen


LINKABLE = ("P", "R", "CR", "D")


def current_code(screen: MeetingScreen) -> str:
    """What the step's cursor is on (a RAID item, say): a new decision links to it."""
    current = screen.query_one("#steps", ContentSwitcher).current
    if not current or screen.meeting.state is MeetingState.PLANNED:
        return ""
    code = screen.query_one(f"#{current}", StepView).selected_code()
    # Only what a decision or action can link to (a lesson under the cursor is not: the
    # form opened with a link it then refused).
    return code if code.split("-", 1)[0] in LINKABLE else ""


def recorded(screen: MeetingScreen, records: list[Decision | Action]) -> None:
    screen.mine.update(record.code for record in records)
    screen.refresh_data()
    if records:
        last = records[-1]
        # Said from what was written: the drive may have passed while the dialog was open.
        drafted = isinstance(last, Decision) and bool(last.draft_by)
        draft = " as a draft for the driver to confirm" if drafted else ""
        screen.notify(f"Recorded {last.code}{draft}.", markup=False)


def ask_decision(screen: MeetingScreen) -> None:
    made: list[Decision | Action] = []

    def submit(values: Values) -> str | None:
        return try_edit(
            lambda: made.append(
                screen.store.decisions.record_decision(
                    screen.meeting_id,
                    values["text"],
                    values["rationale"],
                    values["link"],
                    draft=not screen.driving,
                    step=screen.agenda[screen.viewing].id,
                )
            )
        )

    title = f"Decision in {screen.agenda[screen.viewing].title}"
    ask(
        screen,
        screen.store,
        title,
        decision_fields(link=current_code(screen)),
        submit,
        "Save",
        lambda: recorded(screen, made),
    )


def ask_action(screen: MeetingScreen) -> None:
    made: list[Decision | Action] = []

    def submit(values: Values) -> str | None:
        due = date.fromisoformat(values["due"]) if values["due"] else None
        return try_edit(
            lambda: made.append(
                screen.store.decisions.add_action(
                    screen.meeting_id,
                    values["text"],
                    values["owner"],
                    due,
                    values["link"],
                    step=screen.agenda[screen.viewing].id,
                )
            )
        )

    people = [person.name for person in screen.store.portfolio.people()]
    title = f"Action from {screen.agenda[screen.viewing].title}"
    ask(
        screen,
        screen.store,
        title,
        action_fields(people, link=current_code(screen)),
        submit,
        "Save",
        lambda: recorded(screen, made),
    )


def ask_lesson_here(screen: MeetingScreen) -> None:
    def recorded(lesson: Lesson) -> None:
        screen.refresh_data()
        screen.notify(f"Recorded {lesson.code}.", markup=False)

    project = project_of(screen.store, current_code(screen))
    ask_lesson(screen, screen.store, screen.meeting_id, project, recorded)


def extend_step(screen: MeetingScreen) -> None:
    item = screen.agenda[screen.viewing]
    if screen.attempt(lambda: screen.store.meetings.extend_step(item.id, 5)):
        screen.notify(f"{safe(item.title)} extended by 5 minutes.", markup=False)


def ask_park(screen: MeetingScreen) -> None:
    item = screen.agenda[screen.viewing]

    def submit(values: Values) -> str | None:
        return try_edit(lambda: screen.store.meetings.park_step(item.id, values["reason"]))

    screen.ask(
        f"Park the rest of {item.title} for the next meeting",
        [Field("reason", "Why", required=True, max_length=500)],
        submit,
        "Park",
    )


def ask_close(screen: MeetingScreen) -> None:
    actions = screen.store.decisions.actions(screen.meeting_id)
    loose = sum(a.owner_id is None or a.due_on is None for a in actions)
    _, quorum = screen.store.meetings.quorum(screen.meeting_id)
    warning = f" {loose} actions still have no owner or no date." if loose else ""

    def submit(_values: Values) -> str | None:
        return try_edit(lambda: screen.store.records.close_meeting(screen.meeting_id))

    def closed() -> None:
        screen.refresh_data()
        screen.notify(f"{screen.meeting.code} is closed. E exports the minutes.")

    ask(
        screen,
        screen.store,
        f"Close {screen.meeting.code}? It is frozen from then on.{warning} {quorum.capitalize()}.",
        [],
        submit,
        "Close meeting",
        closed,
    )


def ask_reopen(screen: MeetingScreen) -> None:
    def submit(values: Values) -> str | None:
        return try_edit(
            lambda: screen.store.records.reopen_meeting(screen.meeting_id, values["reason"])
        )

    screen.ask(
        f"Reopen {screen.meeting.code}",
        [Field("reason", "Why is it reopened? (recorded)", required=True, max_length=500)],
        submit,
        "Reopen",
    )


def advance_minutes(screen: MeetingScreen) -> None:
    if screen.meeting.minutes_state is MinutesState.DRAFT:
        problem = try_edit(lambda: screen.store.audit.circulate_minutes(screen.meeting_id))
        if problem:
            screen.notify(problem, severity="error", markup=False, timeout=10)
        else:
            screen.notify(f"{screen.meeting.code}: minutes circulated; M again records approval.")
        screen.refresh_data()
        return
    chair = next(
        (
            row.name
            for row in screen.store.meetings.attendees(screen.meeting_id)
            if row.attendee.role is AttendeeRole.CHAIR
        ),
        "",
    )

    def submit(values: Values) -> str | None:
        return try_edit(
            lambda: screen.store.records.approve_minutes(
                screen.meeting_id, values["approved_by"], minutes_body
            )
        )

    screen.ask(
        f"Approve the minutes of {screen.meeting.code}",
        [Field("approved_by", "Approved by", value=chair, required=True, max_length=200)],
        submit,
        "Approve",
    )
