"""Help: every key, and what each agenda step is for, so a new facilitator learns the method."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from pmo_tui.data.agenda import STEP_GUIDE

KeySection = tuple[str, Iterable[BindingType]]


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "escape": "esc", "enter": "⏎", "backspace": "⌫"}
    return ", ".join(names.get(key, key) for key in binding.key.split(","))


def help_markdown(sections: Iterable[KeySection]) -> str:
    lines = ["# pmo help", "", "## Keys", ""]
    for title, bindings in sections:
        lines += [f"### {title}", "", "| Key | What it does |", "| --- | --- |"]
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            what = binding.tooltip or binding.description
            lines.append(f"| `{_key_label(binding)}` | {_md_cell(what)} |")
        lines.append("")
    lines += [
        "## The meeting, step by step",
        "",
        "A portfolio review walks these steps in order; a steering committee uses a shorter "
        "agenda. Decisions and actions can be recorded from any step.",
        "",
    ]
    for number, guide in enumerate(STEP_GUIDE.values(), start=1):
        lines += [f"{number}. **{guide.title}**: {guide.purpose}"]
    lines += [
        "",
        "## Everything is saved as you go",
        "",
        "Every edit is written to the portfolio file at once; there is no save key. "
        "Several people can open the same file; an edit made from a stale screen is "
        "refused and the current value is shown.",
    ]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("q", "dismiss", "Close", show=False, id="help.close-q"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close-?"),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
    ]

    def __init__(self, sections: Iterable[KeySection]) -> None:
        super().__init__()
        self.text = help_markdown(sections)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            # Imported here: the Markdown widget costs ~15 ms, paid on the first `?`, not
            # at every start.
            from textual.widgets import Markdown

            yield Markdown(self.text)

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#help", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
