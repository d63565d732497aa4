"""Metrics (hand-checked), the dashboard's figures and the items behind them, the
highlight report against its reviewed expected file, and the people reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pmo_tui.data.metrics import budget_by_objective, figures, sparkline, top_objective, trend_text
from pmo_tui.data.models import Objective, Project
from pmo_tui.data.store import Store
from pmo_tui.export.files import highlight_document, overdue_document
from tests.conftest import DEMO_DAY

EXPECTED = Path(__file__).parent.parent / "fixtures" / "highlight-demo.md"


def test_sparklines_read_without_colour() -> None:
    assert sparkline([0, 7]) == "▁█"
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([3, 3, 3]) == "▄▄▄"
    assert sparkline([]) == ""
    assert trend_text([120, 410.0]) == "▁█ 120 → 410"
    assert trend_text([]) == "no meetings yet"


def test_budget_goes_to_the_objective_a_project_serves_most() -> None:
    growth = Objective(id=1, name="Growth", weight=30)
    cost = Objective(id=2, name="Cost", weight=20)
    projects = [
        Project(id=1, name="A", budget=100.0),
        Project(id=2, name="B", budget=50.0),
        Project(id=3, name="C", budget=10.0),
    ]
    # A: 4 growth, 2 cost -> Growth. B: 3 and 3, a tie -> the heavier weight, Growth.
    # C: nothing scored -> no objective.
    scores = {1: {1: 4, 2: 2}, 2: {1: 3, 2: 3}, 3: {}}
    assert top_objective(scores[2], [cost, growth]) == growth
    split = budget_by_objective(projects, scores, [growth, cost])
    assert {name: [p.id for p in items] for name, items in split.items()} == {
        "Growth": [1, 2],
        "no objective": [3],
    }


def test_the_dashboard_adds_up_and_every_figure_has_its_items(demo_store: Store) -> None:
    board = demo_store.dashboards.dashboard(DEMO_DAY)
    assert sum(len(codes) for codes in board.rag.values()) == len(board.projects)
    assert sum(len(codes) for codes in board.phases.values()) == len(board.projects)
    assert sum(len(p) for p in board.budget.values()) == len(board.projects)
    assert [point.code for point in board.trend] == ["M-1", "M-2"]  # M-3 is only planned
    assert board.trend[-1].decisions == len(demo_store.decisions.decisions(2))
    shown = figures(board)
    for figure in shown:
        assert figure.codes, figure.label
        for code in figure.codes:
            demo_store.find(code)  # every code names a real row
    red = next(f for f in shown if f.label == "Red")
    assert red.value == f"{len(board.rag['red'])} of {len(board.projects)} projects"


def test_the_highlight_report_matches_the_reviewed_file(demo_store: Store) -> None:
    report = highlight_document(demo_store, date(2026, 10, 1))
    assert report == EXPECTED.read_text(encoding="utf-8")
    assert highlight_document(demo_store, date(2026, 10, 1)) == report  # deterministic


def test_overdue_report_lists_only_late_actions(demo_store: Store) -> None:
    report = overdue_document(demo_store)
    assert report.startswith(f"# Overdue actions ({DEMO_DAY.isoformat()})")
    assert "overdue**" in report and "no date" not in report
