"""The change-decisions step by keys: every decision kind, the rationale required, a request
changed by another session while it is being decided, the gate checklist and its flow, and
requests typed with loose amounts and durations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import (
    AgendaStep,
    ChangeRequest,
    ChangeStatus,
    CheckState,
    GateReview,
    GateStatus,
    Phase,
    Project,
)
from pmo_tui.data.store import Store
from pmo_tui.screens.project import ProjectScreen
from pmo_tui.steps.changes import ChangeView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, fill_form, open_newest_meeting, rendered


def at_change_step(path: Path) -> int:
    return at_step(path, AgendaStep.CHANGES)


async def open_changes(pilot: Pilot[None]) -> ChangeView:
    view = (await open_newest_meeting(pilot)).query_one(ChangeView)
    assert view.query_one("#change-queue", KeyTable).has_focus
    return view


def put_cursor_on(view: ChangeView, code: str) -> None:
    table = view.query_one("#change-queue", KeyTable)
    table.move_cursor(row=table.get_row_index(code))


def dialog_error(dialog: FormDialog) -> str:
    return str(dialog.query_one("#dialog-error", Static).render())


def card_text(view: ChangeView) -> str:
    return rendered(view.query_one("#change-card", Static), width=100)


def footer_keys(pilot: Pilot[None]) -> dict[str, str]:
    return {
        key: active.binding.description
        for key, active in pilot.app.screen.active_bindings.items()
        if active.enabled
    }


@pytest.mark.parametrize(
    ("key", "status", "extra"),
    [
        ("a", ChangeStatus.APPROVED, {}),
        ("c", ChangeStatus.APPROVED_WITH_CONDITIONS, {"conditions": "Finance signs off"}),
        ("x", ChangeStatus.REJECTED, {}),
        ("f", ChangeStatus.DEFERRED, {"deferred_to": "2027-01-14"}),
        ("i", ChangeStatus.MORE_INFORMATION, {}),
    ],
)
async def test_each_decision_key_records_the_decision_and_moves_on(
    demo_path: Path, key: str, status: ChangeStatus, extra: dict[str, str]
) -> None:
    meeting_id = at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        table = view.query_one("#change-queue", KeyTable)
        first = view.selected_code()
        following = str(table.coordinate_to_cell_key((1, 0)).row_key.value)
        await pilot.press(key)
        await fill_form(pilot, rationale="Weighed in the room", vote="4/1/0", **extra)
        assert pilot.app.screen is view.screen
        with Store(demo_path) as store:
            request = store.find(first)
            assert isinstance(request, ChangeRequest)
            assert request.status is status and request.meeting_id == meeting_id
            [decision] = [d for d in store.decisions.decisions(meeting_id) if d.change_request_id]
            assert decision.rationale == "Weighed in the room"
            assert decision.tally == "4 for, 1 against, 0 abstain"
            if status is ChangeStatus.DEFERRED:
                assert request.deferred_to == date(2027, 1, 14)
            if status is ChangeStatus.APPROVED_WITH_CONDITIONS:
                assert request.conditions == "Finance signs off"
        # The decided request goes below the undecided ones; the cursor is on the next.
        assert view.selected_code() == following
        put_cursor_on(view, first)
        await pilot.pause()
        assert f"{decision.code} {first}" in card_text(view)
        assert footer_keys(pilot).get("a") is None  # decided: no second decision


async def test_a_decision_without_rationale_is_refused_with_a_message(demo_path: Path) -> None:
    at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        code = view.selected_code()
        await pilot.press("a")
        dialog = await fill_form(pilot, rationale="   ")
        assert pilot.app.screen is dialog and dialog_error(dialog) == "Rationale is needed."
        dialog = await fill_form(pilot, rationale="ok", vote="two for")
        assert "give three whole numbers" in dialog_error(dialog)
        with Store(demo_path) as store:
            request = store.find(code)
            assert isinstance(request, ChangeRequest)
            assert request.status is ChangeStatus.SUBMITTED


async def test_a_request_changed_meanwhile_is_not_decided_until_seen(demo_path: Path) -> None:
    at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        code = view.selected_code()
        await pilot.press("a")
        with Store(demo_path, user="bob", clock=fixed_clock) as other:
            request = other.find(code)
            assert isinstance(request, ChangeRequest)
            other.changes.edit_change(request.id, request.version, cost_impact=999_000.0)
        dialog = await fill_form(pilot, rationale="Approve as presented")
        assert pilot.app.screen is dialog
        message = dialog_error(dialog)
        assert "changed by bob" in message and "cost impact is now 999000.0" in message
        with Store(demo_path) as store:
            assert store.get(ChangeRequest, request.id).status is ChangeStatus.SUBMITTED
        # Seen now: saving again decides the request as it stands.
        await fill_form(pilot)
        assert pilot.app.screen is not dialog
        with Store(demo_path) as store:
            assert store.get(ChangeRequest, request.id).status is ChangeStatus.APPROVED


async def test_a_gate_by_keys_tick_the_checklist_then_go(demo_path: Path) -> None:
    meeting_id = at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        with Store(demo_path) as store:
            [gate] = [g.gate for g in store.changes.gate_queue(meeting_id) if g.unmet]
            project_id = gate.project_id
        put_cursor_on(view, gate.code)
        await pilot.pause()
        keys = footer_keys(pilot)
        assert (keys["a"], keys["c"], keys["f"], keys["x"]) == (
            "Go",
            "Conditional go",
            "Hold",
            "Stop",
        )
        assert "Checklist" in card_text(view) and "✗  not met" in card_text(view)

        # A go with criteria not met is refused at the key, before any rationale is typed.
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormDialog)
        assert any("criteria are not met" in n.message for n in pilot.app._notifications)

        with Store(demo_path) as store:
            states = [check.state for check in store.changes.gate_checks(gate.id)]
        for number, state in enumerate(states, start=1):
            # Each digit cycles open → met → not met → n/a → open.
            presses = {
                CheckState.OPEN: 1,
                CheckState.MET: 0,
                CheckState.NOT_MET: 1,
                CheckState.NOT_APPLICABLE: 0,
            }[state]
            for _ in range(presses):
                await pilot.press(str(number))
        await pilot.pause()
        with Store(demo_path) as store:
            assert all(
                check.state in (CheckState.MET, CheckState.NOT_APPLICABLE)
                for check in store.changes.gate_checks(gate.id)
            )
        await pilot.press("a")
        await fill_form(pilot, rationale="All criteria met or not applicable")
        with Store(demo_path) as store:
            assert store.get(GateReview, gate.id).status is GateStatus.GO
            assert store.get(Project, project_id).phase is Phase.DELIVERY


async def test_conditional_go_offers_the_unmet_criteria_as_conditions(demo_path: Path) -> None:
    meeting_id = at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        with Store(demo_path) as store:
            [row] = [g for g in store.changes.gate_queue(meeting_id) if g.unmet]
        put_cursor_on(view, row.gate.code)
        await pilot.pause()
        await pilot.press("c")
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        offered = dialog.query_one("#field-conditions", Input).value
        assert offered == "; ".join(check.criterion for check in row.unmet)
        dialog = await fill_form(
            pilot, rationale="Proceed; close the gaps", owner="Priya Shah", due_on="+2w"
        )
        # A name pmo does not know is asked about once: a second save adds the person.
        assert "not a person pmo knows" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        with Store(demo_path) as store:
            actions = [a for a in store.decisions.actions(meeting_id) if "Gate condition" in a.text]
            assert len(actions) == len(row.unmet)
            assert all(a.due_on == date(2026, 12, 10) for a in actions)
            assert store.get(Project, row.project.id).phase is row.gate.to_phase


async def test_a_new_request_parses_loose_amounts_and_refuses_nonsense(demo_path: Path) -> None:
    at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await open_changes(pilot)
        await pilot.press("N")
        dialog = await fill_form(
            pilot,
            project="P-3",
            title="Second data centre [bold]now[/]",
            cost="lots",
            schedule="two weeks",
        )
        assert "Cost impact “lots” is not an amount" in dialog_error(dialog)
        dialog = await fill_form(pilot, cost="£12.5k", schedule="soon")
        assert "Schedule impact “soon” is not a number of days" in dialog_error(dialog)
        await fill_form(pilot, schedule="two weeks")
        assert pilot.app.screen is not dialog
        with Store(demo_path) as store:
            [made] = [
                r for r in store.all(ChangeRequest) if r.title.startswith("Second data centre")
            ]
            assert (made.cost_impact, made.schedule_impact_days) == (12_500.0, 14)
            assert made.title == "Second data centre [bold]now[/]"
            assert made.status is ChangeStatus.SUBMITTED


async def test_the_step_reads_at_80_columns(demo_path: Path) -> None:
    at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(80, 24)
    ) as pilot:
        view = await open_changes(pilot)
        table = view.query_one("#change-queue", KeyTable)
        assert table.size.height >= 5 and table.virtual_size.width <= table.size.width + 1
        assert "Tolerance" in card_text(view)


async def test_the_project_shows_its_baseline_history_and_b_moves_it(demo_path: Path) -> None:
    at_change_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        code = view.selected_code()
        await pilot.press("a")
        await fill_form(pilot, rationale="Approved as presented")
        put_cursor_on(view, code)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ProjectScreen)
        history = screen.query_one("#baseline", KeyTable)
        decision_cells = [str(history.get_row_at(row)[-1]) for row in range(history.row_count)]
        assert decision_cells[0] == "" and decision_cells[-1].startswith("D-")
        before = history.row_count

        await pilot.press("B")
        dialog = await fill_form(pilot, budget="lots", reason="Re-plan")
        assert "Budget “lots” is not an amount" in dialog_error(dialog)
        dialog = await fill_form(pilot, budget="3m", reason="")
        assert "needs a reason" in dialog_error(dialog)
        await fill_form(pilot, reason="Re-plan after the merger", cost_tolerance="15 %")
        assert pilot.app.screen is screen
        assert history.row_count == before + 1
        with Store(demo_path) as store:
            project = store.get(Project, screen.project_id)
            assert (project.budget, project.cost_tolerance_pct) == (3_000_000.0, 15.0)


async def test_a_requests_related_lessons_reach_its_card_from_their_thread(
    demo_path: Path,
) -> None:
    meeting_id = at_change_step(demo_path)
    with Store(demo_path, clock=fixed_clock) as store:
        found = [
            (
                row.request,
                store.lessons.related_lessons(f"{row.request.title} {row.request.reason}"),
            )
            for row in store.changes.change_queue(meeting_id)
        ]
    # The last request with related lessons: the cursor has to move to it.
    request, expected = [(request, hits) for request, hits in found if hits][-1]
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        put_cursor_on(view, request.code)
        # The search runs on a worker thread; the card is drawn again when it is done.
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert expected[0].lesson.code in card_text(view)


async def test_the_card_shows_names_with_terminal_escapes_as_inert_text(demo_path: Path) -> None:
    """The cold try's hole: a project name with an OSC 52 (sets the clipboard) and a
    right-to-left override reached the terminal from the change card on every redraw."""
    meeting_id = at_change_step(demo_path)
    hostile = "Access \x1b]52;c;aGVsbG8=\x07 \x1b[41mRED\x1b[0m \u202eevil"
    with Store(demo_path, clock=fixed_clock) as store:
        request = store.changes.change_queue(meeting_id)[0].request
        project = store.get(Project, request.project_id)
        store.db.update(Project, project.id, project.version, name=hostile)
        store.db.update(ChangeRequest, request.id, request.version, requested_by="Eve \x1b[2J\x07")
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_changes(pilot)
        put_cursor_on(view, request.code)
        await pilot.pause()
        card = card_text(view)
        assert "Access" in card and "Eve" in card
        assert not {"\x1b", "\x07", "\u202e"} & set(card), card
