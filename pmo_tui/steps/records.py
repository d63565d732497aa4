"""This meeting's decisions and actions: the wrap-up read-back and the side panel."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType

from pmo_tui.data.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MeetingState,
)
from pmo_tui.data.store import Store
from pmo_tui.live import announce_edit, signal_edit
from pmo_tui.steps.action_dialogs import ask_due_date, ask_owner
from pmo_tui.widgets.cells import plain
from pmo_tui.widgets.editing import ask, try_edit, versioned
from pmo_tui.widgets.form import Field, Submit, Values
from pmo_tui.widgets.table import KeyTable


class MeetingRecords(NamedTuple):
    decisions: list[Decision]
    actions: list[Action]
    steps: dict[int, AgendaItem]
    names: dict[int, str]
    quorum: str


def meeting_records(store: Store, meeting: Meeting) -> MeetingRecords:
    """What a meeting decided and assigned: a closed meeting's as its record says (its
    minutes; an action worked since does not change what the meeting agreed), a live or
    planned one's as they stand."""
    if meeting.state is MeetingState.CLOSED:
        minutes = store.records.minutes(meeting.id)
        return MeetingRecords(
            minutes.decisions,
            minutes.actions,
            {item.id: item for item in minutes.agenda},
            minutes.names,
            minutes.quorum,
        )
    return MeetingRecords(
        store.decisions.decisions(meeting.id),
        store.decisions.actions(meeting.id),
        {item.id: item for item in store.meetings.agenda(meeting.id)},
        store.portfolio.names(),
        store.meetings.quorum(meeting.id)[1],
    )


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
            # Offered on a draft only: on anything else `y` did nothing.
            record = self._selected()
            return self.can_confirm and isinstance(record, Decision) and bool(record.draft_by)
        if action not in ("edit", "owner", "due", "delete"):
            return True
        if not self.editable:
            return False
        if self.can_confirm:
            return True  # the driver (or no live meeting): everything
        # A follower works actions and drafts; what the forum decided, and deleting, is
        # the driver's (the store refuses it too).
        record = self._selected()
        own_draft = isinstance(record, Decision) and record.draft_by == self.store.user
        if action == "delete":
            return own_draft
        if action in ("owner", "due"):
            return isinstance(record, Action)
        return own_draft or isinstance(record, Action)

    @on(KeyTable.RowHighlighted)
    def _keys_for_row(self) -> None:
        self.refresh_bindings()  # what a follower may do depends on the row

    def action_confirm(self) -> None:
        record = self._selected()
        if not isinstance(record, Decision) or not record.draft_by:
            return
        problem = try_edit(lambda: self.store.decisions.confirm_decision(record.id, record.version))
        if problem:
            self.notify(problem, severity="error", markup=False)
        else:
            self.notify(f"{record.code} confirmed: it is a decision of the meeting now.")
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
        self,
        decisions: list[Decision],
        actions: list[Action],
        steps: dict[int, AgendaItem],
        names: dict[int, str],
    ) -> None:
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
            lambda seen, values: self.store.decisions.edit_decision(
                seen.id, seen.version, values["text"], values["rationale"], values["link"]
            ),
        )

        self._ask(f"Edit {decision.code}", decision_fields(decision), submit)

    def _edit_action(self, action: Action) -> None:
        names = self.store.portfolio.names()

        def apply(seen: Action, values: Values) -> object:
            due = date.fromisoformat(values["due"]) if values["due"] else None
            return self.store.decisions.edit_action(
                seen.id, seen.version, values["text"], values["owner"], due, values["link"]
            )

        submit = versioned(action, apply)

        self._ask(
            f"Edit {action.code}",
            action_fields([p.name for p in self.store.portfolio.people()], action, names),
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
            return try_edit(lambda: self.store.decisions.delete_entry(record))

        self._ask(f"Delete {record.code}? The audit trail keeps a copy.", [], submit, "Delete")


def decision_fields(decision: Decision | None = None, link: str = "") -> list[Field]:
    if decision is not None:
        link = (
            f"CR-{decision.change_request_id}"
            if decision.change_request_id
            else f"R-{decision.raid_item_id}"
            if decision.raid_item_id
            else f"A-{decision.action_id}"
            if decision.action_id
            else f"P-{decision.project_id}"
            if decision.project_id
            else ""
        )
    return [
        Field("text", "Decision", decision.text if decision else "", required=True),
        Field("rationale", "Rationale", decision.rationale if decision else ""),
        Field("link", "Link (optional: P-3, R-12, CR-4, A-6)", link, max_length=20),
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
