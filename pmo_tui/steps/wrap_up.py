"""Step 7, wrap-up: the decisions and actions read back before the meeting closes."""

from __future__ import annotations

from textual.app import ComposeResult

from pmo_tui.data.models import MeetingState
from pmo_tui.steps.base import StepView
from pmo_tui.steps.records import RecordsTable, meeting_records
from pmo_tui.widgets.step_summary import StepSummary


class WrapUpView(StepView):
    def compose(self) -> ComposeResult:
        yield StepSummary(id="wrap-summary")
        yield RecordsTable(self.store, id="wrap-records")

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        recorded = meeting_records(self.store, self.meeting)
        decisions, actions = recorded.decisions, recorded.actions
        flagged = sum(a.owner_id is None or a.due_on is None for a in actions)
        closed = self.meeting.state is MeetingState.CLOSED
        summary = self.query_one("#wrap-summary", StepSummary)
        if closed:
            summary.say(
                f"As recorded at the close: {len(decisions)} decisions, {len(actions)} actions. "
                f"{recorded.quorum.capitalize()}",
                "E exports the minutes, R reopens them",
            )
        else:
            summary.say(
                f"Read back: {len(decisions)} decisions, {len(actions)} actions"
                + (f", {flagged} without an owner or a date" if flagged else "")
                + f". {recorded.quorum.capitalize()}",
                ("o owner, u date · " if flagged else "")
                + "C closes the meeting, E exports the minutes",
            )
        self.query_one(RecordsTable).show(decisions, actions, recorded.steps, recorded.names)
