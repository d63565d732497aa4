"""Amounts and durations as people type them, the tolerance check, and the phase order."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.data.models import ChangeRequest, Phase
from pmo_tui.data.rules import baseline_after, next_phase, parse_amount, parse_days, tolerance_check


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500", 12_500.0),
        ("12,500", 12_500.0),
        ("£12.5k", 12_500.0),
        ("$ 4 000", 4_000.0),
        ("1.2m", 1_200_000.0),
        ("-3000", -3_000.0),
        ("(5,000)", -5_000.0),
        ("saving 3000", -3_000.0),
        ("", 0.0),
    ],
)
def test_amounts_as_typed(typed: str, amount: float) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["lots", "12.5.3", "-", "12k5", "=1+1"])
def test_a_non_amount_is_refused_saying_what_is_accepted(typed: str) -> None:
    with pytest.raises(ValueError, match="is not an amount: type it like 12500"):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("10", 10),
        ("10d", 10),
        ("3 days", 3),
        ("2w", 14),
        ("two weeks", 14),
        ("Two Weeks", 14),
        ("a week", 7),
        ("a fortnight", 14),
        ("-1w", -7),
        ("- 2 weeks", -14),
        ("delay of 3 weeks", 21),
        ("", 0),
    ],
)
def test_durations_as_typed(typed: str, days: int) -> None:
    assert parse_days(typed) == days


@pytest.mark.parametrize("typed", ["soon", "two", "2 weeks late", "w"])
def test_a_non_duration_is_refused_saying_what_is_accepted(typed: str) -> None:
    with pytest.raises(ValueError, match="not a number of days: type 10, 10d, 2w"):
        parse_days(typed)


def test_months_are_refused_because_they_differ_in_length() -> None:
    with pytest.raises(ValueError, match="months differ in length"):
        parse_days("2 months")


def test_tolerance_worked_example() -> None:
    # Budget 200,000 at ±10 %: 15,000 approved + 10,000 asked = 25,000, 5,000 beyond.
    check = tolerance_check(200_000, 10, 14, 15_000, 10, 10_000, 7)
    assert check.cost_limit == 20_000 and check.cost_total == 25_000
    assert check.cost_over == 5_000 and check.days_over == 3 and check.escalate
    assert check.describe() == (
        "beyond tolerance, escalate: cost by 5,000 (+25,000 against ±20,000); "
        "schedule by 3 days (+17 days against ±14)"
    )
    assert not tolerance_check(200_000, 10, 14, 0, 0, 20_000, 14).escalate


@given(
    budget=st.floats(0, 1e9),
    pct=st.floats(0, 100),
    approved=st.floats(-1e8, 1e8),
    cost=st.floats(-1e8, 1e8),
)
def test_escalation_is_exactly_leaving_the_band_either_way(
    budget: float, pct: float, approved: float, cost: float
) -> None:
    check = tolerance_check(budget, pct, 14, approved, 0, cost, 0)
    assert check.escalate == (abs(approved + cost) > budget * pct / 100)


def test_gates_lead_through_the_phases_in_order() -> None:
    assert next_phase(Phase.INITIATION) is Phase.PLANNING
    assert next_phase(Phase.PLANNING) is Phase.DELIVERY
    assert next_phase(Phase.DELIVERY) is Phase.CLOSING
    assert next_phase(Phase.CLOSING) is None


def test_the_baseline_after_an_approval_worked_example() -> None:
    request = ChangeRequest(
        id=7,
        project_id=1,
        title="Third site",
        raised_on=date(2026, 11, 1),
        cost_impact=-2_500.0,
        schedule_impact_days=14,
        scope_impact=" Adds the Leeds site ",
    )
    assert baseline_after(10_000.0, date(2027, 1, 31), "Two sites", request) == (
        7_500.0,
        date(2027, 2, 14),
        "Two sites\nCR-7: Adds the Leeds site",
    )
    unscoped = request.model_copy(update={"scope_impact": "None"})
    assert baseline_after(10_000.0, None, "", unscoped) == (7_500.0, None, "")
