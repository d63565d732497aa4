"""KeyTable.fill: an edit's refill changes the rows in place where it can, and the table
ends up exactly as a fresh fill would leave it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from pmo_tui.widgets.table import PATCH_LIMIT, Cell, KeyTable, RowCells
from tests.helpers.meeting import wait_until

Rows = list[tuple[int | str, list[Cell]]]


class OneTable(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[str] = []

    def compose(self) -> ComposeResult:
        yield KeyTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.add_column("Code", key="code")
        table.add_column("Title", key="title")

    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_key.value or "")


def rows_of(count: int, first: int = 1) -> Rows:
    return [(n, [f"R-{n}", Text(f"Item {n}")]) for n in range(first, first + count)]


def plain_rows(rows: Rows) -> list[tuple[int, list[str]]]:
    return [
        (int(key), [cell.plain if isinstance(cell, Text) else cell for cell in cells])
        for key, cells in rows
    ]


def shown(table: KeyTable) -> list[tuple[int, list[str]]]:
    """The rows as the table holds them (every cell a Text: fill turns str cells into
    Text, so DataTable never parses them as markup)."""
    rows: Rows = [
        (row.key.value or "0", list(table.get_row(row.key))) for row in table.ordered_rows
    ]
    assert all(isinstance(cell, Text) for _, cells in rows for cell in cells)
    return plain_rows(rows)


async def test_a_changed_cell_a_row_gone_and_a_row_added_are_patched_in_place() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(5))
        await pilot.pause()
        table.move_cursor(row=2)  # on R-3
        await pilot.pause()
        app.highlighted.clear()
        before = {row.key.value: row for row in table.ordered_rows}
        wanted = rows_of(5)
        wanted[1] = (2, ["R-2", Text("Item 2, renamed")])
        del wanted[2]  # R-3 leaves (scored, so out of the queue)
        wanted.append((6, ["R-6", Text("Item 6")]))
        table.fill(wanted)
        await pilot.pause()
        assert shown(table) == plain_rows(wanted)
        # Patched: the rows that stayed are the same row objects, not re-added ones.
        after = {row.key.value: row for row in table.ordered_rows}
        assert all(after[key] is before[key] for key in ("1", "2", "4", "5"))
        assert "6" not in before
        # The cursor stays where it fell (the next item) and says it moved.
        assert table.cursor_row == 2 and table.selected_value == "4"
        assert app.highlighted == ["4"]


async def test_many_changed_cells_are_refilled_and_end_the_same() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(PATCH_LIMIT * 3))
        await pilot.pause()
        before = {row.key.value: row for row in table.ordered_rows}
        wanted: Rows = [
            (key, [cells[0], Text("renamed")]) for key, cells in rows_of(PATCH_LIMIT * 3)
        ]
        table.fill(wanted)
        await pilot.pause()
        assert shown(table) == plain_rows(wanted)
        assert all(row is not before[row.key.value] for row in table.ordered_rows)


async def test_the_same_rows_again_redraw_nothing() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(5))
        await pilot.pause()
        count = table._update_count  # the table's own redraw counter
        table.fill(rows_of(5))
        assert table._update_count == count


async def test_reordered_rows_are_moved_in_place_and_the_cursor_follows_its_row() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(5))
        await pilot.pause()
        table.move_cursor(row=1)  # on R-2
        await pilot.pause()
        app.highlighted.clear()
        before = {row.key.value: row for row in table.ordered_rows}
        wanted = list(reversed(rows_of(5)))
        wanted[0] = (5, ["R-5", Text("Item 5, renamed")])
        wanted.append((6, ["R-6", Text("Item 6")]))
        table.fill(wanted)
        await pilot.pause()
        assert shown(table) == plain_rows(wanted)
        assert all(row is before[row.key.value] for row in table.ordered_rows[:5])
        assert table.selected_value == "2" and table.cursor_row == 3
        assert app.highlighted == ["2"]  # the cursor moved with its row, and said so


async def test_many_rows_gone_or_an_empty_table_end_as_a_fresh_fill() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill([])
        table.fill(rows_of(3))
        await pilot.pause()
        assert shown(table) == plain_rows(rows_of(3))
        table.fill(rows_of(PATCH_LIMIT + 20))
        table.fill(rows_of(5, first=PATCH_LIMIT + 10))  # most rows gone: refilled
        await pilot.pause()
        assert shown(table) == plain_rows(rows_of(5, first=PATCH_LIMIT + 10))
        table.fill([])
        await pilot.pause()
        assert table.row_count == 0 and table.selected_value is None


class TwoTables(App[None]):
    """A KeyTable beside a plain DataTable with the same columns."""

    def __init__(self) -> None:
        super().__init__()
        self.highlighted: dict[str, list[tuple[int, str]]] = {"ours": [], "theirs": []}

    def compose(self) -> ComposeResult:
        yield KeyTable(id="ours")
        yield DataTable(id="theirs", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_column("Code", key="code")
            table.add_column("Title", key="title")
            table.add_column("Owner", key="owner")

    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        name = event.data_table.id or ""
        self.highlighted[name].append((event.cursor_row, event.row_key.value or ""))


async def test_a_refill_leaves_the_table_as_add_row_does() -> None:
    """A refill adds its rows in one go (add_row's bookkeeping per row was three
    quarters of refilling a register page): the rows, cells, cursor and the highlight
    messages must be DataTable's own, from empty and from a table already filled."""
    app = TwoTables()
    async with app.run_test() as pilot:
        ours = app.query_one("#ours", KeyTable)
        theirs = app.query_one("#theirs", DataTable)
        ours.focus()

        def refill(rows: Rows, cursor: int) -> None:
            ours.fill(rows)
            ours.move_cursor(row=cursor)
            theirs.clear()
            for key, cells in rows:
                theirs.add_row(*cells, key=str(key))
            theirs.move_cursor(row=cursor)

        def state(table: DataTable[Cell]) -> object:
            return (
                [(row.key.value, row.height, row.label) for row in table.ordered_rows],
                [  # (fill makes a str cell Text: drawn as written, never as markup)
                    [cell.plain if isinstance(cell, Text) else cell for cell in table.get_row_at(n)]
                    for n in range(table.row_count)
                ],
                table.cursor_coordinate,
                table.row_count,
            )

        short: Rows = [(n, [f"R-{n}", Text(f"Item {n}")]) for n in range(1, 4)]  # no owner
        for rows, cursor in (
            (rows_of(5), 0),
            ([(n, [f"R-{n}", Text(f"T{n}"), "Ann"]) for n in range(50, 90)], 7),
            (short, 2),
            ([], 0),
            (rows_of(3), 1),
        ):
            refill(rows, cursor)
            await pilot.pause()
            assert state(ours) == state(theirs)
            await wait_until(pilot, lambda: app.highlighted["ours"] == app.highlighted["theirs"])


async def test_a_cell_that_looks_like_markup_is_shown_as_written() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill([(1, ["[bold]R-1[/bold]", "[red]not red"])])
        await pilot.pause()
        assert shown(table) == [(1, ["[bold]R-1[/bold]", "[red]not red"])]
        first = table.get_row_at(0)[0]
        assert isinstance(first, Text) and not first.spans


async def test_a_wider_cell_widens_its_column() -> None:
    app = OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(3))
        await pilot.pause()
        before = table.columns[table.ordered_columns[1].key].content_width
        wanted = rows_of(3)
        wanted[0] = (1, ["R-1", Text("A title a good deal longer than the others")])
        table.fill(wanted)
        await pilot.pause()
        assert table.columns[table.ordered_columns[1].key].content_width > before


async def test_home_and_end_go_to_the_first_and_last_row(demo_path: Path) -> None:
    """They scrolled sideways, while the help says first and last row."""
    from pmo_tui.app import make_app
    from pmo_tui.widgets.table import KeyTable as Table
    from tests.conftest import fixed_clock

    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#projects", Table)
        table.focus()
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 > 0
        await pilot.press("home")
        assert table.cursor_row == 0


def _cells(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    """Each line as its cells: (character, style), whatever the segments' boundaries."""
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


async def test_a_one_line_cell_is_drawn_as_datatable_draws_it() -> None:
    """KeyTable draws one-line Text cells itself (DataTable's way costs 0.2-0.5 ms a cell,
    and any change draws every visible cell again): it must draw exactly what DataTable
    would, under the cursor, in zebra rows, cut to the column, in every style."""
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(KeyTable)
        table.add_column("Score", key="score", width=6)
        cells: list[Cell] = [
            Text("plain"),
            Text.assemble(("R-12", "bold"), " risk ", ("red", "red on white")),
            Text("far too long for its column of six", style="italic"),
            Text("cut…", overflow="ellipsis"),
            Text(""),
            Text("mid", justify="center"),
            Text("右 wide ✓ 漢字"),
            Text("[not] markup", style="reverse"),
            Text("12.50", justify="right", style="bold on red"),
            Text("left", justify="left", style="underline"),
            Text("mid ", justify="center", style="on green"),
            Text("x", justify="full"),
            Text("", style="reverse"),
            Text("styled", style="italic on blue"),
            Text("a title far longer than any column here", overflow="ellipsis", style="bold"),
            Text("漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字", overflow="ellipsis"),
            Text("漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字", overflow="crop"),
            Text("cut short but right", justify="right", overflow="ellipsis"),
            Text("trailing spaces beyond the column      ", overflow="ellipsis"),
            Text("centred and far too long", justify="center", overflow="crop"),
        ]
        table.fill([(n, [f"R-{n}", cell, cell]) for n, cell in enumerate(cells)])
        await pilot.pause()
        style = Style(color="white", bgcolor="blue")
        for row in range(len(cells)):
            for column in range(3):
                width = table.ordered_columns[column].get_render_width(table)
                for cursor, hover in ((False, False), (True, False), (False, True)):
                    table._cell_render_cache.clear()
                    table._drawn.clear()
                    ours = table._render_cell(row, column, style, width, cursor, hover)
                    table._cell_render_cache.clear()
                    theirs = DataTable._render_cell(table, row, column, style, width, cursor, hover)
                    assert _cells(ours) == _cells(theirs), (row, column, cursor, hover)


async def test_a_drawn_cell_follows_its_text_and_its_place() -> None:
    """Cells are kept drawn by what they show and where: a changed text, or a row moved
    to another place (the zebra stripe, the cursor, the mouse's row), is drawn anew."""
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(4))
        await pilot.pause()

        def drawn(row: int) -> list[list[tuple[str, Style | None]]]:
            style = table._get_row_style(row, table.rich_style)
            width = table.ordered_columns[1].get_render_width(table)
            ours = table._render_cell(row, 1, style, width, row == table.cursor_row)
            table._cell_render_cache.clear()
            theirs = DataTable._render_cell(table, row, 1, style, width, row == table.cursor_row)
            assert _cells(ours) == _cells(theirs)
            return _cells(ours)

        first = [drawn(row) for row in range(4)]
        wanted = rows_of(4)
        wanted[2] = (3, ["R-3", Text("Item 3 renamed")])
        wanted.insert(0, wanted.pop(3))  # R-4 to the top
        table.fill(wanted)
        await pilot.pause()
        after = [drawn(row) for row in range(4)]
        assert "".join(char for char, _ in after[0][0]).strip() == "Item 4"
        assert "".join(char for char, _ in after[3][0]).strip() == "Item 3 renamed"
        assert after[1] != first[1]  # R-1 moved down a row: its stripe and place changed


async def test_widths_are_measured_as_datatable_measures_them() -> None:
    """KeyTable measures one-line Text cells itself (Rich's measuring costs 50 us a
    cell): the columns must come out exactly as wide as DataTable makes them."""
    cells: list[Cell] = [
        "plain",
        Text("右 wide ✓ 漢字"),
        Text.assemble(("R-12", "bold"), " risk"),
        Text(""),
        Text("two\nlines"),
        Text("a\ttab"),
        "[b]markup[/b] as written",
    ]

    async def widths(table_type: type[DataTable[Cell]]) -> list[int]:
        class Widths(App[None]):
            def compose(self) -> ComposeResult:
                yield table_type(id="table")

        app = Widths()
        async with app.run_test() as pilot:
            table = app.query_one(DataTable)
            for n in range(len(cells)):
                table.add_column(f"C{n}", key=str(n))
            for n in range(3):
                rotated = cells[n:] + cells[:n]
                table.add_row(*[Text(c) if isinstance(c, str) else c for c in rotated], key=str(n))
            await pilot.pause()
            return [column.content_width for column in table.ordered_columns]

    assert await widths(KeyTable) == await widths(DataTable)


async def test_a_frame_drawn_with_styles_kept_for_the_pass_is_the_same_frame() -> None:
    """KeyTable keeps the row and table styles for one drawing pass (each walks every
    ancestor's styles): the lines must be those drawn asking for them line by line, on
    both stripes, under the cursor, focused or not."""
    app = OneTable()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(8))
        table.move_cursor(row=3)
        await pilot.pause()

        def fresh() -> None:
            for cache in (table._line_cache, table._row_render_cache, table._drawn):
                cache.clear()
            table._styles_cache.clear()

        for focused in (True, False):
            if focused:
                table.focus()
            else:
                table.blur()
            await pilot.pause()
            region = table.size.region
            fresh()
            kept = [list(strip) for strip in table.render_lines(region)]
            fresh()
            asked = [list(strip) for strip in DataTable.render_lines(table, region)]
            assert table._pass is None
            assert _cells(kept) == _cells(asked)
            assert len(kept) == region.height


async def test_lines_kept_by_row_are_the_lines_datatable_draws() -> None:
    """KeyTable keeps a drawn line by its row's content and place, not by the table's
    update counter: after each kind of change, every line must be what DataTable draws
    afresh (a changed cell, rows moved or added, the cursor, the hover, focus, a new
    column, a wider cell)."""
    app = OneTable()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(8))
        await pilot.pause()

        def same() -> None:
            width = table.size.width
            for y in range(table.size.height):
                # Whole, a part, and scrolled sideways (a table wider than its widget).
                for x1, x2 in ((0, width), (3, width - 5), (12, width + 12)):
                    ours = list(table._render_line(y, x1, x2, table.rich_style))
                    table._line_cache.clear()
                    table._row_render_cache.clear()
                    table._cell_render_cache.clear()  # drawn afresh: a label changed too
                    theirs = list(DataTable._render_line(table, y, x1, x2, table.rich_style))
                    assert _cells([ours]) == _cells([theirs]), (y, x1)

        async def then(change: Callable[[], object]) -> None:
            same()  # drawn (and kept) before the change
            change()
            await pilot.pause()
            same()

        wanted = rows_of(8)
        wanted[2] = (3, ["R-3", Text("Item Z")])  # as wide: only the row changes
        await then(lambda: table.fill(wanted))
        moved = [wanted[5], *wanted[:5], *wanted[6:], (9, ["R-9", Text("Item 9")])]
        await then(lambda: table.fill(moved))
        await then(lambda: table.move_cursor(row=4))
        await then(lambda: setattr(table, "hover_coordinate", Coordinate(6, 1)))
        await then(lambda: setattr(table, "_show_hover_cursor", True))  # the mouse came
        await then(lambda: setattr(table, "hover_coordinate", Coordinate(2, 1)))
        await then(lambda: setattr(table, "hover_coordinate", Coordinate(-1, 1)))  # header
        await then(lambda: setattr(table, "_show_hover_cursor", False))
        await then(table.focus)
        await then(table.blur)
        longer = [
            (key, [cells[0], Text(f"{cells[1]} and a much longer title")])
            for key, cells in moved[:2]
        ]
        await then(lambda: table.fill(longer + moved[2:]))
        await then(lambda: table.add_column("More", key="more"))
        wide = [(key, [*cells, Text("w" * 70)]) for key, cells in longer + moved[2:]]
        await then(lambda: table.fill(wide))  # wider than the widget: columns cut off

        def relabel() -> None:
            column = table.ordered_columns[1]
            column.label = Text("X" * len(column.label.plain))  # as wide: the label only
            table.refresh()

        await then(relabel)
        await then(lambda: setattr(table, "cursor_type", "cell"))
        await then(lambda: table.move_cursor(row=2, column=1))
        await then(lambda: setattr(table, "cursor_type", "column"))
        await then(lambda: table.move_cursor(column=0))  # the header shows the column
        await then(lambda: setattr(table, "cursor_type", "none"))
        await then(lambda: setattr(table, "zebra_stripes", False))
        await then(lambda: setattr(table, "show_cursor", False))


def test_row_cells_are_made_once_for_what_a_row_shows() -> None:
    """A row showing the same values gets the cells made for them before; any value
    changed (a new version, another owner) makes new ones; the store stays bounded."""
    made: list[tuple[object, ...]] = []
    rows = RowCells(most=3)

    def make(shown: tuple[object, ...]) -> list[Cell]:
        made.append(shown)
        return [Text(str(value)) for value in shown]

    first = rows.cells((1, 1, "Ann"), lambda: make((1, 1, "Ann")))
    assert rows.cells((1, 1, "Ann"), lambda: make((1, 1, "Ann"))) is first
    renamed = rows.cells((1, 2, "Ann"), lambda: make((1, 2, "Ann")))
    assert renamed is not first and [cell.plain for cell in renamed] == ["1", "2", "Ann"]
    for n in range(5):
        rows.cells((n, 1, "Bo"), lambda n=n: make((n, 1, "Bo")))
    assert len(rows._kept) <= 3
    assert len(made) == 7


async def test_a_row_moved_keeps_its_drawn_line_with_its_new_place_in_the_meta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows that only moved (two places: the same stripe) are not drawn again: their
    lines are kept, the row number in their segments' meta (what a mouse click reads)
    rewritten; each line must be what DataTable draws afresh there."""
    app = OneTable()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        rows = rows_of(8)
        table.fill(rows)
        table.move_cursor(row=7)  # away from the rows that move
        await pilot.pause()
        width = table.size.width
        for y in range(table.size.height):
            table._render_line(y, 0, width, table.rich_style)
        drawn: list[int] = []
        original = DataTable._render_line

        def counted(self: DataTable[Cell], y: int, *args: object) -> object:
            drawn.append(y)
            return original(self, y, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(DataTable, "_render_line", counted)
        table.fill([rows[2], rows[3], rows[0], rows[1], *rows[4:]])
        await pilot.pause()
        lines = [list(table._render_line(y, 0, width, table.rich_style)) for y in range(1, 5)]
        assert [y for y in drawn if y] == []  # the header aside, no line drawn again
        monkeypatch.setattr(DataTable, "_render_line", original)
        for y, ours in enumerate(lines, start=1):
            table._line_cache.clear()
            table._row_render_cache.clear()
            theirs = list(DataTable._render_line(table, y, 0, width, table.rich_style))
            assert _cells([ours]) == _cells([theirs]), y
            rows_in_meta = {s.style.meta["row"] for s in ours if s.style and s.style._meta}
            assert rows_in_meta == {y - 1}


async def test_a_column_narrowed_by_an_edit_keeps_its_width() -> None:
    """A changed cell narrower than its column leaves the column as it is, as a refill
    does: a width that came and went with each edit re-laid out the whole screen."""
    app = OneTable()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        rows = rows_of(4)
        table.fill(rows)
        await pilot.pause()
        wide = [*rows[:2], (3, ["R-3", Text("Item 3 with a much longer title")]), rows[3]]
        table.fill(wide)
        await pilot.pause()
        widened = table.columns[table.ordered_columns[1].key].content_width
        size = table.virtual_size
        table.fill(rows)  # back to the short title: patched in place
        await pilot.pause()
        assert table.columns[table.ordered_columns[1].key].content_width == widened
        assert table.virtual_size == size
        assert shown(table) == plain_rows(rows)


async def test_a_click_on_a_moved_row_selects_that_row() -> None:
    """A click reads the row from the drawn line's meta: on a row that moved (its line
    kept, the meta rewritten) it must select the row shown there, not the one that was."""
    app = OneTable()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        rows = rows_of(8)
        table.fill(rows)
        table.move_cursor(row=7)
        await pilot.pause()
        table.fill([rows[2], rows[3], rows[0], rows[1], *rows[4:]])  # two places each
        await pilot.pause()
        for line, wanted in ((1, "3"), (3, "1"), (4, "2")):  # line 0 is the header
            await pilot.click(KeyTable, offset=(2, line))
            await pilot.pause()
            assert table.selected_value == wanted, line


async def test_a_page_down_finds_its_lines_drawn_while_the_table_was_idle() -> None:
    """The benchmark at 200,000 RAID items: the first page down after a filter drew the
    36 lines it showed, 3-4 times a page down over lines drawn before. While nothing
    else runs the table draws the lines a page down shows: then it draws only the lines
    the cursor leaves and reaches."""
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(300))
        await pilot.pause()
        drawn: list[int] = []  # lines drawn for a frame (not ahead of one)
        framing = False
        draw_line, render_lines = table._draw_line, table.render_lines

        def counted(row_key, row_index, *rest):  # type: ignore[no-untyped-def]
            if framing:
                drawn.append(row_index)
            return draw_line(row_key, row_index, *rest)

        def frame(crop):  # type: ignore[no-untyped-def]
            nonlocal framing
            framing = True
            try:
                return render_lines(crop)
            finally:
                framing = False

        await wait_until(pilot, lambda: not table.drawing_ahead)  # idle: nothing pressed
        table._draw_line = counted  # type: ignore[method-assign]
        table.render_lines = frame  # type: ignore[method-assign]
        await pilot.press("pagedown")
        await pilot.pause()
        assert table.cursor_row > 15 and table.scroll_y > 15
        assert len(drawn) <= 2, drawn


async def test_a_frame_that_changes_nothing_does_not_draw_ahead_again() -> None:
    """Every frame that drew the table started drawing the next page again, line by line
    from the kept lines: 3-4 ms of steps a key waited behind (the register filter's
    benchmark, after its own full render). Once drawn ahead for the table as it stands,
    a frame with nothing changed leaves it; a change starts it again."""
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(300))
        await pilot.pause()
        await wait_until(pilot, lambda: not table.drawing_ahead)
        steps: list[int | None] = []
        draw_ahead = table._draw_ahead

        def counted(start: int | None) -> None:
            steps.append(start)
            draw_ahead(start)

        table._draw_ahead = counted  # type: ignore[method-assign]
        table.refresh()  # a frame, the table as it was
        app.screen._compositor.render_full_update()  # and a whole screen's
        await pilot.pause()
        await wait_until(pilot, lambda: not table.drawing_ahead)
        assert steps == []
        table.update_cell("3", "title", Text("Item changed"))
        await pilot.pause()
        await wait_until(pilot, lambda: not table.drawing_ahead)
        assert steps and steps[0] is None


async def test_the_header_is_kept_across_edits_and_drawn_again_for_a_new_label() -> None:
    """DataTable drew the header again on every edit (its counter moves with any change:
    2 ms of a re-score); KeyTable keeps it by what it shows."""
    app = OneTable()
    async with app.run_test(size=(60, 14)) as pilot:
        table = app.query_one(KeyTable)
        table.fill(rows_of(8))
        await pilot.pause()

        def header() -> str:
            return "".join(s.text for s in table._render_line(0, 0, 60, table.rich_style))

        first = table._render_line(0, 0, 60, table.rich_style)
        table.fill([(1, ["R-1", Text("Item X")]), *rows_of(7, 2)])  # a cell, as wide
        await pilot.pause()
        assert table._render_line(0, 0, 60, table.rich_style) is first  # kept
        column = table.ordered_columns[1]
        column.label = Text("X" * len(column.label.plain))  # as wide: the label only
        table.refresh()
        await pilot.pause()
        assert header().split() == ["Code", "XXXXX"]
