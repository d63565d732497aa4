"""Help: every key, and what each agenda step is for, so a new facilitator learns the method."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.widgets.cells import safe
from pmo_tui.widgets.text_view import TextView

KeySection = tuple[str, Iterable[BindingType]]


def _key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {
        "question_mark": "?",
        "escape": "esc",
        "enter": "⏎",
        "backspace": "⌫",
        "equals_sign": "=",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "less_than_sign": "<",
        "greater_than_sign": ">",
        "plus": "+",
        "minus": "-",
        "slash": "/",
        "space": "space",
    }
    return ", ".join(names.get(key, key) for key in binding.key.split(","))


KEY_WIDTH = 16


def help_text(sections: Iterable[KeySection]) -> Text:
    """Every key and what it does, then the method: one Text, drawn in a few ms (Textual's
    Markdown widget, a widget per table cell, took 1-2 s to show)."""
    text = Text()
    text.append("pmo help\n\n", style="bold underline")
    text.append("Keys\n", style="bold")
    for title, bindings in sections:
        text.append(f"\n{title}\n", style="bold")
        seen: set[tuple[str, str]] = set()
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            key = _key_label(binding)
            what = binding.tooltip or binding.description
            if (key, what) in seen:
                continue
            seen.add((key, what))
            text.append(f"  {key:<{KEY_WIDTH}}", style="bold")
            text.append(f"{safe(what)}\n")
    text.append("\nThe meeting, step by step\n", style="bold")
    text.append(
        "A portfolio review walks these steps in order; a steering committee uses a shorter "
        "agenda. Decisions and actions can be recorded from any step.\n"
    )
    for number, guide in enumerate(STEP_GUIDE.values(), start=1):
        text.append(f"  {number}. ")
        text.append(guide.title, style="bold")
        text.append(f": {guide.purpose}\n")
    text.append("\nEverything is saved as you go\n", style="bold")
    text.append(
        "Every edit is written to the portfolio file at once; there is no save key. "
        "Several people can open the same file; an edit made from a stale screen is "
        "refused and the current value is shown.\n"
    )
    return text


class HelpScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("q", "dismiss", "Close", show=False, id="help.close-q"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close-?"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextView(self.text, id="help")

    def on_mount(self) -> None:
        self.query_one("#help", TextView).focus()

    def on_screen_resume(self) -> None:
        # Kept between openings (the app reuses a built help screen): open at the top.
        self.query_one("#help", TextView).scroll_home(animate=False)

    def action_scroll(self, direction: str) -> None:
        view = self.query_one("#help", TextView)
        if direction == "down":
            view.scroll_down(animate=False)
        else:
            view.scroll_up(animate=False)
