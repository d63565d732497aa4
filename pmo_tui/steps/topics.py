"""A step with no view of its own: its guide and the topics proposed into it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.steps.base import StepView
from pmo_tui.steps.records import RecordsTable, meeting_records
from pmo_tui.widgets.cells import plain, update_static
from pmo_tui.widgets.table import KeyTable


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
        topics = [
            t
            for t in self.store.meetings.topics(self.meeting.id)
            if t.agenda_item_id == self.item.id
        ]
        self.topic_codes = {t.id: t.ref_code for t in topics}
        self.query_one("#topics", KeyTable).fill(
            (t.id, [t.ref_code, plain(t.title), plain(t.reason), f"{t.timebox_minutes} min"])
            for t in topics
        )
        self.query_one("#topics", KeyTable).display = bool(topics)
        recorded = meeting_records(self.store, self.meeting)
        decisions = [d for d in recorded.decisions if d.agenda_item_id == self.item.id]
        actions = [a for a in recorded.actions if a.agenda_item_id == self.item.id]
        self.query_one(RecordsTable).show(
            decisions, actions, {self.item.id: self.item}, recorded.names
        )

    def action_open_topic(self) -> None:
        key = self.query_one("#topics", KeyTable).selected_key
        code = self.topic_codes.get(key or 0, "")
        if code.startswith("P-") and code[2:].isdecimal():
            self.post_message(self.OpenProject(int(code[2:])))
