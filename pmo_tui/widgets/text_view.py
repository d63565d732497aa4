"""A long read-only text (help, the minutes preview) that draws only the lines on screen.

A Static holding the whole text makes Textual turn every line into styled strips on each
layout: 110-130 ms for the help's 150 lines at 120x40, where showing the screen itself
costs 60. This view has Rich lay the text out once per width, in a thread (Rich's
Markdown takes 80-130 ms for a meeting's minutes: the screen opens at once and the text
fills it when laid out), and hands Textual the visible lines only (Textual's line API, as
its own Log widget does).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from rich.segment import Segment
from textual import events, work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

# What the view shows: a renderable, or a function making one (called in the thread, for
# a renderable that is itself slow to build, as Rich's Markdown parses on construction).
Source = RenderableType | Callable[[], RenderableType]


class TextView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TextView {
        overflow-x: hidden;
    }
    """

    def __init__(self, source: Source, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self._lines: list[Strip] = []
        self._laid_out_for = -1
        # Which text the view holds (update() counts) and which is laid out on screen.
        self._generation = 0
        self._shown = -1

    @property
    def laid_out(self) -> bool:
        """The current text is laid out and on screen."""
        return self._laid_out_for > 0 and self._shown == self._generation

    def update(self, source: Source) -> None:
        """Show another text, from its top."""
        self.source = source
        self._generation += 1
        self._laid_out_for = -1
        self._lines = []  # never the last text under the new one's title
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def on_mount(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._laid_out_for:
            return
        self._laid_out_for = width
        self._lay_out_in_thread(self.source, width, self._generation)

    @work(thread=True, exclusive=True, group="text-view", exit_on_error=False)
    def _lay_out_in_thread(self, source: Source, width: int, generation: int) -> None:
        renderable = source() if callable(source) else source
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        lines = console.render_lines(renderable, options, pad=False)
        self.app.call_from_thread(self._show, lines, width, generation)

    def _show(self, lines: list[list[Segment]], width: int, generation: int) -> None:
        if generation != self._generation or width != self._laid_out_for:
            return  # laid out for a text or a width no longer shown
        self._lines = [Strip(line) for line in lines]
        self._shown = generation
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def plain_lines(self) -> list[str]:
        """The text as laid out, a string a line (for tests)."""
        return [strip.text for strip in self._lines]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index].apply_style(style)
        return line.crop_extend(scroll_x, scroll_x + width, style)
