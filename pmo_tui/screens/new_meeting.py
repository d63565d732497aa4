"""Dialog: plan a meeting (title, date, template)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from pmo_tui.data.agenda import DEFAULT_TEMPLATE


class NewMeeting(NamedTuple):
    title: str
    scheduled_on: date
    template: str


class NewMeetingDialog(ModalScreen[NewMeeting | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, today: date, templates: list[str]) -> None:
        super().__init__()
        self.today = today
        self.templates = templates

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Plan a meeting", classes="dialog-title")
            yield Label("Title")
            yield Input(
                f"Portfolio review {self.today.day} {self.today:%b %Y}",
                id="title",
                max_length=200,
            )
            yield Label("Date (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="date", max_length=10)
            yield Label("Template")
            yield Select(
                [(name, name) for name in self.templates],
                value=DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in self.templates else self.templates[0],
                allow_blank=False,
                id="template",
            )
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Plan", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        error = self.query_one("#dialog-error", Static)
        title = self.query_one("#title", Input).value.strip()
        if not title:
            error.update("The meeting needs a title.")
            self.query_one("#title", Input).focus()
            return
        text = self.query_one("#date", Input).value.strip()
        try:
            scheduled_on = date.fromisoformat(text)
        except ValueError:
            error.update(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-12-15.")
            self.query_one("#date", Input).focus()
            return
        template = self.query_one("#template", Select).value
        self.dismiss(NewMeeting(title, scheduled_on, str(template)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
