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
    parse_due,
    quorum,
    review_overdue,
    risk_score,
    seconds_spent,
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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("+3d", date(2026, 11, 29)),
        ("+2w", date(2026, 12, 10)),
        ("+ 1m", date(2026, 12, 26)),
        ("today", date(2026, 11, 26)),
        ("Tomorrow", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),  # 2026-11-26 is a Thursday
        ("thu", date(2026, 12, 3)),  # the coming Thursday, not today
        ("next mon", date(2026, 11, 30)),
        ("next thursday", date(2026, 12, 3)),
        ("eow", date(2026, 11, 27)),
        ("eom", date(2026, 11, 30)),
    ],
)
def test_due_dates_parse_the_way_people_type_them(typed: str, expected: date) -> None:
    assert parse_due(typed, TODAY) == expected


def test_months_ahead_clip_to_the_month_end() -> None:
    assert parse_due("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_due("eom", date(2028, 2, 3)) == date(2028, 2, 29)


@pytest.mark.parametrize("typed", ["", "soon", "31/12/2026", "+3x", "next", "2026-13-01"])
def test_a_due_date_that_does_not_parse_says_what_would(typed: str) -> None:
    with pytest.raises(ValueError, match=r"2026-12-15|empty"):
        parse_due(typed, TODAY)


def test_quorum_needs_the_chair_and_enough_voting_members() -> None:
    met, why = quorum([("chair", "present"), ("member", "present"), ("member", "present")], 3)
    assert met and "quorum met" in why
    met, why = quorum([("chair", "apologies"), ("member", "present"), ("member", "present")], 2)
    assert not met and "chair absent" in why
    met, why = quorum([("chair", "present"), ("guest", "present"), ("member", "absent")], 2)
    assert not met and "1 voting member present (2 needed)" in why


def test_time_in_a_step_adds_the_open_visit() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 26, 10, tzinfo=UTC)
    assert seconds_spent(90, None, now) == 90
    assert seconds_spent(90, now - timedelta(minutes=2), now) == 210


@pytest.mark.parametrize("typed", ["+999999w", "+3000000d", "+99999999m"])
def test_a_date_past_the_calendar_is_a_sentence_not_a_crash(typed: str) -> None:
    with pytest.raises(ValueError, match="further ahead than any calendar goes"):
        parse_due(typed, TODAY)
