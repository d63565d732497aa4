"""The body of each agenda step: previous actions, status, topics, wrap-up.

A view is handed the store and the meeting (attributes down), calls Store methods for its
edits, and asks the meeting screen to refresh (``announce_edit``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingState,
    Rag,
    Record,
    StatusRow,
)
from pmo_tui.data.rules import action_overdue, trend
from pmo_tui.data.store import Store
from pmo_tui.screens.form import Field, Submit, Values
from pmo_tui.widgets.cells import plain, rag_badge, update_static
from pmo_tui.widgets.editing import announce_edit, ask, signal_edit, try_edit, versioned
from pmo_tui.widgets.table import PAGE, PAGE_BINDINGS, KeyTable, Pager

TREND_SHOWN = {"better": "▲ better", "same": "► same", "worse": "▼ worse", "new": "● new"}


class StepView(Vertical):
    """Base for step bodies."""

    class OpenProject(Message):
        def __init__(self, project_id: int) -> None:
            super().__init__()
            self.project_id = project_id

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.store = store
        self.meeting = meeting
        self.item = item
        # The data its mount reads is as of now (see show()).
        self._shown_mark = store.view_mark()

    # Actions that write: offered only while the meeting is live and the file writable.
    EDITS: ClassVar[frozenset[str]] = frozenset()

    # Set by the meeting screen: only the driving session edits the step's items.
    may_edit = True

    @property
    def editable(self) -> bool:
        return (
            self.may_edit and self.meeting.state is MeetingState.LIVE and not self.store.read_only
        )

    def selected_code(self) -> str:
        """The code of the item under the cursor (decisions and actions link to it)."""
        return ""

    def select(self, key: str) -> None:
        """Put the cursor on the row keyed ``key`` (following the driver's cursor)."""
        for table in self.query(KeyTable):
            if table.selected_value != key:
                table.select_key(key)
            return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.editable or action not in self.EDITS

    def show(self, meeting: Meeting, item: AgendaItem) -> None:
        self.meeting = meeting
        self.item = item
        # Shown again with nothing edited since (here or by a peer): what it shows holds.
        mark = self.store.view_mark()
        if mark != self._shown_mark:
            self.refresh_data()
            self._shown_mark = mark
        self.refresh_bindings()
        for records in self.query(RecordsTable):
            records.editable = self.editable

    def refresh_data(self) -> None:
        raise NotImplementedError

    def focus_body(self) -> None:
        tables = self.query(KeyTable)
        if tables:
            tables.first().focus()

    @property
    def today(self) -> date:
        return self.store.clock().date()

    def ask(self, title: str, fields: list[Field], submit: Submit, label: str = "Save") -> None:
        ask(self, self.store, title, fields, submit, label, signal_edit(self))

    def attempt(self, work: Callable[[], object], seen: Record | None = None) -> bool:
        """Run one store edit; a refusal is shown, never raised. The screen refreshes
        either way, so after a conflict it shows the other session's values."""
        problem = try_edit(work, seen)
        if problem:
            self.notify(problem, severity="error", markup=False, timeout=10)
        # Re-read now, before the next key: keys typed faster than the screen refreshes
        # must act on what was just saved, not on the copy from before it.
        self.refresh_data()
        self._shown_mark = self.store.view_mark()
        announce_edit(self, view_is_fresh=True)
        return problem is None

    def people(self) -> list[str]:
        return [person.name for person in self.store.people()]


# -- previous actions ------------------------------------------------------------------


class PreviousActionsView(StepView):
    EDITS = frozenset({"done", "redate", "reassign", "drop"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "done", "Done", id="prev.done", tooltip="Mark the action done"),
        Binding("u", "redate", "Re-date", id="prev.redate", tooltip="Give the action a new date"),
        Binding(
            "o", "reassign", "Owner", id="prev.owner", tooltip="Give the action to someone else"
        ),
        Binding("x", "drop", "Drop", id="prev.drop", tooltip="Drop the action, with a reason"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="prev-summary", classes="step-summary")
        yield KeyTable(id="previous-actions")

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        # Text columns are capped so owner and due date stay in view at 80 columns.
        for label, width in (
            ("Code", None),
            ("Action", 36),
            ("Owner", 16),
            ("Due", None),
            ("Status", None),
            ("Raised", None),
        ):
            table.add_column(label, key=label.lower(), width=width)
        self.refresh_data()

    def _actions(self) -> list[Action]:
        still_open = self.store.open_actions_before(self.meeting.id)
        touched = [c.action for c in self.store.carried_over(self.meeting)]
        seen = {a.id for a in still_open}
        return still_open + [a for a in touched if a.id not in seen]

    def refresh_data(self) -> None:
        actions = self._actions()
        names = self.store.names()
        today = self.meeting.scheduled_on
        self.actions = {a.id: a for a in actions}
        overdue = sum(action_overdue(a, today) for a in actions)
        open_count = sum(a.status is ActionStatus.OPEN for a in actions)
        update_static(
            self.query_one("#prev-summary", Static),
            f"{open_count} open actions from earlier meetings, {overdue} overdue. "
            "space done · u re-date · o owner · x drop",
        )
        rows: list[tuple[int | str, list[Text | str]]] = []
        for action in actions:
            late = action_overdue(action, today)
            due = action.due_on.isoformat() if action.due_on else "no date"
            status = (
                action.status.value
                if action.status is not ActionStatus.OPEN
                else ("OVERDUE" if late else "open")
            )
            rows.append(
                (
                    action.id,
                    [
                        action.code,
                        plain(action.text),
                        plain(names.get(action.owner_id or 0, "no owner")),
                        Text(due, style="bold" if late else ""),
                        Text(
                            ("✓ " if action.status is ActionStatus.DONE else "") + status,
                            style="bold" if late else "",
                        ),
                        f"M-{action.meeting_id}" if action.meeting_id else "-",
                    ],
                )
            )
        self.query_one(KeyTable).fill(rows)

    def _selected(self) -> Action | None:
        key = self.query_one(KeyTable).selected_key
        return self.actions.get(key) if key is not None else None

    def action_done(self) -> None:
        action = self._selected()
        if action is None:
            return
        table = self.query_one(KeyTable)
        place = table.cursor_row
        if action.status is not ActionStatus.OPEN:
            self.attempt(lambda: self.store.reopen_action(action.id, action.version), action)
            return
        if self.attempt(
            lambda: self.store.close_action(action.id, action.version, ActionStatus.DONE), action
        ):
            # Done actions go to the end of the list; the cursor stays at its place, on the
            # next open action, so the next key acts on what the room looks at.
            table.move_cursor(row=min(place, table.row_count - 1))
            self.notify(f"{action.code} done: moved to the end of the list.", markup=False)

    def action_redate(self) -> None:
        action = self._selected()
        if action is not None:
            ask_due_date(self, self.store, action, signal_edit(self))

    def action_reassign(self) -> None:
        action = self._selected()
        if action is not None:
            ask_owner(self, self.store, action, signal_edit(self))

    def action_drop(self) -> None:
        action = self._selected()
        if action is None:
            return

        submit = versioned(
            action,
            lambda seen, values: self.store.close_action(
                seen.id, seen.version, ActionStatus.DROPPED, values["reason"]
            ),
        )

        self.ask(
            f"Drop {action.code}",
            [Field("reason", "Why is it dropped?", required=True)],
            submit,
            label="Drop",
        )


def ask_due_date(widget: Widget, store: Store, action: Action, then: Callable[[], object]) -> None:
    def apply(seen: Action, values: Values) -> object:
        due = date.fromisoformat(values["due"])
        return store.redate_action(seen.id, seen.version, due)

    submit = versioned(action, apply)

    current = action.due_on.isoformat() if action.due_on else ""
    fields = [Field("due", "Due", current, kind="date", required=True)]
    ask(widget, store, f"Due date of {action.code}", fields, submit, "Save", then)


def ask_owner(widget: Widget, store: Store, action: Action, then: Callable[[], object]) -> None:
    submit = versioned(
        action, lambda seen, values: store.reassign_action(seen.id, seen.version, values["owner"])
    )

    people = [person.name for person in store.people()]
    fields = [
        Field(
            "owner",
            "Owner (completes as you type)",
            required=True,
            kind="person",
            suggestions=people,
            max_length=200,
        )
    ]
    ask(widget, store, f"Owner of {action.code}", fields, submit, "Save", then)


# -- status ----------------------------------------------------------------------------

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
        yield Static(id="status-summary", classes="step-summary")
        table = KeyTable(id="status-board")
        table.cursor_type = "cell"
        yield table

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.add_column("Project", key="project", width=30)
        for label in ("Overall", "Schedule", "Budget", "Scope", "Trend", "Done", "Commentary"):
            table.add_column(label, key=label.lower())
        self.refresh_data()
        table.move_cursor(column=1)

    def refresh_data(self) -> None:
        board = self.store.status_board(self.meeting.id)
        self.rows = {row.project.id: row for row in board}
        shown = [row for row in board if self._listed(row)]
        variables = self.app.theme_variables
        reported = sum(row.reported_this_meeting for row in board)
        window = self.pager.window(len(shown))
        update_static(
            self.query_one("#status-summary", Static),
            f"{len(shown)} of {len(board)} projects"
            + (" needing attention" if self.attention_only else "")
            + f" · {reported} updated in this meeting ·{self.pager.label(len(shown), 'Rows')}"
            " ←→ pick a RAG, r/a/g set it, c commentary, f filter",
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

    def _listed(self, row: StatusRow) -> bool:
        return not self.attention_only or _needs_attention(row) or row.project.id in self.kept

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
            lambda: self.store.set_status(
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
            lambda seen, values: self.store.set_status(
                self.meeting.id,
                row.project.id,
                seen,
                commentary=values["commentary"].strip(),
                percent_complete=int(values["done"] or 0),
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
                    "% complete",
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

    def action_dashboard(self) -> None:
        from pmo_tui.screens.dashboard import DashboardScreen  # it imports the step views

        self.app.push_screen(DashboardScreen(self.store))


def _needs_attention(row: StatusRow) -> bool:
    current = row.current
    if current is None:
        return True
    if current.overall is not Rag.GREEN:
        return True
    return trend(row.previous.overall if row.previous else None, current.overall).value == "worse"


# -- decisions and actions (the wrap-up read-back and the side panel) ------------------


class RecordsTable(KeyTable):
    """This meeting's decisions and actions, editable in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e", "edit", "Edit", id="records.edit", tooltip="Edit the selected decision or action"
        ),
        Binding(
            "y",
            "confirm",
            "Confirm draft",
            id="records.confirm",
            tooltip="Confirm a decision a follower drafted",
        ),
        Binding("o", "owner", "Owner", id="records.owner", tooltip="Set the action's owner"),
        Binding("u", "due", "Due date", id="records.due", tooltip="Set the action's due date"),
        Binding(
            "delete",
            "delete",
            "Delete",
            id="records.delete",
            tooltip="Delete the selected decision or action (recorded)",
        ),
    ]

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.records: dict[str, Decision | Action] = {}
        self.editable = True
        self.can_confirm = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.can_confirm
        return self.editable or action not in ("edit", "owner", "due", "delete")

    def action_confirm(self) -> None:
        record = self._selected()
        if not isinstance(record, Decision) or not record.draft_by:
            return
        problem = try_edit(lambda: self.store.confirm_decision(record.id, record.version))
        if problem:
            self.notify(problem, severity="error", markup=False)
        announce_edit(self)

    def on_mount(self) -> None:
        for label, width in (
            ("Code", None),
            ("Decision or action", 36),
            ("Owner", 16),
            ("Due", None),
            ("Note", None),
        ):
            self.add_column(label, key=label.lower(), width=width)

    def show(
        self, decisions: list[Decision], actions: list[Action], steps: dict[int, AgendaItem]
    ) -> None:
        names = self.store.names()
        self.records = {d.code: d for d in decisions} | {a.code: a for a in actions}
        rows: list[tuple[int | str, list[Text | str]]] = []
        for decision in decisions:
            step = steps.get(decision.agenda_item_id or 0)
            rows.append(
                (
                    decision.code,
                    [
                        Text(decision.code, style="bold"),
                        plain(decision.text),
                        "",
                        "",
                        Text(f"DRAFT by {decision.draft_by} (y confirms)", style="bold reverse")
                        if decision.draft_by
                        else plain(decision.rationale or (f"in {step.title}" if step else "")),
                    ],
                )
            )
        for action in actions:
            flags = []
            if action.owner_id is None:
                flags.append("NEEDS OWNER")
            if action.due_on is None:
                flags.append("NEEDS DATE")
            rows.append(
                (
                    action.code,
                    [
                        Text(action.code, style="bold"),
                        plain(action.text),
                        plain(names.get(action.owner_id or 0, "-")),
                        action.due_on.isoformat() if action.due_on else "-",
                        Text(" · ".join(flags), style="bold reverse")
                        if flags
                        else action.status.value,
                    ],
                )
            )
        self.fill(rows)

    def _selected(self) -> Decision | Action | None:
        code = self.selected_value
        return self.records.get(code) if code else None

    def _ask(self, title: str, fields: list[Field], submit: Submit, label: str = "Save") -> None:
        ask(self, self.store, title, fields, submit, label, signal_edit(self))

    def action_edit(self) -> None:
        record = self._selected()
        if isinstance(record, Decision):
            self._edit_decision(record)
        elif isinstance(record, Action):
            self._edit_action(record)

    def _edit_decision(self, decision: Decision) -> None:
        submit = versioned(
            decision,
            lambda seen, values: self.store.edit_decision(
                seen.id, seen.version, values["text"], values["rationale"], values["link"]
            ),
        )

        self._ask(f"Edit {decision.code}", decision_fields(decision), submit)

    def _edit_action(self, action: Action) -> None:
        names = self.store.names()

        def apply(seen: Action, values: Values) -> object:
            due = date.fromisoformat(values["due"]) if values["due"] else None
            return self.store.edit_action(
                seen.id, seen.version, values["text"], values["owner"], due, values["link"]
            )

        submit = versioned(action, apply)

        self._ask(
            f"Edit {action.code}",
            action_fields([p.name for p in self.store.people()], action, names),
            submit,
        )

    def action_owner(self) -> None:
        record = self._selected()
        if isinstance(record, Action):
            ask_owner(self, self.store, record, signal_edit(self))

    def action_due(self) -> None:
        record = self._selected()
        if isinstance(record, Action):
            ask_due_date(self, self.store, record, signal_edit(self))

    def action_delete(self) -> None:
        record = self._selected()
        if record is None:
            return

        def submit(_values: Values) -> str | None:
            return try_edit(lambda: self.store.delete_entry(record))

        self._ask(f"Delete {record.code}? The audit trail keeps a copy.", [], submit, "Delete")


def decision_fields(decision: Decision | None = None, link: str = "") -> list[Field]:
    if decision is not None:
        link = (
            f"CR-{decision.change_request_id}"
            if decision.change_request_id
            else f"R-{decision.raid_item_id}"
            if decision.raid_item_id
            else f"P-{decision.project_id}"
            if decision.project_id
            else ""
        )
    return [
        Field("text", "Decision", decision.text if decision else "", required=True),
        Field("rationale", "Rationale", decision.rationale if decision else ""),
        Field("link", "Link (optional: P-3, R-12, CR-4)", link, max_length=20),
    ]


def action_fields(
    people: list[str],
    action: Action | None = None,
    names: dict[int, str] | None = None,
    link: str = "",
) -> list[Field]:
    owner = ""
    if action is not None:
        owner = (names or {}).get(action.owner_id or 0, "")
        link = (
            f"D-{action.decision_id}"
            if action.decision_id
            else f"CR-{action.change_request_id}"
            if action.change_request_id
            else f"R-{action.raid_item_id}"
            if action.raid_item_id
            else f"P-{action.project_id}"
            if action.project_id
            else ""
        )
    return [
        Field("text", "Action", action.text if action else "", required=True),
        Field(
            "owner",
            "Owner (completes as you type)",
            owner,
            kind="person",
            suggestions=people,
            max_length=200,
        ),
        Field(
            "due", "Due", action.due_on.isoformat() if action and action.due_on else "", kind="date"
        ),
        Field("link", "Link (optional: P-3, R-12, CR-4, D-7)", link, max_length=20),
    ]


# -- other steps: the guide, proposed topics, and what was decided here ----------------


class TopicsView(StepView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_topic",
            "Open",
            id="topics.open",
            tooltip="Open the selected topic's project",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="topic-guide", classes="step-summary")
        yield KeyTable(id="topics")
        yield Static("Decided and agreed in this step", classes="section-title")
        yield RecordsTable(self.store, id="step-records")

    def on_mount(self) -> None:
        table = self.query_one("#topics", KeyTable)
        for label, width in (
            ("Code", None),
            ("Topic", 44),
            ("Why it is here", None),
            ("Timebox", None),
        ):
            table.add_column(label, key=label.lower(), width=width)
        self.refresh_data()

    def refresh_data(self) -> None:
        guide = STEP_GUIDE[self.item.step]
        update_static(
            self.query_one("#topic-guide", Static),
            Text.assemble((guide.title, "bold"), ": ", guide.purpose),
        )
        topics = [t for t in self.store.topics(self.meeting.id) if t.agenda_item_id == self.item.id]
        self.topic_codes = {t.id: t.ref_code for t in topics}
        self.query_one("#topics", KeyTable).fill(
            (t.id, [t.ref_code, plain(t.title), plain(t.reason), f"{t.timebox_minutes} min"])
            for t in topics
        )
        self.query_one("#topics", KeyTable).display = bool(topics)
        decisions = [
            d for d in self.store.decisions(self.meeting.id) if d.agenda_item_id == self.item.id
        ]
        actions = [
            a for a in self.store.actions(self.meeting.id) if a.agenda_item_id == self.item.id
        ]
        self.query_one(RecordsTable).show(decisions, actions, {self.item.id: self.item})

    def action_open_topic(self) -> None:
        key = self.query_one("#topics", KeyTable).selected_key
        code = self.topic_codes.get(key or 0, "")
        if code.startswith("P-") and code[2:].isdigit():
            self.post_message(self.OpenProject(int(code[2:])))


class WrapUpView(StepView):
    def compose(self) -> ComposeResult:
        yield Static(id="wrap-summary", classes="step-summary")
        yield RecordsTable(self.store, id="wrap-records")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        decisions = self.store.decisions(self.meeting.id)
        actions = self.store.actions(self.meeting.id)
        steps = {item.id: item for item in self.store.agenda(self.meeting.id)}
        flagged = sum(a.owner_id is None or a.due_on is None for a in actions)
        _, quorum = self.store.quorum(self.meeting.id)
        update_static(
            self.query_one("#wrap-summary", Static),
            f"Read back: {len(decisions)} decisions, {len(actions)} actions"
            + (f", {flagged} without an owner or a date (o owner, u date)" if flagged else "")
            + f". {quorum.capitalize()}. C closes the meeting, E exports the minutes.",
        )
        self.query_one(RecordsTable).show(decisions, actions, steps)


def view_for(store: Store, meeting: Meeting, item: AgendaItem) -> StepView:
    from pmo_tui.data.models import AgendaStep
    from pmo_tui.widgets.change_step import ChangeView  # these build on this module
    from pmo_tui.widgets.lessons_step import LessonsView
    from pmo_tui.widgets.priorities_step import PrioritiesView
    from pmo_tui.widgets.raid_step import RaidView

    kind: type[StepView] = {
        AgendaStep.PREVIOUS_ACTIONS: PreviousActionsView,
        AgendaStep.STATUS: StatusView,
        AgendaStep.RAID: RaidView,
        AgendaStep.CHANGES: ChangeView,
        AgendaStep.PRIORITIES: PrioritiesView,
        AgendaStep.LESSONS: LessonsView,
        AgendaStep.WRAP_UP: WrapUpView,
    }.get(item.step, TopicsView)
    return kind(store, meeting, item, id=f"step-{item.id}", classes="step-view")
