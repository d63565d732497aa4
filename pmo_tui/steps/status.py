"""Step 2, status: every project's RAG with its trend and commentary."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from pmo_tui.data.models import (
    AgendaItem,
    Meeting,
    Rag,
    StatusRow,
)
from pmo_tui.data.rules import trend
from pmo_tui.data.store import Store
from pmo_tui.steps.base import StepView
from pmo_tui.widgets.cells import plain, rag_badge, safe, update_static
from pmo_tui.widgets.editing import versioned
from pmo_tui.widgets.form import Field
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import PAGE, PAGE_BINDINGS, KeyTable, Pager

TREND_SHOWN = {"better": "▲ better", "same": "► same", "worse": "▼ worse", "new": "● new"}


_DIMENSIONS = ("overall", "schedule", "budget", "scope")


class StatusView(StepView):
    EDITS = frozenset({"rag", "commentary"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rag('red')", "Red", id="status.red", tooltip="Set the selected RAG to red"),
        Binding(
            "a", "rag('amber')", "Amber", id="status.amber", tooltip="Set the selected RAG to amber"
        ),
        Binding(
            "g", "rag('green')", "Green", id="status.green", tooltip="Set the selected RAG to green"
        ),
        Binding(
            "c",
            "commentary",
            "Commentary",
            id="status.commentary",
            tooltip="Edit the project's one-line commentary",
        ),
        Binding(
            "f",
            "filter",
            "Attention only",
            id="status.filter",
            tooltip="Show only red, amber and worse than last time",
        ),
        Binding(
            "enter",
            "detail",
            "Project",
            id="status.detail",
            tooltip="Open the project's detail and its last status reports",
        ),
        Binding(
            "B",
            "dashboard",
            "Dashboard",
            id="status.dashboard",
            tooltip="The portfolio on one screen: health now and trends over the meetings",
        ),
        *PAGE_BINDINGS,
    ]

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(store, meeting, item, id=id, classes=classes)
        self.attention_only = False
        # Projects edited while the attention filter is on stay listed until f is pressed
        # again: an edit never makes the row under the cursor vanish (the next key would
        # then edit another project).
        self.kept: set[int] = set()
        self.rows: dict[int, StatusRow] = {}
        self.pager = Pager()

    def compose(self) -> ComposeResult:
        yield StepSummary(id="status-summary")
        table = KeyTable(id="status-board")
        table.cursor_type = "cell"
        # The project stays in view however far right the cursor goes (at 80 columns a
        # follower's board arrived scrolled past it: "which project is this?").
        table.fixed_columns = 1
        yield table
        # The project under the cursor, its commentary in full: the board's last column
        # is past the screen's edge even at 120 columns.
        yield Static(id="status-comment", classes="step-detail")

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.add_column("Project", key="project", width=30)
        for label in ("Overall", "Schedule", "Budget", "Scope", "Trend", "Done", "Commentary"):
            table.add_column(label, key=label.lower())
        self.refresh_data()
        table.move_cursor(column=1)

    def refresh_data(self) -> None:
        board = self.store.portfolio.status_board(self.meeting.id)
        self.rows = {row.project.id: row for row in board}
        shown = [row for row in board if self._listed(row)]
        variables = self.app.theme_variables
        reported = sum(row.reported_this_meeting for row in board)
        window = self.pager.window(len(shown))
        paging = self.pager.label(len(shown), "Rows").rstrip(".")
        self.query_one("#status-summary", StepSummary).say(
            f"{len(shown)} of {len(board)} projects"
            + (" needing attention" if self.attention_only else "")
            + f" · {reported} updated in this meeting"
            + (
                f" ·{paging.rstrip('.')}"
                if (paging := self.pager.label(len(shown), "Rows"))
                else ""
            ),
            "←→ pick a RAG, r/a/g set it, c commentary, f filter",
        )
        rows = []
        for row in shown[window.start : window.stop]:
            current = row.current
            previous = row.previous
            cells: list[Text | str] = [
                Text.assemble((row.project.code, "bold"), " ", plain(row.project.name))
            ]
            for dimension in _DIMENSIONS:
                cells.append(rag_badge(getattr(current, dimension) if current else None, variables))
            if current is not None:
                change = trend(previous.overall if previous else None, current.overall)
                cells.append(
                    Text(TREND_SHOWN[change.value], style="bold" if change.value == "worse" else "")
                )
                cells.append(Text(f"{current.percent_complete} %", justify="right"))
                cells.append(plain(current.commentary))
            else:
                cells += ["-", "-", Text("no report yet", style="dim")]
            rows.append((row.project.id, cells))
        self.query_one(KeyTable).fill(rows)
        self._show_comment()

    @on(KeyTable.CellHighlighted)
    def _show_comment(self) -> None:
        row = self._selected()
        line = Text()
        if row is not None:
            line.append(f"{row.project.code} {safe(row.project.name)}", style="bold")
            current = row.current
            if current is None:
                line.append(" · no report yet")
            else:
                line.append(f" · {current.percent_complete} % done")
                line.append(f" · as of {current.reported_on:%d %b %Y}: ")
                line.append(safe(current.commentary) or "no commentary")
        update_static(self.query_one("#status-comment", Static), line)

    def _listed(self, row: StatusRow) -> bool:
        return not self.attention_only or _needs_attention(row) or row.project.id in self.kept

    def selected_code(self) -> str:
        """The project under the cursor: a decision or action recorded here links to it."""
        row = self._selected()
        return row.project.code if row else ""

    def _selected(self) -> StatusRow | None:
        key = self.query_one(KeyTable).selected_key
        return self.rows.get(key) if key is not None else None

    def action_rag(self, value: str) -> None:
        row = self._selected()
        if row is None:
            return
        column = self.query_one(KeyTable).cursor_column
        dimension = _DIMENSIONS[column - 1] if 1 <= column <= 4 else "overall"
        if self.attention_only:
            self.kept.add(row.project.id)
        saved = self.attempt(
            lambda: self.store.portfolio.set_status(
                self.meeting.id, row.project.id, row.current, **{dimension: Rag(value)}
            ),
            row.current,
        )
        now = self.rows.get(row.project.id)
        if saved and self.attention_only and now is not None and not _needs_attention(now):
            self.notify(
                f"{row.project.code} no longer needs attention: it stays listed until f "
                "refreshes the filter.",
                markup=False,
            )

    def action_commentary(self) -> None:
        row = self._selected()
        if row is None:
            return

        submit = versioned(
            row.current,
            lambda seen, values: self.store.portfolio.set_status(
                self.meeting.id,
                row.project.id,
                seen,
                commentary=values["commentary"].strip(),
                # Left empty: as it stood (it saved 0 % over 85 %).
                percent_complete=int(values["done"])
                if values["done"].strip()
                else (seen.percent_complete if seen else 0),
            ),
        )

        current = row.current
        self.ask(
            f"{row.project.code} {row.project.name}",
            [
                Field(
                    "commentary",
                    "One-line commentary",
                    current.commentary if current else "",
                    max_length=500,
                ),
                Field(
                    "done",
                    "% complete (0-100; empty keeps it)",
                    str(current.percent_complete if current else 0),
                    kind="number",
                    max_length=3,
                ),
            ],
            submit,
        )

    def action_filter(self) -> None:
        self.attention_only = not self.attention_only
        self.kept.clear()
        self.refresh_data()

    def action_detail(self) -> None:
        row = self._selected()
        if row is not None:
            self.post_message(self.OpenProject(row.project.id))

    @on(DataTable.CellSelected, "#status-board")
    def _chosen(self) -> None:
        # The board (a cell cursor, for the RAG columns) takes enter itself as "select".
        self.action_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # offered only when the list is longer than a page
            return len(self.rows) > PAGE
        return super().check_action(action, parameters)

    def action_page(self, direction: int) -> None:
        shown = [r for r in self.rows.values() if self._listed(r)]
        if self.pager.turn(direction, len(shown)):
            self.refresh_data()
            self.query_one(KeyTable).move_cursor(row=0)

    def reveal(self, key: str) -> bool:
        shown = [str(row.project.id) for row in self.rows.values() if self._listed(row)]
        if key not in shown or not self.pager.follow(shown.index(key)):
            return False
        self.refresh_data()
        return True

    def action_dashboard(self) -> None:
        self.post_message(self.OpenDashboard())


def _needs_attention(row: StatusRow) -> bool:
    current = row.current
    if current is None:
        return True
    if current.overall is not Rag.GREEN:
        return True
    return trend(row.previous.overall if row.previous else None, current.overall).value == "worse"
