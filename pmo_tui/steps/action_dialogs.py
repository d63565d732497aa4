"""The dialogs that re-date an action or give it another owner, from any list of actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widget import Widget

from pmo_tui.data.models import (
    Action,
)
from pmo_tui.data.store import Store
from pmo_tui.widgets.editing import ask, versioned
from pmo_tui.widgets.form import Field, Values, owner_field


def ask_due_date(widget: Widget, store: Store, action: Action, then: Callable[[], object]) -> None:
    def apply(seen: Action, values: Values) -> object:
        due = date.fromisoformat(values["due"])
        return store.decisions.redate_action(seen.id, seen.version, due)

    submit = versioned(action, apply)

    current = action.due_on.isoformat() if action.due_on else ""
    fields = [Field("due", "Due", current, kind="date", required=True)]
    ask(widget, store, f"Due date of {action.code}", fields, submit, "Save", then)


def ask_owner(widget: Widget, store: Store, action: Action, then: Callable[[], object]) -> None:
    submit = versioned(
        action,
        lambda seen, values: store.decisions.reassign_action(
            seen.id, seen.version, values["owner"]
        ),
    )

    people = [person.name for person in store.portfolio.people()]
    current = store.portfolio.names().get(action.owner_id or 0, "")
    fields = [owner_field(people, current)]
    ask(widget, store, f"Owner of {action.code}", fields, submit, "Save", then)
