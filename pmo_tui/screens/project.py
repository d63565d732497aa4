"""A project's detail: its facts, last status reports, open RAID items and open actions."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from pmo_tui.data.models import Project, ProjectDetail
from pmo_tui.data.rules import (
    action_overdue,
    parse_amount,
    parse_days,
    review_overdue,
    risk_score,
    severity_band,
)
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import amount, plain, rag_badge, safe
from pmo_tui.widgets.editing import ask, versioned
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.form import Field, Values
from pmo_tui.widgets.table import KeyTable


def _date(value: date | None) -> str:
    return value.isoformat() if value else "-"


class ProjectScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="project.back"),
        Binding("backspace", "app.pop_screen", "Back", show=False, id="project.back-alt"),
        Binding(
            "B",
            "baseline",
            "Baseline",
            id="project.baseline",
            tooltip="Set the baseline (budget, end, scope) and its tolerances",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "baseline" or not self.store.read_only

    def __init__(self, store: Store, project_id: int) -> None:
        super().__init__()
        self.store = store
        self.project_id = project_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="project"):
            yield Static(id="project-title", classes="screen-title")
            yield Static(id="project-facts")
            yield Static(id="baseline-title", classes="section-title")
            yield KeyTable(id="baseline")
            yield Static("Last status reports", classes="section-title")
            yield KeyTable(id="reports")
            yield Static(id="raid-title", classes="section-title")
            yield KeyTable(id="raid")
            yield Static(id="actions-title", classes="section-title")
            yield KeyTable(id="actions")
        yield KeyFooter()

    def on_mount(self) -> None:
        reports = self.query_one("#reports", KeyTable)
        for label in ("Date", "Overall", "Schedule", "Budget", "Scope", "Done", "Commentary"):
            reports.add_column(label, key=label.lower())
        raid = self.query_one("#raid", KeyTable)
        for label in ("Code", "Kind", "Title", "Score", "Status", "Owner", "Review by"):
            raid.add_column(label, key=label.lower())
        actions = self.query_one("#actions", KeyTable)
        for label in ("Code", "Action", "Owner", "Due"):
            actions.add_column(label, key=label.lower())
        baseline = self.query_one("#baseline", KeyTable)
        for label in ("Date", "Budget", "End", "Why", "Decision"):
            baseline.add_column(label, key=label.lower())
        self.refresh_data()
        reports.focus()

    def refresh_data(self) -> None:
        detail = self.store.portfolio.project_detail(self.project_id)
        project = detail.project
        today = self.store.clock().date()
        self.sub_title = project.code
        title = Text.assemble((project.code, "bold"), "  ", (safe(project.name), "bold"))
        self.query_one("#project-title", Static).update(title)
        self.query_one("#project-facts", Static).update(self._facts(detail))
        variables = self.app.theme_variables
        self.query_one("#reports", KeyTable).fill(
            (
                report.id,
                [
                    report.reported_on.isoformat(),
                    rag_badge(report.overall, variables),
                    rag_badge(report.schedule, variables),
                    rag_badge(report.budget, variables),
                    rag_badge(report.scope, variables),
                    Text(f"{report.percent_complete} %", justify="right"),
                    plain(report.commentary),
                ],
            )
            for report in detail.reports
        )
        self._show_baseline(project)
        self.query_one("#raid-title", Static).update(f"Open RAID items ({len(detail.raid)})")
        self.query_one("#raid", KeyTable).fill(
            (
                item.id,
                [
                    item.code,
                    item.kind.value,
                    plain(item.title),
                    _score(risk_score(item)),
                    item.status.value,
                    plain(detail.owners.get(item.owner_id or 0, "-")),
                    _date(item.review_by) + (" overdue" if review_overdue(item, today) else ""),
                ],
            )
            for item in detail.raid
        )
        self.query_one("#actions-title", Static).update(f"Open actions ({len(detail.actions)})")
        self.query_one("#actions", KeyTable).fill(
            (
                action.id,
                [
                    action.code,
                    plain(action.text),
                    plain(detail.owners.get(action.owner_id or 0, "-")),
                    _date(action.due_on) + (" overdue" if action_overdue(action, today) else ""),
                ],
            )
            for action in detail.actions
        )

    def _show_baseline(self, project: Project) -> None:
        history = self.store.changes.baseline_history(project.id)
        self.query_one("#baseline-title", Static).update(
            f"Baseline: budget {project.budget:,.0f}, end {_date(project.end_on)}; tolerances "
            f"±{project.cost_tolerance_pct:g} % cost, ±{project.schedule_tolerance_days} days "
            f"({len(history)} change{'' if len(history) == 1 else 's'}; B sets it)"
        )
        rows: list[tuple[str, list[Text | str]]] = []
        if history:
            first = history[0]
            rows.append(
                (
                    "original",
                    [
                        "original",
                        f"{first.budget_before:,.0f}",
                        _date(first.end_before),
                        "the first baseline",
                        "",
                    ],
                )
            )
        for step in history:
            rows.append(
                (
                    step.code,
                    [
                        step.changed_on.isoformat(),
                        f"{step.budget_before:,.0f} → {step.budget_after:,.0f}",
                        f"{_date(step.end_before)} → {_date(step.end_after)}",
                        plain(step.reason),
                        f"D-{step.decision_id}" if step.decision_id else "by hand",
                    ],
                )
            )
        table = self.query_one("#baseline", KeyTable)
        table.fill(rows)
        table.display = bool(rows)

    def action_baseline(self) -> None:
        project = self.store.get(Project, self.project_id)

        def apply(seen: Project, values: Values) -> object:
            return self.store.changes.rebaseline(
                seen.id,
                seen.version,
                budget=parse_amount(values["budget"], "Budget"),
                end_on=date.fromisoformat(values["end_on"]) if values["end_on"] else None,
                scope=values["scope"].strip(),
                cost_tolerance_pct=_percent(values["cost_tolerance"]),
                schedule_tolerance_days=parse_days(values["schedule_tolerance"], "Tolerance"),
                reason=values["reason"],
            )

        fields = [
            Field("budget", "Budget", amount(project.budget), max_length=30),
            Field(
                "end_on",
                "End date",
                project.end_on.isoformat() if project.end_on else "",
                kind="date",
            ),
            Field("scope", "Scope statement", project.scope_statement, max_length=2_000),
            Field(
                "cost_tolerance",
                "Cost tolerance (± %)",
                f"{project.cost_tolerance_pct:g}",
                max_length=10,
            ),
            Field(
                "schedule_tolerance",
                "Schedule tolerance (± days or weeks)",
                f"{project.schedule_tolerance_days}d",
                max_length=20,
            ),
            Field(
                "reason",
                "Why the baseline moves (needed when it does)",
                max_length=500,
            ),
        ]
        ask(
            self,
            self.store,
            f"{project.code} baseline and tolerances",
            fields,
            versioned(project, apply),
            "Save",
            self.refresh_data,
        )

    def _facts(self, detail: ProjectDetail) -> Table:
        project = detail.project
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_column(style="bold")
        grid.add_column()
        # Text, never a plain str: Rich would read "[/x]" in a name as markup.
        grid.add_row(
            "Programme", Text(safe(project.programme or "-")), "Phase", project.phase.value
        )
        grid.add_row(
            "Manager",
            Text(safe(detail.manager or "-")),
            "Sponsor",
            Text(safe(detail.sponsor or "-")),
        )
        grid.add_row("Start", _date(project.start_on), "End", _date(project.end_on))
        grid.add_row(
            "Budget", f"{project.budget:,.0f}", "Complete", f"{project.percent_complete} %"
        )
        grid.add_row("Rank", str(project.rank or "-"), "Status", project.status.value)
        if project.description:
            grid.add_row("About", Text(safe(project.description)), "", "")
        return grid


def _percent(typed: str) -> float:
    value = typed.strip().removesuffix("%").strip().lstrip("±+")
    try:
        return float(value or 0)
    except ValueError:
        raise ValueError(f"Cost tolerance “{typed.strip()}”: give a percentage like 10.") from None


def _score(score: int | None) -> Text:
    if score is None:
        return Text("-", justify="right")
    return Text(f"{score:>2} {severity_band(score)}")
