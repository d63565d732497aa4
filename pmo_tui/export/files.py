"""Minutes and action lists in each export format, for the CLI and the app alike."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from pmo_tui.data.models import Meeting
from pmo_tui.data.store import Store
from pmo_tui.export.csvfile import actions_csv
from pmo_tui.export.html import render_html
from pmo_tui.export.markdown import actions_markdown, minutes_markdown


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"


def minutes_name(meeting: Meeting, fmt: Format = Format.MD) -> str:
    """``minutes-M-3-2026-11-26.md``: sorts by date in a folder, names the meeting."""
    return f"minutes-{meeting.code}-{meeting.scheduled_on.isoformat()}.{fmt.value}"


def minutes_document(store: Store, meeting_id: int, fmt: Format = Format.MD) -> str:
    minutes = store.minutes(meeting_id)
    markdown = minutes_markdown(minutes)
    if fmt is Format.HTML:
        return render_html(markdown, f"{minutes.meeting.title} ({minutes.meeting.code})")
    if fmt is Format.CSV:
        raise ValueError("minutes export as md or html")
    return markdown


def actions_document(
    store: Store, fmt: Format = Format.MD, *, open_only: bool = False, owner: str = ""
) -> str:
    actions = store.action_list(open_only=open_only, owner=owner)
    names = store.names()
    if fmt is Format.CSV:
        return actions_csv(actions, names)
    title = ("Open actions" if open_only else "Actions") + (f" for {owner}" if owner else "")
    markdown = actions_markdown(actions, names, title)
    if fmt is Format.HTML:
        return render_html(markdown, title)
    return markdown


def write_atomically(path: Path, document: str) -> None:
    """Write the whole file or nothing: a crash mid-write never leaves half minutes."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(document, encoding="utf-8")
    os.replace(temporary, path)
