"""Text that tries to act: Rich/Textual markup, terminal escape and OSC sequences, bidi
controls, HTML and Markdown, spreadsheet formulas. Written into every user-text field of a
portfolio, so the screens and exports can be checked with all of it at once."""

from __future__ import annotations

import typing
from pathlib import Path

from pmo_tui.data.models import RECORD_TYPES
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store

MARKUP = "[bold]B[/] [link=https://evil.example]L[/link] [@click=app.quit]Q[/] [/x] [/]"
ESCAPES = "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07OSC\x1b]8;;\x07 \x1b]0;title\x07"
BIDI = "\u202eevil\u202c \u2066iso\u2069 \u200frlm \u2028ls \rCR"
MARKDOWN = "<script>alert(1)</script> <img src=x onerror=alert(1)> [j](javascript:alert(1))"
STRUCTURE = "| pipe | `tick` *em* # head"
# Starts with a formula character, so CSV exports must defuse it.
PAYLOAD = f"=1+2 {MARKUP} {ESCAPES} {BIDI} {MARKDOWN} {STRUCTURE}"

# Fields that are user text but hold names the app matches on, or a fixed vocabulary.
_NOT_FREE_TEXT = {
    "template",
    "driver",
    "user",
    "minutes_hash",
    "tags",
    "selection",
    "minutes_document_hash",
}


def _text_fields(model: type) -> list[tuple[str, int]]:
    """(field, max length) for each plain str field of a stored model."""
    fields = []
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        if hints.get(name) is not str or name in _NOT_FREE_TEXT:
            continue
        limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        fields.append((name, limit or 100_000))
    return fields


def poison(path: Path) -> int:
    """Write PAYLOAD (numbered where a name must be unique, cut to each field's limit)
    into every free-text field of every row; returns the fields written."""
    conn = sqlite3.connect(path)
    written = 0
    for model in RECORD_TYPES:
        for name, limit in _text_fields(model):
            # " #id" keeps unique columns unique; the payload's start stays intact.
            conn.execute(
                f"update {model.TABLE} set {name} = substr(?, 1, ?) || ' #' || id",
                (PAYLOAD, limit - 8),
            )
            written += 1
    # Closed meetings' minutes are their records: write them again from the hostile rows,
    # as if those meetings had closed with this text.
    conn.execute("drop trigger meeting_records_kept")
    conn.execute("delete from meeting_records")
    conn.commit()
    conn.close()
    with Store(path) as store:
        store.records.record_unrecorded()
    return written
