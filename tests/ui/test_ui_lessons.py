"""The lessons step by keys: search as you type with matches marked, filters, a lesson
captured from another step with its project, adoption, related lessons on a RAID card,
and closing a project through its checklist."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep, Lesson, Project, ProjectStatus, RaidKind
from pmo_tui.data.store import Store
from pmo_tui.steps.lessons import LessonsView
from pmo_tui.steps.raid import RaidView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, fill_form, open_newest_meeting, rendered


def app_for(path: Path):  # type: ignore[no-untyped-def]
    return make_app(path, user="tester", clock=fixed_clock).run_test(size=(120, 40))


async def open_lessons(pilot: Pilot[None]) -> LessonsView:
    return (await open_newest_meeting(pilot)).query_one(LessonsView)


def shown_codes(view: LessonsView) -> list[str]:
    table = view.query_one("#lessons", KeyTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def type_search(pilot: Pilot[None], view: LessonsView, words: str) -> None:
    await pilot.press("slash")
    search = view.query_one("#lesson-search", Input)
    assert search.has_focus
    search.value = words
    await pilot.pause()
    await pilot.press("enter")  # back to the results
    await pilot.pause()


async def test_search_as_you_type_marks_matches_and_clears(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.LESSONS)
    async with app_for(demo_path) as pilot:
        view = await open_lessons(pilot)
        everything = shown_codes(view)
        assert len(everything) > 5
        await type_search(pilot, view, "supplier")
        with Store(demo_path) as store:
            expected = [hit.lesson.code for hit in store.lessons.search_lessons("supplier")]
        assert shown_codes(view) == expected and expected
        assert view.query_one("#lessons", KeyTable).has_focus
        card = rendered(view.query_one("#lesson-card", Static))
        assert "supplier" in card.lower()
        await type_search(pilot, view, 'NEAR( "* -')  # FTS syntax: searched, never raised
        assert shown_codes(view) == []
        assert "No lessons match" in rendered(view.query_one("#lesson-card", Static))
        await pilot.press("x")
        await pilot.pause()
        assert shown_codes(view) == everything


async def test_filters_narrow_the_list(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.LESSONS)
    async with app_for(demo_path) as pilot:
        view = await open_lessons(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        dialog = await fill_form(pilot, project="P-999")
        assert "P-999 does not exist" in rendered(dialog.query_one("#dialog-error", Static))
        await fill_form(pilot, project="", programme="Digital Customer")
        with Store(demo_path) as store:
            expected = [
                h.lesson.code
                for h in store.lessons.search_lessons("", programme="Digital Customer")
            ]
        assert shown_codes(view) == expected
        assert "programme Digital Customer" in rendered(view.query_one("#lesson-summary", Static))


async def test_a_lesson_is_captured_from_the_raid_step_with_its_project(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.RAID)
    async with app_for(demo_path) as pilot:
        screen = await open_newest_meeting(pilot)
        view = screen.query_one(RaidView)
        item = next(i for i in view.items.values() if i.project_id)
        table = view.query_one("#raid-queue", KeyTable)
        table.move_cursor(row=table.get_row_index(str(item.id)))
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-project", Input).value == f"P-{item.project_id}"
        await fill_form(
            pilot, title="Escalate [bold]early[/] | always", next_time="Raise it at the gate"
        )
        with Store(demo_path) as store:
            [made] = [lesson for lesson in store.all(Lesson) if lesson.meeting_id == meeting_id]
            assert made.title == "Escalate [bold]early[/] | always"
            assert made.project_id == item.project_id


async def test_new_adopted_and_deleted_in_the_step(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.LESSONS)
    async with app_for(demo_path) as pilot:
        view = await open_lessons(pilot)
        await pilot.press("N")
        await pilot.pause()
        await fill_form(pilot, project="P-3", title="Book the test lab a quarter ahead")
        code = view.selected_code()
        assert code
        await pilot.press("A")
        await pilot.pause()
        with Store(demo_path) as store:
            made = store.find(code)
            assert isinstance(made, Lesson) and made.adopted_on is not None
        await pilot.press("delete")
        await pilot.pause()
        await fill_form(pilot)
        assert code not in shown_codes(view)


async def test_related_lessons_sit_beside_a_new_raid_item(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.RAID)
    with Store(demo_path, clock=fixed_clock) as store:
        item = store.raid.add_raid_item(
            RaidKind.RISK, "The supplier may lose its only specialist", "P-3"
        )
        store.db.update(type(item), item.id, item.version, probability=5, impact=5)
        related = store.lessons.related_lessons(item.title)
        assert related
    async with app_for(demo_path) as pilot:
        view = (await open_newest_meeting(pilot)).query_one(RaidView)
        table = view.query_one("#raid-queue", KeyTable)
        table.move_cursor(row=table.get_row_index(str(item.id)))
        # Searched on a thread: the card is drawn at once and again with its lessons.
        while not view.related.known(item.title):
            await pilot.pause(0.01)
        await pilot.pause()
        card = rendered(view.query_one("#raid-card", Static))
        assert "Lessons" in card and related[0].lesson.code in card


async def test_closing_a_project_refuses_open_points_then_overrides(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.LESSONS)
    async with app_for(demo_path) as pilot:
        await open_lessons(pilot)
        await pilot.press("X")
        await pilot.pause()
        dialog = await fill_form(
            pilot, project="P-2", handed_over_to="Service desk", rationale="Delivered"
        )
        error = rendered(dialog.query_one("#dialog-error", Static))
        assert "P-2 cannot close with" in error and "Benefits owner named" in error
        with Store(demo_path) as store:
            assert store.get(Project, 2).status is ProjectStatus.ACTIVE
        await fill_form(pilot, override="Sponsor accepts the open items")
        assert pilot.app.screen is not dialog
        with Store(demo_path) as store:
            assert store.get(Project, 2).status is ProjectStatus.CLOSED
            [decision] = [
                d for d in store.decisions.decisions(meeting_id) if d.outcome == "closure"
            ]
            assert "overridden: Sponsor accepts the open items" in decision.text


async def test_escape_in_the_search_box_goes_to_the_results_not_out(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.LESSONS)
    async with app_for(demo_path) as pilot:
        view = await open_lessons(pilot)
        await pilot.press("slash", "s", "u", "p")
        await pilot.pause()
        assert view.query_one("#lesson-search", Input).value == "sup"
        await pilot.press("escape")
        await pilot.pause()
        assert view.query_one("#lessons", KeyTable).has_focus
        assert view.screen is pilot.app.screen  # still in the meeting
