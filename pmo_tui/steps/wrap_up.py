"""Step 7, wrap-up: the decisions and actions read back before the meeting closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from pmo_tui.steps.base import StepView
from pmo_tui.steps.records import RecordsTable
from pmo_tui.widgets.cells import update_static


class WrapUpView(StepView):
    def compose(self) -> ComposeResult:
        yield Static(id="wrap-summary", classes="step-summary")
        yield RecordsTable(self.store, id="wrap-records")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        decisions = self.store.decisions.decisions(self.meeting.id)
        actions = self.store.decisions.actions(self.meeting.id)
        steps = {item.id: item for item in self.store.meetings.agenda(self.meeting.id)}
        flagged = sum(a.owner_id is None or a.due_on is None for a in actions)
        _, quorum = self.store.meetings.quorum(self.meeting.id)
        update_static(
            self.query_one("#wrap-summary", Static),
            f"Read back: {len(decisions)} decisions, {len(actions)} actions"
            + (f", {flagged} without an owner or a date (o owner, u date)" if flagged else "")
            + f". {quorum.capitalize()}. C closes the meeting, E exports the minutes.",
        )
        self.query_one(RecordsTable).show(decisions, actions, steps)
