"""The priorities step by keys: moves (a move away from the score order asks why), a rank
typed, re-sort by score, what-if then discard or adopt, the funding line moving with a
move or with capacity, pairwise weights, and the team load."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep, Project
from pmo_tui.data.rules import score_breakdown
from pmo_tui.data.store import Store
from pmo_tui.steps.priorities import LINE_KEY, PrioritiesView
from pmo_tui.steps.priorities_dialogs import PairwiseDialog, TeamLoadDialog
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, fill_form, open_newest_meeting, rendered, wait_until


async def open_priorities(pilot: Pilot[None]) -> PrioritiesView:
    view = (await open_newest_meeting(pilot)).query_one(PrioritiesView)
    assert view.query_one("#ranking", KeyTable).has_focus
    return view


def shown_order(view: PrioritiesView) -> list[str]:
    table = view.query_one("#ranking", KeyTable)
    return [
        str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)
    ]


def stored_order(path: Path, meeting_id: int) -> list[str]:
    with Store(path) as store:
        return [row.project.code for row in store.priorities.ranking(meeting_id).rows]


def put_cursor_on(view: PrioritiesView, code: str) -> None:
    table = view.query_one("#ranking", KeyTable)
    table.move_cursor(row=table.get_row_index(code))


def app_for(path: Path):  # type: ignore[no-untyped-def]
    return make_app(path, user="tester", clock=fixed_clock).run_test(size=(120, 40))


async def test_a_move_away_from_the_score_order_asks_why_and_is_saved(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        before = stored_order(demo_path, meeting_id)
        top = before[0]
        await pilot.press("J")  # the top project (also first by score) down one
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        dialog = await fill_form(pilot, why="")
        assert pilot.app.screen is dialog  # a justification is needed
        await fill_form(pilot, why="Sponsor on leave until March")
        after = stored_order(demo_path, meeting_id)
        assert after[:2] == [before[1], top] and sorted(after) == sorted(before)
        assert view.selected_code() == top  # the cursor follows the project
        assert view.board.rows[1].justification == "Sponsor on leave until March"
        assert view.board.rows[1].movement == "▼ 1"
        # A step further: the question comes with the reason given, to keep or edit.
        await pilot.press("J")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        field = pilot.app.screen.query_one("#field-why", Input)
        assert field.value == "Sponsor on leave until March"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
        # Back up to where its score puts it: no question asked, the reason goes.
        await pilot.press("K")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormDialog)
        assert stored_order(demo_path, meeting_id) == before
        assert view.board.rows[0].justification == ""


async def test_top_bottom_a_typed_rank_and_back_to_score_order(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        before = stored_order(demo_path, meeting_id)
        last = before[-1]
        put_cursor_on(view, last)
        await pilot.press("T")
        await fill_form(pilot, why="Regulatory deadline")
        assert stored_order(demo_path, meeting_id)[0] == last
        await pilot.press("m")
        dialog = await fill_form(pilot, rank="99")
        assert "from 1 to" in str(dialog.query_one("#dialog-error").render())
        dialog = await fill_form(pilot, rank="1")  # where it is: said, the dialog stays
        assert f"{last} is at rank 1 already" in str(dialog.query_one("#dialog-error").render())
        await fill_form(pilot, rank="3")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormDialog)  # off its score rank: asks why
        await fill_form(pilot, why="Deadline, but not above the top two")
        assert stored_order(demo_path, meeting_id).index(last) == 2
        await pilot.press("B")
        await pilot.pause()
        if isinstance(pilot.app.screen, FormDialog):
            await fill_form(pilot, why="Parked")
        assert stored_order(demo_path, meeting_id)[-1] == last
        await pilot.press("S")
        await pilot.pause()
        scores = [row.score_rank for row in view.board.rows]
        assert scores == sorted(scores)


async def test_the_funding_line_moves_with_a_move_and_with_capacity(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        funded = view.board.funded
        assert shown_order(view)[funded] == LINE_KEY
        first_unfunded = view.board.rows[funded]
        put_cursor_on(view, first_unfunded.project.code)
        await pilot.press("T")
        await fill_form(pilot, why="Board priority")
        row = next(r for r in view.board.rows if r.project.id == first_unfunded.project.id)
        assert row.funded and row.rank == 1
        await pilot.press("c")
        await fill_form(pilot, budget="1k")
        assert view.board.funded == 0 and shown_order(view)[0] == LINE_KEY
        await pilot.press("c")
        await fill_form(pilot, budget="1,000m")
        assert view.board.funded == len(view.board.rows)
        with Store(demo_path) as store:
            assert store.priorities.funding() == 1_000_000_000
            assert store.priorities.ranking(meeting_id).funded == len(view.board.rows)


async def test_what_if_changes_nothing_until_adopted(demo_path: Path) -> None:
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        before = stored_order(demo_path, meeting_id)
        with Store(demo_path) as store:
            weights = {c.id: c.weight for c in store.priorities.criteria()}
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("B")
        await fill_form(pilot, why="Trying it")
        assert shown_order(view)[-1] == before[0] != stored_order(demo_path, meeting_id)[-1]
        await pilot.press("W")
        first = next(iter(weights))
        await fill_form(pilot, **{str(first): "0"})
        with Store(demo_path) as store:
            assert {c.id: c.weight for c in store.priorities.criteria()} == weights
        await pilot.press("i")  # discard
        await pilot.pause()
        assert [r.project.code for r in view.board.rows] == before

        await pilot.press("i")
        await pilot.press("B")
        await fill_form(pilot, why="Benefits slipped a year")
        await pilot.press("A")
        await fill_form(pilot, why="Agreed after the what-if")
        with Store(demo_path) as store:
            adopted = store.priorities.adopted_ranking(meeting_id)
            assert adopted[-1].justification == "Benefits slipped a year"
            assert store.get(Project, adopted[-1].project_id).code == before[0]
            [decision] = [
                d for d in store.decisions.decisions(meeting_id) if d.outcome == "ranking"
            ]
            assert decision.rationale == "Agreed after the what-if"
        assert view.what_if is None


async def test_pairwise_answers_become_weights_and_contradictions_are_flagged(
    demo_path: Path,
) -> None:
    at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        await pilot.press("V")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, PairwiseDialog)
        # The first criterion beats every other by 9; the rest are equal among themselves.
        for left, _ in dialog.pairs:
            await pilot.press(*(["a", "9"] if left == 0 else ["equals_sign"]))
        assert dialog.done and "consistent" in rendered(dialog.query_one("#pair-result", Static))
        await pilot.press("enter")
        await pilot.pause()
        with Store(demo_path) as store:
            weights = [c.weight for c in store.priorities.criteria()]
        assert weights[0] == max(weights) and weights[0] > 50
        assert sum(weights) == pytest.approx(100, abs=0.5)
        assert view.board.criteria[0].weight == weights[0]

        await pilot.press("V")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, PairwiseDialog)
        # Circular: 1 > 2 > 3 > 1, strongly.
        for left, right in dialog.pairs:
            keys = ["equals_sign"]
            if (left, right) in ((0, 1), (1, 2)):
                keys = ["a", "9"]
            elif (left, right) == (0, 2):
                keys = ["b", "9"]
            await pilot.press(*keys)
        assert "contradict" in rendered(dialog.query_one("#pair-result", Static))
        await pilot.press("escape")


async def test_the_team_load_shows_over_allocation(demo_path: Path) -> None:
    at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        assert any(row.over_teams for row in view.board.rows)
        await pilot.press("L")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, TeamLoadDialog)
        assert "OVER" in rendered(dialog.query(Static).last(), width=200)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is view.screen


async def test_a_criterion_is_added_and_a_project_scored_costed_and_staffed(
    demo_path: Path,
) -> None:
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        await pilot.press("W")
        dialog = await fill_form(pilot, new="Risk")
        assert "name=weight" in rendered(dialog.query_one("#dialog-error", Static))
        await fill_form(pilot, new="Risk=15")
        assert [c.name for c in view.board.criteria][-1] == "Risk"
        risk = view.board.criteria[-1]

        last = view.board.rows[-1]
        put_cursor_on(view, last.project.code)
        await pilot.press("e")
        dialog = await fill_form(pilot, **{f"score-{risk.id}": "7"})
        assert "0 to 5" in rendered(dialog.query_one("#dialog-error", Static))
        digital = next(t for t in view.board.teams if t.name == "Digital")
        dialog = await fill_form(pilot, **{f"score-{risk.id}": "5", "cost": "lots"})
        assert "Cost “lots” is not an amount" in rendered(dialog.query_one("#dialog-error", Static))
        await fill_form(pilot, cost="0", **{f"team-{digital.id}": "2.5"})
        with Store(demo_path) as store:
            inputs = store.priorities.ranking_inputs(meeting_id)
            assert inputs.scores[last.project.id][risk.id] == 5
            assert inputs.demand[last.project.id]["Digital"] == 2.5
            assert store.get(Project, last.project.id).period_cost == 0
        row = next(r for r in view.board.rows if r.project.id == last.project.id)
        weights = {criterion.id: criterion.weight for criterion in view.board.criteria}
        assert score_breakdown(view.inputs.scores[row.project.id], weights)[risk.id] > 0
        assert row.cost == 0


async def test_sorting_by_score_says_what_it_cleared_and_u_puts_the_ranking_back(
    demo_path: Path,
) -> None:
    """The cold try: S re-sorted and saved, and the reason typed for a move went, without
    a word and with no way back."""
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        last = stored_order(demo_path, meeting_id)[-1]
        put_cursor_on(view, last)
        await pilot.press("T")
        await fill_form(pilot, why="Regulator deadline moved forward")
        moved = stored_order(demo_path, meeting_id)
        assert moved[0] == last
        await pilot.press("S")
        await wait_until(pilot, lambda: stored_order(demo_path, meeting_id) != moved)
        messages = [n.message for n in pilot.app._notifications]
        assert any(
            m.startswith("Ranked by score and saved: ")
            and "1 reason for moves against the score cleared" in m
            and "u puts the ranking back" in m
            for m in messages
        ), messages
        await pilot.press("u")
        await wait_until(pilot, lambda: stored_order(demo_path, meeting_id) == moved)
        assert view.board.rows[0].project.code == last
        assert view.board.rows[0].justification == "Regulator deadline moved forward"
        assert "The ranking before S is back, with 1 reason." in [
            n.message for n in pilot.app._notifications
        ]
        await pilot.press("u")
        await pilot.pause()
        assert stored_order(demo_path, meeting_id) == moved  # one step back, not two


async def test_the_summary_counts_and_pages_read_as_one_sentence(demo_path: Path) -> None:
    """The cold try on 2,000 projects: "2000 active projects; Ranks 1-100 of 2,000 shown
    (< >). budget ..." (the count unformatted, a capital after a semicolon)."""
    from pmo_tui.data.models import Project, ProjectStatus
    from pmo_tui.widgets.step_summary import StepSummary

    at_step(demo_path, AgendaStep.PRIORITIES)
    with Store(demo_path, clock=fixed_clock) as store:
        store.db.add_many(
            [Project(name=f"Extra project {n}", status=ProjectStatus.ACTIVE) for n in range(1_000)]
        )
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        facts = view.query_one("#rank-summary", StepSummary).facts
        total = len(view.plan)
        assert total > 1_000
        assert f"{total:,} active projects · ranks 1-100 of {total:,} shown (< >); budget" in facts


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_sorting_a_long_ranking_by_score_keeps_every_columns_width(
    demo_path: Path, size: tuple[int, int]
) -> None:
    """The benchmark: the first S after arriving at 8,000 projects took 2-4 times the
    later ones, as "▲ 7412", "UNFUNDED · over" and "OUT OF FUNDING" widened their
    columns and the table grew a horizontal scroll bar, a layout of the whole screen.
    The columns keep their widths whatever the rows say: a re-rank redraws rows only."""
    from pmo_tui.data.models import Project, ProjectStatus

    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    with Store(demo_path, clock=fixed_clock) as store:
        store.db.add_many(
            [Project(name=f"Extra project {n}", status=ProjectStatus.ACTIVE) for n in range(1_500)]
        )
        inputs = store.priorities.ranking_inputs(meeting_id)
        by_score = store.priorities.ranking(meeting_id)
        worst_first = [row.project.id for row in reversed(by_score.rows)]
        store.priorities.save_ranking(meeting_id, inputs.draft_version, worst_first, {})
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(size=size) as pilot:
        view = await open_priorities(pilot)
        table = view.query_one("#ranking", KeyTable)
        await pilot.pause()
        widths = table._columns_shape()
        scrolls_sideways = table.show_horizontal_scrollbar
        await pilot.press("S")
        await wait_until(pilot, lambda: view.plan.order == view.plan.by_score_order())
        await pilot.pause()
        assert any(row.movement != "=" for row in view.board.rows[:100])
        assert table._columns_shape() == widths
        assert table.show_horizontal_scrollbar == scrolls_sideways


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_card_shows_the_rows_note_under_its_title(
    demo_path: Path, size: tuple[int, int]
) -> None:
    """The cold try: the note column cuts a row's note and the card was to say it whole,
    but the card's fixed height cut its last line (a 300-character reason lost its end
    with no "…"; at 80x24 the note was not on the card at all). The note comes right under
    the title, in at most three lines, the last ending in "…" when there is more."""
    from textual.geometry import Region

    from pmo_tui.widgets.card import Card

    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(size=size) as pilot:
        view = await open_priorities(pilot)
        put_cursor_on(view, stored_order(demo_path, meeting_id)[-1])
        await pilot.press("T")
        await fill_form(pilot, why="Regulator deadline moved forward, " * 9 + "THE END")
        await pilot.pause()
        card = view.query_one("#rank-card", Card)
        shown = [
            strip.text.strip(" ▊▎▍▌█")
            for strip in card.render_lines(Region(0, 0, *card.outer_size))
        ]
        assert shown[0].startswith("#1 ")
        note = shown[1:4]
        assert "Why here: Regulator deadline moved forward" in " ".join(note), shown
        assert note[-1].endswith("…") and "THE END" not in " ".join(shown), shown


async def test_the_funding_lines_card_says_what_its_figure_is(demo_path: Path) -> None:
    """The cold try: on the funding line the Cost column shows a figure the card did not
    explain (the spend above the line)."""
    from pmo_tui.steps.priorities import _money
    from pmo_tui.widgets.card import Card

    at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        table = view.query_one("#ranking", KeyTable)
        table.move_cursor(row=table.get_row_index(LINE_KEY))
        await pilot.pause()
        said = rendered(view.query_one("#rank-card", Card))
        spent, budget = _money(view.plan.spent), _money(view.plan.inputs.budget)
        assert f"cost {spent} of the {budget} budget" in " ".join(said.split()), said


async def test_a_project_key_on_the_funding_line_says_why_it_does_nothing(
    demo_path: Path,
) -> None:
    """The cold try: K, m and e on the funding line did nothing, silently."""
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        before = stored_order(demo_path, meeting_id)
        table = view.query_one("#ranking", KeyTable)
        table.move_cursor(row=table.get_row_index(LINE_KEY))
        await pilot.pause()
        for key in ("K", "m", "e", "T"):
            pilot.app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: bool(pilot.app._notifications))
            said = [n.message for n in pilot.app._notifications]
            assert said == [
                "The cursor is on the funding line, not a project: move it to a project first."
            ], key
            assert not isinstance(pilot.app.screen, FormDialog)
        assert stored_order(demo_path, meeting_id) == before


async def test_the_rank_dialog_gives_the_range_before_anything_is_typed(
    demo_path: Path,
) -> None:
    """The cold try: the field took digits only, so "abc" left it empty and the dialog
    said only "Rank is needed.", and "1.5" became 15. The range shows from the start, and
    anything but a whole number in it is refused with it."""
    meeting_id = at_step(demo_path, AgendaStep.PRIORITIES)
    async with app_for(demo_path) as pilot:
        view = await open_priorities(pilot)
        before = stored_order(demo_path, meeting_id)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        dialog = pilot.app.screen
        assert f"Rank (1 to {len(view.plan)})" in str(dialog.query_one("Label").render())
        field = dialog.query_one("#field-rank", Input)
        for typed in ("abc", "1.5", "-2", "²"):  # '²' passed isdigit, then int() raised
            field.value = ""
            field.focus()
            await pilot.press(*typed, "ctrl+s")  # typed key by key, as a user does
            await pilot.pause()
            error = str(dialog.query_one("#dialog-error").render())
            assert error == f"A rank is a whole number from 1 to {len(view.plan)}.", typed
        assert stored_order(demo_path, meeting_id) == before
