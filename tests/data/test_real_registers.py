"""Registers as PMOs keep them (tests/fixtures/registers): their own status words, a title
block above the header, owners written as "M. Oyelaran" or "Oyelaran, Marcus",
month-first dates, and a file of new scores by code alone."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.data.importing import DateOrder, ImportKind, describe_plan
from pmo_tui.data.models import Action, ActionStatus, Person, RaidItem, RaidStatus
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
from tests.data.test_importing import small_portfolio

REGISTERS = Path(__file__).parent.parent / "fixtures" / "registers"


@pytest.fixture
def portfolio(tmp_path: Path) -> Store:
    """test_importing's portfolio (two projects, Priya Raman), and Marcus Oyelaran."""
    store = small_portfolio(tmp_path)
    store.db.add(Person(name="Marcus Oyelaran"))
    return store


def test_a_templates_status_words_are_read_and_the_reading_stated(portfolio: Store) -> None:
    plan = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    assert plan.problems == []
    assert plan.header_row == 4  # the title block above it passed over
    report = describe_plan(plan)
    for written, read in (
        ("In Progress", "open"),
        ("Active", "open"),
        ("Mitigating", "open"),
        ("On Hold", "monitoring"),
        ("Accepted", "monitoring"),
        ("Transferred", "monitoring"),
        ("Resolved", "closed"),
        ("Complete", "closed"),
    ):
        assert f"{written} → {read}" in report
    portfolio.importer.run_import(plan)
    statuses = {item.title: item.status for item in portfolio.all(RaidItem)}
    assert statuses["Key supplier may fold before delivery"] is RaidStatus.OPEN
    assert statuses["Vendor patch late"] is RaidStatus.CLOSED
    assert statuses["Licence costs may rise"] is RaidStatus.MONITORING


def test_a_word_with_no_sensible_state_is_a_problem_naming_row_value_and_words(
    portfolio: Store,
) -> None:
    plan = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-bad-status.csv")
    [problem] = plan.problems
    assert problem.startswith("row 2: status: “Banana”")
    assert "open, monitoring, escalated, closed" in problem


def test_owners_written_otherwise_are_the_people_pmo_knows(portfolio: Store) -> None:
    plan = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    report = describe_plan(plan)
    assert "M. Oyelaran → Marcus Oyelaran" in report
    assert "Oyelaran, Marcus → Marcus Oyelaran" in report
    assert "P. Raman → Priya Raman" in report
    assert plan.new_people == []
    portfolio.importer.run_import(plan)
    assert sorted(p.name for p in portfolio.portfolio.people()) == [
        "Marcus Oyelaran",
        "Priya Raman",
    ]


def test_initials_that_fit_two_people_are_a_problem_not_a_guess(
    portfolio: Store, tmp_path: Path
) -> None:
    portfolio.db.add(Person(name="Maria Oyelaran"))
    plan = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    assert any(
        "“M. Oyelaran” could be Marcus Oyelaran or Maria Oyelaran" in p for p in plan.problems
    )
    assert portfolio.all(RaidItem) == []  # planning writes nothing


def test_new_scores_by_code_change_only_the_scores(portfolio: Store) -> None:
    first = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    portfolio.importer.run_import(first)
    before = {item.id: item for item in portfolio.all(RaidItem)}
    plan = portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-rescored.csv")
    assert plan.problems == [] and plan.counts() == (0, 2)
    portfolio.importer.run_import(plan)
    after = {item.id: item for item in portfolio.all(RaidItem)}
    assert (after[1].probability, after[1].impact) == (5, 5)
    assert (after[2].probability, after[2].impact) == (1, 2)
    for item_id in (1, 2):
        kept = {"probability", "impact", "version", "updated_at"}
        old = before[item_id].model_dump(exclude=kept)
        assert after[item_id].model_dump(exclude=kept) == old  # raised date, owner... kept
    assert after[3] == before[3]


def test_an_update_without_a_date_column_keeps_each_items_dates(
    portfolio: Store, tmp_path: Path
) -> None:
    portfolio.importer.run_import(
        portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    )
    raised = {item.title: item.raised_on for item in portfolio.all(RaidItem)}
    assert raised["Key supplier may fold before delivery"] == date(2026, 2, 3)
    again = tmp_path / "again.csv"
    again.write_text("Type,Description,Project,Status\nRisk,Licence costs may rise,Ledger,Open\n")
    plan = portfolio.importer.plan_import(ImportKind.RAID, again)
    assert plan.counts() == (0, 1)
    portfolio.importer.run_import(plan)
    assert {item.title: item.raised_on for item in portfolio.all(RaidItem)} == raised


def test_a_column_that_can_only_be_month_first_is_read_so_and_said(portfolio: Store) -> None:
    path = REGISTERS / "actions-us-dates.csv"
    plan = portfolio.importer.plan_import(ImportKind.ACTIONS, path)
    assert plan.problems == []
    assert any("Due read month first" in note for note in plan.notes)
    portfolio.importer.run_import(plan)
    due = {action.text: action.due_on for action in portfolio.all(Action)}
    assert due["Send the revised plan"] == date(2026, 12, 31)
    assert due["Close the old contract"] == date(2027, 2, 3)  # month first, as the column
    statuses = {action.text: action.status for action in portfolio.all(Action)}
    assert statuses["Close the old contract"] is ActionStatus.DONE


def test_dates_can_be_forced_either_way(portfolio: Store, tmp_path: Path) -> None:
    path = shutil.copy(REGISTERS / "actions-us-dates.csv", tmp_path / "a.csv")
    forced = portfolio.importer.plan_import(ImportKind.ACTIONS, Path(path), dates=DateOrder.DMY)
    assert any("“12/31/2026” is not a date" in p for p in forced.problems)
    ambiguous = tmp_path / "b.csv"
    ambiguous.write_text("Action,Due\nSend it,02/03/2027\n")
    plan = portfolio.importer.plan_import(ImportKind.ACTIONS, ambiguous)
    assert plan.rows[0].values["due_on"] == date(2027, 3, 2)  # day first by default
    plan = portfolio.importer.plan_import(ImportKind.ACTIONS, ambiguous, dates=DateOrder.MDY)
    assert plan.rows[0].values["due_on"] == date(2027, 2, 3)


def test_one_new_person_written_three_ways_is_one_person(tmp_path: Path) -> None:
    """Without Marcus in the portfolio, the template named him "M. Oyelaran", "Oyelaran,
    Marcus" and "Marcus Oyelaran": three new people."""
    store = small_portfolio(tmp_path)
    plan = store.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    assert plan.new_people == ["Marcus Oyelaran"]
    store.importer.run_import(plan)
    assert sorted(p.name for p in store.portfolio.people()) == ["Marcus Oyelaran", "Priya Raman"]


def test_codes_that_name_nothing_here_say_so(portfolio: Store, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("Code,Status\nR-9999,Closed\nA-1,Open\n")
    plan = portfolio.importer.plan_import(ImportKind.RAID, path)
    assert plan.problems == [
        "row 2: R-9999 is no RAID item here to update (a new one would need kind, title)",
        "row 3: A-1 is no RAID item here to update (a new one would need kind, title)",
    ]


def test_closing_by_import_dates_the_closure(portfolio: Store) -> None:
    portfolio.importer.run_import(
        portfolio.importer.plan_import(ImportKind.RAID, REGISTERS / "raid-template.csv")
    )
    closed = {i.title: i for i in portfolio.all(RaidItem) if i.status is RaidStatus.CLOSED}
    assert closed and all(i.closed_on == fixed_clock().date() for i in closed.values())
