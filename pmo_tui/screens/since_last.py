"""The first screen of a meeting: what changed in the portfolio since the previous one."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pmo_tui.data.models import Change, SinceLast
from pmo_tui.widgets.cells import safe


def since_renderable(since: SinceLast) -> RenderableType:
    if since.previous_code is None:
        return Text("This is the first meeting on record: nothing to compare with.")
    when = f"{since.since.astimezone():%d %b %Y %H:%M}" if since.since else ""
    parts: list[RenderableType] = [
        Text(f"Since {since.previous_code} ({when})", style="bold"),
        Text(""),
    ]
    if since.empty:
        parts.append(Text("Nothing changed."))
    for title, changes in (
        (
            "RAG changes",
            [
                Change(
                    code=c.code,
                    title=c.name,
                    detail=f"{c.before.word if c.before else 'none'} → {c.after.word}",
                )
                for c in since.rag_changes
            ],
        ),
        ("New RAID items", since.new_raid),
        ("Closed RAID items", [c.model_copy(update={"detail": ""}) for c in since.closed_raid]),
        ("Slipped dates", since.slipped),
        ("Rank moves", since.rank_moves),
        ("Actions done", since.actions_done),
        ("Actions overdue", since.actions_overdue),
    ):
        if not changes:
            continue
        parts.append(Text(f"{title} ({len(changes)})", style="bold underline"))
        for change in changes:
            line = Text("  ")
            # Codes in a column; one longer than six ("A-59001") still has its space.
            line.append(f"{change.code:<6} ", style="bold")
            line.append(safe(change.title))
            if change.detail:
                line.append(f"  {safe(change.detail)}", style="italic")
            parts.append(line)
        parts.append(Text(""))
    return Group(*parts)


class SinceLastScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,enter,w", "dismiss", "Close", id="since.close"),
        Binding("q", "dismiss", "Close", show=False, id="since.close-q"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, since: SinceLast) -> None:
        super().__init__()
        self.since = since

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="since", classes="dialog wide"):
            yield Static("What changed since the last meeting", classes="dialog-title")
            yield Static(since_renderable(self.since), id="since-body")
            yield Static("enter or esc to go on", classes="field-hint")

    def on_mount(self) -> None:
        self.query_one("#since", VerticalScroll).focus()

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#since", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
