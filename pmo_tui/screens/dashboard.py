"""The portfolio dashboard: health now, budget by objective, top risks, overdue actions by
owner, and trends over the last meetings as sparklines with their first and last values
(readable without colour). Every figure opens to the items behind it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from pmo_tui.data.errors import StoreError
from pmo_tui.data.metrics import Figure, figures
from pmo_tui.data.models import Action, Decision, Project, RaidItem, Record
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import plain
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.table import KeyTable


def _what(record: Record) -> str:
    for name in ("title", "name", "text"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


def _state(record: Record) -> str:
    if isinstance(record, Action):
        due = record.due_on.isoformat() if record.due_on else "no date"
        return f"{record.status.value}, due {due}"
    if isinstance(record, RaidItem):
        score = (record.probability or 0) * (record.impact or 0)
        return f"{record.kind.value}, {record.status.value}, score {score or '-'}"
    if isinstance(record, Project):
        return f"{record.phase.value}, {record.status.value}, budget {record.budget:,.0f}"
    if isinstance(record, Decision):
        return record.decided_on.isoformat()
    status = getattr(record, "status", None)
    return str(getattr(status, "value", status or ""))


class ItemsScreen(Screen[None]):
    """The items behind one figure."""

    BINDINGS = [Binding("escape,backspace", "app.pop_screen", "Back", id="items.back")]

    def __init__(self, store: Store, figure: Figure) -> None:
        super().__init__()
        self.store = store
        self.figure = figure

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text.assemble((self.figure.label, "bold"), f"  {self.figure.value}"),
            classes="screen-title",
        )
        yield KeyTable(id="items")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.figure.section
        table = self.query_one(KeyTable)
        for label, width in (("Code", None), ("What", 60), ("State", None)):
            table.add_column(label, key=label.lower(), width=width)
        rows: list[tuple[int | str, list[Text | str]]] = []
        for code in self.figure.codes:
            try:
                record = self.store.find(code)
            except StoreError:
                continue  # gone since the dashboard was read
            rows.append((code, [code, plain(_what(record)), _state(record)]))
        table.fill(rows)
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self) -> None:
        code = self.query_one(KeyTable).selected_value or ""
        if code.startswith("P-"):
            self.app.push_screen(_project_screen(self.store, int(code[2:])))


def _project_screen(store: Store, project_id: int) -> Screen[None]:
    from pmo_tui.screens.project import ProjectScreen  # screens import each other lazily

    return ProjectScreen(store, project_id)


class DashboardScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", "Back", id="dashboard.back"),
        Binding(
            "enter",
            "open",
            "Items",
            id="dashboard.open",
            key_display="⏎",
            tooltip="The items behind the figure",
        ),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.figures: list[Figure] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dashboard-title", classes="screen-title")
        yield KeyTable(id="dashboard")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        table = self.query_one(KeyTable)
        for label, width in (("Section", 18), ("Figure", 32), ("Value", None)):
            table.add_column(label, key=label.lower(), width=width)
        self.refresh_data()
        table.focus()

    def refresh_data(self) -> None:
        board = self.store.dashboards.dashboard()
        self.figures = figures(board)
        self.query_one("#dashboard-title", Static).update(
            Text.assemble(
                ("Portfolio dashboard", "bold"),
                f"  {board.day:%d %b %Y} · {board.flight_counts}",
            )
        )
        previous = ""
        rows: list[tuple[int | str, list[Text | str]]] = []
        for index, figure in enumerate(self.figures):
            section = figure.section if figure.section != previous else ""
            previous = figure.section
            rows.append(
                (
                    index,
                    [
                        Text(section, style="bold"),
                        plain(figure.label),
                        Text(figure.value + ("" if figure.codes else "  (nothing behind it)")),
                    ],
                )
            )
        self.query_one(KeyTable).fill(rows)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        key = self.query_one(KeyTable).selected_key
        if key is None:
            return
        figure = self.figures[key]
        if not figure.codes:
            self.notify("Nothing behind this figure.", markup=False)
            return
        self.app.push_screen(ItemsScreen(self.store, figure))
