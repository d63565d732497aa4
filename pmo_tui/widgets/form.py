"""One small form dialog for every quick capture: decisions, actions, reasons, dates.

The caller gives the fields and a ``submit`` callback that does the work (usually one
Store call) and returns an error sentence or None. On an error the dialog stays open with
everything typed, and says what is wrong: nothing typed is ever lost to a mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

from rich.text import Text
from textual import on
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from pmo_tui.data.names import known_as
from pmo_tui.data.rules import parse_due
from pmo_tui.widgets.cells import safe

Values = dict[str, str]
Submit = Callable[[Values], str | None]


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    # text | date | choice | number | person (a name from ``suggestions``, or a new person
    # only when the user confirms it)
    kind: str = "text"
    required: bool = False
    choices: Sequence[tuple[str, str]] = ()
    suggestions: Sequence[str] = ()
    placeholder: str = ""
    max_length: int = 10_000
    hint: str = field(default="")


def owner_field(people: Sequence[str], current: str = "") -> Field:
    """The owner of an action or an item: a person picked from those pmo knows. The
    dialog opens on the ``current`` owner (it opened empty: was there one?)."""
    return Field(
        "owner",
        "Owner (completes as you type)",
        value=current,
        required=True,
        kind="person",
        suggestions=people,
        max_length=200,
    )


class FormDialog(ModalScreen[bool]):
    """Dismisses with True once ``submit`` succeeded, False when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]

    _submitted = False  # submit succeeded: the dialog is closing

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Submit,
        *,
        today: date,
        submit_label: str = "Save",
        message: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.fields = list(fields)
        self.submit = submit
        self.today = today
        self.submit_label = submit_label
        # A person field's new name the user was asked about: a second enter adds it.
        self._confirmed_new: dict[str, str] = {}
        # (field id, value) the dialog itself last put in a field, saying so.
        self._filled: tuple[str | None, str] | None = None
        # Keys typed while the dialog opens wait for its first field (app.hold_keys):
        # "d", then the decision typed at once, lost every word (cold try).
        with suppress(NoActiveAppError):
            hold = getattr(self.app, "hold_keys", None)
            if callable(hold):
                hold()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Text(safe(self.title_text)), classes="dialog-title")
            if self.message:
                # What a question asks about, one paragraph a line.
                yield Static(Text(self.message), classes="dialog-message")
            with VerticalScroll(classes="dialog-fields"):
                yield from self._compose_fields()
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def _compose_fields(self) -> ComposeResult:
        for spec in self.fields:
            yield Label(spec.label + (" *" if spec.required else ""))
            if spec.kind == "choice" and spec.required and not spec.value:
                # A choice the user must make: nothing is picked for them.
                yield Select(
                    list(spec.choices),
                    prompt="Choose…",
                    allow_blank=True,
                    id=f"field-{spec.name}",
                )
            elif spec.kind == "choice":
                yield Select(
                    list(spec.choices),
                    value=spec.value or spec.choices[0][1],
                    allow_blank=False,
                    id=f"field-{spec.name}",
                )
            else:
                yield Input(
                    spec.value,
                    id=f"field-{spec.name}",
                    placeholder=spec.placeholder,
                    max_length=spec.max_length,
                    type="integer" if spec.kind == "number" else "text",
                    suggester=SuggestFromList(spec.suggestions, case_sensitive=False)
                    if spec.suggestions
                    else None,
                )
            if spec.kind == "date" or spec.hint:
                yield Static(spec.hint, id=f"hint-{spec.name}", classes="field-hint")

    def on_resize(self) -> None:
        # Title (2), message (up to 2), buttons (3), border and padding (4): the fields get
        # the rest and scroll, so a long form at 80x24 keeps its buttons on screen.
        fields = self.query_one(".dialog-fields", VerticalScroll)
        fields.styles.max_height = max(4, self.size.height - 12)

    def on_mount(self) -> None:
        for spec in self.fields:
            if spec.kind == "date":
                self._show_date(spec.name)
        # The first field takes the keys (a choice to make comes first); a question with
        # no fields has its button focused, so enter answers it.
        first = (
            next(iter(self.query("#field-" + self.fields[0].name)), None) if self.fields else None
        )
        if first is not None:
            first.focus()
        else:
            self.query_one("#ok", Button).focus()
        # Once the focus is there (it is set after this turn), the keys held come to it.
        release = getattr(self.app, "release_keys", None)
        if callable(release):
            self.call_after_refresh(release)

    def values(self) -> Values:
        result: Values = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                result[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                result[spec.name] = widget.value
        return result

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if (event.input.id, event.value) == self._filled:
            return  # the name the dialog just put in the field: its message stays
        # What was refused is no longer what the field holds: the message goes.
        self.query_one("#dialog-error", Static).update("")
        name = (event.input.id or "").removeprefix("field-")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is not None and spec.kind == "date":
            self._show_date(name)

    def _show_date(self, name: str) -> None:
        typed = self.query_one(f"#field-{name}", Input).value.strip()
        hint = self.query_one(f"#hint-{name}", Static)
        if not typed:
            hint.update("2026-12-15, +3d, +2w, fri, next mon, eom")
            return
        try:
            due = parse_due(typed, self.today)
        except ValueError:
            hint.update("not a date yet")
            return
        hint.update(f"→ {due:%a %d %b %Y}")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_submit(self) -> None:
        if self._submitted:
            # Enters typed before the dialog had closed: the first one is the answer (three
            # quick enters recorded a decision three times, then failed to close it).
            return
        values = self.values()
        error = self.query_one("#dialog-error", Static)
        for spec in self.fields:
            if spec.required and not values[spec.name].strip():
                error.update(f"{spec.label} is needed.")
                self.query_one(f"#field-{spec.name}").focus()
                return
            if spec.kind == "person" and values[spec.name].strip():
                chosen = self._person(spec, values[spec.name])
                if chosen is None:
                    return
                values[spec.name] = chosen
            if spec.kind == "date" and values[spec.name].strip():
                try:
                    values[spec.name] = parse_due(values[spec.name], self.today).isoformat()
                except ValueError as bad_date:
                    error.update(Text(str(bad_date)))
                    self.query_one(f"#field-{spec.name}").focus()
                    return
        problem = self.submit(values)
        if problem:
            error.update(Text(safe(problem)))
            return
        self._submitted = True
        self.dismiss(True)

    def _person(self, spec: Field, typed: str) -> str | None:
        """The person a typed name stands for, or None (the dialog then says why and
        waits). Completion takes only what the user saw suggested; a name pmo does not
        know is added only on a second enter."""
        widget = self.query_one(f"#field-{spec.name}", Input)
        error = self.query_one("#dialog-error", Static)
        typed = " ".join(typed.split())
        known = [name for name in spec.suggestions if name.casefold() == typed.casefold()]
        if known:
            return known[0]
        completion = complete(typed, spec.suggestions)
        if completion is not None:
            # Input keeps its suggestion private; it is what the user sees greyed out.
            shown = str(getattr(widget, "_suggestion", ""))
            self._filled = (widget.id, completion)
            widget.value = completion
            widget.cursor_position = len(completion)
            if shown.casefold() == completion.casefold():
                return completion
            error.update(Text(f"{spec.label}: completed to “{completion}”; enter saves."))
            widget.focus()
            return None
        try:
            # "M. Oyelaran", "Oyelaran, Marcus": as an import reads them (cold try: the
            # dialog offered to add Marcus Oyelaran again).
            meant = known_as(typed, {name.lower(): name for name in spec.suggestions})
        except ValueError as several:
            error.update(Text(f"{spec.label}: {several}."))
            widget.focus()
            return None
        if meant is not None:
            self._filled = (widget.id, meant)
            widget.value = meant
            widget.cursor_position = len(meant)
            error.update(Text(f"{spec.label}: “{typed}” is {meant}; enter saves."))
            widget.focus()
            return None
        if self._confirmed_new.get(spec.name) == typed.casefold():
            return typed
        self._confirmed_new[spec.name] = typed.casefold()
        error.update(
            Text(
                f"“{typed}” is not a person pmo knows: enter again to add them as a new "
                "person, or correct the name."
            )
        )
        widget.focus()
        return None

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def complete(typed: str, known: Sequence[str]) -> str | None:
    """The first known name the typed text begins (any case), as the input suggests it."""
    folded = typed.casefold()
    if not folded:
        return None
    return next((name for name in known if name.casefold().startswith(folded)), None)
