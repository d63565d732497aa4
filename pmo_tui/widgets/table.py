"""A row-cursor DataTable driven by j/k as well as arrows (home/end jump to the ends).

Only j and k are added: letters are the hot keys of the steps (g sets a RAG to green)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Self

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist, RowKey

Cell = Text | str


# Removing a row re-indexes the rows after it, and a changed cell may re-measure its
# column: past 10 rows gone (or twice as many cells changed), a refill is as quick.
PATCH_LIMIT = 10


class KeyTable(DataTable[Cell]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        # First and last row, as the help says (DataTable's own home/end scroll sideways).
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    # A list of items (the row under the cursor is one under discussion); False for a
    # grid of figures such as the RAID heat map.
    lists_items = True

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
        )

    _removing = False  # inside remove_row (a class default: refresh runs during __init__)

    def remove_row(self, row_key: RowKey | str) -> None:
        # DataTable lays the whole screen out again on every removal (40-120 ms on the
        # meeting screen), in case its height follows its rows. A table whose height does
        # not (a list that fills its pane) only needs a repaint; a change in the number
        # of rows still lays out, through the scrollable size.
        self._removing = True
        try:
            super().remove_row(row_key)
        finally:
            self._removing = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        height = self.styles.height
        if self._removing and height is not None and not height.is_auto:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

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
        """Show these rows, keeping the cursor on the same row (and column) when it is
        still there, and where it fell when that row has gone."""
        keep = self.selected_value
        column = self.cursor_column
        # Text, not str: DataTable parses a str cell as markup each time it measures or
        # draws it (user text comes as Text already, from cells.plain).
        wanted: list[tuple[str, list[Cell]]] = [
            (str(key), [Text(cell) if isinstance(cell, str) else cell for cell in cells])
            for key, cells in rows
        ]
        if self._patch(wanted):
            now = self.selected_value
            if now is not None and now != keep and self.cursor_type == "row":
                # The cursor stayed put while its row went: say so, as a move would.
                self.post_message(self.RowHighlighted(self, self.cursor_row, RowKey(now)))
            return
        self.clear()
        for key, cells in wanted:
            self.add_row(*cells, key=key)
        if keep is not None:
            self.select_key(keep)
        if column:
            self.move_cursor(column=column)

    def _patch(self, wanted: list[tuple[str, list[Cell]]]) -> bool:
        """Change the rows shown into ``wanted`` in place, when that is a few removals,
        changed cells and rows added at the end; False when it is not (rows reordered).

        An edit changes a row or two of a list, and refilling a DataTable measures every
        cell of every row again (15 ms for the triage queue's 100 rows); a patch measures
        what changed. Nothing changed, nothing is redrawn."""
        shown = [row.key.value or "" for row in self.ordered_rows]
        keys = {key for key, _ in wanted}
        kept = [key for key in shown if key in keys]
        gone = len(shown) - len(kept)
        columns = [column.key for column in self.ordered_columns]
        if (
            gone > PATCH_LIMIT
            or [key for key, _ in wanted[: len(kept)]] != kept
            or any(len(cells) != len(columns) for _, cells in wanted)
        ):
            return False
        changed = [
            (key, column_key, new)
            for key, cells in wanted[: len(kept)]
            for column_key, old, new in zip(columns, self.get_row(key), cells, strict=True)
            if old != new
        ]
        if len(changed) > PATCH_LIMIT * 2:
            # A changed cell narrower than its column makes DataTable measure the whole
            # column again: many of them (a peer's bulk edit) cost more than a refill.
            return False
        for key in shown:
            if key not in keys:
                self.remove_row(key)
        for key, column_key, new in changed:
            self.update_cell(key, column_key, new, update_width=True)
        for key, cells in wanted[len(kept) :]:
            self.add_row(*cells, key=key)
        return True

    def selected_row_text(self) -> Text:
        """The row under the cursor as one line ("R-12 · P-3 CRM · Supplier late · 16"),
        for presentation mode's band."""
        if not self.row_count:
            return Text("")
        cells = [
            cell if isinstance(cell, Text) else Text(cell)
            for cell in self.get_row_at(self.cursor_row)
        ]
        return Text("  ·  ").join(cell for cell in cells if cell.plain.strip())

    def has_key(self, key: int | str) -> bool:
        """Whether a row keyed ``key`` is shown (on this page)."""
        return RowKey(str(key)) in self.rows

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
