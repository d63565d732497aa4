"""Minutes and action lists as GitHub-flavoured Markdown that pastes cleanly into a wiki.

Every piece of user text goes through ``escape.text`` or ``escape.cell``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.data.models import (
    Action,
    AgendaItem,
    AgendaStep,
    AgendaTopic,
    Attendance,
    AttendeeRole,
    Decision,
    Meeting,
    Minutes,
    MinutesState,
    Rag,
    StatusReport,
    StatusRow,
)
from pmo_tui.data.rules import seconds_spent, trend
from pmo_tui.data.topic_outcomes import topic_outcome
from pmo_tui.export.changes import change_minutes_section, gate_minutes_section
from pmo_tui.export.escape import cell, table, text
from pmo_tui.export.lessons import lessons_minutes_section
from pmo_tui.export.priorities import ranking_lines
from pmo_tui.export.raid import raid_minutes_section

TREND_MARK = {"better": "▲ better", "same": "► same", "worse": "▼ worse", "new": "● new"}


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _time(value: datetime | None, offset_minutes: int | None = None) -> str:
    """A clock time in the zone the record was written in (the local one while live)."""
    if value is None:
        return "—"
    zone = None if offset_minutes is None else timezone(timedelta(minutes=offset_minutes))
    return value.astimezone(zone).strftime("%H:%M")


def _minutes(seconds: int) -> str:
    return f"{round(seconds / 60)} min"


def _link(record: Decision | Action) -> str:
    codes = []
    if record.change_request_id:
        codes.append(f"CR-{record.change_request_id}")
    if record.raid_item_id:
        codes.append(f"R-{record.raid_item_id}")
    if isinstance(record, Action) and record.decision_id:
        codes.append(f"D-{record.decision_id}")
    if isinstance(record, Decision) and record.action_id:
        codes.append(f"A-{record.action_id}")
    if record.project_id and not codes:
        codes.append(f"P-{record.project_id}")
    return ", ".join(codes) or "—"


def _report_note(row: StatusRow) -> str:
    """Whether the meeting updated this project's status, or which report stood."""
    if row.reported_this_meeting:
        return "**updated**"
    if row.current is None:
        return "no report yet"
    return f"as of {_day(row.current.reported_on)}"


def _topic_line(topic: AgendaTopic, minutes: Minutes) -> str:
    """A proposed topic with what the meeting did about it: its decisions, its new score,
    its escalation or closure; or that nothing was recorded (and why it was proposed)."""
    code = topic.ref_code
    done = topic_outcome(
        code, minutes.decisions, minutes.raid, minutes.carried, minutes.status, escape=text
    )
    head = f"- {code} {text(topic.title)}"
    if done:
        return f"{head}: " + "; ".join(done)
    return f"{head}: nothing recorded in the meeting (proposed: {text(topic.reason)})"


def _rag(report: StatusReport | None, field: str) -> str:
    if report is None:
        return "—"
    return _RAG_CELL[getattr(report, field)]


# "G Green": four a project on the status table, 32,000 in the largest minutes.
_RAG_CELL = {rag: f"{rag.letter} {rag.word}" for rag in Rag}


# The minutes' last line, after a rule: their state, and once approved the stamp. The
# document's hash covers everything above it, so the body reads the same from draft to
# approval and a published copy can be checked (`pmo verify --minutes FILE`).
STAMP_MARK = "\n---\n\n**Minutes:** "


def minutes_stamp(meeting: Meeting) -> str:
    """Draft, circulated on a day, or approved: who approved, the hash of the document
    above the stamp, and the audit chain's head at approval."""
    if meeting.minutes_state is MinutesState.CIRCULATED and meeting.minutes_circulated_at:
        return f"circulated {_day(meeting.minutes_circulated_at.date())} for comment"
    if meeting.minutes_state is MinutesState.APPROVED and meeting.minutes_approved_at:
        return (
            f"approved {_day(meeting.minutes_approved_at.date())} by "
            f"{text(meeting.minutes_approved_by)} · {meeting.code} · sha256 of the minutes "
            f"above this line `{meeting.minutes_document_hash}` · audit chain at approval "
            f"E-{meeting.minutes_event_id} `{meeting.minutes_hash}`"
        )
    return "draft"


def minutes_markdown(minutes: Minutes) -> str:
    """The whole document: the body, then the stamp line."""
    return minutes_body(minutes) + STAMP_MARK + minutes_stamp(minutes.meeting) + "\n"


def split_minutes(document: str) -> tuple[str, str] | None:
    """(body, stamp) of a minutes document, None when it has no stamp line."""
    body, mark, stamp = document.rpartition(STAMP_MARK)
    if not mark:
        return None
    return body, stamp.rstrip("\n")


def minutes_body(minutes: Minutes) -> str:
    """Everything the minutes say about the meeting: the part an approval's hash covers."""
    meeting = minutes.meeting
    names = minutes.names
    steps = {item.id: item for item in minutes.agenda}
    offset = minutes.utc_offset_minutes
    out: list[str] = [f"# {text(meeting.title)} ({meeting.code})", ""]

    facts = [
        f"**Date:** {_day(meeting.scheduled_on)}",
        f"**Started:** {_time(meeting.started_at, offset)}",
        f"**Closed:** {_time(meeting.closed_at, offset)}",
        f"**State:** {meeting.state.value}",
    ]
    out += [" · ".join(facts), ""]
    by_role: dict[AttendeeRole, list[str]] = {}
    attendance: dict[Attendance, list[str]] = {kind: [] for kind in Attendance}
    for row in minutes.attendees:
        name = text(row.name)
        role = row.attendee.role
        if role is not AttendeeRole.MEMBER:
            by_role.setdefault(role, []).append(name)
        shown = name if role is AttendeeRole.MEMBER else f"{name} ({role.value})"
        attendance[row.attendee.attendance].append(shown)
    for role in (AttendeeRole.CHAIR, AttendeeRole.FACILITATOR, AttendeeRole.MINUTE_TAKER):
        if role in by_role:
            out.append(f"- **{role.value.capitalize()}:** {', '.join(by_role[role])}")
    present = attendance[Attendance.PRESENT]
    out.append(f"- **Present:** {', '.join(present) or 'nobody recorded'}")
    for kind in (Attendance.APOLOGIES, Attendance.ABSENT):
        if attendance[kind]:
            out.append(f"- **{kind.value.capitalize()}:** {', '.join(attendance[kind])}")
    out += [f"- **Quorum:** {text(minutes.quorum)}", ""]

    out += ["## Agenda", ""]
    rows = []
    for number, item in enumerate(minutes.agenda, start=1):
        spent = seconds_spent(
            item.spent_seconds,
            item.entered_at,
            meeting.closed_at or item.entered_at or datetime.now().astimezone(),
        )
        note = f"parked: {cell(item.parked_reason)}" if item.parked_reason else " "
        actual = _minutes(spent) if item.started_at else "not reached"
        rows.append([str(number), cell(item.title), f"{item.timebox_minutes} min", actual, note])
    out += table(["#", "Step", "Planned", "Actual", "Note"], rows)
    out.append("")

    out += _since_section(minutes)

    for number, item in enumerate(minutes.agenda, start=1):
        out += _step_section(number, item, minutes)

    out += raid_minutes_section(minutes.raid, minutes.heat, minutes.scale, names)
    out += change_minutes_section(minutes.changes)
    out += gate_minutes_section(minutes.gates)
    if minutes.ranking:
        out += ["## Priorities", "", *ranking_lines(minutes.ranking, minutes.ranking_budget)]
    out += lessons_minutes_section(minutes.lessons, minutes.closures, minutes.projects)

    out += ["## Decisions", ""]
    if minutes.decisions:
        out += table(
            ["Code", "Decision", "Rationale", "Step", "Link"],
            (
                [
                    d.code,
                    cell(d.text),
                    cell(d.rationale or "—"),
                    cell(steps[d.agenda_item_id].title) if d.agenda_item_id in steps else "—",
                    _link(d),
                ]
                for d in minutes.decisions
            ),
        )
    else:
        out.append("No decisions were recorded.")
    out.append("")

    out += ["## Actions", ""]
    if minutes.actions:
        out += _actions_table(minutes.actions, names, steps)
    else:
        out.append("No actions were recorded.")
    out.append("")
    return "\n".join(out)


def _actions_table(
    actions: Sequence[Action], names: dict[int, str], steps: dict[int, AgendaItem]
) -> list[str]:
    return table(
        ["Code", "Action", "Owner", "Due", "Status", "Step", "Link"],
        (
            [
                a.code,
                cell(a.text),
                cell(names[a.owner_id]) if a.owner_id in names else "**no owner**",
                _day(a.due_on) if a.due_on else "**no date**",
                a.status.value,
                cell(steps[a.agenda_item_id].title) if a.agenda_item_id in steps else "—",
                _link(a),
            ]
            for a in actions
        ),
    )


def _since_section(minutes: Minutes) -> list[str]:
    since = minutes.since
    if since.previous_code is None:
        return ["## Since the last meeting", "", "This is the first meeting on record.", ""]
    out = [f"## Since the last meeting ({since.previous_code})", ""]
    groups = [
        (
            "RAG changes",
            [
                f"{c.code} {text(c.name)}: {c.before.word if c.before else 'none'} → {c.after.word}"
                for c in since.rag_changes
            ],
        ),
        ("New RAID items", [f"{c.code} {text(c.title)}" for c in since.new_raid]),
        ("Closed RAID items", [f"{c.code} {text(c.title)}" for c in since.closed_raid]),
        ("Slipped dates", [f"{c.code} {text(c.title)}: {text(c.detail)}" for c in since.slipped]),
        ("Rank moves", [f"{c.code} {text(c.title)}: {text(c.detail)}" for c in since.rank_moves]),
        ("Actions done", [f"{c.code} {text(c.title)}" for c in since.actions_done]),
        (
            "Actions overdue",
            [f"{c.code} {text(c.title)} ({text(c.detail)})" for c in since.actions_overdue],
        ),
    ]
    if since.empty:
        return [*out, "Nothing changed.", ""]
    for title, lines in groups:
        if lines:
            out += [f"**{title}**", ""] + [f"- {line}" for line in lines] + [""]
    return out


def _step_section(number: int, item: AgendaItem, minutes: Minutes) -> list[str]:
    out = [f"## {number}. {text(item.title)}", ""]
    if item.parked_reason:
        out += [f"*Parked for the next meeting: {text(item.parked_reason)}*", ""]
    topics = [t for t in minutes.topics if t.agenda_item_id == item.id]
    if topics:
        out += [_topic_line(t, minutes) for t in topics] + [""]
    if item.step is AgendaStep.STATUS and minutes.status:
        out += table(
            [
                "Project",
                "Overall",
                "Schedule",
                "Budget",
                "Scope",
                "Trend",
                "Done",
                "Commentary",
                "Report",
            ],
            (
                [
                    f"{row.project.code} {cell(row.project.name)}",
                    _rag(row.current, "overall"),
                    _rag(row.current, "schedule"),
                    _rag(row.current, "budget"),
                    _rag(row.current, "scope"),
                    TREND_MARK[
                        trend(
                            row.previous.overall if row.previous else None, row.current.overall
                        ).value
                    ]
                    if row.current
                    else "—",
                    f"{row.current.percent_complete} %" if row.current else "—",
                    cell(row.current.commentary if row.current else ""),
                    _report_note(row),
                ]
                for row in minutes.status
            ),
        )
        out.append("")
    if item.step is AgendaStep.PREVIOUS_ACTIONS and minutes.carried:
        out += table(
            ["Code", "Action", "Owner", "Due", "What happened"],
            (
                [
                    c.action.code,
                    cell(c.action.text),
                    cell(minutes.names.get(c.action.owner_id or 0, "—")),
                    _day(c.action.due_on),
                    cell(c.outcome),
                ]
                for c in minutes.carried
            ),
        )
        out.append("")
    if item.notes.strip():
        out += [text(item.notes), ""]
    elif not topics and not (item.step is AgendaStep.STATUS and minutes.status):
        out += [f"*{STEP_GUIDE[item.step].title}: no notes.*", ""]
    return out


def actions_markdown(
    actions: Sequence[Action], names: dict[int, str], title: str = "Actions"
) -> str:
    out = [f"# {text(title)}", ""]
    if not actions:
        return "\n".join([*out, "No actions.", ""])
    return "\n".join([*out, *_actions_table(actions, names, {}), ""])
