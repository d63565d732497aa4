"""The minutes as written to disk, rendered in the app, with a key to copy them."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from pmo_tui.widgets.footer import KeyFooter


class MinutesPreview(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="minutes.back"),
        # As in a pager: q closes the preview, it does not quit pmo in mid-meeting.
        Binding("q", "app.pop_screen", "Back", show=False, id="minutes.back-q"),
        Binding(
            "y",
            "copy",
            "Copy Markdown",
            id="minutes.copy",
            tooltip="Copy the minutes to your own clipboard (works over SSH, OSC 52)",
        ),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, markdown: str, path: Path) -> None:
        super().__init__()
        self.markdown = markdown
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Written to {self.path}  ·  y copies the Markdown"), id="minutes-path")
        with VerticalScroll(id="minutes"):
            # One Static of Rich's Markdown: Textual's Markdown widget builds a widget per
            # block and table cell, and the preview took 2.5 s to show.
            from rich.markdown import Markdown

            yield Static(Markdown(self.markdown), id="minutes-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#minutes", VerticalScroll).focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify("Minutes copied to your clipboard (your terminal must allow OSC 52).")

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#minutes", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
