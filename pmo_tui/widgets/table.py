"""A row-cursor DataTable driven by j/k as well as arrows (home/end jump to the ends).

Only j and k are added: letters are the hot keys of the steps (g sets a RAG to green)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from functools import lru_cache
from itertools import zip_longest
from typing import NamedTuple, Self, TypeVar, cast

from rich.cells import set_cell_size
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from rich.text import Text, TextType
from textual._segment_tools import line_crop
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.coordinate import Coordinate
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import (
    CellKey,
    ColumnKey,
    DuplicateKey,
    Row,
    RowDoesNotExist,
    RowKey,
)

Cell = Text | str
T = TypeVar("T")
_NEWLINE = Text("\n")
_BLANK = Text("")


@lru_cache(maxsize=4096)
def _as_text(cell: str) -> Text:
    """A str cell as Text, one object per string: a page of 100 rows repeats its kinds,
    statuses and bands, and making a Text costs more than looking one up. Shared safely:
    neither DataTable nor KeyTable changes a cell's Text (Rich wraps copies)."""
    return Text(cell)


# Removing a row re-indexes the rows after it, and a changed cell may re-measure its
# column: past 10 rows gone (or twice as many cells changed), a refill is as quick.
PATCH_LIMIT = 10
# Cells' styles kept (by row, column and state): a few screens of cells.
STYLES_KEPT = 4000


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
        # Cells drawn, by what they show and where (see _one_line_cell): a few screens'
        # worth, as DataTable keeps its own.
        self._drawn: LRUCache[tuple[object, ...], list[list[Segment]]] = LRUCache(4000)
        # Lines drawn, by the row's content version and place (see _render_line), and
        # each row's version: a new one whenever a row is added or a cell changes.
        self._lines: LRUCache[tuple[object, ...], tuple[Strip, int]] = LRUCache(1000)
        # Cells' styles by what they are made of (see _cell_styles): a few screens' cells.
        # Plain dicts (an LRU cache's upkeep cost as much as the sums), emptied when full.
        self._styles: dict[tuple[object, ...], tuple[Style, Style]] = {}
        self._own_styles: dict[tuple[Style, Style, Style], Style] = {}
        self._versions: dict[RowKey, int] = {}
        self._next_version = 0

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

    # Styles DataTable asks for on every line it draws (the row's stripe, the table's own,
    # its background): each walks the styles of every ancestor, four walks a line, about a
    # third of drawing a changed list. Kept for one drawing pass, in which no style
    # changes (nothing else runs while a frame's lines are drawn).
    _pass: dict[object, object] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None
            if not self.drawing_ahead and self._ahead_state() != self._drawn_ahead:
                self.drawing_ahead = True
                self.call_later(self._draw_ahead, None)

    # Drawing the lines a page down shows, in steps (see _draw_ahead).
    drawing_ahead = False
    AHEAD_STEP = 6  # lines a step: 3-5 ms, all a key arriving meanwhile waits
    # The table's state the lines ahead were last all drawn for: a frame of the table as
    # it stands (a message over it, a full repaint) walked them again, 3-4 ms of steps.
    _drawn_ahead: tuple[object, ...] | None = None
    _ahead_for: tuple[object, ...] | None = None  # the state the steps under way draw for

    def _ahead_state(self) -> tuple[object, ...]:
        """What decides the lines ahead: the rows and cells (DataTable counts every
        change), where the table is scrolled, its size, cursor, mouse and state."""
        return (
            self._update_count,
            self.scroll_offset,
            self.size,
            self.virtual_size,
            self.cursor_coordinate,
            self.hover_coordinate,
            self._pseudo_class_state,
        )

    def _draw_ahead(self, start: int | None) -> None:
        """Draw the lines a page down would show into the kept lines, a few at a time
        while nothing else waits: the first page down after a filter at 200,000 RAID
        items drew every line it showed, 3-4 times a page down over lines drawn before.
        Lines are kept by what they show, so a change meanwhile only wastes a step."""
        width, height = self.size
        scroll_x, scroll_y = self.scroll_offset
        header = self.header_height if self.show_header else 0
        # The virtual lines below the screen, as render_line numbers them.
        first = scroll_y + height
        last = min(first + height - header, self.virtual_size.height)
        if start is None:
            self._ahead_for = self._ahead_state()
        line = first if start is None else start
        if line >= last or not self.is_attached or self._labelled_row_exists:
            self.drawing_ahead = False
            # Drawn for the state it started from; a change meanwhile draws again.
            self._drawn_ahead = self._ahead_for
            return
        base_style = self.rich_style
        self._pass = {}
        try:
            for y in range(line, min(line + self.AHEAD_STEP, last)):
                self._render_line(y, scroll_x, scroll_x + width, base_style)
        finally:
            self._pass = None
        self.call_later(self._draw_ahead, line + self.AHEAD_STEP)

    def _held(self, key: object, work: Callable[[], T]) -> T:
        held = self._pass
        if held is None:
            return work()
        if key not in held:
            held[key] = work()
        return cast(T, held[key])

    def _settings(self) -> _Settings:
        """The table's settings a line is drawn by, read once a pass (each is a reactive:
        4 us a read, some 70 reads a line)."""
        return self._held(
            "settings",
            lambda: _Settings(
                self.fixed_rows,
                self.fixed_columns,
                self.zebra_stripes,
                self.show_cursor,
                self._show_hover_cursor,
                self.cursor_type,
                self.cursor_coordinate,
                self.hover_coordinate,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
                self.size.width,
                self.cell_padding,
            ),
        )

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        settings = self._settings()
        stripe = row_index % 2 if settings.zebra else base_style
        return self._held(
            ("row", row_index == -1, row_index < settings.fixed_rows, stripe),
            lambda: super(KeyTable, self)._get_row_style(row_index, base_style),
        )

    @property
    def rich_style(self) -> Style:
        return self._held("rich_style", lambda: super(KeyTable, self).rich_style)

    def get_component_styles(self, *names: str) -> RenderStyles:
        # DataTable asks for its header's style on every line it draws (a new merged
        # styles object, then its rich style: a walk of every ancestor's styles), a
        # quarter of drawing a line: within a pass, once.
        if self._pass is None:
            return super().get_component_styles(*names)
        return cast(
            RenderStyles,
            self._held(
                ("component", names),
                lambda: _PassStyles(super(KeyTable, self).get_component_styles(*names)),
            ),
        )

    @property
    def background_colors(self) -> tuple[Color, Color]:
        return self._held("background", lambda: super(KeyTable, self).background_colors)

    def add_row(
        self,
        *cells: Cell,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._new_version(row_key)
        return row_key

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Cell,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        self._new_version(RowKey(row_key) if isinstance(row_key, str) else row_key)

    def _new_version(self, row_key: RowKey) -> None:
        self._next_version += 1
        self._versions[row_key] = self._next_version

    def notify_style_update(self) -> None:
        # What was drawn in the old styles (DataTable's own caches: its method clears).
        self._drawn_ahead = None
        self._styles.clear()
        self._own_styles.clear()
        self._lines.clear()
        self._drawn.clear()
        super().notify_style_update()

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        # DataTable keeps drawn lines by its update counter, which any change moves: a
        # re-score that moves one row drew every visible line again (a third of the
        # key). Here a line is kept by what decides it: the row's content version, its
        # stripe, whether the cursor or hover is on it, the columns' widths and the
        # table's state. A row that only moved (two places, or back where it was) is the
        # same line but for the row number in its segments' meta (for the mouse): that
        # is rewritten, not drawn again (0.9 ms a line here). Private method of textual
        # 8's DataTable; tests/ui/test_ui_table.py compares each line with DataTable's.
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        settings = self._settings()
        if row_key is self._header_row_key:
            return self._header_line(y, line_no, x1, x2, base_style, settings)
        version = self._versions.get(row_key)
        if version is None or settings.fixed_columns or self._labelled_row_exists:
            return super()._render_line(y, x1, x2, base_style)
        row_index = self._row_locations.get(row_key)
        if row_index is None:
            return super()._render_line(y, x1, x2, base_style)
        kind = settings.cursor_type
        key = (
            row_key,
            version,
            row_index % 2 if settings.zebra else None,
            row_index < settings.fixed_rows,
            line_no,
            x1,
            x2,
            settings.width,
            base_style,
            _on_row(settings.cursor, row_index, kind),
            # The mouse's row is drawn apart only while its hover shows.
            _on_row(settings.hover, row_index, kind) if settings.hover_shows else None,
            kind,
            settings.show_cursor,
            settings.hover_shows,
            self._pseudo_class_state,
            self._held("columns", self._columns_shape),
        )
        kept = self._lines.get(key)
        if kept is not None:
            strip, drawn_at = kept
            if drawn_at == row_index:
                return strip
            strip = _moved(strip, row_index)
        else:
            drawn = self._draw_line(row_key, row_index, x1, x2, base_style, settings)
            strip = drawn if drawn is not None else super()._render_line(y, x1, x2, base_style)
        self._lines[key] = (strip, row_index)
        return strip

    def _header_line(
        self, y: int, line_no: int, x1: int, x2: int, base_style: Style, settings: _Settings
    ) -> Strip:
        """The header, drawn by DataTable and kept by what decides it: the columns (keys,
        widths, labels), where the cursor's column and the mouse are, the state. Drawn
        again on every edit (any change moves DataTable's counter), through Rich: 2 ms of
        a re-score. tests/ui/test_ui_table.py compares it with DataTable's after each
        kind of change."""
        key = (
            "header",
            line_no,
            x1,
            x2,
            settings.width,
            base_style,
            settings.cursor_type,
            settings.cursor.column,
            settings.hover,
            settings.show_cursor,
            settings.hover_shows,
            settings.fixed_columns,
            settings.fixed_rows,
            settings.zebra,
            settings.foreground_css,
            settings.background_css,
            self._labelled_row_exists and self.show_row_labels,
            self._pseudo_class_state,
            self._held("columns", self._columns_shape),
            self._held("labels", lambda: tuple(c.label.markup for c in self.ordered_columns)),
        )
        kept = self._lines.get(key)
        if kept is None:
            kept = (super()._render_line(y, x1, x2, base_style), -1)
            self._lines[key] = kept
        return kept[0]

    def _draw_line(
        self,
        row_key: RowKey,
        row_index: int,
        x1: int,
        x2: int,
        base_style: Style,
        settings: _Settings,
    ) -> Strip | None:
        """DataTable's line of a row of one-line cells (its _render_line and
        _render_line_in_row, without labels or fixed columns), made with what the pass
        holds: DataTable reads a dozen reactives and each column's width again for every
        cell, 0.5 ms a line. None for any other row (DataTable draws it).
        tests/ui/test_ui_table.py compares every line with DataTable's."""
        row = self.rows.get(row_key)
        data = self._data.get(row_key)
        if row is None or data is None or row.height != 1 or row_index < settings.fixed_rows:
            return None
        kind, cursor, hover = settings.cursor_type, settings.cursor, settings.hover
        row_style = self._get_row_style(row_index, base_style)
        segments: list[Segment] = []
        table_width = 0
        # Columns past the line's right end are cut off: not drawn (a register at 120
        # columns draws six of its eight). Past both ends, nothing is left to extend.
        right = max(x2, settings.width)
        for column_index, (column_key, width) in enumerate(
            self._held("columns", self._columns_shape)
        ):
            if table_width >= right:
                break
            cell = self._line_cell(
                data.get(column_key),
                row_index,
                column_index,
                row_style,
                width,
                _highlighted(kind, cursor, row_index, column_index),
                _highlighted(kind, hover, row_index, column_index),
                settings,
            )
            if cell is None:
                return None
            segments += cell[0]
            table_width += width
        remaining = max(0, settings.width - table_width)
        if remaining:  # (an empty one stayed in a line cut at its end: nothing, drawn)
            segments.append(
                Segment(" " * remaining, self._line_end(row_index, row_style, settings))
            )
        # One strip, simplified first: Strip makes seven caches a strip, and adjusting
        # then simplifying made three strips a line. line_crop is told the real length
        # (DataTable tells it the widget's width: a wider table came back whole, then
        # cut again by adjust_cell_length).
        line = Segment.simplify(line_crop(segments, x1, x2, table_width + remaining))
        return Strip(line).adjust_cell_length(settings.width, base_style)

    def _line_end(self, row_index: int, row_style: Style, settings: _Settings) -> Style:
        """The style of a row's line past its last column (DataTable's way), kept for the
        pass by what decides it."""
        kind, cursor, hover = settings.cursor_type, settings.cursor, settings.hover
        on_hover = _highlighted(kind, hover, row_index, 0)
        on_cursor = row_index == cursor.row
        return self._held(
            ("line end", row_index, row_style, on_hover, on_cursor),
            lambda: self._make_line_end(row_index, row_style, on_hover, on_cursor, settings),
        )

    def _make_line_end(
        self,
        row_index: int,
        row_style: Style,
        on_hover: bool,
        on_cursor: bool,
        settings: _Settings,
    ) -> Style:
        kind = settings.cursor_type
        if kind == "row":
            extend, _ = self._get_styles_to_render_cell(
                False,
                False,
                False,
                on_hover,
                on_cursor,
                settings.show_cursor,
                settings.hover_shows,
                False,
                False,
            )
            extend = row_style + extend
        elif row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(
                self.background_colors[1], factor=0.25
            )
            extend = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            extend = Style.from_color(row_style.color, row_style.bgcolor)
        return extend + Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})

    def _columns_shape(self) -> tuple[tuple[ColumnKey, int], ...]:
        return tuple((column.key, column.get_render_width(self)) for column in self.ordered_columns)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        # DataTable measures a changed cell, and when it is narrower than its column,
        # every cell of the column, to shrink the column: the next edit widened it again,
        # and each change of width re-laid out the whole screen (the heat map's "←1"
        # coming and going on re-scores: 25-35 ms, every third key). A column here only
        # grows, as it does when rows are added (a refill never shrinks one either).
        # Private method of textual 8's DataTable.
        rest: set[CellKey] = set()
        for cell_key in updated_cells:
            row_key, column_key = cell_key
            column = self.columns.get(column_key)
            row = self.rows.get(row_key)
            cell = self._data.get(row_key, {}).get(column_key)
            if column is None or row is None:
                continue
            if (
                row.height == 1
                and isinstance(cell, Text)
                and "\n" not in cell.plain
                and "\t" not in cell.plain
            ):
                column.content_width = max(column.content_width, cell.cell_len)
            else:
                rest.add(cell_key)
        widths = {key: column.content_width for key, column in self.columns.items()}
        super()._update_column_widths(rest)
        for key, column in self.columns.items():
            column.content_width = max(column.content_width, widths[key])

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures each new cell through Rich (about 50 us a cell: 35 ms for a
        # page of 100 rows of seven columns, on every refill). A one-line Text is as wide
        # as its text; other rows and cells are measured DataTable's way (private method,
        # textual 8: tests/ui/test_ui_table.py compares the widths with DataTable's).
        columns = self.ordered_columns
        # A column of a fixed width (set_widths) is never measured: a one-line row of a
        # table whose columns all are has nothing to measure (the ranking's page of 100
        # rows, refilled on every re-rank: 4 ms).
        sized = any(column.auto_width for column in columns)
        rest: list[RowKey] = []
        for row_key in new_rows:
            row = self.rows.get(row_key)
            data = self._data.get(row_key)
            if row is None or data is None or row.label is not None or row.height != 1:
                rest.append(row_key)
                continue
            if not sized:
                continue
            cells = [data.get(column.key) for column in columns]
            if not all(
                isinstance(cell, Text) and "\n" not in cell.plain and "\t" not in cell.plain
                for cell in cells
            ):
                rest.append(row_key)
                continue
            for column, cell in zip(columns, cells, strict=True):
                assert isinstance(cell, Text)
                column.content_width = max(column.content_width, cell.cell_len)
        super()._update_dimensions(rest)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        lines = self._one_line_cell(row_index, column_index, base_style, width, cursor, hover)
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        return lines

    def _one_line_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> list[list[Segment]] | None:
        """DataTable's own drawing of a one-line Text cell, the same segments made directly
        (tests/ui/test_ui_table.py compares the two); None for any other cell.

        DataTable draws each cell through Rich's general machinery (a padded, styled
        renderable, laid out as lines): 0.2-0.5 ms a cell here, and its cache is keyed on
        the table's update counter, so any change draws every visible cell again, 250 of
        them in the triage queue. Here a plain cell with room is a segment or three made
        directly (a few microseconds); a cell that takes work (spans, cut to fit, set
        right or centred) is kept by what it shows and where (its text, styles, row,
        column, width). Lines are kept too (_render_line): after an edit only the lines
        that changed or moved are drawn again. This overrides a private method of
        Textual's DataTable (textual 8): the comparison test is what says when a new
        Textual draws cells differently."""
        settings = self._settings()
        if row_index < max(settings.fixed_rows, 0) or column_index < max(settings.fixed_columns, 0):
            return None  # headers (-1), labels and fixed cells: DataTable's own way
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return None
        row = self.rows.get(row_key)
        if row is None or row.height != 1:
            return None
        cell = self._data.get(row_key, {}).get(column_key)
        return self._line_cell(
            cell, row_index, column_index, base_style, width, cursor, hover, settings
        )

    def _line_cell(
        self,
        cell: object,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
        settings: _Settings,
    ) -> list[list[Segment]] | None:
        """_one_line_cell once the cell is found (a line finds its row's cells once)."""
        if not isinstance(cell, Text):
            return None
        plain = cell.plain
        if "\n" in plain or "\t" in plain:
            return None
        if not plain:
            cell = _BLANK  # DataTable draws any empty cell as an unstyled blank
        # Which parts are styled as cursor or hover: the same answer for the same state,
        # kept by DataTable (and cleared when the theme changes).
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            settings.show_cursor,
            settings.hover_shows,
            settings.foreground_css,
            settings.background_css,
        )
        style = (base_style, component_style, post_style)
        if (
            not cell.spans
            and cell.justify in (None, "default", "left")
            and cell.cell_len <= width - 2 * settings.padding
        ):
            # A plain cell with room: drawing it is a few segments, no more than keeping
            # it would cost (the key's hashing and the cache's upkeep).
            return self._draw_cell(cell, row_index, column_index, style, width, plain)
        cache_key = (
            row_index,  # in the segments' meta, for the mouse
            column_index,
            plain,
            cell.style,
            tuple(cell.spans),
            cell.justify,
            cell.overflow,
            width,
            base_style,
            component_style,
            post_style,
        )
        cached = self._drawn.get(cache_key)
        if cached is None:
            cached = self._draw_cell(cell, row_index, column_index, style, width, plain)
            self._drawn[cache_key] = cached
        return cached

    def _draw_cell(
        self,
        cell: Text,
        row_index: int,
        column_index: int,
        style: tuple[Style, Style, Style],
        width: int,
        plain: str,
    ) -> list[list[Segment]]:
        pre_style, edge = self._cell_styles(style, row_index, column_index)
        post_style = style[2]
        console, options = self._held("console", self._rich_console)
        pad = self._settings().padding
        inner = max(width - 2 * pad, 0)
        justify = cell.justify or options.justify or "default"
        segments = [Segment(" " * pad, edge)] if pad else []
        length = cell.cell_len
        overflow = cell.overflow or options.overflow or "fold"
        if (
            length > inner
            and inner > 1
            and overflow in ("ellipsis", "crop", "fold")
            and plain == plain.rstrip()
        ):
            # Too long for its column: cut as Rich cuts a line it may not wrap (to the
            # column, the last cell an ellipsis when asked; a wide character cut in half
            # becomes a space). Trailing spaces would be stripped first: Rich's way then.
            if overflow == "ellipsis":
                plain = set_cell_size(plain, inner - 1) + "…"
            else:
                plain = set_cell_size(plain, inner)
            length = inner
        if (
            not cell.spans
            and length <= inner
            and justify in ("default", "left", "center", "right")
            and (justify in ("default", "left") or plain == plain.rstrip())
        ):
            # Most cells: one style, room to spare (or cut to fit). Rich pads a left,
            # centred or right justified line inside the text (in the text's style);
            # "default" leaves the rest of the cell to the cell's own style.
            own = console.get_style(cell.style, default=Style.null()) if cell.style else None
            text_style = edge if own is None else self._own_style(pre_style, own, post_style)
            spare = inner - length
            before = spare // 2 if justify == "center" else spare if justify == "right" else 0
            after = 0 if justify == "default" else spare - before
            body = " " * before + plain + " " * after
            tail = " " * (spare if justify == "default" else 0) + " " * pad
            # Made as the line's simplify leaves them: one segment for a cell in the
            # edge's style (most cells), three for text in a style of its own.
            if text_style == edge:
                whole = " " * pad + body + tail
                return [[Segment(whole, edge)] if whole else []]
            if body:
                segments.append(Segment(body, text_style))
            if tail:
                segments.append(Segment(tail, edge))
            return [segments]
        else:
            line = cell.wrap(
                console,
                inner,
                justify=justify,
                overflow=overflow,
                no_wrap=True,
            )[0]
            # Joined as Text.__rich_console__ joins its lines: the line's own style becomes
            # the first span (render alone leaves an unspanned text unstyled).
            for text, own_style, control in _NEWLINE.join([line]).render(console):
                if text:
                    segments.append(Segment(text, (pre_style + own_style) + post_style, control))
            fill = inner - line.cell_len
            if fill > 0:
                segments.append(Segment(" " * fill, edge))
        if pad:
            segments.append(Segment(" " * pad, edge))
        return [segments]

    def _cell_styles(
        self, style: tuple[Style, Style, Style], row_index: int, column_index: int
    ) -> tuple[Style, Style]:
        """A cell's style before its text's own, and at its edges: the table's, the
        cell's place (meta, for the mouse) and the cursor's or hover's. Kept by what they
        are made of: a new style, then three sums, for each of a frame's 300 cells
        (pickling the place each time) were a fifth of drawing a changed list."""
        key = (style, row_index, column_index)
        kept = self._styles.get(key)
        if kept is None:
            if len(self._styles) >= STYLES_KEPT:
                self._styles.clear()
            base_style, component_style, post_style = style
            pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
            pre_style += component_style
            kept = (pre_style, pre_style + post_style)
            self._styles[key] = kept
        return kept

    def _own_style(self, pre_style: Style, own: Style, post_style: Style) -> Style:
        """A cell's text in its own style (a RAG colour, say), kept as _cell_styles."""
        key = (pre_style, own, post_style)
        kept = self._own_styles.get(key)
        if kept is None:
            if len(self._own_styles) >= STYLES_KEPT:
                self._own_styles.clear()
            kept = (pre_style + own) + post_style
            self._own_styles[key] = kept
        return kept

    def _rich_console(self) -> tuple[Console, ConsoleOptions]:
        return self.app.console, self.app.console_options  # options: a new object a read

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
        return int(value) if value is not None and value.lstrip("-").isdecimal() else None

    def set_widths(self, widths: dict[str, int]) -> None:
        """Give these columns (by key) fixed widths, whatever their cells hold: a column
        sized by its cells widens when an edit makes one longer, and the table's new
        width lays out the whole screen. Changes nothing when they have them already.
        DataTable has no public way to resize a column: its ``width`` and
        ``auto_width`` are set, and its re-measure asked for (private, textual 8)."""
        changed = False
        for key, width in widths.items():
            column = self.columns.get(ColumnKey(key))
            if column is not None and (column.auto_width or column.width != width):
                column.width, column.auto_width = width, False
                changed = True
        if changed:
            self._require_update_dimensions = True
            self.refresh()

    def fill(self, rows: Iterable[tuple[int | str, Sequence[Cell]]]) -> None:
        """Show these rows, keeping the cursor on the same row (and column) when it is
        still there, and where it fell when that row has gone."""
        keep = self.selected_value
        column = self.cursor_column
        # Text, not str: DataTable parses a str cell as markup each time it measures or
        # draws it (user text comes as Text already, from cells.plain).
        wanted: list[tuple[str, list[Cell]]] = [
            (str(key), [_as_text(cell) if isinstance(cell, str) else cell for cell in cells])
            for key, cells in rows
        ]
        if self._patch(wanted):
            if keep is not None and self.has_key(keep):
                self.select_key(keep)  # its row moved: the cursor goes with it
            now = self.selected_value
            if now is not None and now != keep and self.cursor_type == "row":
                # The cursor stayed put while its row went: say so, as a move would.
                self.post_message(self.RowHighlighted(self, self.cursor_row, RowKey(now)))
            return
        self.clear()
        self._append_rows(wanted)
        if keep is not None:
            self.select_key(keep)
        if column:
            self.move_cursor(column=column)

    def _append_rows(self, rows: list[tuple[str, list[Cell]]]) -> None:
        """DataTable.add_row for each row, its bookkeeping done once: add_row lists the
        columns twice and sets the cursor again (its watchers run) for every row, three
        quarters of refilling a register page of 100 rows. Private names of textual 8's
        DataTable; tests/ui/test_ui_table.py compares the table with add_row's."""
        columns = [column.key for column in self.ordered_columns]
        if any(len(cells) > len(columns) for _, cells in rows) or len(
            {key for key, _ in rows}
        ) != len(rows):
            for key, cells in rows:  # DataTable says what is wrong
                self.add_row(*cells, key=key)
            return
        was_empty = not self.rows
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            self._row_locations[row_key] = len(self.rows)
            self._data[row_key] = dict(zip_longest(columns, cells))
            self.rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
            self._new_version(row_key)
        if not rows:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a cell to highlight, where there was none
        self._update_count += 1
        self.check_idle()

    def _patch(self, wanted: list[tuple[str, list[Cell]]]) -> bool:
        """Change the rows shown into ``wanted`` in place, when that is a few removals and
        changed cells, any rows added and any new order; False when it is not.

        An edit changes a row or two of a list (and a re-score moves one), and refilling
        a DataTable measures every cell of every row again (15 ms for the triage queue's
        100 rows); a patch measures what changed, and a new order moves rows without
        touching them. Nothing changed, nothing is redrawn."""
        shown = [row.key.value or "" for row in self.ordered_rows]
        cells_of = dict(wanted)
        kept = [key for key in shown if key in cells_of]
        gone = len(shown) - len(kept)
        columns = [column.key for column in self.ordered_columns]
        if (
            gone > PATCH_LIMIT
            or not kept  # nothing stays: a refill (a patch told of the new row twice)
            or len(cells_of) != len(wanted)
            or any(len(cells) != len(columns) for _, cells in wanted)
        ):
            return False
        changed = [
            (key, column_key, new)
            for key in kept
            for column_key, old, new in zip(columns, self.get_row(key), cells_of[key], strict=True)
            if old is not new and old != new
        ]
        if len(changed) > PATCH_LIMIT * 2:
            # A changed cell narrower than its column makes DataTable measure the whole
            # column again: many of them (a peer's bulk edit) cost more than a refill.
            return False
        for key in shown:
            if key not in cells_of:
                self.remove_row(key)
        for key, column_key, new in changed:
            self.update_cell(key, column_key, new, update_width=True)
        for key, cells in wanted:
            if key not in self.rows:
                self.add_row(*cells, key=key)
        order = [key for key, _ in wanted]
        if [row.key.value for row in self.ordered_rows] != order:
            # DataTable.sort's own way of moving rows (it sorts by cell values only).
            places = {RowKey(key): index for index, key in enumerate(order)}
            self._row_locations = TwoWayDict(places)
            self._update_count += 1
            self.refresh()
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


class RowCells:
    """Rows' cells kept by what they show: a list refilled after an edit, a filter or a
    page turn makes most of its rows again from the same values, and making their Text
    cells was a tenth of such a key. ``cells(shown, make)`` gives the cells kept for
    ``shown`` (every value the row shows, with the item's id and version) or makes them."""

    def __init__(self, most: int = 4 * 100) -> None:
        self.most = most
        self._kept: dict[tuple[object, ...], list[Cell]] = {}

    def cells(self, shown: tuple[object, ...], make: Callable[[], list[Cell]]) -> list[Cell]:
        cells = self._kept.get(shown)
        if cells is None:
            if len(self._kept) >= self.most:
                self._kept.clear()  # a few pages' worth: beyond that, start again
            cells = self._kept[shown] = make()
        return cells


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


def _on_row(where: Coordinate, row_index: int, kind: str) -> object:
    """What of the cursor (or the mouse's hover) decides how a row is drawn: its column
    for a column cursor; whether it is on the row for a row cursor; on a cell cursor,
    its column when it is on the row."""
    if kind == "column":
        return where.column
    if where.row != row_index:
        return None
    return True if kind == "row" else where.column


def _moved(strip: Strip, row_index: int) -> Strip:
    """A drawn line of a row that moved: the same segments, their meta saying the row's
    new place (DataTable's cells and the space after them carry {"row": n, ...})."""
    restyled: dict[Style, Style] = {}
    segments = []
    for segment in strip:
        style = segment.style
        if style is not None and style._meta:
            new = restyled.get(style)
            if new is None:
                new = style
                if "row" in style.meta:
                    new = style + Style.from_meta({"row": row_index})
                restyled[style] = new
            segment = Segment(segment.text, new, segment.control)
        segments.append(segment)
    return Strip(segments, strip.cell_length)


class _PassStyles:
    """A component's styles held for one drawing pass: its rich style worked out once,
    everything else asked of the styles themselves."""

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> object:
        return getattr(self._styles, name)


class _Settings(NamedTuple):
    fixed_rows: int
    fixed_columns: int
    zebra: bool
    show_cursor: bool
    hover_shows: bool
    cursor_type: str
    cursor: Coordinate
    hover: Coordinate
    foreground_css: bool
    background_css: bool
    width: int
    padding: int


def _highlighted(kind: str, where: Coordinate, row_index: int, column_index: int) -> bool:
    """DataTable._should_highlight: whether the cursor (or hover) at ``where`` lights
    the cell at (row_index, column_index)."""
    if kind == "cell":
        return where.row == row_index and where.column == column_index
    if kind == "row":
        return where.row == row_index
    if kind == "column":
        return where.column == column_index
    return False
