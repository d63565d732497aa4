"""The minutes as written to disk, rendered in the app, with a key to copy them."""

from __future__ import annotations

from pathlib import Path

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.text_view import TextView


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

    def __init__(self) -> None:
        super().__init__()
        self.markdown = ""
        self.path: Path | None = None

    def writing(self) -> None:
        """Shown at once on E, before the minutes are written: the key answers now, the
        minutes (Rich lays them out in 0.1-0.2 s) fill the screen when ready."""
        self.markdown = ""
        self.path = None
        self.query_one("#minutes-path", Static).update(Text("Writing the minutes…"))
        self.query_one("#minutes", TextView).update("")

    def show(self, markdown: str, path: Path) -> None:
        """The minutes as written to ``path``."""
        self.markdown = markdown
        self.path = path
        self.query_one("#minutes-path", Static).update(
            Text(f"Written to {path}  ·  y copies the Markdown")
        )
        # Parsed in the view's thread: Rich's Markdown parses as it is constructed.
        self.query_one("#minutes", TextView).update(lambda: Markdown(markdown))

    @property
    def shown(self) -> bool:
        """The minutes are written and laid out on screen."""
        return self.path is not None and self.query_one("#minutes", TextView).laid_out

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Writing the minutes…"), id="minutes-path")
        # Rich's Markdown drawn a screenful at a time: Textual's Markdown widget builds a
        # widget per block and table cell (2.5 s to show), a Static styles every line on
        # each layout (0.2 s).
        yield TextView("", id="minutes")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#minutes", TextView).focus()

    def action_copy(self) -> None:
        if not self.markdown:
            self.notify("The minutes are still being written.")
            return
        self.app.copy_to_clipboard(self.markdown)
        self.notify("Minutes copied to your clipboard (your terminal must allow OSC 52).")

    def action_scroll(self, direction: str) -> None:
        view = self.query_one("#minutes", TextView)
        if direction == "down":
            view.scroll_down(animate=False)
        else:
            view.scroll_up(animate=False)
