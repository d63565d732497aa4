"""Action lists as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pmo_tui.data.models import Action
from pmo_tui.export.escape import file_text

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula, and without the
    control characters CSV forbids (an escape sequence reaches whoever cats the file)."""
    # A lone CR is a line break to a spreadsheet, but the csv module (lines end in LF)
    # would not quote it: every kind of break becomes LF, which it quotes.
    value = file_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + value if value.startswith(_FORMULA_START) else value


def actions_csv(actions: Sequence[Action], names: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "action", "owner", "due", "status", "meeting", "closed", "reason"])
    for action in actions:
        writer.writerow(
            [
                action.code,
                formula_safe(action.text),
                formula_safe(names.get(action.owner_id or 0, "")),
                action.due_on.isoformat() if action.due_on else "",
                action.status.value,
                f"M-{action.meeting_id}" if action.meeting_id else "",
                action.closed_on.isoformat() if action.closed_on else "",
                formula_safe(action.close_reason),
            ]
        )
    return out.getvalue()
