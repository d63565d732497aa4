"""A step's summary line: what the step holds, then its keys. Presentation mode (the
shared screen, read from the back of a room) shows the facts without the keys."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StepSummary(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="step-summary")
        self._facts = Text("")
        self._keys = ""
        self._keys_shown = True

    def on_mount(self) -> None:
        # A step first shown during presentation mode starts without its keys.
        self.show_keys(not self.screen.has_class("-presenting"))

    def say(self, facts: str | Text, keys: str = "") -> None:
        """``facts`` as plain text (never markup: it holds titles and names as typed)."""
        facts = facts if isinstance(facts, Text) else Text(facts)
        if facts == self._facts and keys == self._keys:
            return  # an update re-lays out the screen: only when something changed
        self._facts, self._keys = facts, keys
        self._draw()

    def show_keys(self, shown: bool) -> None:
        if shown != self._keys_shown:
            self._keys_shown = shown
            self._draw()

    def _draw(self) -> None:
        text = self._facts.copy()
        if self._keys and self._keys_shown:
            text.append(" · " + self._keys, style="dim" if not text.style else "")
        self.update(text)

    @property
    def facts(self) -> str:
        return self._facts.plain
