"""Errors the store raises, each worded as one sentence a user can act on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pmo_tui.data.models import Record


class StoreError(Exception):
    """A problem with the portfolio file or an edit; ``str()`` is the user-facing sentence."""


class BadFileError(StoreError):
    """The path is not a portfolio file we can open (missing, not SQLite, damaged, foreign)."""


class NewerSchemaError(BadFileError):
    """The file was written by a newer pmo; opening it could damage it."""


class ReadOnlyError(StoreError):
    """A write was asked of a file that is read-only (by permission or ``--read-only``)."""


class OldSqliteError(StoreError):
    """The SQLite library in use has a bug that can corrupt a shared WAL file."""


class NotDrivingError(StoreError):
    """A session following a live meeting tried what only its driver may do; nothing was
    written."""


class NotFoundError(StoreError):
    """No row has that id or code."""


class InvalidInputError(StoreError):
    """A value does not fit its field; nothing was written."""


class ConflictError(StoreError):
    """Another session changed the row after this one read it; nothing was written."""

    def __init__(
        self,
        current: Record,
        changed_by: str | None,
        changed_at: datetime | None,
        *,
        label: str = "",
        describe: Callable[[str, object], str] | None = None,
    ) -> None:
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        # How the screen names the record ("the step Status", "P-6 Online Onboarding")
        # and a field's value (a person by name, a project by code), from the store.
        self.label = label or current.code
        self.describe = describe
        who = changed_by or "another session"
        when = f" at {changed_at.astimezone():%H:%M:%S}" if changed_at else ""
        super().__init__(
            f"{self.label} was changed by {who}{when} after you opened it; your edit was not saved."
        )
