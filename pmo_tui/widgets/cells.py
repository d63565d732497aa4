"""Table cells: RAG badges that read without colour, and user text that is never markup."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.color import Color
from textual.visual import VisualType
from textual.widgets import Static

from pmo_tui.data.models import MeetingState, Rag

# Theme variable that colours each status, so light and dark themes both fit.
THEME_COLOUR = {Rag.GREEN: "success", Rag.AMBER: "warning", Rag.RED: "error"}

# A symbol and a word, so the state reads without colour.
STATE_MARK = {
    MeetingState.PLANNED: "○ planned",
    MeetingState.LIVE: "● live",
    MeetingState.CLOSED: "✓ closed",
}


def rag_badge(rag: Rag | None, variables: Mapping[str, str]) -> Text:
    """`` R Red `` on the theme's error colour; a dash (no colour) when unknown."""
    if rag is None:
        return Text(" -  none ", style="dim")
    return Text(
        f" {rag.letter} {rag.word:<5} ",
        style=_badge_style(variables.get(THEME_COLOUR[rag], "grey50")),
    )


@lru_cache(maxsize=64)
def _badge_style(colour: str) -> str:
    # Parsing and contrasting a colour costs more than the rest of a cell: once a colour.
    background = Color.parse(colour)
    return f"bold {background.get_contrast_text(1.0).hex} on {background.hex}"


def plain(value: object) -> Text:
    """User text for a table cell: never parsed as markup, control characters shown safely."""
    return Text(safe(str(value)), no_wrap=True, overflow="ellipsis")


def safe(value: str) -> str:
    """User text fit for the terminal: an escape sequence in a name must never reach it
    (Rich passes ESC through), and a newline would break a one-line cell or title."""
    if value.isprintable():  # nearly always: checked at C speed, no copy
        return value
    return "".join(ch if ch.isprintable() else ("⏎" if ch in "\r\n" else "�") for ch in value)


def amount(value: float) -> str:
    """An amount as a form shows it for editing: 12,500 or 12,500.50 (never 1.25e+04)."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def update_static(widget: Static, content: VisualType) -> None:
    """Static.update re-lays out the whole screen even when the content is the same
    (30-40 ms on the meeting screen, after every edit): only when it changed."""
    if widget.content != content:
        widget.update(content)


class AtMostLines:
    """``text`` wrapped to the width it is drawn at, in at most ``lines`` lines, the last
    ending in "…" when there is more: worked out when drawn, so a card whose width changes
    after its content was set (a scroll bar, a narrower screen) still ends in "…"."""

    def __init__(self, text: Text, lines: int) -> None:
        self.text, self.lines = text, lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = list(self.text.wrap(console, width))
        if len(lines) > self.lines and width > 1:
            lines = lines[: self.lines]
            last = lines[-1]
            last.rstrip()  # a wrapped line keeps the space it broke at
            last.truncate(width - 1)
            last.append("…")
        yield Text("\n").join(lines)
