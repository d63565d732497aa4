"""Step 1, previous actions: open actions from earlier meetings, done, re-dated,
reassigned or dropped."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from pmo_tui.data.models import (
    Action,
    ActionStatus,
)
from pmo_tui.data.rules import action_overdue
from pmo_tui.live import signal_edit
from pmo_tui.steps.action_dialogs import ask_due_date, ask_owner
from pmo_tui.steps.base import StepView
from pmo_tui.widgets.cells import plain
from pmo_tui.widgets.editing import versioned
from pmo_tui.widgets.form import Field
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import KeyTable


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
        yield StepSummary(id="prev-summary")
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
        still_open = self.store.decisions.open_actions_before(self.meeting.id)
        touched = [c.action for c in self.store.decisions.carried_over(self.meeting)]
        seen = {a.id for a in still_open}
        return still_open + [a for a in touched if a.id not in seen]

    def refresh_data(self) -> None:
        actions = self._actions()
        names = self.store.portfolio.names()
        today = self.meeting.scheduled_on
        self.actions = {a.id: a for a in actions}
        overdue = sum(action_overdue(a, today) for a in actions)
        open_count = sum(a.status is ActionStatus.OPEN for a in actions)
        self.query_one("#prev-summary", StepSummary).say(
            f"{open_count} open actions from earlier meetings, {overdue} overdue",
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
            self.attempt(
                lambda: self.store.decisions.reopen_action(action.id, action.version), action
            )
            return
        if self.attempt(
            lambda: self.store.decisions.close_action(action.id, action.version, ActionStatus.DONE),
            action,
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
            lambda seen, values: self.store.decisions.close_action(
                seen.id, seen.version, ActionStatus.DROPPED, values["reason"]
            ),
        )

        self.ask(
            f"Drop {action.code}",
            [Field("reason", "Why is it dropped?", required=True)],
            submit,
            label="Drop",
        )
