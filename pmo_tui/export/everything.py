"""Everything out: any entity as CSV (in the shape `pmo import` reads back), the whole
portfolio as one JSON document, due actions as an iCalendar file, and a digest of what
each person owes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from pmo_tui.data.models import PREFIXES, RECORD_TYPES, Action, ActionStatus, RaidItem, Record
from pmo_tui.export.csvfile import formula_safe
from pmo_tui.export.escape import cell, file_text, table, text

ENTITIES: dict[str, type[Record]] = {model.TABLE: model for model in RECORD_TYPES}
# Foreign keys to people are written as names (as registers keep them); others as codes.
PERSON_KEYS = frozenset({"owner_id", "manager_id", "sponsor_id", "person_id"})
_KEY_PREFIX = {
    "project_id": "P",
    "depends_on_project_id": "P",
    "meeting_id": "M",
    "raid_item_id": "R",
    "source_id": "R",
    "became_id": "R",
    "change_request_id": "CR",
    "decision_id": "D",
    "gate_id": "G",
    "agenda_item_id": "AG",
    "template_id": "MT",
    "objective_id": "O",
    "team_id": "TM",
}


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def _columns(model: type[Record]) -> list[str]:
    names = [name for name in model.model_fields if name not in ("id", "version")]
    return ["code", *(_header(name) for name in names)]


def _header(name: str) -> str:
    if name in PERSON_KEYS:
        return name.removesuffix("_id")
    if name in _KEY_PREFIX:
        return name.removesuffix("_id")
    return name


def entity_csv(records: Sequence[Record], model: type[Record], names: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_columns(model))
    fields = [name for name in model.model_fields if name not in ("id", "version")]
    for record in records:
        row = [record.code]
        for name in fields:
            value = getattr(record, name)
            if name in PERSON_KEYS:
                row.append(formula_safe(names.get(value, "") if value else ""))
            elif name in _KEY_PREFIX:
                row.append(f"{_KEY_PREFIX[name]}-{value}" if value else "")
            else:
                row.append(formula_safe(_plain(value)) if isinstance(value, str) else _plain(value))
        writer.writerow(row)
    return out.getvalue()


def portfolio_json(everything: dict[str, list[Record]], schema_version: int, at: datetime) -> str:
    """The whole file as one JSON document: each table's rows with their codes."""
    document: dict[str, Any] = {
        "format": "pmo-portfolio",
        "schema_version": schema_version,
        "exported_at": at.isoformat(),
        "prefixes": {prefix: model.TABLE for prefix, model in PREFIXES.items()},
    }
    for name, records in everything.items():
        document[name] = [
            {"code": record.code, **record.model_dump(mode="json")} for record in records
        ]
    return json.dumps(document, ensure_ascii=False, indent=1)


# -- iCalendar ------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped; the control
    characters it forbids replaced."""
    return (
        file_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next, after one space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return [*out, current]


def actions_ics(actions: Sequence[Action], names: dict[int, str], stamp: datetime) -> str:
    """One VTODO per action with a due date, so people get what they owe into their own
    calendar or task list."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//pmo//actions//EN",
        "CALSCALE:GREGORIAN",
    ]
    for action in actions:
        if action.due_on is None:
            continue
        owner = names.get(action.owner_id or 0, "no owner")
        description = f"Owner: {owner}" + (
            f". Raised in M-{action.meeting_id}" if action.meeting_id else ""
        )
        lines += [
            "BEGIN:VTODO",
            f"UID:{action.code}@pmo",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DUE;VALUE=DATE:{action.due_on.strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(f'{action.code} {action.text}')}",
            f"DESCRIPTION:{_ics_text(description)}",
            "STATUS:"
            + {
                ActionStatus.OPEN: "NEEDS-ACTION",
                ActionStatus.DONE: "COMPLETED",
                ActionStatus.DROPPED: "CANCELLED",
            }[action.status],
            "END:VTODO",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"


# -- what each person owes -------------------------------------------------------------


def digest_markdown(
    actions: Sequence[Action],
    raid: Sequence[RaidItem],
    names: dict[int, str],
    today: date,
    owner: str = "",
    title: str = "What each person owes",
) -> str:
    """Per owner: their open actions (overdue first) and the open RAID items they own."""
    people: dict[str, tuple[list[Action], list[RaidItem]]] = {}
    for action in actions:
        if action.status is ActionStatus.OPEN:
            people.setdefault(names.get(action.owner_id or 0, "No owner"), ([], []))[0].append(
                action
            )
    for item in raid:
        people.setdefault(names.get(item.owner_id or 0, "No owner"), ([], []))[1].append(item)
    if owner:
        people = {name: owed for name, owed in people.items() if name.lower() == owner.lower()}
    out = [f"# {text(title)} ({today.isoformat()})", ""]
    if not people:
        return "\n".join([*out, "Nothing is owed." if not owner else f"{owner} owes nothing.", ""])
    for name in sorted(people, key=lambda n: (n == "No owner", n.lower())):
        owed_actions, owned_raid = people[name]
        out += [f"## {text(name)}", ""]
        if owed_actions:
            owed_actions.sort(key=lambda a: (a.due_on is None, a.due_on or today))
            out += table(
                ["Action", "What", "Due"],
                (
                    [
                        a.code,
                        cell(a.text),
                        (
                            f"**{a.due_on.isoformat()} overdue**"
                            if a.due_on and a.due_on < today
                            else (a.due_on.isoformat() if a.due_on else "no date")
                        ),
                    ]
                    for a in owed_actions
                ),
            )
            out.append("")
        if owned_raid:
            out += table(
                ["RAID", "Kind", "What", "Review by"],
                (
                    [
                        item.code,
                        item.kind.value,
                        cell(item.title),
                        item.review_by.isoformat() if item.review_by else "—",
                    ]
                    for item in owned_raid
                ),
            )
            out.append("")
    return "\n".join(out)
