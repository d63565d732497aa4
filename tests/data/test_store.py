"""The store against a real SQLite file: round trips, versions, audit, transactions."""

from __future__ import annotations

import getpass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pmo_tui.data.errors import BadFileError, ConflictError, InvalidInputError, NotFoundError
from pmo_tui.data.models import (
    RECORD_TYPES,
    Action,
    AgendaItem,
    AgendaStep,
    AgendaTopic,
    Attendee,
    AttendeeRole,
    BaselineChange,
    ChangeRequest,
    CheckState,
    Closure,
    Decision,
    GateCheck,
    GateCriterion,
    GateReview,
    GateStatus,
    Lesson,
    LessonCategory,
    Meeting,
    MeetingState,
    MeetingTemplate,
    Objective,
    Person,
    Phase,
    Project,
    ProjectDemand,
    ProjectScore,
    Rag,
    RaidItem,
    RaidKind,
    Ranking,
    RankingDraft,
    Record,
    Response,
    StatusReport,
    Team,
    TemplateStep,
)
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock

DAY = date(2026, 11, 26)
MOMENT = datetime(2026, 11, 26, 14, 5, tzinfo=UTC)


def one_of_each(store: Store) -> list[Record]:
    """One fully populated row of every model, parents first."""
    person = store.db.add(Person(name="Ann Smith", team="PMO", role="Lead"))
    project = store.db.add(
        Project(
            name="Portal",
            programme="Digital",
            phase=Phase.DELIVERY,
            manager_id=person.id,
            sponsor_id=person.id,
            description="d",
            start_on=DAY,
            end_on=DAY,
            budget=12.5,
            percent_complete=40,
            rank=3,
        )
    )
    objective = store.db.add(Objective(name="Grow", description="more", weight=30))
    meeting = store.db.add(
        Meeting(
            title="Review",
            scheduled_on=DAY,
            state=MeetingState.LIVE,
            started_at=MOMENT,
            current_step=2,
        )
    )
    raid = store.db.add(
        RaidItem(
            kind=RaidKind.RISK,
            project_id=project.id,
            title="Supplier late",
            description="x",
            owner_id=person.id,
            raised_on=DAY,
            review_by=DAY,
            probability=3,
            impact=4,
            response=Response.MITIGATE,
            response_plan="plan",
        )
    )
    change = store.db.add(
        ChangeRequest(
            project_id=project.id,
            title="Add Welsh",
            raised_on=DAY,
            cost_impact=-1500.5,
            schedule_impact_days=14,
            scope_impact="more",
        )
    )
    decision = store.db.add(
        Decision(
            meeting_id=meeting.id,
            text="Approve",
            rationale="why",
            decided_on=DAY,
            project_id=project.id,
            raid_item_id=raid.id,
            change_request_id=change.id,
        )
    )
    baseline = store.db.add(
        BaselineChange(
            project_id=project.id,
            changed_on=DAY,
            reason="CR",
            meeting_id=meeting.id,
            change_request_id=change.id,
            decision_id=decision.id,
            budget_before=100.0,
            budget_after=150.5,
            end_before=DAY,
            end_after=DAY,
            scope_before="a",
            scope_after="a\nb",
        )
    )
    gate = store.db.add(
        GateReview(
            project_id=project.id,
            from_phase=Phase.PLANNING,
            to_phase=Phase.DELIVERY,
            requested_on=DAY,
            status=GateStatus.HOLD,
        )
    )
    check = store.db.add(
        GateCheck(gate_id=gate.id, position=0, criterion="Plan", state=CheckState.NOT_MET)
    )
    criterion = store.db.add(GateCriterion(phase=Phase.CLOSING, position=9, text="Handed over"))
    team = store.db.add(Team(name="Data", fte=4.5))
    demand = store.db.add(ProjectDemand(project_id=project.id, team_id=team.id, fte=1.5))
    draft = store.db.add(RankingDraft(meeting_id=meeting.id, project_order="[1]"))
    closure = store.db.add(
        Closure(
            project_id=project.id,
            meeting_id=meeting.id,
            decision_id=decision.id,
            closed_on=DAY,
            handed_over_to="Ops",
            benefits_owner="Grace",
            checklist="✓ a\n✗ b: open",
            override_reason="why",
        )
    )
    template = store.db.add(MeetingTemplate(name="Quarterly"))
    item = store.db.add(
        AgendaItem(
            meeting_id=meeting.id,
            position=1,
            step=AgendaStep.RAID,
            title="RAID",
            timebox_minutes=15,
            spent_seconds=90,
            entered_at=MOMENT,
            parked_reason="out of time",
            notes="",
        )
    )
    return [
        baseline,
        gate,
        check,
        criterion,
        team,
        demand,
        draft,
        closure,
        template,
        item,
        store.db.add(
            TemplateStep(
                template_id=template.id,
                position=0,
                step=AgendaStep.AOB,
                title="AOB",
                timebox_minutes=5,
            )
        ),
        store.db.add(
            AgendaTopic(
                meeting_id=meeting.id,
                agenda_item_id=item.id,
                position=0,
                ref_code="R-1",
                title="Supplier late",
                reason="score 12",
                timebox_minutes=3,
            )
        ),
        person,
        project,
        objective,
        meeting,
        raid,
        change,
        decision,
        store.db.add(ProjectScore(project_id=project.id, objective_id=objective.id, score=4)),
        store.db.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=0,
                step=AgendaStep.STATUS,
                title="Status",
                timebox_minutes=20,
                started_at=MOMENT,
                notes="n\nm",
            )
        ),
        store.db.add(Attendee(meeting_id=meeting.id, person_id=person.id, role=AttendeeRole.CHAIR)),
        store.db.add(
            StatusReport(
                project_id=project.id,
                meeting_id=meeting.id,
                reported_on=DAY,
                overall=Rag.RED,
                schedule=Rag.AMBER,
                budget=Rag.GREEN,
                scope=Rag.GREEN,
                percent_complete=40,
                commentary="late",
            )
        ),
        store.db.add(
            Action(
                meeting_id=meeting.id,
                text="Chase",
                owner_id=person.id,
                due_on=DAY,
                project_id=project.id,
                decision_id=decision.id,
            )
        ),
        store.db.add(
            Lesson(
                project_id=project.id,
                category=LessonCategory.SUPPLIER,
                title="Contract",
                what_happened="w",
                impact="i",
                next_time="n",
                tags="a,b",
                recorded_on=DAY,
            )
        ),
        store.db.add(
            Ranking(
                meeting_id=meeting.id,
                project_id=project.id,
                rank_before=2,
                rank_after=1,
                score=3.5,
                justification="j",
            )
        ),
    ]


def test_every_model_round_trips_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Store(path, create=True) as store:
        written = one_of_each(store)
    assert {type(record) for record in written} == set(RECORD_TYPES)
    with Store(path) as reopened:
        for record in written:
            assert record.id > 0
            assert reopened.get(type(record), record.id) == record
            assert reopened.find(record.code) == record


def test_codes_are_unique_stable_and_typed_in_any_case(store: Store) -> None:
    first = store.db.add(Person(name="A"))
    second = store.db.add(Person(name="B"))
    project = store.db.add(Project(name="P"))
    assert (first.code, second.code, project.code) == ("U-1", "U-2", "P-1")
    assert store.find(" p-1 ") == project
    with pytest.raises(NotFoundError, match="P-99 does not exist"):
        store.find("P-99")
    with pytest.raises(NotFoundError, match="not a code"):
        store.find("XYZ")


def test_update_bumps_the_version_and_audits_each_changed_field(store: Store) -> None:
    project = store.db.add(Project(name="Portal", percent_complete=10))
    updated = store.db.update(
        Project, project.id, project.version, name="Portal 2", percent_complete=25
    )
    assert updated.version == 2
    assert store.get(Project, project.id) == updated
    events = store.events(updated)
    changes = {(event.field, event.old, event.new) for event in events}
    assert ("name", "Portal", "Portal 2") in changes
    assert ("percent_complete", "10", "25") in changes
    assert tuple(e.field for e in events if e.old is None and e.field == "created") == ("created",)
    assert all(event.user == "tester" and event.code == "P-1" for event in events)


def test_a_stale_version_is_refused_naming_who_changed_the_row_and_when(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    with Store(path, create=True, user="alice") as alice, Store(path, user="bob") as bob:
        seen_by_bob = bob.db.add(Project(name="Portal"))
        alice.db.update(Project, seen_by_bob.id, seen_by_bob.version, name="Alice's name")
        with pytest.raises(ConflictError) as caught:
            bob.db.update(Project, seen_by_bob.id, seen_by_bob.version, name="Bob's name")
    error = caught.value
    assert error.changed_by == "alice"
    assert error.changed_at is not None
    assert isinstance(error.current, Project)
    assert error.current.name == "Alice's name"
    assert "P-1 Alice's name was changed by alice" in str(error)
    with Store(path) as check:
        assert check.get(Project, seen_by_bob.id).name == "Alice's name"


def test_a_refusal_names_fields_people_and_records_as_the_screen_does(demo_path: Path) -> None:
    """It said "AG-18 was changed", "project is now 6 (you saw 13)", "due_on"."""
    from pmo_tui.data.models import Action, AgendaItem, Meeting
    from pmo_tui.widgets.editing import conflict_text

    with Store(demo_path, user="alice") as alice, Store(demo_path, user="bob") as bob:
        meeting = bob.all(Meeting)[0]
        step = bob.meetings.agenda(meeting.id)[0]
        alice.db.update(AgendaItem, step.id, step.version, timebox_minutes=step.timebox_minutes + 5)
        with pytest.raises(ConflictError) as caught:
            bob.db.update(AgendaItem, step.id, step.version, timebox_minutes=1)
        said = conflict_text(step, caught.value)
        assert said.startswith(f"the step “{step.title}” was changed by alice")
        assert "AG-" not in said and "timebox (minutes) is now" in said
        action = next(a for a in bob.all(Action) if a.owner_id and a.project_id)
        people = [p for p in bob.portfolio.people() if p.id != action.owner_id]
        alice.decisions.reassign_action(action.id, action.version, people[0].name)
        with pytest.raises(ConflictError) as caught:
            bob.db.update(Action, action.id, action.version, text="Bob's words")
        said = conflict_text(action, caught.value)
        owner = bob.portfolio.names()[action.owner_id or 0]
        assert f"owner is now {people[0].name} (you saw {owner})" in said


def test_invalid_values_are_refused_with_a_sentence_and_nothing_written(store: Store) -> None:
    project = store.db.add(Project(name="Portal"))
    before = len(store.events())
    with pytest.raises(InvalidInputError, match="percent complete should be at most 100"):
        store.db.update(Project, project.id, project.version, percent_complete=140)
    with pytest.raises(InvalidInputError, match="name"):
        store.db.update(Project, project.id, project.version, name="")
    assert store.get(Project, project.id) == project
    assert len(store.events()) == before


def test_the_audit_trail_records_the_os_user_and_the_meeting(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db", create=True) as store:
        store.meeting_id = 7
        person = store.db.add(Person(name="Ann"))
        event = store.events(person)[0]
    assert event.user == getpass.getuser()
    assert event.meeting_id == 7
    assert event.entity == "people" and event.code == "U-1" and event.field == "created"
    assert "Ann" in (event.new or "")


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError), store.db.transaction():
        store.db.add(Person(name="Ann"))
        raise RuntimeError("boom")
    assert store.portfolio.people() == []
    assert store.events() == []


def test_text_is_stored_exactly_as_typed(store: Store) -> None:
    awkward = "[bold]red[/] | <script>x</script>\n# heading \x1b[31m" + "é" * 10_000
    person = store.db.add(Person(name="Ann"))
    action = store.db.add(Action(text=awkward[:10_000], owner_id=person.id))
    assert store.get(Action, action.id).text == awkward[:10_000]


def test_planning_a_meeting_lays_out_its_agenda_and_starting_it_goes_live(store: Store) -> None:
    meeting = store.meetings.plan_meeting("Review", DAY, "Steering committee")
    steps = [item.step for item in store.meetings.agenda(meeting.id)]
    assert steps[0] is AgendaStep.PREVIOUS_ACTIONS and steps[-1] is AgendaStep.WRAP_UP
    assert AgendaStep.AOB in steps
    live = store.meetings.start_meeting(meeting.id)
    assert live.state is MeetingState.LIVE and live.started_at is not None
    assert store.meetings.start_meeting(meeting.id) == live  # resuming changes nothing
    with pytest.raises(InvalidInputError, match="no meeting template"):
        store.meetings.plan_meeting("x", DAY, "Nope")
    # A blank title is the forum's name and the meeting's own date.
    assert store.meetings.plan_meeting("", DAY).title == "Portfolio review 26 Nov 2026"
    assert store.meetings.plan_meeting(" ", DAY, "Steering committee").title == (
        "Steering committee 26 Nov 2026"
    )


def test_portfolio_rows_carry_the_latest_rag_and_open_counts(demo_store: Store) -> None:
    rows = demo_store.portfolio.portfolio()
    assert len(rows) == 24
    ranks = [row.project.rank for row in rows]
    assert ranks == sorted(ranks, key=lambda r: (r is None, r))
    assert all(row.overall is not None for row in rows)
    assert sum(row.open_raid for row in rows) > 100
    detail = demo_store.portfolio.project_detail(rows[0].project.id)
    assert len(detail.reports) == 3
    assert detail.reports[0].reported_on >= detail.reports[-1].reported_on
    assert detail.manager == rows[0].manager


def test_the_marks_move_on_content_from_anywhere_and_not_on_heartbeats_or_step_moves(
    demo_store: Store,
) -> None:
    from pmo_tui.data.sqlite import sqlite3

    presence = demo_store.presence
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    content, view = presence.content_mark(), presence.view_mark()
    session = presence.join(meeting.id)
    presence.beat(session.id, meeting.id, 1)
    assert (presence.content_mark(), presence.view_mark()) == (content, view)
    demo_store.meetings.go_to_step(meeting.id, 1)  # the sidebar shows it; a view does not
    assert presence.content_mark() > content and presence.view_mark() == view
    outside = sqlite3.connect(demo_store.path)
    outside.execute("update people set name = name || ' (renamed)' where id = 1")
    outside.commit()
    outside.close()
    assert presence.view_mark() == view + 1


def test_a_rows_fields_are_what_dict_makes_of_it(tmp_path: Path) -> None:
    """Reads take a row's columns through sqlite.fields (dict(row) scans for each name):
    the same names, values and order, and the first of a name given twice."""
    from pmo_tui.data.sqlite import fields, sqlite3

    conn = sqlite3.connect(tmp_path / "rows.db")
    conn.row_factory = sqlite3.Row
    conn.execute("create table t (id integer, name text, at text)")
    conn.execute("insert into t values (1, 'Ann', null), (2, 'Bo', '2026-01-02')")
    for query in (
        "select * from t order by id",
        "select t.*, u.name, u.id from t join t as u on u.id = 3 - t.id order by t.id",
    ):
        rows = conn.execute(query).fetchall()
        assert [fields(row) for row in rows] == [dict(row) for row in rows]
        assert [list(fields(row)) for row in rows] == [list(dict(row)) for row in rows]
    conn.close()


def test_none_is_stored_as_null_through_the_adapter_that_keeps_it_cheap(tmp_path: Path) -> None:
    # Without the adapter None costs a bound parameter a failed adapter lookup and two
    # caught exceptions (an import's inserts took twice as long); with it, still NULL.
    from pmo_tui.data.sqlite import sqlite3

    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    conn = sqlite3.connect(tmp_path / "nulls.db")
    conn.execute("create table t (a, b text default 'x')")
    conn.executemany("insert into t values (?, ?)", [(None, None), (1, "None")])
    assert conn.execute("select a is null, b is null, b from t order by rowid").fetchall() == [
        (1, 1, None),
        (0, 0, "None"),
    ]
    conn.close()


def test_the_log_is_copied_into_the_file_quietly_and_starts_again_short(demo_path: Path) -> None:
    """SQLite copies the write-ahead log into the file inside the commit that takes it
    past 1,000 pages, and that key waits (93-263 ms for a re-rank of 31). The app calls
    checkpoint_quietly while nobody types: after it, the next writer starts the log
    again, so it holds one commit's pages, not everything since the file opened."""
    with Store(demo_path, user="tester", clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        for number in range(20):
            store.decisions.record_decision(meeting.id, f"Decision {number}", "Because", "")
        grown = store.checkpoint_quietly()
        assert grown is not None and grown > 20
        assert store.checkpoint_quietly() is None  # nothing committed since: nothing done
        store.decisions.record_decision(meeting.id, "One more", "Because", "")
        one_commit = store.checkpoint_quietly()
        assert one_commit is not None and 0 < one_commit < grown / 4
        # Another session's commit is seen too (data_version), and a read-only session
        # never tries (it may not write the file).
        with Store(demo_path, user="peer", clock=fixed_clock) as peer:
            peer.decisions.record_decision(meeting.id, "The peer's", "Because", "")
        assert store.checkpoint_quietly() is not None
    with Store(demo_path, read_only=True) as reader:
        assert reader.checkpoint_quietly() is None


def test_a_write_to_a_file_deleted_or_replaced_under_the_session_is_refused(
    tmp_path: Path,
) -> None:
    """The cold try: with the file deleted under a running session, SQLite went on
    writing to the file it held open; "A-7 done" was said and every edit was lost."""
    import os
    import shutil

    path = tmp_path / "p.db"
    with Store(path, create=True, user="tester", clock=fixed_clock) as store:
        store.portfolio.person_named("Ann", create=True)
        assert store.gone() is None
        spare = tmp_path / "spare.db"
        shutil.copy(path, spare)
        os.replace(spare, path)  # another file at the path: a copy put back by hand
        assert store.gone() is not None
        with pytest.raises(BadFileError, match="deleted or replaced after this session"):
            store.portfolio.person_named("Bo", create=True)
    with Store(path, user="tester", clock=fixed_clock) as store:
        for side in (path, path.with_name("p.db-wal"), path.with_name("p.db-shm")):
            side.unlink(missing_ok=True)
        with pytest.raises(BadFileError, match="deleted or replaced after this session"):
            store.portfolio.person_named("Cy", create=True)
