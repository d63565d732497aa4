"""Every figure checks out: each count, sum and trend the dashboard and the highlight report
show equals what its stated definition gives, recomputed here with independent SQL, on the
demo and on other randomly generated portfolios."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from pmo_tui.data.demo import DEFAULT_SEED, build_demo
from pmo_tui.data.metrics import figures
from pmo_tui.data.models import Action, ActionStatus, MeetingState
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from pmo_tui.export.files import highlight_document, ranking_document
from tests.conftest import DEMO_DAY, fixed_clock


@pytest.fixture(scope="module", params=[DEFAULT_SEED, 7, 2024])
def portfolio(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("figures") / "p.db"
    return build_demo(path, DEMO_DAY, seed=request.param)


@pytest.fixture
def store(portfolio: Path) -> Iterator[Store]:
    with Store(portfolio, read_only=True, clock=fixed_clock) as opened:
        yield opened


def sql(path: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(row) for row in conn.execute(query, params)]
    finally:
        conn.close()


def score_as_of(path: Path, day: str) -> dict[int, tuple[str, int]]:
    """Each RAID item open at the end of ``day``: (kind, score then). A field's value then
    is the old value of its first change after the day, or its value now if none."""

    def field(name: str) -> str:
        later = (
            f"select old from events e where e.entity = 'raid_items' and e.entity_id = r.id "
            f"and e.field = '{name}' and substr(e.at, 1, 10) > :day order by e.id limit 1"
        )
        return f"case when exists ({later}) then ({later}) else r.{name} end"

    conn = sqlite3.connect(path)
    rows = conn.execute(
        f"select r.id, r.kind, {field('probability')}, {field('impact')} from raid_items r "
        "where r.raised_on <= :day and (r.closed_on is null or r.closed_on > :day)",
        {"day": day},
    ).fetchall()
    conn.close()
    return {row[0]: (row[1], int(row[2] or 0) * int(row[3] or 0)) for row in rows}


def test_projects_in_flight_rag_and_budget(store: Store, portfolio: Path) -> None:
    board = store.dashboards.dashboard(DEMO_DAY)
    [(active, on_hold, budget)] = sql(
        portfolio,
        "select sum(status = 'active'), sum(status = 'on hold'), sum(budget) from projects "
        "where status in ('active', 'on hold')",
    )
    assert board.in_flight == (
        f"{active + on_hold} projects in flight ({active} active, {on_hold} on hold)"  # type: ignore[operator]
    )
    assert sum(p.budget for p in board.projects) == budget
    latest = dict(
        sql(
            portfolio,
            "select project_id, overall from status_reports s where reported_on <= ? and id = "
            "(select id from status_reports t where t.project_id = s.project_id and "
            "t.reported_on <= ? order by t.reported_on desc, t.id desc limit 1)",
            DEMO_DAY.isoformat(),
            DEMO_DAY.isoformat(),
        )
    )
    for rag in ("red", "amber", "green"):
        expected = sorted(f"P-{p.id}" for p in board.projects if latest.get(p.id) == rag)
        assert sorted(board.rag.get(rag, [])) == expected
    report = highlight_document(store, since=DEMO_DAY - timedelta(days=30))
    assert f"**{board.in_flight}**" in report


def test_trends_measure_each_meeting_on_the_scores_it_saw(store: Store, portfolio: Path) -> None:
    board = store.dashboards.dashboard(DEMO_DAY)
    high = store.raid.scoring().high
    for point in board.trend:
        items = score_as_of(portfolio, point.day.isoformat())
        assert point.exposure == sum(score for _, score in items.values())
        assert point.high_risks == sum(
            1 for kind, score in items.values() if kind == "risk" and score >= high
        )
    last = score_as_of(portfolio, board.trend[-1].day.isoformat())
    # The drill-downs list exactly the items behind the last meeting's figures.
    assert sum(last[int(code[2:])][1] for code in board.exposure_items) == board.trend[-1].exposure
    assert sorted(board.high_risk_items) == sorted(
        f"R-{i}" for i, (kind, score) in last.items() if kind == "risk" and score >= high
    )
    shown = {figure.label: figure for figure in figures(board)}
    assert shown["High risks"].codes == board.high_risk_items


def test_a_rescore_today_does_not_change_a_past_meetings_exposure(portfolio: Path) -> None:
    with Store(portfolio, read_only=True, clock=fixed_clock) as store:
        before = [p.exposure for p in store.dashboards.dashboard(DEMO_DAY).trend]
    copy = portfolio.parent / "rescored.db"
    copy.write_bytes(portfolio.read_bytes())
    with Store(copy, clock=lambda: fixed_clock() + timedelta(days=1)) as store:
        for item in store.raid.all_open_raid()[:20]:
            store.raid.rescore(item.id, item.version, 1, 1)
        after = [p.exposure for p in store.dashboards.dashboard(DEMO_DAY).trend]
    assert after == before


def test_the_highlight_period_includes_its_first_day_and_every_rank_change(
    store: Store, portfolio: Path
) -> None:
    since = DEMO_DAY - timedelta(days=30)
    report = store.dashboards.highlight(since, DEMO_DAY)
    expected = sql(
        portfolio,
        "select id from decisions where decided_on >= ? and decided_on <= ? and draft_by = '' "
        "order by decided_on, id",
        since.isoformat(),
        DEMO_DAY.isoformat(),
    )
    assert [code for code, _, _ in report.decisions] == [f"D-{row[0]}" for row in expected]

    def ranks_at(moment: str) -> dict[int, int]:
        """Each project's rank at the end of ``moment``: the old value of its first rank
        change after it, or its rank now."""
        rows = sql(
            portfolio,
            "select p.id, case when exists (select 1 from events e where e.entity = "
            "'projects' and e.field = 'rank' and e.entity_id = p.id and substr(e.at, 1, 10) "
            "> :m) then (select old from events e where e.entity = 'projects' and e.field = "
            "'rank' and e.entity_id = p.id and substr(e.at, 1, 10) > :m order by e.id limit 1)"
            " else p.rank end from projects p",
            moment,
        )
        return {int(str(pid)): int(str(rank)) for pid, rank in rows if rank is not None}

    before = ranks_at((since - timedelta(days=1)).isoformat())
    after = ranks_at(DEMO_DAY.isoformat())
    both = set(before) & set(after)
    order_before = sorted(both, key=before.__getitem__)
    order_after = sorted(both, key=after.__getitem__)
    expected_moves = {
        f"P-{pid}" for pid in both if order_before.index(pid) != order_after.index(pid)
    } | {f"P-{pid}" for pid in after if pid not in before}
    assert {code for code, _, _, _ in report.rank_moves} == expected_moves
    assert expected_moves  # the demo swaps two projects between meetings


def test_since_the_last_meeting_leaves_out_the_meetings_own_edits(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = next(
            r.meeting for r in store.meetings.meetings() if r.meeting.state is MeetingState.PLANNED
        )
        before = store.meetings.since_last(meeting.id)
        store.meetings.start_meeting(meeting.id)
        store.meeting_id = meeting.id
        action = next(a for a in store.all(Action) if a.status is ActionStatus.OPEN)
        store.decisions.close_action(action.id, action.version, ActionStatus.DONE)
        after = store.meetings.since_last(meeting.id)
    assert action.code not in [change.code for change in after.actions_done]
    assert [c.code for c in after.actions_done] == [c.code for c in before.actions_done]


def test_the_exported_ranking_shows_the_adopted_ranks_as_stored(
    store: Store, portfolio: Path
) -> None:
    document = ranking_document(store)
    stored = dict(
        sql(portfolio, "select id, rank from projects where status = 'active' and rank is not null")
    )
    adopted = dict(
        sql(
            portfolio,
            "select project_id, rank_after from rankings where meeting_id = (select max("
            "meeting_id) from rankings)",
        )
    )
    for line in document.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) < 4 or not cells[0].isdigit():
            continue
        code = int(cells[1].split(" ")[0][2:])
        assert int(cells[0]) == stored[code]
        was = adopted.get(code)
        if was is None:
            assert cells[3] == "new"
        elif was == stored[code]:
            assert cells[3] == "="
        else:
            assert cells[3] in (f"▲ {was - stored[code]}", f"▼ {stored[code] - was}")  # type: ignore[operator]


def test_demo_decisions_agree_with_the_data(store: Store) -> None:
    labels = store.portfolio.project_labels()
    closed = [
        r.meeting for r in store.meetings.meetings() if r.meeting.state is MeetingState.CLOSED
    ]
    for meeting in closed:
        for decision in store.decisions.decisions(meeting.id):
            for name in ("Loyalty Platform", "ESG Reporting", "Laptop Refresh", "Data Centre"):
                if name.lower() in decision.text.lower():
                    assert decision.project_id is not None, decision.code
                    assert name in labels[decision.project_id], decision.code
            if decision.outcome:
                assert decision.present, decision.code  # M-2's attendance is recorded
    adopted = [m for m in closed if store.priorities.adopted_ranking(m.id)]
    assert adopted
    for meeting in adopted:
        assert all(row.decision_id for row in store.priorities.adopted_ranking(meeting.id))


def test_trend_rag_counts_only_projects_in_flight_on_the_day(store: Store, portfolio: Path) -> None:
    board = store.dashboards.dashboard(DEMO_DAY)
    for point in board.trend:
        day = point.day.isoformat()
        rows = sql(
            portfolio,
            "select p.id, (select overall from status_reports s where s.project_id = p.id and "
            "s.reported_on <= :d order by s.reported_on desc, s.id desc limit 1), case when "
            "exists (select 1 from events e where e.entity = 'projects' and e.field = 'status' "
            "and e.entity_id = p.id and substr(e.at, 1, 10) > :d) then (select old from events "
            "e where e.entity = 'projects' and e.field = 'status' and e.entity_id = p.id and "
            "substr(e.at, 1, 10) > :d order by e.id limit 1) else p.status end from projects p "
            "where (select substr(at, 1, 10) from events e where e.entity = 'projects' and "
            "e.field = 'created' and e.entity_id = p.id) <= :d",
            day,
        )
        expected: dict[str, int] = {}
        for _, overall, status in rows:
            if overall is not None and status in ("active", "on hold"):
                expected[str(overall)] = expected.get(str(overall), 0) + 1
        assert point.rag == expected, point.code
    last = board.trend[-1]
    shown = {figure.label: figure for figure in figures(board)}
    for rag in ("red", "amber", "green"):
        assert len(shown[f"{rag.capitalize()} projects"].codes) == last.rag.get(rag, 0)


def test_top_risks_are_risks(store: Store) -> None:
    board = store.dashboards.dashboard(DEMO_DAY)
    assert board.top_risks and all(item.kind.value == "risk" for item in board.top_risks)


def test_phases_overdue_and_the_meeting_trends_match_their_definitions(
    store: Store, portfolio: Path
) -> None:
    board = store.dashboards.dashboard(DEMO_DAY)
    phases = dict(
        sql(
            portfolio,
            "select phase, count(*) from projects where status in ('active', 'on hold') "
            "group by phase",
        )
    )
    assert {phase: len(codes) for phase, codes in board.phases.items()} == phases
    overdue = sql(
        portfolio,
        "select coalesce(p.name, 'No owner'), count(*) from actions a left join people p on "
        "p.id = a.owner_id where a.status = 'open' and a.due_on < ? group by 1",
        DEMO_DAY.isoformat(),
    )
    assert {owner: len(codes) for owner, codes in board.overdue.items()} == dict(overdue)
    previous = "0000-00-00"
    for point in board.trend:
        meeting, day = int(point.code[2:]), point.day.isoformat()
        [(opened, decisions, decided)] = sql(
            portfolio,
            "select (select count(*) from actions where meeting_id = :m), (select count(*) "
            "from decisions where meeting_id = :m), (select count(*) from decisions where "
            "meeting_id = :m and change_request_id is not null and outcome != '')",
            meeting,
        )
        [(closed, late)] = sql(
            portfolio,
            "select sum(closed_on > :p and closed_on <= :d), sum(due_on < :d and (closed_on "
            "is null or closed_on > :d)) from actions",
            previous,
            day,
        )
        [(cost,)] = sql(
            portfolio,
            "select coalesce(sum(c.cost_impact), 0) from change_requests c join decisions d "
            "on d.id = c.decision_id where c.status in ('approved', 'approved with conditions')"
            " and d.decided_on <= ?",
            day,
        )
        assert (point.opened, point.decisions, point.changes_decided) == (
            opened,
            decisions,
            decided,
        )
        assert (point.closed, point.overdue) == (closed or 0, late or 0)
        assert point.change_cost == cost
        previous = day
