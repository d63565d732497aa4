"""The change-decisions step: the change requests and phase gates before this forum, a card
with the selected one's impact, tolerance and checklist, and one key for each decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from pmo_tui.data.changes import Tally, gate_refusal
from pmo_tui.data.models import (
    AgendaItem,
    Attendance,
    ChangeRequest,
    ChangeRow,
    ChangeStatus,
    CheckState,
    Decision,
    GateReview,
    GateRow,
    GateStatus,
    Meeting,
)
from pmo_tui.data.rules import baseline_after, parse_amount, parse_days
from pmo_tui.data.store import Store
from pmo_tui.steps.base import StepView
from pmo_tui.widgets.card import Card
from pmo_tui.widgets.cells import amount, plain, safe
from pmo_tui.widgets.editing import try_edit, versioned
from pmo_tui.widgets.form import Field, Values
from pmo_tui.widgets.related import RelatedLessons
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import PAGE, KeyTable

# The oldest requests first, as many as a forum decides in a sitting: the table is re-read
# after every decision, and a DataTable refills in time proportional to its rows.
QUEUE_PAGE = PAGE

RESUBMITTABLE = frozenset(
    {ChangeStatus.DRAFT, ChangeStatus.MORE_INFORMATION, ChangeStatus.DEFERRED}
)
OPEN_CHANGES = RESUBMITTABLE | {ChangeStatus.SUBMITTED}
CHANGE_ACTIONS = frozenset({"decide_change", "edit_change", "submit_change", "withdraw"})
GATE_ACTIONS = frozenset({"decide_gate", "check", "criteria"})

CHECK_MARK = {
    CheckState.OPEN: "?  open",
    CheckState.MET: "✓  met",
    CheckState.NOT_MET: "✗  not met",
    CheckState.NOT_APPLICABLE: "-  n/a",
}
NEXT_STATE = {
    CheckState.OPEN: CheckState.MET,
    CheckState.MET: CheckState.NOT_MET,
    CheckState.NOT_MET: CheckState.NOT_APPLICABLE,
    CheckState.NOT_APPLICABLE: CheckState.OPEN,
}

# The state column stays narrow enough for 80 columns; the card gives the full words.
SHORT = {
    ChangeStatus.APPROVED_WITH_CONDITIONS.value: "approved+cond",
    ChangeStatus.MORE_INFORMATION.value: "more info",
    GateStatus.CONDITIONAL_GO.value: "cond. go",
}


def _money(amount: float) -> str:
    return f"{amount:+,.0f}" if amount else "0"


def _days(days: int) -> str:
    return f"{days:+d} d" if days else "0 d"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "not set"


def _vote_field() -> Field:
    return Field(
        "vote",
        "Vote: for / against / abstain (optional)",
        placeholder="e.g. 5/1/0",
        max_length=20,
    )


def _tally(values: Values) -> Tally | None:
    """``5/1/0``, ``5 1 0`` or ``5,1,0``; empty for no vote."""
    typed = values.get("vote", "").replace("/", " ").replace(",", " ").split()
    if not typed:
        return None
    if len(typed) != 3 or not all(count.isdecimal() for count in typed):
        raise ValueError(
            f"Vote “{values['vote'].strip()}”: give three whole numbers, for/against/abstain, "
            "like 5/1/0."
        )
    return Tally(*(int(count) for count in typed))


class ChangeView(StepView):
    EDITS = frozenset(
        {
            "decide_change",
            "decide_gate",
            "new_change",
            "edit_change",
            "submit_change",
            "withdraw",
            "request_gate",
            "check",
            "criteria",
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # The same key decides a request or a gate; only the one that fits the selected row
        # is offered (and shown in the footer).
        Binding("a", "decide_change('approved')", "Approve", id="change.approve"),
        Binding("a", "decide_gate('go')", "Go", id="gate.go"),
        Binding(
            "c",
            "decide_change('approved with conditions')",
            "With conditions",
            id="change.conditions",
        ),
        Binding("c", "decide_gate('conditional go')", "Conditional go", id="gate.conditional"),
        Binding("x", "decide_change('rejected')", "Reject", id="change.reject"),
        Binding("x", "decide_gate('stop')", "Stop", id="gate.stop"),
        Binding(
            "f",
            "decide_change('deferred')",
            "Defer",
            id="change.defer",
            tooltip="Defer to a date, or to the next meeting",
        ),
        Binding("f", "decide_gate('hold')", "Hold", id="gate.hold"),
        Binding(
            "i",
            "decide_change('more information needed')",
            "More info",
            id="change.info",
            tooltip="Send it back for more information",
        ),
        # Undescribed, so help and the palette list them once, in the section title.
        *(Binding(str(n), f"check({n})", "", show=False) for n in range(1, 10)),
        Binding(
            "K",
            "criteria",
            "Criteria",
            id="gate.criteria",
            tooltip="Edit the checklist for gates into this phase",
        ),
        Binding("N", "new_change", "New CR", id="change.new", tooltip="Raise a change request"),
        Binding("E", "edit_change", "Edit", id="change.edit", tooltip="Edit the request's details"),
        Binding(
            "S",
            "submit_change",
            "Submit",
            id="change.submit",
            tooltip="Put a draft, or one back with more information, before the forum",
        ),
        Binding("W", "withdraw", "Withdraw", show=False, id="change.withdraw"),
        Binding(
            "G",
            "request_gate",
            "Gate request",
            id="gate.request",
            tooltip="A project asks to move to its next phase",
        ),
        Binding(
            "A",
            "everything",
            "All requests",
            id="change.all",
            tooltip="Also drafts, requests waiting for information, later deferrals",
        ),
        Binding(
            "enter",
            "project",
            "Project",
            id="change.project",
            key_display="⏎",
            tooltip="The project's detail and baseline history",
        ),
    ]

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(store, meeting, item, id=id, classes=classes)
        self.changes: dict[str, ChangeRow] = {}
        self.gates: dict[str, GateRow] = {}
        self.everything = False
        # After a decision the cursor goes on to the next row still to decide.
        self.advance_from: int | None = None
        # Lessons related to each request, found on a thread and kept while shown.
        self.related = RelatedLessons(self, store.path)
        self._card_code = ""  # the row the card describes

    def compose(self) -> ComposeResult:
        yield StepSummary(id="change-summary")
        with VerticalScroll(id="change-card-box"):
            yield Card(id="change-card")
        yield KeyTable(id="change-queue")

    def on_mount(self) -> None:
        table = self.query_one("#change-queue", KeyTable)
        for label, width in (
            ("Code", None),
            ("Project", None),
            ("Request or gate", 21),
            ("Cost", None),
            ("Time", None),
            ("Limit", None),
            ("State", None),
        ):
            table.add_column(label, key=label.lower(), width=width)
        # The card follows the cursor in the table's own frame (RowHighlighted reaches
        # this view a frame later: the card lagged the cursor by 30-170 ms).
        self.watch(table, "cursor_coordinate", self._show_card, init=False)
        self.refresh_data()

    def focus_body(self) -> None:
        self.query_one("#change-queue", KeyTable).focus()

    def selected_code(self) -> str:
        return self.query_one("#change-queue", KeyTable).selected_value or ""

    # -- showing --------------------------------------------------------------------

    def refresh_data(self) -> None:
        changes = self.store.changes.change_queue(
            self.meeting.id, everything=self.everything, limit=QUEUE_PAGE
        )
        gates = self.store.changes.gate_queue(self.meeting.id)
        self.changes = {row.request.code: row for row in changes}
        self.gates = {row.gate.code: row for row in gates}
        to_decide = sum(row.decision is None for row in changes)
        escalate = sum(row.tolerance.escalate and row.decision is None for row in changes)
        gates_open = sum(row.decision is None for row in gates)
        more = "+" if to_decide == QUEUE_PAGE else ""
        self.query_one("#change-summary", StepSummary).say(
            f"{to_decide}{more} change requests to decide ({escalate} beyond tolerance), "
            f"{len(changes) - to_decide} decided here; {gates_open} gate reviews"
            + (" · all requests shown (A)" if self.everything else ""),
            "a approve/go · c conditions · x reject/stop · f defer/hold · i more info · "
            "1-9 tick a gate criterion",
        )
        rows: list[tuple[str, list[Text | str]]] = []
        for row in changes:
            request = row.request
            state = row.decision.outcome if row.decision else request.status.value
            rows.append(
                (
                    request.code,
                    [
                        Text(request.code, style="bold"),
                        row.project.code,
                        plain(request.title),
                        Text(_money(request.cost_impact), justify="right"),
                        Text(_days(request.schedule_impact_days), justify="right"),
                        Text("OVER", style="bold") if row.tolerance.escalate else "ok",
                        Text(("✓ " if row.decision else "") + SHORT.get(state, state)),
                    ],
                )
            )
        for gate_row in gates:
            gate = gate_row.gate
            met = len(gate_row.checks) - len(gate_row.unmet)
            state = gate_row.decision.outcome if gate_row.decision else gate.status.value
            rows.append(
                (
                    gate.code,
                    [
                        Text(gate.code, style="bold"),
                        gate_row.project.code,
                        Text(f"Gate to {gate.to_phase.value}"),
                        "",
                        "",
                        f"{met}/{len(gate_row.checks)} ✓",
                        Text(("✓ " if gate_row.decision else "") + SHORT.get(state, state)),
                    ],
                )
            )
        table = self.query_one("#change-queue", KeyTable)
        table.fill(rows)
        if self.advance_from is not None:
            undecided = [index for index, (key, _) in enumerate(rows) if self._undecided(key)]
            later = [index for index in undecided if index >= self.advance_from]
            if later or undecided:
                table.move_cursor(row=(later or undecided)[0])
            self.advance_from = None
        self._show_card()
        self.refresh_bindings()

    def _undecided(self, code: str) -> bool:
        row: ChangeRow | GateRow | None = self.changes.get(code) or self.gates.get(code)
        return row is not None and row.decision is None

    def _decide(
        self,
        title: str,
        fields: list[Field],
        record: ChangeRequest | GateReview,
        apply: Callable[[Any, Values], object],
    ) -> None:
        """Ask for a decision on ``record`` as read now (a stale one is refused, saying
        what changed); once saved, the cursor goes on to the next row to decide."""
        index = self.query_one("#change-queue", KeyTable).cursor_row
        submit = versioned(record, apply)

        def decide(values: Values) -> str | None:
            problem = submit(values)
            if problem is None:
                self.advance_from = index
            return problem

        self.ask(title, fields, decide, "Decide")

    def _selected_change(self) -> ChangeRow | None:
        return self.changes.get(self.selected_code())

    def _selected_gate(self) -> GateRow | None:
        return self.gates.get(self.selected_code())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action in CHANGE_ACTIONS:
            change = self._selected_change()
            if change is None:
                return False
            if action == "submit_change":
                return change.request.status in RESUBMITTABLE
            if change.decision is not None or change.request.status not in OPEN_CHANGES:
                return None  # shown, dimmed: decided already
            return True
        if action in GATE_ACTIONS:
            return self._selected_gate() is not None
        return True

    def show(self, meeting: Meeting, item: AgendaItem) -> None:
        # Lessons found before are kept unless anything a step shows was written since
        # (a peer's lesson may be new; moving between steps is not such a write).
        self.related.renew(self.store.presence.view_mark())
        super().show(meeting, item)

    @on(RelatedLessons.Found)
    def _lessons_found(self, event: RelatedLessons.Found) -> None:
        change = self._selected_change()
        if change is not None and _lessons_key(change.request) == event.text:
            self._show_card()

    @on(DataTable.RowHighlighted, "#change-queue")
    def _moved(self) -> None:
        if self.selected_code() != self._card_code:  # not drawn already, by the watch
            self._show_card()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#change-queue")
    def _chosen(self) -> None:
        self.action_project()

    def _show_card(self) -> None:
        card = self.query_one("#change-card", Card)
        self._card_code = self.selected_code()
        change, gate = self._selected_change(), self._selected_gate()
        if change is not None:
            card.show(self._change_card(change))
            self._look_ahead()
        elif gate is not None:
            card.show(self._gate_card(gate))
        else:
            card.show(
                Text(
                    "No change requests or gate reviews before this forum. "
                    "N raises a request, G asks for a gate, A shows drafts and deferrals.",
                    style="italic",
                )
            )

    def _look_ahead(self) -> None:
        """Ask for the next request's related lessons: the room goes down the queue."""
        table = self.query_one("#change-queue", KeyTable)
        if table.cursor_row + 1 < table.row_count:
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row + 1, 0)).row_key
            following = self.changes.get(str(key.value))
            if following is not None:
                self.related.ask(_lessons_key(following.request))

    def _change_card(self, row: ChangeRow) -> RenderableType:
        request, project = row.request, row.project
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row(
            "Project",
            Text(
                f"{project.code} {safe(project.name)} · requested by "
                f"{safe(request.requested_by) or '-'} on {request.raised_on.isoformat()}"
            ),
        )
        self._decision_rows(grid, row.decision)
        grid.add_row(
            "Impact",
            Text(
                f"cost {_money(request.cost_impact)} · schedule "
                f"{_days(request.schedule_impact_days)} · scope: "
                f"{safe(request.scope_impact) or 'none'}"
            ),
        )
        tolerance = row.tolerance
        grid.add_row(
            "Tolerance",
            Text(
                f"±{project.cost_tolerance_pct:g} % cost, ±{project.schedule_tolerance_days} "
                f"days: {tolerance.describe()}",
                style="bold" if tolerance.escalate else "",
            ),
        )
        grid.add_row(
            "Approved so far",
            f"{row.approved_count} change{'' if row.approved_count == 1 else 's'}: "
            f"cost {_money(row.approved_cost)}, schedule {_days(row.approved_days)}",
        )
        if request.status in (ChangeStatus.APPROVED, ChangeStatus.APPROVED_WITH_CONDITIONS):
            after = "baseline already moved by this change"
        else:
            budget, end, _ = baseline_after(
                project.budget, project.end_on, project.scope_statement, request
            )
            after = f"if approved: budget {budget:,.0f}, end {_day(end)}"
        grid.add_row(
            "Baseline",
            f"budget {project.budget:,.0f}, end {_day(project.end_on)}; {after}",
        )
        if request.deferred_to:
            grid.add_row("Deferred to", request.deferred_to.isoformat())
        # What decides the decision comes first: at 80x24 the card shows about six rows.
        grid.add_row("Recommends", Text(safe(request.recommendation) or "-"))
        self.related.ask(_lessons_key(request))
        lessons = self.related.get(_lessons_key(request))
        if lessons is not None:
            grid.add_row("Lessons", lessons)
        if request.reason:
            grid.add_row("Reason", Text(safe(request.reason)))
        for label, value in (
            ("Benefits", request.benefits),
            ("Risk", request.risk),
            ("Options", request.options),
        ):
            if value:
                grid.add_row(label, Text(safe(value)))
        title = Text.assemble(
            (request.code, "bold"), "  ", (safe(request.title), "bold"), f"  {request.status.value}"
        )
        return Group(title, grid)

    def _gate_card(self, row: GateRow) -> RenderableType:
        gate, project = row.gate, row.project
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        # The checklist first: it is what the forum works through, and at 80x24 the card
        # shows about six rows.
        checklist = Table.grid(padding=(0, 1))
        checklist.add_column(no_wrap=True)
        checklist.add_column()
        for number, check in enumerate(row.checks, start=1):
            style = "bold" if check.state is CheckState.NOT_MET else ""
            checklist.add_row(
                Text(f"{number} ") + Text(CHECK_MARK[check.state], style=style),
                Text(safe(check.criterion)),
            )
        grid.add_row("Checklist", checklist)
        self._decision_rows(grid, row.decision)
        grid.add_row(
            "Project",
            Text(
                f"{project.code} {safe(project.name)} · {project.status.value} · asked "
                f"{gate.requested_on.isoformat()} by {safe(gate.requested_by) or '-'}"
            ),
        )
        if gate.summary:
            grid.add_row("Summary", Text(safe(gate.summary)))
        title = Text.assemble(
            (gate.code, "bold"),
            "  ",
            (f"Gate {gate.from_phase.value} → {gate.to_phase.value}", "bold"),
            f"  {gate.status.value} · digits cycle open → met → not met → n/a",
        )
        return Group(title, grid)

    def _decision_rows(self, grid: Table, decision: Decision | None) -> None:
        if decision is None:
            return
        grid.add_row("Decision", Text(f"{decision.code} {safe(decision.text)}", style="bold"))
        grid.add_row("Rationale", Text(safe(decision.rationale)))
        if decision.conditions:
            grid.add_row("Conditions", Text(safe(decision.conditions)))
        grid.add_row(
            "Present",
            Text(safe(decision.present) or "no attendance recorded")
            + (f" · vote {decision.tally}" if decision.tally else ""),
        )

    # -- deciding -------------------------------------------------------------------

    def _present_hint(self) -> str:
        present = [
            row.name
            for row in self.store.meetings.attendees(self.meeting.id)
            if row.attendee.attendance is Attendance.PRESENT
        ]
        return "Recorded with the decision: " + (
            ", ".join(present) if present else "no one marked present yet (w sets attendance)"
        )

    def _rationale_field(self, warning: str = "") -> Field:
        """Required; its hint is the tolerance warning, else who will be recorded."""
        return Field(
            "rationale",
            "Rationale",
            required=True,
            max_length=2_000,
            hint=warning or self._present_hint(),
        )

    def action_decide_change(self, outcome: str) -> None:
        row = self._selected_change()
        if row is None:
            return
        status = ChangeStatus(outcome)
        request = row.request
        warning = row.tolerance.describe()
        fields = [self._rationale_field(warning if row.tolerance.escalate else "")]
        if status is ChangeStatus.APPROVED_WITH_CONDITIONS:
            fields.append(Field("conditions", "Conditions", required=True, max_length=2_000))
        if status is ChangeStatus.DEFERRED:
            fields.append(
                Field(
                    "deferred_to",
                    "Defer to (empty: the next meeting)",
                    kind="date",
                )
            )
        fields.append(_vote_field())

        def apply(seen: ChangeRequest, values: Values) -> object:
            deferred = values.get("deferred_to", "")
            return self.store.changes.decide_change(
                self.meeting.id,
                seen.id,
                seen.version,
                status,
                values["rationale"],
                conditions=values.get("conditions", ""),
                deferred_to=date.fromisoformat(deferred) if deferred else None,
                tally=_tally(values),
            )

        self._decide(f"{request.code} {request.title}: {status.value}", fields, request, apply)

    def action_decide_gate(self, outcome: str) -> None:
        row = self._selected_gate()
        if row is None:
            return
        status = GateStatus(outcome)
        refusal = gate_refusal(row, status)
        if refusal is not None:
            self.notify(refusal, severity="warning", markup=False, timeout=8)
            return
        gate = row.gate
        fields = [self._rationale_field()]
        if status is GateStatus.CONDITIONAL_GO:
            fields += [
                Field(
                    "conditions",
                    "Conditions (each becomes an action; separate them with ;)",
                    "; ".join(check.criterion for check in row.unmet),
                    required=True,
                    max_length=2_000,
                ),
                Field(
                    "owner",
                    "Conditions owner (empty: the project manager)",
                    kind="person",
                    suggestions=self.people(),
                    max_length=200,
                ),
                Field("due_on", "Conditions due", kind="date"),
            ]
        fields.append(_vote_field())

        def apply(seen: GateReview, values: Values) -> object:
            due = values.get("due_on", "")
            return self.store.changes.decide_gate(
                self.meeting.id,
                seen.id,
                seen.version,
                status,
                values["rationale"],
                conditions=values.get("conditions", "").split(";"),
                owner=values.get("owner", ""),
                due_on=date.fromisoformat(due) if due else None,
                tally=_tally(values),
            )

        title = (
            f"{gate.code} {row.project.code} {gate.from_phase.value} → "
            f"{gate.to_phase.value}: {status.value}"
        )
        self._decide(title, fields, gate, apply)

    def action_check(self, number: int) -> None:
        row = self._selected_gate()
        if row is None:
            return
        if not 1 <= number <= len(row.checks):
            self.notify(f"This checklist has {len(row.checks)} criteria.", severity="warning")
            return
        check = row.checks[number - 1]
        self.attempt(
            lambda: self.store.changes.set_check(check.id, check.version, NEXT_STATE[check.state]),
            check,
        )

    def action_criteria(self) -> None:
        row = self._selected_gate()
        if row is None:
            return
        phase = row.gate.to_phase
        current = [criterion.text for criterion in self.store.changes.gate_criteria(phase)]
        count = max(len(current) + 3, 6)
        fields = [
            Field(f"c{n}", f"Criterion {n + 1}", current[n] if n < len(current) else "")
            for n in range(count)
        ]

        def submit(values: Values) -> str | None:
            texts = [values[f"c{n}"] for n in range(count)]
            return try_edit(lambda: self.store.changes.set_gate_criteria(phase, texts))

        self.ask(f"Checklist for gates into {phase.value} (empty lines drop)", fields, submit)

    # -- requests -------------------------------------------------------------------

    def _request_fields(self, request: ChangeRequest | None = None) -> list[Field]:
        projects = list(self.store.portfolio.project_labels().values())
        current = next(
            (text for text in projects if request and text.startswith(f"P-{request.project_id} ")),
            "",
        )
        return [
            Field(
                "project",
                "Project (code)",
                current,
                required=True,
                suggestions=projects,
                max_length=200,
            ),
            Field(
                "title", "Title", request.title if request else "", required=True, max_length=300
            ),
            Field("reason", "Reason", request.reason if request else "", max_length=2_000),
            Field(
                "cost",
                "Cost impact",
                amount(request.cost_impact) if request else "",
                max_length=30,
                hint="12500, 12.5k, 1.2m; a saving as -3000",
            ),
            Field(
                "schedule",
                "Schedule impact",
                f"{request.schedule_impact_days}d" if request else "",
                max_length=30,
                hint="10, 10d, 2w, two weeks; -1w brings the end forward",
            ),
            Field("scope", "Scope impact", request.scope_impact if request else "", max_length=500),
            Field("benefits", "Benefits", request.benefits if request else "", max_length=2_000),
            Field("risk", "Risk", request.risk if request else "", max_length=2_000),
            Field(
                "options",
                "Options considered",
                request.options if request else "",
                max_length=2_000,
            ),
            Field(
                "recommendation",
                "Recommendation",
                request.recommendation if request else "",
                max_length=500,
            ),
            Field(
                "requested_by",
                "Requested by",
                request.requested_by if request else "",
                suggestions=self.people(),
                max_length=200,
            ),
        ]

    def _request_values(self, values: Values) -> dict[str, object]:
        return {
            "project_id": self.store.portfolio.project_called(values["project"]).id,
            "title": values["title"].strip(),
            "reason": values["reason"].strip(),
            "cost_impact": parse_amount(values["cost"]),
            "schedule_impact_days": parse_days(values["schedule"]),
            "scope_impact": values["scope"].strip(),
            "benefits": values["benefits"].strip(),
            "risk": values["risk"].strip(),
            "options": values["options"].strip(),
            "recommendation": values["recommendation"].strip(),
            "requested_by": values["requested_by"].strip(),
        }

    def action_new_change(self) -> None:
        def submit(values: Values) -> str | None:
            return try_edit(lambda: self.store.changes.raise_change(**self._request_values(values)))

        self.ask(
            "New change request (submitted to this forum)", self._request_fields(), submit, "Raise"
        )

    def action_edit_change(self) -> None:
        row = self._selected_change()
        if row is None:
            return

        def apply(seen: ChangeRequest, values: Values) -> object:
            return self.store.changes.edit_change(
                seen.id, seen.version, **self._request_values(values)
            )

        self.ask(
            f"{row.request.code} details",
            self._request_fields(row.request),
            versioned(row.request, apply),
        )

    def action_submit_change(self) -> None:
        row = self._selected_change()
        if row is not None:
            request = row.request
            self.attempt(
                lambda: self.store.changes.submit_change(request.id, request.version), request
            )

    def action_withdraw(self) -> None:
        row = self._selected_change()
        if row is not None:
            request = row.request
            self.attempt(
                lambda: self.store.changes.withdraw_change(request.id, request.version), request
            )

    def action_request_gate(self) -> None:
        projects = list(self.store.portfolio.project_labels().values())

        def submit(values: Values) -> str | None:
            return try_edit(
                lambda: self.store.changes.request_gate(
                    self.store.portfolio.project_called(values["project"]).id,
                    values["summary"],
                    values["requested_by"],
                )
            )

        self.ask(
            "Gate request: a project asks to move to its next phase",
            [
                Field(
                    "project", "Project (code)", required=True, suggestions=projects, max_length=200
                ),
                Field("summary", "Summary of the case", max_length=2_000),
                Field("requested_by", "Requested by", suggestions=self.people(), max_length=200),
            ],
            submit,
            "Request",
        )

    def action_everything(self) -> None:
        self.everything = not self.everything
        self.refresh_data()

    def action_project(self) -> None:
        change, gate = self._selected_change(), self._selected_gate()
        project = change.project if change else gate.project if gate else None
        if project is not None:
            self.post_message(self.OpenProject(project.id))


def _lessons_key(request: ChangeRequest) -> str:
    """What a request's related lessons are searched by."""
    return f"{request.title} {request.reason}"
