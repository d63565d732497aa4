"""Starting a meeting, as the home screen and the meeting's planning both do it: a meeting
planned for another day, or short of its quorum, asks first (a room that starts the
wrong meeting, or one that cannot decide, finds out before anything is recorded)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from pmo_tui.data.errors import StoreError
from pmo_tui.data.meetings import forum_name, series_title
from pmo_tui.data.models import Meeting, MeetingState
from pmo_tui.data.store import Store
from pmo_tui.widgets.editing import ask
from pmo_tui.widgets.form import Values


def start_checks(store: Store, meeting: Meeting) -> list[str]:
    """What the room should know before starting ``meeting``; empty: nothing to ask."""
    if meeting.state is not MeetingState.PLANNED:
        return []
    found: list[str] = []
    today = store.clock().date()
    if meeting.scheduled_on != today:
        forum = forum_name(meeting.title)
        renamed = meeting.title == series_title(forum, meeting.scheduled_on)
        found.append(
            f"It is planned for {meeting.scheduled_on:%a %d %b %Y}, not today: it will be "
            f"held today, {today:%a %d %b %Y}, and its date becomes today's (overdue "
            "actions and reviews are judged on it)"
            + (f"; its title becomes {series_title(forum, today)}." if renamed else ".")
        )
    others = [
        row.meeting.code
        for row in store.meetings.meetings()
        if row.meeting.state is MeetingState.LIVE and row.meeting.id != meeting.id
    ]
    if others:
        one = len(others) == 1
        found.append(
            f"{', '.join(others)} {'is' if one else 'are'} live too: close "
            f"{'it' if one else 'them'} first, unless both are meant to run at once."
        )
    met, why = store.meetings.quorum(meeting.id)
    if not met:
        # ``why`` says it ("quorum NOT met: chair absent, ..."): said once.
        found.append(f"{why[:1].upper()}{why[1:]}. Decisions taken may not stand.")
    return found


def start_meeting(
    widget: Widget,
    store: Store,
    meeting_id: int,
    session_id: int | None,
    then: Callable[[Meeting], object],
) -> None:
    """Start (or resume) the meeting, asking first when ``start_checks`` finds anything;
    ``then`` gets the started meeting. A refusal is said, never raised."""
    started: list[Meeting] = []

    def start() -> str | None:
        try:
            planned_for = store.get(Meeting, meeting_id).scheduled_on
            meeting = store.meetings.start_meeting(meeting_id, session_id, held_today=True)
            if meeting.scheduled_on != planned_for:
                # Its topics were proposed for the planned day: read again for today.
                store.topics.refresh_reasons(meeting_id, planned_for)
            started.append(meeting)
        except StoreError as error:
            return str(error)
        return None

    try:
        meeting = store.get(Meeting, meeting_id)
        checks = start_checks(store, meeting)
    except StoreError as error:
        widget.notify(str(error), severity="error", markup=False)
        return
    if not checks:
        problem = start()
        if problem is not None:
            widget.notify(problem, severity="error", markup=False)
            return
        then(started[0])
        return

    def submit(values: Values) -> str | None:
        return start()

    ask(
        widget,
        store,
        f"Start {meeting.code} {meeting.title}?",
        [],
        submit,
        "Start",
        lambda: then(started[0]),
        message="\n".join(checks),
    )
