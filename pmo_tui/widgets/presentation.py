"""What presentation mode shows a room from the back: the step, the time left in digits
three rows high, and the item under discussion in a band of its own."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Digits, Static

from pmo_tui.widgets.agenda_sidebar import clock_text, over_text


def clock_figure(seconds_left: int) -> tuple[str, str]:
    """The time left as big digits and the words beside them: "12" "min left", "0:45"
    "left", "+3" "min over" (Textual's Digits draws digits, ":" and "+" only)."""
    over = seconds_left < 0
    shown = over_text(seconds_left) if over else clock_text(seconds_left)
    if shown.endswith(" min"):
        figure, unit = shown.removesuffix(" min"), "min"
    else:
        figure, unit = shown, ""
    if over:
        return f"+{figure}", f"{unit} over".strip()
    return figure, f"{unit} left".strip()


class PresentBar(Horizontal):
    """The step's title and its clock, large. Shown only in presentation mode."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[str, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="present-step")
        yield Digits(id="present-clock")
        yield Static(id="present-unit")

    def show(self, title: str, seconds_left: int | None) -> None:
        """``seconds_left`` None: no clock (a step not started, parked, or a closed
        meeting)."""
        figure, unit = clock_figure(seconds_left) if seconds_left is not None else ("", "")
        shown = (title, figure, unit)
        if shown == self._shown:
            return  # the clock changes once a minute: repaint only then
        self._shown = shown
        self.query_one("#present-step", Static).update(Text(title))
        self.query_one("#present-clock", Digits).update(figure)
        self.query_one("#present-unit", Static).update(Text(unit))
        self.set_class(seconds_left is not None and seconds_left < 0, "-over")
