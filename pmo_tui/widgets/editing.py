"""Running an edit from the interface: one sentence for every refusal, and a stale edit
(another session saved first) shown with the other person's values and re-applied in one
key, never silently overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from textual.widget import Widget

from pmo_tui.data.errors import ConflictError, InvalidInputError, NotFoundError, StoreError
from pmo_tui.data.models import Record
from pmo_tui.data.store import Store
from pmo_tui.widgets.form import Field, FormDialog, Submit, Values


def _shown(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Fields as the screen labels them (a refusal said "due_on", "owner_id").
FIELD_LABELS = {
    "due_on": "due date",
    "review_by": "review date",
    "closed_on": "closing date",
    "decided_on": "decision date",
    "start_on": "start date",
    "end_on": "end date",
    "owner_id": "owner",
    "manager_id": "manager",
    "sponsor_id": "sponsor",
    "project_id": "project",
    "raid_item_id": "RAID item",
    "change_request_id": "change request",
    "decision_id": "decision",
    "agenda_item_id": "step",
    "percent_complete": "% complete",
    "timebox_minutes": "timebox (minutes)",
    "draft_by": "draft",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.removesuffix("_id").replace("_", " "))


def conflict_text(seen: Record | None, conflict: ConflictError) -> str:
    """The refusal, with what the other session changed, in the screen's words: "due
    date is now 2026-12-20 (you saw 2026-12-18); owner is now Priya Raman (you saw Sam
    Lee)". "The current values are shown" is said only by the screens that show them."""
    current = conflict.current
    if seen is None or type(seen) is not type(current):
        return str(conflict)
    describe = conflict.describe or (lambda _name, value: _shown(value))
    changes = [
        f"{field_label(name)} is now {describe(name, value)} "
        f"(you saw {describe(name, getattr(seen, name))})"
        for name, value in current.model_dump(exclude={"id", "version"}).items()
        if getattr(seen, name) != value
    ]
    return f"{conflict} " + ("; ".join(changes) + "." if changes else "")


def try_edit(work: Callable[[], object], seen: Record | None = None) -> str | None:
    """Run a store edit; its refusal comes back as a sentence (None when it worked)."""
    try:
        work()
    except ConflictError as conflict:
        return conflict_text(seen, conflict) + " Press the key again to apply yours."
    except (InvalidInputError, NotFoundError, ValueError) as error:
        return str(error)
    except StoreError as error:
        # The file could not take it (full disk, read-only, damaged): say which edit.
        return f"{seen.code} was not changed: {error}" if seen is not None else str(error)
    return None


def run_edit(
    widget: Widget,
    work: Callable[[], object],
    then: Callable[[], object],
    seen: Record | None = None,
) -> bool:
    """Run one store edit from a key: a refusal is shown (never raised), and ``then``
    refreshes what shows it either way, so after a conflict the other session's values
    are on screen. The one way a key edits; True when it was saved."""
    problem = try_edit(work, seen)
    if problem:
        widget.notify(problem, severity="error", markup=False, timeout=10)
    then()
    return problem is None


def versioned(record: Any, apply: Callable[[Any, Values], object]) -> Submit:
    """A form submit for an edit of ``record`` read at some version. When another session
    saved first, the form stays open saying what they changed; saving again applies these
    values over theirs (the one key to re-apply), now knowing the current version."""
    seen: list[Any] = [record]

    def submit(values: Values) -> str | None:
        try:
            apply(seen[0], values)
        except ConflictError as conflict:
            before = seen[0]
            seen[0] = conflict.current
            return conflict_text(before, conflict) + " Save again to apply yours over it."
        except (StoreError, ValueError) as error:
            return str(error)
        return None

    return submit


def ask(
    widget: Widget,
    store: Store,
    title: str,
    fields: list[Field],
    submit: Submit,
    label: str,
    then: Callable[[], object],
    message: str = "",
) -> None:
    """Open a form; ``then`` runs once it saved. With no fields it is a question:
    ``message`` says what it is about, enter answers it with ``label``."""

    def done(saved: bool | None) -> None:
        if saved:
            then()

    widget.app.push_screen(
        FormDialog(
            title, fields, submit, today=store.clock().date(), submit_label=label, message=message
        ),
        done,
    )
