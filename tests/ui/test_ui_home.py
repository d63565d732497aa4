"""The app driven headlessly by keys, asserting on the screen and on the file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Input, Static

from pmo_tui.app import PmoApp, make_app
from pmo_tui.data.models import Meeting, MeetingState, Project
from pmo_tui.data.store import Store
from pmo_tui.screens.help import HelpScreen
from pmo_tui.screens.home import HomeScreen
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.project import ProjectScreen
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import wait_until


def app_for(path: Path, read_only: bool = False) -> PmoApp:
    return make_app(path, read_only=read_only, user="tester", clock=fixed_clock)


def cell_text(table: KeyTable, row: int, column: int) -> str:
    value = table.get_row_at(row)[column]
    return value.plain if isinstance(value, Text) else str(value)


def static_text(widget: Static) -> str:
    return str(widget.render())


async def test_home_lists_the_portfolio_in_rank_order_with_rag_words(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#projects", KeyTable)
        with Store(demo_path) as store:
            expected = store.portfolio.portfolio()
        assert table.row_count == len(expected) == 24
        first = expected[0]
        assert cell_text(table, 0, 0).strip() == str(first.project.rank)
        assert cell_text(table, 0, 1) == first.project.code
        assert cell_text(table, 0, 2) == first.project.name
        assert first.overall is not None
        assert first.overall.word in cell_text(table, 0, 3)
        assert cell_text(table, 0, 5) == first.manager
        meetings = screen.query_one("#meetings", KeyTable)
        assert meetings.row_count == 3
        assert "planned" in cell_text(meetings, 0, 3)
        assert str(demo_path) in static_text(screen.query_one("#file-line", Static))


async def test_enter_opens_the_selected_project_and_escape_comes_back(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#projects", KeyTable)
        await pilot.press("j", "j")
        chosen = table.selected_key
        assert chosen is not None and table.cursor_row == 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.project_id == chosen
        with Store(demo_path) as store:
            project = store.get(Project, chosen)
        title = static_text(app.screen.query_one("#project-title", Static))
        assert project.code in title and project.name in title
        assert app.screen.query_one("#reports", KeyTable).row_count == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#projects", KeyTable).cursor_row == 2


async def test_s_starts_the_planned_meeting_and_shows_its_agenda(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SinceLastScreen)  # the first thing a meeting shows
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        meeting_id = screen.meeting_id
        assert "1. Previous actions" in static_text(screen.query_one("#step-title", Static))
        assert screen.query_one("#previous-actions", KeyTable).row_count > 0
    with Store(demo_path) as store:
        meeting = store.get(Meeting, meeting_id)
    assert meeting.state is MeetingState.LIVE
    assert meeting.started_at == fixed_clock()


async def test_help_lists_the_keys_and_explains_the_agenda(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text.plain
        for expected in (
            "Start the selected meeting",
            "Quit pmo",
            "Previous actions",
            "RAID triage",
            "Wrap-up",
            "\n  ?  ",
            "\n  s  ",
        ):
            assert expected in text
        # Keys as the keyboard shows them, not Textual's names; digits not one by one.
        assert "equals_sign" not in text and "right_square_bracket" not in text
        assert "1 → 1" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_n_plans_a_meeting_and_a_bad_date_is_explained(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-title", Input).value = "Steering [bold]Q1[/bold]"
        date_input = dialog.query_one("#field-date", Input)
        date_input.value = "31/12/2026"
        date_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "is not a date" in static_text(dialog.query_one("#dialog-error", Static))
        date_input.value = "2026-12-31"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        meetings = app.screen.query_one("#meetings", KeyTable)
        assert meetings.row_count == 4
        assert cell_text(meetings, 0, 1) == "Steering [bold]Q1[/bold]"
        assert meetings.has_focus and meetings.cursor_row == 0
    with Store(demo_path) as store:
        newest = store.meetings.meetings()[0].meeting
    assert newest.title == "Steering [bold]Q1[/bold]"
    assert newest.state is MeetingState.PLANNED


async def test_user_text_is_shown_as_typed_never_as_markup(demo_path: Path) -> None:
    hostile = "[bold]Evil[/bold] \x1b[31mred | <b>"
    with Store(demo_path) as store:
        store.db.add(Project(name=hostile, rank=1))
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#projects", KeyTable)
        names = [cell_text(table, row, 2) for row in range(table.row_count)]
        assert "[bold]Evil[/bold] �[31mred | <b>" in names


async def test_the_palette_opens_a_project_by_code(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"P-21 ESG")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert app.screen.project_id == 21


async def test_read_only_says_so_offers_no_edits_and_changes_nothing(demo_path: Path) -> None:
    app = app_for(demo_path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "(read-only)" in static_text(app.screen.query_one("#file-line", Static))
        offered = {active.binding.action for active in app.screen.active_bindings.values()}
        assert "open" in offered
        # s watches a live meeting (none is live here: it says so); nothing starts.
        assert app.screen.check_action("new_meeting", ()) is False
        await pilot.press("s", "n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with Store(demo_path) as store:
        assert all(row.meeting.state is not MeetingState.LIVE for row in store.meetings.meetings())


async def test_the_home_screen_fits_80_by_24_and_a_resize(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        projects = app.screen.query_one("#projects", KeyTable)
        meetings = app.screen.query_one("#meetings", KeyTable)
        assert projects.region.height >= 5
        assert meetings.region.height >= 3
        assert projects.region.bottom <= meetings.region.y
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert projects.region.height > 20


async def test_a_closed_meeting_opens_for_reading_and_stays_closed(demo_path: Path) -> None:
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m", "j")
        meetings = app.screen.query_one("#meetings", KeyTable)
        assert meetings.has_focus
        closed_id = meetings.selected_key
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting_id == closed_id
    with Store(demo_path) as store:
        assert closed_id is not None
        assert store.get(Meeting, closed_id).state is MeetingState.CLOSED


async def test_an_on_hold_project_is_not_counted_in_the_rank_column(demo_path: Path) -> None:
    from pmo_tui.data.models import Project, ProjectStatus
    from pmo_tui.widgets.table import KeyTable

    with Store(demo_path) as store:
        held = [p for p in store.all(Project) if p.status is ProjectStatus.ON_HOLD]
    assert held, "the demo has an on-hold project"
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#projects", KeyTable)
        row = table.get_row(str(held[0].id))
        assert str(row[0]) == "hold"


async def test_a_poll_while_the_app_closes_does_nothing(demo_path: Path) -> None:
    """The poll's timer fired with the screens gone: ScreenStackError, once in a few CI
    runs."""
    app = app_for(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert not app.screen_stack
    app.poll()
    app._cursor_moved()


async def test_more_meetings_than_a_page_say_which_are_shown_once(demo_path: Path) -> None:
    """The cold try on 300 meetings: "Meetings Meetings 1-100 of 300 shown"."""
    from datetime import date, timedelta

    with Store(demo_path, clock=fixed_clock) as store:
        total = len(store.meetings.meetings())
        for day in range(101 - total):
            store.meetings.plan_meeting("", date(2027, 1, 1) + timedelta(days=day))
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        title = static_text(pilot.app.screen.query_one("#meetings-title", Static))
        assert title == "Meetings · 1-100 of 101 shown (< >).", title


async def test_what_changed_opens_a_meeting_once_a_session_not_on_every_return(
    demo_path: Path,
) -> None:
    """The cold try: "What changed since the last meeting" came back each time the
    facilitator went home and back in during the first step (w still shows it)."""
    app = app_for(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, SinceLastScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        for _ in range(2):
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("m", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen))
            shown = app.screen
            assert isinstance(shown, MeetingScreen)
            await wait_until(pilot, lambda shown=shown: shown._ticks > 0)  # mounted, ticking
            assert not isinstance(app.screen, SinceLastScreen)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, SinceLastScreen))
