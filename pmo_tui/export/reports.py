"""Reports for senior leadership: the highlight report in Markdown (its charts as text
sparklines with numbers, so they survive any wiki), and what people owe."""

from __future__ import annotations

from pmo_tui.data.metrics import Highlight, figures
from pmo_tui.export.escape import cell, table, text

_RAG_WORD = {"red": "Red", "amber": "Amber", "green": "Green", "not reported": "not reported"}


def highlight_markdown(report: Highlight) -> str:
    board = report.board
    out = [
        f"# Portfolio highlight report, {board.day:%d %B %Y}",
        "",
        f"Covering {report.since.isoformat()} to {board.day.isoformat()}, both days "
        "included. Portfolio figures cover the projects in flight (active and on hold).",
        "",
        "## Portfolio summary",
        "",
    ]
    rag = ", ".join(
        f"{len(board.rag.get(key, []))} {word}"
        for key, word in _RAG_WORD.items()
        if board.rag.get(key) or key != "not reported"
    )
    phases = ", ".join(f"{len(codes)} in {phase}" for phase, codes in board.phases.items())
    budget = sum(project.budget for project in board.projects)
    out += [
        f"- **{board.in_flight}**: {rag}.",
        f"- **By phase**: {phases}.",
        f"- **Budget**: {budget:,.0f} in all.",
        "",
    ]
    out += table(
        ["Strategic objective", "Budget", "Projects"],
        (
            [cell(name), f"{sum(p.budget for p in projects):,.0f}", str(len(projects))]
            for name, projects in board.budget.items()
        ),
    )
    out += ["", "## Projects that changed RAG", ""]
    if report.rag_moves:
        out += table(
            ["Project", "Was", "Now"],
            (
                [cell(f"{move.code} {move.name}"), _RAG_WORD[move.before], _RAG_WORD[move.after]]
                for move in report.rag_moves
            ),
        )
    else:
        out.append("No project changed its overall RAG.")
    out += ["", "## Top risks and escalations", ""]
    out += table(
        ["Risk", "Score", "Status"],
        (
            [
                cell(f"{item.code} {item.title}"),
                str((item.probability or 0) * (item.impact or 0)),
                item.status.value,
            ]
            for item in board.top_risks
        ),
    )
    out.append("")
    if report.escalated:
        out.append(f"Escalated to this forum ({len(report.escalated)}):")
        out += [f"- {item.code} {text(item.title)}" for item in report.escalated[:20]]
        if len(report.escalated) > 20:
            out.append(f"- … and {len(report.escalated) - 20} more (`pmo export raid --open`)")
        out.append("")
    out += ["## Decisions taken", ""]
    if report.decisions:
        out += table(
            ["Decision", "Meeting", "What"],
            ([code, meeting, cell(what)] for code, meeting, what in report.decisions),
        )
    else:
        out.append("No decisions in the period.")
    out += ["", "## Change impact", ""]
    if report.changes:
        cost = sum(change[2] for change in report.changes)
        days = sum(change[3] for change in report.changes)
        out.append(
            f"{len(report.changes)} change{'' if len(report.changes) == 1 else 's'} approved: "
            f"cost {cost:+,.0f}, schedule {days:+d} days."
        )
        out.append("")
        out += table(
            ["Change", "Project", "Cost", "Days", "What"],
            (
                [code, cell(project), f"{cost_impact:+,.0f}", f"{days_impact:+d}", cell(title)]
                for code, project, cost_impact, days_impact, title in report.changes
            ),
        )
    else:
        out.append("No changes approved in the period.")
    out += ["", "## Priority changes", ""]
    if report.rank_moves:
        out += table(
            ["Project", "Rank was", "Rank now"],
            (
                [cell(f"{code} {name}"), str(before) if before else "new", str(after)]
                for code, name, before, after in report.rank_moves
            ),
        )
    else:
        out.append("No project's rank changed in the period.")
    trends = [figure for figure in figures(board) if figure.section.startswith("Trends")]
    out += ["", "## Trends", ""]
    if trends:
        out += table(
            ["Measure", f"Over the last {len(board.trend)} meetings"],
            ([cell(figure.label), cell(figure.value)] for figure in trends),
        )
    else:
        out.append("No meetings yet to show trends over.")
    return "\n".join([*out, ""])
