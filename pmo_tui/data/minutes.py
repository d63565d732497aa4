"""What the minutes of a meeting contain, assembled in one place from named sections.

Each section is read by the store that owns its topic; this module only says what goes in.
A live meeting's minutes are composed on demand; a closed meeting's were composed once,
at its close, and are read from its record (record.py) ever after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmo_tui.data.models import Meeting, Minutes

if TYPE_CHECKING:
    from pmo_tui.data.store import Store


def compose_minutes(store: Store, meeting_id: int) -> Minutes:
    meeting = store.get(Meeting, meeting_id)
    _, quorum = store.meetings.quorum(meeting_id)
    heat = store.raid.heat_map()
    ranking, funding = store.priorities.adopted_board(meeting_id)
    return Minutes(
        meeting=meeting,
        # Who was there, and the agenda with what each step took.
        attendees=store.meetings.attendees(meeting_id),
        quorum=quorum,
        agenda=store.meetings.agenda(meeting_id),
        topics=store.meetings.topics(meeting_id),
        # What changed in the portfolio between the last meeting and this one.
        since=store.meetings.since_last(meeting_id),
        # 1. Previous actions: what this meeting did with earlier meetings' actions.
        carried=store.decisions.carried_over(meeting),
        # 2. Status: the whole board as reviewed (this meeting's reports marked).
        status=store.portfolio.status_board(meeting_id),
        # 3. RAID triage: items added, re-scored, escalated, closed; the heat map.
        raid=store.raid.raid_changes(meeting_id),
        heat=heat.counts,
        scale=heat.scale,
        # 4. Change decisions and stage gates, each with its decision.
        changes=store.changes.decided_changes(meeting_id),
        gates=store.changes.decided_gates(meeting_id),
        # 5. Priorities: the ranking exactly as adopted, and its funding line.
        ranking=ranking,
        ranking_budget=funding,
        # 6. Lessons captured, and projects closed with their checklists.
        lessons=store.lessons.meeting_lessons(meeting_id),
        closures=store.lessons.meeting_closures(meeting_id),
        projects=store.portfolio.project_labels(),
        # 7. Wrap-up: every decision and action recorded in the meeting.
        decisions=store.decisions.decisions(meeting_id),
        actions=store.decisions.actions(meeting_id),
        names=store.portfolio.names(),
    )
