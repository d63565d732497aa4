"""The hot queries use their indexes: with a million audit events a scan costs a quarter
of a second a key, so the plans are checked here (timings live in bench/)."""

from __future__ import annotations

import re
from collections.abc import Callable

from pmo_tui.data.models import AgendaStep
from pmo_tui.data.store import Store


def plans_of(store: Store, work: Callable[[], object]) -> dict[str, list[str]]:
    """Run ``work``; each SELECT it ran (values bound, as traced) with its query plan."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        work()
    finally:
        store.db.conn.set_trace_callback(None)
    return {
        sql: [row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        for sql in statements
        if sql.lstrip().lower().startswith("select")
    }


def test_reading_since_the_last_meeting_ranges_over_time(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    raid = next(
        i for i, a in enumerate(demo_store.meetings.agenda(meeting.id)) if a.step is AgendaStep.RAID
    )
    demo_store.meetings.go_to_step(meeting.id, raid)
    plans = plans_of(
        demo_store,
        lambda: (
            demo_store.meetings.since_last(meeting.id),
            demo_store.raid.heat_map(meeting_id=meeting.id),
            demo_store.raid.triage_queue(meeting.id),
            demo_store.portfolio.status_board(meeting.id),
            demo_store.raid.raid_changes(meeting.id),
        ),
    )
    by_time = {
        sql: plan
        for sql, plan in plans.items()
        if re.search(r"from events\b", sql) and re.search(r"\bat > ", sql)
    }
    assert by_time, list(plans)
    for sql, plan in by_time.items():
        assert any("events_change" in step for step in plan), (sql, plan)
    assert not [
        sql for sql, plan in plans.items() if any(s.startswith("SCAN events") for s in plan)
    ]


def test_one_projects_reports_are_read_by_its_index(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    plans = plans_of(demo_store, lambda: demo_store.portfolio._reports_by_project(meeting.id, 3))
    steps = [step for plan in plans.values() for step in plan]
    assert any("USING INDEX status_reports_project" in step for step in steps), steps


def test_the_status_board_seeks_each_projects_reports_and_reads_no_raid_item_twice(
    demo_store: Store,
) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    plans = plans_of(
        demo_store,
        lambda: (
            demo_store.portfolio.status_board(meeting.id),
            demo_store.raid.raid_changes(meeting.id),
        ),
    )
    steps = [step for plan in plans.values() for step in plan]
    assert not [step for step in steps if step.startswith("SCAN status_reports")], steps
    assert any("status_reports_project (project_id=?" in step for step in steps), steps
    # The items a meeting touched are read in one query, not one query each.
    item_reads = [sql for sql in plans if re.search(r"from raid_items where id\b", sql)]
    assert len(item_reads) <= 1, item_reads
