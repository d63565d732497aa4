"""The RAID register and a meeting's RAID changes, as escaped Markdown and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pmo_tui.data.models import RaidChanges, RaidItem, ScoringScheme
from pmo_tui.data.raid import band_for
from pmo_tui.export.csvfile import formula_safe
from pmo_tui.export.escape import cell, table, text

_FIELDS = (
    "code",
    "kind",
    "project",
    "title",
    "description",
    "owner",
    "status",
    "raised_on",
    "review_by",
    "probability",
    "impact",
    "score",
    "severity",
    "response",
    "response_plan",
    "proximity",
    "trigger",
    "priority",
    "due_on",
    "resolution",
    "validation",
    "depends_on",
    "party",
    "direction",
    "need_by",
    "dependency_state",
    "closed_on",
    "close_reason",
)


def _score(item: RaidItem) -> int | None:
    if item.probability is None or item.impact is None:
        return None
    return item.probability * item.impact


def _score_text(item: RaidItem, scheme: ScoringScheme) -> str:
    score = _score(item)
    return "—" if score is None else f"{score} {band_for(score, scheme)}"


def raid_markdown(
    items: Sequence[RaidItem],
    names: dict[int, str],
    projects: dict[int, str],
    scheme: ScoringScheme,
    title: str = "RAID register",
) -> str:
    out = [f"# {text(title)}", ""]
    if not items:
        return "\n".join([*out, "No items.", ""])
    rows = (
        [
            item.code,
            item.kind.value,
            cell(projects.get(item.project_id or 0, "portfolio")),
            cell(item.title),
            cell(names.get(item.owner_id or 0, "—")),
            item.status.value,
            _score_text(item, scheme),
            item.review_by.isoformat() if item.review_by else "—",
            item.response.value if item.response else "—",
        ]
        for item in items
    )
    headers = [
        "Code",
        "Kind",
        "Project",
        "Title",
        "Owner",
        "Status",
        "Score",
        "Review by",
        "Response",
    ]
    return "\n".join([*out, *table(headers, rows), ""])


def raid_csv(
    items: Sequence[RaidItem],
    names: dict[int, str],
    projects: dict[int, str],
    scheme: ScoringScheme,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_FIELDS)
    for item in items:
        score = _score(item)
        data = item.model_dump()
        values = {
            **{
                key: "" if value is None else getattr(value, "value", value)
                for key, value in data.items()
            },
            "code": item.code,
            "project": projects.get(item.project_id or 0, ""),
            "owner": names.get(item.owner_id or 0, ""),
            "score": "" if score is None else score,
            "severity": band_for(score, scheme) if score is not None else "",
            "depends_on": projects.get(item.depends_on_project_id or 0, ""),
        }
        writer.writerow([formula_safe(str(values.get(field, ""))) for field in _FIELDS])
    return out.getvalue()


def heat_table(counts: dict[str, int], scale: int) -> list[str]:
    """Open risks per cell, probability down the side (highest first), impact across."""
    headers = ["Probability ↓ impact →", *[str(i) for i in range(1, scale + 1)]]
    rows = (
        [str(p), *[str(counts.get(f"{p},{i}", 0) or "·") for i in range(1, scale + 1)]]
        for p in range(scale, 0, -1)
    )
    return table(headers, rows)


def raid_minutes_section(
    changes: RaidChanges, counts: dict[str, int], scale: int, names: dict[int, str]
) -> list[str]:
    out = ["## RAID", ""]

    def owner(item: RaidItem) -> str:
        return text(names.get(item.owner_id or 0, "no owner"))

    groups = [
        (
            "New items",
            [f"{i.code} {i.kind.value}: {text(i.title)} ({owner(i)})" for i in changes.new],
        ),
        (
            "Re-scored",
            [
                f"{r.item.code} {text(r.item.title)}: {r.old or '—'} → {r.new or '—'} "
                f"({owner(r.item)})"
                for r in changes.rescored
            ],
        ),
        ("Escalated", [f"{i.code} {text(i.title)} ({owner(i)})" for i in changes.escalated]),
        (
            "Closed",
            [
                f"{i.code} {text(i.title)}: {text(i.close_reason or 'closed')}"
                for i in changes.closed
            ],
        ),
    ]
    if changes.empty:
        out += ["No RAID item was added, re-scored, escalated or closed.", ""]
    for title, lines in groups:
        if lines:
            out += [f"**{title}**", ""] + [f"- {line}" for line in lines] + [""]
    out += [
        "**Open risks by probability and impact, as the minutes were written**",
        "",
        *heat_table(counts, scale),
        "",
    ]
    return out
