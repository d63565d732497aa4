"""Change requests and gate decisions: the change log as Markdown and CSV, and the two
tables the minutes gain."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pmo_tui.data.models import ChangeRow, Decision, GateRow
from pmo_tui.export.csvfile import formula_safe
from pmo_tui.export.escape import cell, table, text

_FIELDS = (
    "code",
    "project",
    "title",
    "status",
    "raised_on",
    "requested_by",
    "reason",
    "cost_impact",
    "schedule_impact_days",
    "scope_impact",
    "benefits",
    "risk",
    "options",
    "recommendation",
    "approved_before",
    "tolerance",
    "meeting",
    "decision",
    "conditions",
    "deferred_to",
)


def _impact(row: ChangeRow) -> str:
    request = row.request
    parts = [f"cost {request.cost_impact:+,.0f}", f"schedule {request.schedule_impact_days:+d} d"]
    if request.scope_impact.strip():
        parts.append(f"scope: {request.scope_impact.strip()}")
    return "; ".join(parts)


def _tolerance(row: ChangeRow) -> str:
    return row.tolerance.describe()


def changes_markdown(rows: Sequence[ChangeRow], title: str) -> str:
    out = [f"# {text(title)}", ""]
    if not rows:
        out += ["No change requests match.", ""]
        return "\n".join(out)
    out += table(
        ["Code", "Project", "Request", "Impact", "Tolerance", "Status", "Decision"],
        (
            [
                row.request.code,
                cell(f"{row.project.code} {row.project.name}"),
                cell(row.request.title),
                cell(_impact(row)),
                cell(_tolerance(row)),
                row.request.status.value,
                f"D-{row.request.decision_id}" if row.request.decision_id else "—",
            ]
            for row in rows
        ),
    )
    out.append("")
    return "\n".join(out)


def changes_csv(rows: Sequence[ChangeRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_FIELDS)
    for row in rows:
        request = row.request
        writer.writerow(
            [
                request.code,
                formula_safe(f"{row.project.code} {row.project.name}"),
                formula_safe(request.title),
                request.status.value,
                request.raised_on.isoformat(),
                formula_safe(request.requested_by),
                formula_safe(request.reason),
                f"{request.cost_impact:.2f}",
                request.schedule_impact_days,
                formula_safe(request.scope_impact),
                formula_safe(request.benefits),
                formula_safe(request.risk),
                formula_safe(request.options),
                formula_safe(request.recommendation),
                f"{row.approved_cost:.2f}",
                _tolerance(row),
                f"M-{request.meeting_id}" if request.meeting_id else "",
                f"D-{request.decision_id}" if request.decision_id else "",
                formula_safe(request.conditions),
                request.deferred_to.isoformat() if request.deferred_to else "",
            ]
        )
    return out.getvalue()


def _who(decision: Decision) -> str:
    present = decision.present or "attendance not recorded"
    return f"{present}; vote {decision.tally}" if decision.tally else present


def _decided(decision: Decision) -> list[str]:
    """The cells both minutes tables end with: decision, rationale, conditions, present."""
    return [
        cell(f"{decision.code} {decision.outcome}"),
        cell(decision.rationale),
        cell(decision.conditions or "—"),
        cell(_who(decision)),
    ]


def change_minutes_section(changes: Sequence[ChangeRow]) -> list[str]:
    if not changes:
        return []
    out = ["## Change decisions", ""]
    out += table(
        ["Code", "Project", "Request", "Impact", "Decision", "Rationale", "Conditions", "Present"],
        (
            [
                row.request.code,
                cell(f"{row.project.code} {row.project.name}"),
                cell(row.request.title),
                cell(_impact(row) + ("; " + _tolerance(row) if row.tolerance.escalate else "")),
                *_decided(row.decision),
            ]
            for row in changes
            if row.decision is not None
        ),
    )
    out.append("")
    return out


def gate_minutes_section(gates: Sequence[GateRow]) -> list[str]:
    if not gates:
        return []
    out = ["## Gate decisions", ""]
    out += table(
        ["Code", "Project", "Gate", "Checklist", "Decision", "Rationale", "Conditions", "Present"],
        (
            [
                row.gate.code,
                cell(f"{row.project.code} {row.project.name}"),
                f"{row.gate.from_phase.value} → {row.gate.to_phase.value}",
                cell("; ".join(f"{check.criterion}: {check.state.value}" for check in row.checks)),
                *_decided(row.decision),
            ]
            for row in gates
            if row.decision is not None
        ),
    )
    out.append("")
    return out
