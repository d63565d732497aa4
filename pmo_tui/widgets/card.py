"""The card beside a step's list: redrawn on every cursor move, so it re-lays out the
screen only when its height has to change."""

from __future__ import annotations

from rich.console import RenderableType
from textual.widget import Widget
from textual.widgets import Static


class Card(Static):
    """A Static whose update repaints in place when the new content fits the same height.

    Static.update re-lays out the whole screen by default: 15-40 ms a cursor move on the
    meeting screen, against a few ms to repaint the card alone."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._lines: int | None = None

    def show(self, content: RenderableType) -> None:
        region = self.content_region
        self.update(content, layout=False)
        if not region.width:  # not laid out yet: the first layout sizes it anyway
            self._lines = None
            self.refresh(layout=True)
            return
        if self.styles.height is not None and not self.styles.height.is_auto:
            return  # a fixed height: the content is cut, the box stays (no need to measure)
        parent = self.parent
        container = parent.size if isinstance(parent, Widget) else self.app.size
        lines = self.get_content_height(container, self.app.size, region.width)
        before, self._lines = self._lines, lines
        clamped = before is not None and before > region.height  # max-height cut it
        if lines != region.height and not (clamped and lines >= region.height):
            self.refresh(layout=True)
