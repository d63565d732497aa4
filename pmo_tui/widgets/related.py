"""Lessons related to an item's title, for the cards of the RAID and change steps: the
PMO's memory offered without a search."""

from __future__ import annotations

from rich.text import Text

from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import safe


def marked(text: str) -> Text:
    """Search output with the matching words (between \\x01 and \\x02) in bold."""
    result = Text()
    bold = False
    for part in text.replace("\x02", "\x01").split("\x01"):
        result.append(safe(part), style="bold reverse" if bold else "")
        bold = not bold
    return result


def related_text(store: Store, title: str) -> Text | None:
    """Lessons that look related to a new item's or request's title, for its card: the
    PMO's memory offered without a search."""
    hits = store.lessons.related_lessons(title, limit=2)
    if not hits:
        return None
    text = Text()
    for index, hit in enumerate(hits):
        text.append(("; " if index else "") + f"{hit.lesson.code} ")
        text.append_text(marked(hit.marked_title))
    return text
