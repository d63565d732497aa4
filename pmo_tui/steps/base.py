"""The base of every agenda step's view: handed the store and the meeting (attributes
down), it calls intent-named Store methods for its edits and tells the meeting screen
(``announce_edit``); the screen refreshes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from time import monotonic
from typing import ClassVar

from textual import events
from textual.containers import Vertical
from textual.message import Message

from pmo_tui.data.models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Record,
)
from pmo_tui.data.store import Store
from pmo_tui.live import announce_edit, signal_edit
from pmo_tui.steps.records import RecordsTable
from pmo_tui.widgets.editing import ask, run_edit
from pmo_tui.widgets.form import Field, Submit
from pmo_tui.widgets.table import KeyTable

# How long a refused edit key stays quiet after saying why (a follower typing a score
# hears it once, not once a key).
REFUSAL_QUIET_SECONDS = 5.0


class StepView(Vertical):
    """Base for step bodies."""

    # Other screens are asked for by message (the meeting screen opens them): a step never
    # imports a screen.
    class OpenProject(Message):
        def __init__(self, project_id: int) -> None:
            super().__init__()
            self.project_id = project_id

    class OpenDashboard(Message):
        """The portfolio dashboard, over the meeting."""

    class OpenRegister(Message):
        """The whole RAID register, over the meeting."""

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.store = store
        self.meeting = meeting
        self.item = item
        # The data its mount reads is as of now (see show()).
        self._shown_mark = store.presence.view_mark()
        self._refused_at = -REFUSAL_QUIET_SECONDS  # when an edit key was last refused

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
        """Put the cursor on the row keyed ``key`` (following the driver's cursor): in the
        step's table that holds that row (RAID triage has the heat map first, then the
        queue), so the card that shows the selected row follows too."""
        for attempt in range(2):
            for table in self.query(KeyTable):
                if table.has_key(key):
                    if table.selected_value != key:
                        table.select_key(key)
                    return
            # Not on the page shown (a long list): turn to the page holding it, once.
            if attempt or not self.reveal(key):
                return

    def reveal(self, key: str) -> bool:
        """Show the page of a long list that holds the row keyed ``key``; True when the
        page changed. Views that show a page at a time override it."""
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.editable or action not in self.EDITS

    def on_key(self, event: events.Key) -> None:
        """A key that would edit here, pressed where nobody may edit (a follower, a closed
        meeting, a read-only session): it did nothing, and now says why, once in a while
        (a follower typing a score got no word at all; cold try)."""
        if self.editable:
            return
        bound = self._bindings.key_to_bindings.get(event.key, [])
        if not any(binding.action.split("(")[0] in self.EDITS for binding in bound):
            return
        now = monotonic()
        if now - self._refused_at < REFUSAL_QUIET_SECONDS:
            return
        self._refused_at = now
        if self.store.read_only:
            why = "Opened read-only: nothing can be changed in this session."
        elif self.meeting.state is MeetingState.CLOSED:
            why = "The meeting is closed: its record stays as it was (R reopens it)."
        elif self.meeting.state is not MeetingState.LIVE:
            why = "The meeting has not started: s starts it."
        else:
            why = "You are following the driver: D takes the drive to change this."
        self.notify(why, markup=False)

    def show(self, meeting: Meeting, item: AgendaItem) -> None:
        self.meeting = meeting
        self.item = item
        # Shown again with nothing edited since (here or by a peer): what it shows holds.
        mark = self.store.presence.view_mark()
        if mark != self._shown_mark:
            self.refresh_data()
            self._shown_mark = mark
        self.refresh_bindings()
        for records in self.query(RecordsTable):
            records.editable = self.editable
            records.can_confirm = self.editable  # y confirms a draft wherever it is listed

    def refresh_data(self) -> None:
        raise NotImplementedError

    def clock_moved(self) -> None:
        """The meeting clock ticked (once a second, while the step is shown): a step that
        shows figures of its time left redraws them when they changed."""

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
        return run_edit(self, work, self._after_edit, seen)

    def _after_edit(self) -> None:
        # Re-read now, before the next key: keys typed faster than the screen refreshes
        # must act on what was just saved, not on the copy from before it.
        self.refresh_data()
        self._shown_mark = self.store.presence.view_mark()
        announce_edit(self, view_is_fresh=True)

    def people(self) -> list[str]:
        return [person.name for person in self.store.portfolio.people()]
