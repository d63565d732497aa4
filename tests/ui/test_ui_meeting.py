"""A whole meeting driven by keys, as a facilitator would, asserting on the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from pmo_tui.app import PmoApp, make_app
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    AgendaStep,
    Meeting,
    MeetingState,
    MinutesState,
    Rag,
)
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.minutes_preview import MinutesPreview
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.steps.planning import ProposalsDialog
from pmo_tui.steps.status import StatusView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from pmo_tui.widgets.text_view import TextView
from tests.conftest import fixed_clock
from tests.helpers.meeting import fill_form, wait_until


def app_for(path: Path) -> PmoApp:
    return make_app(path, user="tester", clock=fixed_clock)


def title_of(screen: MeetingScreen) -> str:
    return str(screen.query_one("#step-title", Static).render())


async def open_planned_meeting(pilot: Pilot[None]) -> MeetingScreen:
    await pilot.pause()
    await pilot.press("m", "enter")  # the planned meeting is the newest
    await pilot.pause()
    if isinstance(pilot.app.screen, SinceLastScreen):
        await pilot.press("enter")
        await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_a_whole_meeting_by_keys(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        meeting_id = screen.meeting_id

        # Before: the data proposes topics; keep them all.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ProposalsDialog)
        total = str(app.screen.query_one("#proposals-total", Static).render())
        assert "Ticked:" in total and "the agenda plans 105 min" in total
        # Over the agenda's minutes: the first enter warns, the second adds them anyway.
        if "OVERBOOKED" in total:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ProposalsDialog)
        await pilot.press("space")  # the first row dropped: said in words, not colour
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ProposalsDialog)
        from textual.widgets import SelectionList

        first = dialog.query_one(SelectionList).get_option_at_index(0).prompt
        assert str(first).startswith("dropped")
        await pilot.press("space", "enter", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProposalsDialog))

        # Start: what changed since last time comes first.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SinceLastScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "1. Previous actions" in title_of(screen)

        # Previous actions: the first (most overdue) is done.
        table = screen.query_one("#previous-actions", KeyTable)
        first_action = table.selected_key
        await pilot.press("space")
        await pilot.pause()

        # Status: red on the first project's overall RAG, then a decision from this step.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "2. Status" in title_of(screen)
        status = screen.query_one(StatusView)
        board = status.query_one(KeyTable)
        assert board.has_focus and board.cursor_column == 1
        project_id = board.selected_key
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await fill_form(
            pilot,
            text="Fund the recovery plan | phase 2",
            rationale="Keeps the date",
            link=f"P-{project_id}",
        )

        # RAID step: an action with an owner typed by name and a relative due date.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "3. RAID triage" in title_of(screen)
        await pilot.press("t")
        await pilot.pause()
        await fill_form(pilot, text="Escalate the supplier risk", owner="priya raman", due="+2w")

        # Notes are kept as typed; esc leaves them without leaving the meeting.
        await pilot.press("n")
        await pilot.press(*"Supplier | risk # up")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)

        # To the wrap-up, close, export.
        for _ in range(4):
            await pilot.press("right_square_bracket")
            await pilot.pause()
        assert "7. Wrap-up" in title_of(screen)
        assert screen.query_one("#wrap-records", KeyTable).row_count == 2
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "closed" in title_of(screen)
        await pilot.press("E")
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, MinutesPreview)
        await wait_until(pilot, lambda: preview.shown)
        shown = "\n".join(preview.query_one("#minutes", TextView).plain_lines())
        assert "Fund the recovery plan | phase 2" in shown  # the decision, as the room typed it
        written = preview.path
        assert written is not None
        await pilot.press("q")  # closes the preview, as in a pager: pmo goes on
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.is_running

    with Store(demo_path) as store:
        meeting = store.get(Meeting, meeting_id)
        assert meeting.state is MeetingState.CLOSED
        assert store.get(Action, first_action or 0).status is ActionStatus.DONE
        decision = store.decisions.decisions(meeting_id)[0]
        assert decision.text == "Fund the recovery plan | phase 2"
        assert decision.project_id == project_id
        steps = {item.id: item for item in store.meetings.agenda(meeting_id)}
        assert steps[decision.agenda_item_id or 0].step is AgendaStep.STATUS
        action = store.decisions.actions(meeting_id)[0]
        assert store.portfolio.names()[action.owner_id or 0] == "Priya Raman"
        assert action.due_on is not None and (action.due_on - fixed_clock().date()).days == 14
        raid = next(i for i in store.meetings.agenda(meeting_id) if i.step is AgendaStep.RAID)
        assert raid.notes == "Supplier | risk # up"
        report = next(
            r for r in store.portfolio.status_board(meeting_id) if r.project.id == project_id
        )
        assert report.reported_this_meeting and report.current is not None
        assert report.current.overall is Rag.RED
        assert store.meetings.topics(meeting_id)

    assert written == tmp_path / f"minutes-M-{meeting_id}-2026-11-26.md"
    markdown = written.read_text()
    text = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "Fund the recovery plan | phase 2" in text
    assert "Escalate the supplier risk" in text and "Priya Raman" in text
    assert "Supplier | risk # up" in text
    assert "R Red" in markdown


async def test_time_up_can_be_extended_and_a_step_parked(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 1)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        assert "2. Status" in title_of(screen)
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        await fill_form(pilot, reason="Ran out of time for the amber projects")
        assert "parked" in title_of(screen)
    with Store(demo_path) as store:
        status = store.meetings.agenda(meeting.id)[1]
        assert status.timebox_minutes == 30
        assert status.parked_reason == "Ran out of time for the amber projects"


async def test_a_bad_due_date_keeps_the_form_open_with_what_was_typed(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        store.meetings.start_meeting(store.meetings.meetings()[0].meeting.id)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_planned_meeting(pilot)
        await pilot.press("t")
        await pilot.pause()
        await fill_form(pilot, text="Call the vendor [today]", due="someday")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        error = str(dialog.query_one("#dialog-error", Static).render())
        assert "someday" in error and "not a date" in error
        assert dialog.query_one("#field-text", Input).value == "Call the vendor [today]"
        await fill_form(pilot, due="fri")
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen))
    with Store(demo_path) as store:
        action = store.decisions.actions(store.meetings.meetings()[0].meeting.id)[0]
        assert action.text == "Call the vendor [today]"
        assert action.due_on is not None and action.due_on.isoformat() == "2026-11-27"


async def open_last_closed_meeting(pilot: Pilot[None]) -> MeetingScreen:
    await pilot.pause()
    await pilot.press("m", "j", "enter")  # from home: the meetings list, the closed one
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_reopening_is_explicit_and_recorded(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_last_closed_meeting(pilot)
        assert screen.meeting.state is MeetingState.CLOSED
        notes = screen.query_one("#notes", TextArea)
        assert notes.read_only
        assert screen.check_action("decision", ()) is False
        await pilot.press("R")
        await pilot.pause()
        await fill_form(pilot, reason="The minutes missed decision D-7's condition")
        assert screen.meeting.state is MeetingState.LIVE
        meeting_id = screen.meeting_id
    with Store(demo_path) as store:
        events = store.events(store.get(Meeting, meeting_id))
        assert any(e.field == "reopened" and e.user == "tester" for e in events)


async def test_minutes_are_circulated_then_approved_by_keys(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_last_closed_meeting(pilot)
        assert "minutes draft" in title_of(screen)
        await pilot.press("M")
        await pilot.pause()
        assert screen.meeting.minutes_state is MinutesState.CIRCULATED
        assert "minutes circulated" in title_of(screen)
        await pilot.press("M")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-approved_by", Input).value  # the chair, offered
        await fill_form(pilot, approved_by="Grace Okafor")
        assert screen.meeting.minutes_state is MinutesState.APPROVED
        assert "approved and stamped" in title_of(screen)
        assert screen.check_action("reopen", ()) is False
        assert screen.check_action("minutes", ()) is False
    with Store(demo_path) as store:
        meeting = store.get(Meeting, screen.meeting_id)
        assert meeting.minutes_approved_by == "Grace Okafor"
        assert store.audit.check_minutes(meeting.id).stamp_fits


async def test_presentation_mode_hides_the_chrome(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 1)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert screen.has_class("-presenting")
        assert not screen.query_one("#sidebar").display
        assert screen.query_one(StatusView).region.width >= 115  # the whole width, less a scrollbar


async def test_the_log_opens_with_the_cursor_in_it(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.decisions.add_action(meeting.id, "Chase the vendor")
        store.meetings.go_to_step(meeting.id, 1)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        await pilot.press("l")
        await pilot.pause()
        log = screen.query_one("#log-records", KeyTable)
        assert log.has_focus and log.selected_value == "A-15"
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)


async def test_a_resize_mid_meeting_keeps_everything_usable(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 1)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        assert not screen.has_class("-narrow") and screen.query_one("#sidebar").display
        for width, height in ((80, 24), (200, 50), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert screen.has_class("-narrow") is (width < 100)
            board = screen.query_one(StatusView).query_one(KeyTable)
            assert board.region.height >= 3 and board.region.width >= 60
            assert "2. Status" in title_of(screen)
        await pilot.press("r")  # still driven by keys after the resizes
        await pilot.pause()
    with Store(demo_path) as store:
        assert any(row.reported_this_meeting for row in store.portfolio.status_board(meeting.id))


async def test_titles_with_markup_or_escape_sequences_show_as_typed(demo_path: Path) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        item = store.meetings.agenda(meeting.id)[0]
        store.db.update(type(item), item.id, item.version, title="[bold]Old[/bold] \x1b[31mred")
        store.meetings.start_meeting(meeting.id)
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        shown = title_of(screen)
        assert "[bold]Old[/bold] \ufffd[31mred" in shown
        assert "\x1b" not in shown


async def test_a_closed_meetings_wrap_up_reads_back_its_record_not_todays_actions(
    demo_path: Path,
) -> None:
    """Actions live on after their meeting (done, re-dated, reassigned): the screen of the
    closed meeting shows what it agreed, as its minutes do."""
    from rich.text import Text

    from pmo_tui.data.models import Action, ActionStatus, MeetingState
    from pmo_tui.steps.records import RecordsTable
    from pmo_tui.steps.wrap_up import WrapUpView

    with Store(demo_path, clock=fixed_clock) as store:
        closed = next(
            r.meeting for r in store.meetings.meetings() if r.meeting.state is MeetingState.CLOSED
        )
        action = store.decisions.actions(closed.id)[0]
        agreed_owner = store.portfolio.names()[action.owner_id or 0]
        store.decisions.reassign_action(action.id, action.version, "Someone Else Later")
        action = store.get(Action, action.id)
        store.decisions.close_action(action.id, action.version, ActionStatus.DONE)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_meeting(closed.id)
        await wait_until(pilot, lambda: bool(app.screen.query(WrapUpView)))
        table = app.screen.query_one("#wrap-records", RecordsTable)
        await wait_until(pilot, lambda: table.row_count > 0)
        index = table.get_row_index(action.code)
        row = [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(index)]
        assert row[2] == agreed_owner and row[4] == "open", row
        assert "As recorded at the close" in str(app.screen.query_one("#wrap-summary").render())


def test_what_changed_keeps_a_long_code_apart_from_its_title() -> None:
    """ "A-59001Action 0 ..." ran code and title together in a file with 59,000 actions."""
    from rich.console import Console

    from pmo_tui.data.models import Change, SinceLast
    from pmo_tui.screens.since_last import since_renderable

    since = SinceLast(
        previous_code="M-1",
        actions_overdue=[
            Change(code="A-59001", title="Action 0 stakeholder", detail="due 2026-11-12"),
            Change(code="A-7", title="Short code"),
            Change(code="A-1234567", title="Longer still"),
        ],
    )
    console = Console(width=80, record=True)
    console.print(since_renderable(since))
    shown = console.export_text()
    assert "  A-59001 Action 0 stakeholder  due 2026-11-12" in shown
    assert "  A-7    Short code" in shown
    assert "  A-1234567 Longer still" in shown
