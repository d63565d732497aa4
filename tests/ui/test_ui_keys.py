"""No key edits a row the user is not looking at: completion saves only what the user
picked, an edit that moves or hides the row under the cursor leaves the cursor where the
user expects, and destructive agenda edits ask first."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import Action, AgendaStep, Person, Rag, RaidItem
from pmo_tui.data.store import Store
from pmo_tui.steps.planning import PlanningView
from pmo_tui.steps.previous_actions import PreviousActionsView
from pmo_tui.steps.raid import RaidView
from pmo_tui.steps.status import StatusView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, wait_until
from tests.ui.test_ui_live import open_meeting as open_newest_meeting
from tests.ui.test_ui_meeting import open_planned_meeting


def dialog_error(pilot: Pilot[None]) -> str:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    return str(dialog.query_one("#dialog-error", Static).render())


def app_for(path: Path):  # type: ignore[no-untyped-def]
    return make_app(path, user="tester", clock=fixed_clock)


async def owner_dialog(pilot: Pilot[None]) -> int | None:
    """The newest meeting opened at its previous actions, the owner dialog open on the
    action under the cursor; returns that action's id."""
    view = (await open_newest_meeting(pilot)).query_one(PreviousActionsView)
    action_id = view.query_one(KeyTable).selected_key
    await pilot.press("o")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    return action_id


def assert_owner(path: Path, action_id: int | None, name: str, people: int) -> None:
    """The action is owned by ``name``, and nobody was added (``people`` as before)."""
    with Store(path) as store:
        action = store.get(Action, action_id or 0)
        assert store.portfolio.names()[action.owner_id or 0] == name
        assert len(store.portfolio.people()) == people


async def test_enter_takes_the_owner_suggested_on_screen_not_the_letters_typed(
    demo_path: Path,
) -> None:
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    with Store(demo_path) as store:
        people = len(store.portfolio.people())
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        action_id = await owner_dialog(pilot)
        await pilot.press(*"Sof")
        field = pilot.app.screen.query_one("#field-owner", Input)
        await wait_until(pilot, lambda: getattr(field, "_suggestion", "") == "Sofia Marques")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
    assert_owner(demo_path, action_id, "Sofia Marques", people)


async def test_a_new_person_is_added_only_on_a_second_enter(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        await open_newest_meeting(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press(*"Zed Quill", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormDialog)
        assert "not a person pmo knows" in dialog_error(pilot)
        with Store(demo_path) as store:
            assert "Zed Quill" not in [p.name for p in store.portfolio.people()]
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
    with Store(demo_path) as store:
        assert "Zed Quill" in [p.name for p in store.all(Person)]


async def test_an_owner_written_as_registers_write_names_is_the_person_pmo_knows(
    demo_path: Path,
) -> None:
    """The cold try: "M. Oyelaran", which an import reads as Marcus Oyelaran, was offered
    in the owner dialog as a new person (one more enter made a second Marcus)."""
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    with Store(demo_path) as store:
        store.portfolio.person_named("Ming Chen", create=True)
        people = len(store.portfolio.people())
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        action_id = await owner_dialog(pilot)
        field = pilot.app.screen.query_one("#field-owner", Input)
        field.value = "M. Chen"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "could be" in dialog_error(pilot))
        assert (
            dialog_error(pilot)
            == "Owner (completes as you type): “M. Chen” could be Mei Chen or Ming Chen: "
            "write the full name."
        )
        field.value = "S. Marques"
        await pilot.press("enter")
        await wait_until(pilot, lambda: field.value == "Sofia Marques")
        assert (
            dialog_error(pilot)
            == "Owner (completes as you type): “S. Marques” is Sofia Marques; enter saves."
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
    assert_owner(demo_path, action_id, "Sofia Marques", people)


async def test_greening_a_project_under_the_attention_filter_keeps_it_under_the_cursor(
    demo_path: Path,
) -> None:
    meeting_id = at_step(demo_path, AgendaStep.STATUS)
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        view = (await open_newest_meeting(pilot)).query_one(StatusView)
        board = view.query_one(KeyTable)
        await pilot.press("f")
        await pilot.pause()
        # A project that needs attention only for its overall RAG (not a worse trend).
        target = next(
            row
            for row in view.rows.values()
            if row.current is not None
            and row.current.overall is not Rag.GREEN
            and (row.previous is None or row.previous.overall is not Rag.GREEN)
        )
        board.move_cursor(row=board.get_row_index(str(target.project.id)), column=1)
        await pilot.press("g")
        await pilot.pause()
        assert board.selected_key == target.project.id
        await pilot.press("r")
        await pilot.pause()
    with Store(demo_path) as store:
        rows = {row.project.id: row for row in store.portfolio.status_board(meeting_id)}
        assert rows[target.project.id].current is not None
        assert rows[target.project.id].current.overall is Rag.RED
        assert sum(row.reported_this_meeting for row in rows.values()) == 1


async def test_enter_after_a_rescore_goes_to_the_item_that_was_next(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.RAID)
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        view = (await open_newest_meeting(pilot)).query_one(RaidView)
        queue = view.query_one("#raid-queue", KeyTable)
        first = queue.selected_key
        queue.move_cursor(row=1)
        queue.move_cursor(row=0)
        second = queue.get_row_at(1)
        following = queue.coordinate_to_cell_key(queue.cursor_coordinate.down()).row_key.value
        assert second and first is not None
        await pilot.press("1", "1")  # re-scored to the bottom of the queue
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, first).probability == 1
        assert queue.selected_key == first and queue.cursor_row > 1  # followed the item
        await pilot.press("enter")
        await pilot.pause()
        assert queue.selected_value == following


async def test_done_leaves_the_cursor_on_the_next_open_action(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    async with app_for(demo_path).run_test(size=(120, 40), notifications=True) as pilot:
        view = (await open_newest_meeting(pilot)).query_one(PreviousActionsView)
        table = view.query_one(KeyTable)
        done = table.selected_key
        await pilot.press("space")
        await pilot.pause()
        assert table.cursor_row == 0 and table.selected_key != done
        selected = view.actions[table.selected_key or 0]
        assert selected.status.value == "open"
        assert any("moved to the end" in n.message for n in pilot.app._notifications)


async def test_moving_an_agenda_step_keeps_the_cursor_on_it(demo_path: Path) -> None:
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        steps = screen.query_one(PlanningView).query_one("#plan-steps", KeyTable)
        steps.move_cursor(row=1)
        moved = steps.selected_key
        await pilot.press("J")
        await pilot.pause()
        assert steps.cursor_row == 2 and steps.selected_key == moved
        await pilot.press("K")
        await pilot.pause()
        assert steps.cursor_row == 1 and steps.selected_key == moved


async def test_removing_a_step_asks_first_and_adding_one_asks_its_kind(demo_path: Path) -> None:
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        meeting_id = screen.meeting_id
        with Store(demo_path) as store:
            before = [item.title for item in store.meetings.agenda(meeting_id)]
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press("escape")
        await pilot.pause()
        with Store(demo_path) as store:
            assert [item.title for item in store.meetings.agenda(meeting_id)] == before
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
        with Store(demo_path) as store:
            assert [item.title for item in store.meetings.agenda(meeting_id)] == before[1:]
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Kind of step is needed" in dialog_error(pilot)
        with Store(demo_path) as store:
            assert len(store.meetings.agenda(meeting_id)) == len(before) - 1


async def test_the_owner_dialog_opens_on_the_current_owner(demo_path: Path) -> None:
    """It opened empty: was there an owner, and who?"""
    at_step(demo_path, AgendaStep.PREVIOUS_ACTIONS)
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        view = (await open_newest_meeting(pilot)).query_one(PreviousActionsView)
        action_id = view.query_one(KeyTable).selected_key
        with Store(demo_path) as store:
            action = store.get(Action, action_id or 0)
            owner = store.portfolio.names()[action.owner_id or 0]
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        assert pilot.app.screen.query_one("#field-owner", Input).value == owner


async def test_the_quorum_line_wraps_rather_than_losing_its_end(demo_path: Path) -> None:
    """The cold try at 120x40: "Attendees · quorum met: chair present," and no more."""
    async with app_for(demo_path).run_test(size=(120, 40)) as pilot:
        screen = await open_planned_meeting(pilot)
        line = screen.query_one(PlanningView).query_one("#quorum-line", Static)
        await pilot.pause()
        text = str(line.render())
        width = line.content_region.width
        assert text.endswith("needed)") and len(text) > width  # longer than its column
        assert line.content_region.height >= -(-len(text) // width)
