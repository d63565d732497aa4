"""A row-cursor DataTable driven by vi keys as well as arrows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

Cell = Text | str


class KeyTable(DataTable[Cell]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
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
    def selected_key(self) -> int | None:
        """The id the cursor row was added with, or None when the table is empty."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def fill(self, rows: Iterable[tuple[int, Sequence[Cell]]]) -> None:
        """Replace all rows, keeping the cursor on the same id when it is still there."""
        keep = self.selected_key
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=str(key))
        if keep is not None:
            self.select_key(keep)

    def select_key(self, key: int) -> None:
        # The row may have gone (closed, deleted): then the cursor stays where it fell.
        with suppress(KeyError):
            self.move_cursor(row=self.get_row_index(str(key)))
