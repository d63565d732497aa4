"""The ranking as Markdown and CSV: rank, project, score, movement, justification, the
funding line and who crossed it; for the minutes and for `pmo export ranking`."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pmo_tui.data.models import RankRow
from pmo_tui.export.csvfile import formula_safe
from pmo_tui.export.escape import cell, table


def _line(rows: Sequence[RankRow], budget: float) -> str:
    funded = [row for row in rows if row.funded]
    spent = funded[-1].cumulative_cost if funded else 0.0
    return (
        f"Funding line: {len(funded)} of {len(rows)} projects funded, "
        f"{spent:,.0f} of a {budget:,.0f} budget."
    )


def ranking_lines(rows: Sequence[RankRow], budget: float) -> list[str]:
    """The ranking table with the funding line drawn as a row, then who crossed it."""
    cells = []
    for index, row in enumerate(rows):
        if not row.funded and (index == 0 or rows[index - 1].funded):
            cells.append(["", "**— funding line —**", "", "", "", "", ""])
        notes = [row.crossed] if row.crossed else []
        if row.over_teams:
            notes.append("over capacity in " + ", ".join(row.over_teams))
        cells.append(
            [
                str(row.rank),
                cell(f"{row.project.code} {row.project.name}"),
                f"{row.score:.2f}",
                row.movement,
                f"{row.cost:,.0f}",
                "funded" if row.funded else "**unfunded**",
                cell("; ".join([*notes, row.justification] if row.justification else notes) or "—"),
            ]
        )
    out = table(["Rank", "Project", "Score", "Move", "Cost", "Funding", "Why / note"], cells)
    out += ["", _line(rows, budget)]
    if any(row.over_teams for row in rows):
        out.append(
            "Over capacity in a team: that team's demand from the project and those ranked "
            "above it is more than the team's capacity."
        )
    crossed = [row for row in rows if row.crossed]
    if crossed:
        out.append(
            "Crossed the funding line: "
            + ", ".join(
                cell(f"{row.project.code} {row.project.name} ({row.crossed})") for row in crossed
            )
            + "."
        )
    return [*out, ""]


def ranking_csv(rows: Sequence[RankRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "rank",
            "code",
            "project",
            "score",
            "last_rank",
            "score_rank",
            "period_cost",
            "cumulative_cost",
            "funded",
            "over_capacity_in",
            "crossed",
            "justification",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.rank,
                row.project.code,
                formula_safe(row.project.name),
                f"{row.score:.4f}",
                row.last_rank if row.last_rank is not None else "",
                row.score_rank,
                f"{row.cost:.2f}",
                f"{row.cumulative_cost:.2f}",
                "yes" if row.funded else "no",
                formula_safe("; ".join(row.over_teams)),
                row.crossed,
                formula_safe(row.justification),
            ]
        )
    return out.getvalue()
