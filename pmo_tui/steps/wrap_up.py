"""Step 7, wrap-up: the decisions and actions read back before the meeting closes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import Meeting, MeetingState
from pmo_tui.data.store import Store
from pmo_tui.data.wording import counted
from pmo_tui.publishing import PublishError, publish
from pmo_tui.steps.base import StepView
from pmo_tui.steps.records import RecordsTable, meeting_records
from pmo_tui.widgets.form import Field, Values
from pmo_tui.widgets.step_summary import StepSummary


class WrapUpView(StepView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "W",
            "publish",
            "Publish to wiki",
            id="wrap.publish",
            tooltip="File the closed meeting's minutes, the index and the open actions into "
            "the team wiki (a git working copy), in one commit",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "publish":
            # Minutes are published once final: a closed meeting, a session that may write.
            return self.meeting.state is MeetingState.CLOSED and not self.store.read_only
        return super().check_action(action, parameters)

    def action_publish(self) -> None:
        fields = [
            Field(
                "wiki",
                "Wiki folder (a git clone)",
                self.store.meetings.wiki_folder(),
                required=True,
                max_length=4_000,
            ),
            Field(
                "push",
                "Then",
                "push",
                kind="choice",
                choices=[("push to the wiki's server", "push"), ("commit only", "commit")],
            ),
        ]

        def submit(values: Values) -> str | None:
            self._publish(Path(values["wiki"]).expanduser(), values["push"] == "push")
            return None

        self.ask(f"Publish the minutes of {self.meeting.code}", fields, submit, "Publish")

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False)
    def _publish(self, folder: Path, push: bool) -> None:
        # git may take seconds (a push): a worker with its own connection.
        try:
            with Store(self.store.path, user=self.store.user, clock=self.store.clock) as store:
                meeting = store.get(Meeting, self.meeting.id)
                done = publish(store, meeting, folder, push=push)
        except (PublishError, StoreError) as error:
            self.app.call_from_thread(
                self.notify, str(error), severity="error", markup=False, timeout=10
            )
            return
        said = (
            f"Published to {done.folder}: commit {done.commit[:10]}"
            + (", pushed." if done.pushed else ", not pushed.")
            if done.commit
            else f"{done.folder} already had these minutes: nothing to commit"
            + ("; pushed." if done.pushed else ".")
        )
        self.app.call_from_thread(self.notify, said, markup=False, timeout=8)

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
                f"As recorded at the close: {counted(len(decisions), 'decision')}, "
                f"{counted(len(actions), 'action')}. "
                f"{recorded.quorum.capitalize()}",
                "E exports the minutes, W publishes them to the wiki, R reopens them",
            )
        else:
            summary.say(
                f"Read back: {counted(len(decisions), 'decision')}, "
                f"{counted(len(actions), 'action')}"
                + (f", {flagged} without an owner or a date" if flagged else "")
                + f". {recorded.quorum.capitalize()}",
                ("o owner, u date · " if flagged else "")
                + "C closes the meeting, E exports the minutes",
            )
        self.query_one(RecordsTable).show(decisions, actions, recorded.steps, recorded.names)
