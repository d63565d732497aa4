from __future__ import annotations

from datetime import date

import pytest

from pmo_tui.data.models import (
    Action,
    ActionStatus,
    Rag,
    RaidItem,
    RaidKind,
    RaidStatus,
    Trend,
)
from pmo_tui.data.rules import (
    action_overdue,
    review_overdue,
    risk_score,
    severity_band,
    trend,
    weighted_score,
)

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (None, Rag.RED, Trend.NEW),
        (Rag.GREEN, Rag.GREEN, Trend.SAME),
        (Rag.GREEN, Rag.AMBER, Trend.WORSE),
        (Rag.AMBER, Rag.RED, Trend.WORSE),
        (Rag.RED, Rag.GREEN, Trend.BETTER),
        (Rag.AMBER, Rag.GREEN, Trend.BETTER),
    ],
)
def test_trend_compares_against_the_previous_rag(
    previous: Rag | None, current: Rag, expected: Trend
) -> None:
    assert trend(previous, current) is expected


def test_risk_score_is_probability_times_impact_and_unscored_without_both() -> None:
    risk = RaidItem(kind=RaidKind.RISK, title="t", raised_on=TODAY, probability=4, impact=5)
    assert risk_score(risk) == 20
    assert severity_band(risk_score(risk)) == "high"
    unscored = RaidItem(kind=RaidKind.RISK, title="t", raised_on=TODAY, probability=4)
    assert risk_score(unscored) is None
    assert severity_band(None) == "unscored"
    assert severity_band(8) == "medium"
    assert severity_band(7) == "low"


def test_overdue_rules_ignore_closed_items_and_missing_dates() -> None:
    late = Action(text="a", due_on=date(2026, 11, 25))
    assert action_overdue(late, TODAY)
    assert not action_overdue(late.model_copy(update={"status": ActionStatus.DONE}), TODAY)
    assert not action_overdue(Action(text="a", due_on=TODAY), TODAY)
    assert not action_overdue(Action(text="a"), TODAY)
    item = RaidItem(kind=RaidKind.ISSUE, title="t", raised_on=TODAY, review_by=date(2026, 1, 1))
    assert review_overdue(item, TODAY)
    assert not review_overdue(item.model_copy(update={"status": RaidStatus.CLOSED}), TODAY)


def test_weighted_score_is_a_weighted_mean() -> None:
    assert weighted_score({1: 5, 2: 0}, {1: 3.0, 2: 1.0}) == pytest.approx(3.75)
    assert weighted_score({1: 5}, {}) == 0.0
    assert weighted_score({}, {1: 1.0}) == 0.0
