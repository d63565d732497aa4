from __future__ import annotations

from collections import Counter
from pathlib import Path

from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import (
    Action,
    ChangeRequest,
    ChangeStatus,
    CriterionKind,
    Lesson,
    MeetingState,
    Objective,
    RaidItem,
    RaidKind,
    StatusReport,
)
from pmo_tui.data.rules import action_overdue, review_overdue
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.conftest import DEMO_DAY


def dump(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    conn = sqlite3.connect(path)
    tables = [
        row[0]
        for row in conn.execute("select name from sqlite_master where type = 'table' order by name")
    ]
    content = [
        (table, conn.execute(f"select * from {table} order by 1").fetchall()) for table in tables
    ]
    conn.close()
    return content


def test_the_same_seed_and_day_give_the_same_portfolio(tmp_path: Path, demo_template: Path) -> None:
    again = build_demo(tmp_path / "again.db", DEMO_DAY)
    assert dump(again) == dump(demo_template)
    other = build_demo(tmp_path / "other.db", DEMO_DAY, seed=1)
    assert dump(other) != dump(demo_template)


def test_the_demo_has_enough_to_run_a_convincing_meeting(demo_store: Store) -> None:
    rows = demo_store.portfolio.portfolio()
    assert 20 <= len(rows) <= 28
    assert len({row.project.programme for row in rows}) in (3, 4)
    assert len({row.project.phase for row in rows}) >= 3
    assert {row.overall for row in rows} >= {"green", "amber", "red"}

    reports = Counter(report.project_id for report in demo_store.all(StatusReport))
    assert set(reports.values()) == {3}

    raid = demo_store.all(RaidItem)
    assert 120 <= len(raid) <= 180
    assert set(Counter(item.kind for item in raid)) == set(RaidKind)
    assert any(review_overdue(item, DEMO_DAY) for item in raid)
    assert len({item.owner_id for item in raid}) >= 8

    changes = demo_store.all(ChangeRequest)
    assert len([c for c in changes if c.status is ChangeStatus.SUBMITTED]) >= 10

    meetings = [row.meeting for row in demo_store.meetings.meetings()]
    assert [m.state for m in meetings].count(MeetingState.CLOSED) == 2
    assert [m.state for m in meetings].count(MeetingState.PLANNED) == 1
    actions = demo_store.all(Action)
    assert any(action_overdue(action, DEMO_DAY) for action in actions)
    assert len(demo_store.all(Lesson)) == 20
    objectives = demo_store.all(Objective)
    assert len([o for o in objectives if o.kind is CriterionKind.OBJECTIVE]) == 5
    assert [o.name for o in objectives if o.kind is CriterionKind.CRITERION] == ["Urgency"]


def test_the_demo_reads_like_a_real_portfolio(demo_store: Store) -> None:
    text = " ".join(
        [row.project.name for row in demo_store.portfolio.portfolio()]
        + [item.title for item in demo_store.all(RaidItem)]
    ).lower()
    for filler in ("lorem", "ipsum", "project 1", "foo", "sample", "todo"):
        assert filler not in text
