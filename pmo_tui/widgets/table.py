"""A row-cursor DataTable driven by j/k as well as arrows (home/end jump to the ends).

Only j and k are added: letters are the hot keys of the steps (g sets a RAG to green)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

Cell = Text | str


class KeyTable(DataTable[Cell]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
        )

    @property
    def selected_value(self) -> str | None:
        """The key the cursor row was added with, or None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @property
    def selected_key(self) -> int | None:
        """The cursor row's key as an id (rows keyed by record ids)."""
        value = self.selected_value
        return int(value) if value is not None and value.lstrip("-").isdigit() else None

    def fill(self, rows: Iterable[tuple[int | str, Sequence[Cell]]]) -> None:
        """Replace all rows, keeping the cursor on the same row (and column) when it is
        still there."""
        keep = self.selected_value
        column = self.cursor_column
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=str(key))
        if keep is not None:
            self.select_key(keep)
        if column:
            self.move_cursor(column=column)

    def select_key(self, key: int | str) -> None:
        # The row may have gone (closed, deleted): then the cursor stays where it fell.
        with suppress(KeyError, RowDoesNotExist):
            self.move_cursor(row=self.get_row_index(str(key)))


# Rows a table holds at once: a DataTable measures every cell it is given (about 0.2 s for
# 2,000 rows on the 2-core machine, and a step refills its list after every edit), so long
# lists are shown a page at a time. 100 rows are two screens on a projector; 200 made each
# refill ~15 ms slower for rows nobody scrolls to in a meeting.
PAGE = 100


class Pager:
    """Which page of a long list is shown; `<` and `>` turn it (see PAGE_BINDINGS)."""

    def __init__(self) -> None:
        self.first = 0

    def window(self, total: int) -> range:
        """The indexes shown, the start clamped to the list as it is now."""
        self.first = min(self.first, max(0, total - 1) // PAGE * PAGE)
        return range(self.first, min(total, self.first + PAGE))

    def label(self, total: int, noun: str) -> str:
        shown = self.window(total)
        if total <= PAGE:
            return ""
        return f" {noun} {shown.start + 1}-{shown.stop} of {total:,} shown (< >)."

    def turn(self, direction: int, total: int) -> bool:
        first = self.first + direction * PAGE
        if 0 <= first < total:
            self.first = first
            return True
        return False

    def follow(self, index: int) -> bool:
        """Show the page holding ``index``; True when the page changed."""
        first = index // PAGE * PAGE
        changed = first != self.first
        self.first = first
        return changed


PAGE_BINDINGS = [
    Binding(
        "greater_than_sign",
        "page(1)",
        "Next page",
        key_display=">",
        tooltip=f"The next {PAGE} rows of a long list",
    ),
    Binding(
        "less_than_sign",
        "page(-1)",
        "Previous page",
        key_display="<",
        tooltip=f"The previous {PAGE} rows",
    ),
]
