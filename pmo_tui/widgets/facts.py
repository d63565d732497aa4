"""A card's facts: label and value rows, laid out as Rich's Table.grid lays out a bold
label column beside a value column, without its general machinery.

Table measures and lays out every cell through several passes (5.6 ms a RAID card here,
drawn on every cursor move and twice a re-score); the shape of a card's facts is fixed,
so the layout is worked out directly (2.1 ms). Where the card is too narrow for that
shape, the grid itself squeezes it. tests/ui/test_ui_facts.py compares the two at every
width from 8 to 99 columns."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

_BOLD = Style(bold=True)
_NO_STYLE = Style()
# Table.grid(padding=(0, 2)): two columns apart, no padding at the edges.
_GAP = 2


class _Grid:
    """Rows drawn directly as a Rich Table.grid would draw them: measured as that grid."""

    def _grid(self) -> Table:
        raise NotImplementedError

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._grid())


class Facts(_Grid):
    """Rows of a bold label and its value (a str is read as Rich reads a table's str
    cell: markup, no highlighting; pmo passes the user's text as Text)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, RenderableType]] = []

    def add_row(self, label: str, value: RenderableType) -> None:
        self.rows.append((label, value))

    def _grid(self) -> Table:
        grid = Table.grid(padding=(0, _GAP))
        grid.add_column(style="bold")
        grid.add_column()
        for label, value in self.rows:
            grid.add_row(label, value)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            return
        label_width = max(cell_len(label) for label, _ in self.rows)
        room = options.max_width - label_width - _GAP
        if room < 2 * label_width:
            yield self._grid()  # narrow: the grid shares the width out its own way
            return
        values = [
            console.render_str(value, highlight=False) if isinstance(value, str) else value
            for _, value in self.rows
        ]
        within = options.update(width=room)
        width = min(max(Measurement.get(console, within, value).maximum for value in values), room)
        # A table's cell: left-justified (a wrapped Text pads in its own style), as tall
        # as it needs.
        cell = options.update(width=width, height=None, justify="left")
        new_line = Segment.line()
        for (label, _), value in zip(self.rows, values, strict=True):
            for number, line in enumerate(console.render_lines(value, cell, pad=True)):
                yield Segment((label if number == 0 else "").ljust(label_width + _GAP), _BOLD)
                yield from line
                yield new_line


class Breakdown(_Grid):
    """Rows of a name and figures right-aligned beside it (a priority card's score
    breakdown: criterion, 4/5, x 27%, = 1.08), laid out as Rich's Table.grid lays out a
    left column and right-justified ones, without its machinery: the grid was 3-4 ms of
    a re-rank's card (every S and every move draws one). Where the names do not fit
    whole, the grid itself squeezes them."""

    def __init__(self) -> None:
        self.rows: list[tuple[Text, tuple[str, ...]]] = []

    def add_row(self, name: Text, *figures: str) -> None:
        self.rows.append((name, figures))

    def _grid(self) -> Table:
        grid = Table.grid(padding=(0, _GAP))
        grid.add_column()
        for _ in self.rows[0][1] if self.rows else ():
            grid.add_column(justify="right")
        for name, figures in self.rows:
            grid.add_row(name, *figures)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.rows:
            return
        columns = len(self.rows[0][1])
        figure_widths = [
            max(cell_len(figures[index]) for _, figures in self.rows) for index in range(columns)
        ]
        name_width = max(name.cell_len for name, _ in self.rows)
        if (
            any(len(figures) != columns for _, figures in self.rows)
            or any("\n" in name.plain for name, _ in self.rows)
            or name_width + sum(figure_widths) + _GAP * columns > options.max_width
        ):
            yield self._grid()  # too narrow (or not the usual shape): the grid's own way
            return
        new_line = Segment.line()
        gap = Segment(" " * _GAP, _NO_STYLE)  # as the grid writes a gap between cells
        cell = options.update(width=name_width, height=None, justify="left")
        for name, figures in self.rows:
            yield from console.render_lines(name, cell, pad=True)[0]
            for figure, width in zip(figures, figure_widths, strict=True):
                yield gap
                yield Segment(f"{figure:>{width}}")
            yield new_line
