"""The RAID triage step by keys: the queue, the card's keys, undo, the heat-map filter, and
triage of one risk in four keystrokes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep, RaidItem, RaidKind, RaidStatus, Response
from pmo_tui.data.raid import RaidFilter
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.register import DependencyScreen, RegisterScreen
from pmo_tui.steps.raid import RaidView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.related import RelatedLessons
from pmo_tui.widgets.table import PAGE, KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, open_newest_meeting, rendered, wait_until


def at_raid_step(path: Path) -> int:
    return at_step(path, AgendaStep.RAID)


async def open_raid(pilot: Pilot[None]) -> RaidView:
    view = (await open_newest_meeting(pilot)).query_one(RaidView)
    assert view.query_one("#raid-queue", KeyTable).has_focus
    return view


async def choose_cell(pilot: Pilot[None], view: RaidView, *, row: int, column: int) -> None:
    """Enter on a cell of the heat map (row 0 is the highest probability)."""
    heat = view.query_one("#raid-heat", KeyTable)
    heat.focus()
    heat.move_cursor(row=row, column=column)
    await pilot.press("enter")


def queue(view: RaidView) -> KeyTable:
    return view.query_one("#raid-queue", KeyTable)


def put_cursor_on(view: RaidView, item_id: int) -> None:
    table = queue(view)
    table.move_cursor(row=table.get_row_index(str(item_id)))


async def on_first_threat(pilot: Pilot[None]) -> tuple[RaidView, RaidItem]:
    """The RAID step open, the cursor on the queue's first risk."""
    view = await open_raid(pilot)
    risk = first_threat(view)
    put_cursor_on(view, risk.id)
    await pilot.pause()
    return view, risk


def item_below(view: RaidView) -> RaidItem:
    """The queue's item under the one the cursor is on."""
    table = queue(view)
    below = table.coordinate_to_cell_key(Coordinate(table.cursor_row + 1, 0))
    return view.items[int(below.row_key.value or 0)]


def first_threat(
    view: RaidView, not_in_cell: tuple[int, int] | None = None, besides: int | None = None
) -> RaidItem:
    """The first risk (not an opportunity) in the queue, outside a heat-map cell if given,
    other than ``besides``."""
    return next(
        item
        for item in view.items.values()
        if item.kind is RaidKind.RISK
        and "(opportunity)" not in item.title
        and (item.probability, item.impact) != not_in_cell
        and item.id != besides
    )


async def test_the_queue_is_the_stores_triage_order_and_the_card_shows_the_first(
    demo_path: Path,
) -> None:
    meeting_id = at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        with Store(demo_path) as store:
            expected = [entry.item.id for entry in store.raid.triage_queue(meeting_id)]
        table = queue(view)
        shown = [
            int(table.coordinate_to_cell_key((row, 0)).row_key.value or 0)
            for row in range(table.row_count)
        ]
        assert shown == expected
        console = Console(width=100, record=True)
        console.print(view.query_one("#raid-card", Static).content)
        card = console.export_text()
        first = view.items[expected[0]]
        assert first.code in card and "History" in card and "Why here" in card


async def test_a_risk_is_triaged_in_four_keystrokes(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view, risk = await on_first_threat(pilot)
        row_before = queue(view).cursor_row
        keys = ["2", "3", "m", "enter"]  # probability, impact, response, next
        await pilot.press(*keys)
        await pilot.pause()
        assert len(keys) == 4
        assert queue(view).selected_key != risk.id  # moved on to the next item
        assert queue(view).cursor_row >= row_before
    with Store(demo_path) as store:
        done = store.get(RaidItem, risk.id)
    assert (done.probability, done.impact, done.response) == (2, 3, Response.MITIGATE)


async def test_card_keys_and_undo(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40), notifications=True
    ) as pilot:
        view = await open_raid(pilot)
        risk = first_threat(view)
        put_cursor_on(view, risk.id)
        await pilot.press("7")  # off the 5x5 scale: refused, nothing typed
        await pilot.pause()
        assert view.pending is None
        assert any("off the 5x5 scale" in str(n.message) for n in pilot.app._notifications)
        await pilot.press("v")  # avoid
        await pilot.pause()
        await pilot.press("u")  # undo: back to what it was
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, risk.id).response == risk.response
        await pilot.press("e")  # escalate
        await pilot.pause()
        with Store(demo_path) as store:
            escalated = store.get(RaidItem, risk.id)
        assert escalated.status is RaidStatus.ESCALATED
        assert escalated.response is Response.ESCALATE
        put_cursor_on(view, risk.id)
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-owner", Input).value = "New Risk Owner"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")  # yes, a new person
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        pilot.app.screen.query_one("#field-due", Input).value = "+2w"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        pilot.app.screen.query_one("#field-reason", Input).value = "Supplier [bold]replaced"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(demo_path) as store:
        final = store.get(RaidItem, risk.id)
        assert store.portfolio.names()[final.owner_id or 0] == "New Risk Owner"
        assert final.review_by == date(2026, 12, 10)
        assert final.status is RaidStatus.CLOSED
        assert final.close_reason == "Supplier [bold]replaced"


async def test_choosing_a_heat_map_cell_lists_its_risks(demo_path: Path) -> None:
    meeting_id = at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        await choose_cell(pilot, view, row=0, column=5)  # probability 5, impact 5
        await pilot.pause()
        assert view.cell == (5, 5)
        with Store(demo_path) as store:
            expected = store.raid.raid_items(
                RaidFilter(kinds=frozenset({RaidKind.RISK}), cell=(5, 5))
            )
        assert queue(view).row_count == len(expected) > 0
        assert queue(view).has_focus
        await pilot.press("H")
        await pilot.pause()
        assert view.cell is None
        with Store(demo_path) as store:
            assert queue(view).row_count == len(store.raid.triage_queue(meeting_id))


async def test_a_new_item_needs_only_kind_project_and_title(demo_path: Path) -> None:
    meeting_id = at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await open_raid(pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-project", Input).value = "P-99"
        dialog.query_one("#field-title", Input).value = "Data centre lease ends early"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog  # P-99 does not exist: said, nothing lost
        dialog.query_one("#field-project", Input).value = "P-3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MeetingScreen)
    with Store(demo_path) as store:
        created = store.raid.raid_changes(meeting_id).new
        assert [(i.title, i.project_id, i.kind) for i in created] == [
            ("Data centre lease ends early", 3, RaidKind.RISK)
        ]


async def open_register(pilot: Pilot[None]) -> RegisterScreen:
    """The RAID register, opened from the home screen."""
    await pilot.pause()
    await pilot.press("R")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RegisterScreen)
    return screen


async def test_the_register_filters_combine_and_read_as_one_line(demo_path: Path) -> None:
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_register(pilot)
        table = screen.query_one(KeyTable)
        line = lambda: str(screen.query_one("#register-filters", Static).render())  # noqa: E731
        with Store(demo_path) as store:
            open_count = store.raid.raid_count(RaidFilter())
        assert table.row_count == min(open_count, PAGE)
        assert "all kinds · not closed · by score" in line()
        await pilot.press("K", "K")  # kind: all -> risks -> assumptions
        await pilot.press("R")  # review overdue
        await pilot.press("slash", *"regulator", "enter")
        await pilot.pause()
        assert "assumptions · not closed · review overdue · matching “regulator”" in line()
        with Store(demo_path) as store:
            expected = store.raid.raid_items(
                RaidFilter(
                    kinds=frozenset({RaidKind.ASSUMPTION}),
                    review_overdue_on=fixed_clock().date(),
                    text="regulator",
                )
            )
        assert table.row_count == len(expected) > 0
        assert all("NOT VALIDATED" in str(table.get_row_at(r)[7]) for r in range(table.row_count))
        await pilot.press("X")
        await pilot.pause()
        assert table.row_count == min(open_count, PAGE)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DependencyScreen)
        with Store(demo_path) as store:
            assert app.screen.query_one(KeyTable).row_count == len(store.raid.dependencies())


async def test_an_assumption_turns_into_a_risk_from_the_card(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        assumption = next(i for i in view.items.values() if i.kind is RaidKind.ASSUMPTION)
        put_cursor_on(view, assumption.id)
        await pilot.press("T")
        await pilot.pause()
        pilot.app.screen.query_one("#field-reason", Input).value = "Regulator said no"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(demo_path) as store:
        old = store.get(RaidItem, assumption.id)
        assert old.status is RaidStatus.CLOSED and old.became_id is not None
        new = store.get(RaidItem, old.became_id)
        assert new.kind is RaidKind.RISK and new.source_id == assumption.id
        assert "Regulator said no" in old.close_reason


async def test_status_note_responses_and_a_past_review_date(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        risk = first_threat(view)
        put_cursor_on(view, risk.id)
        for key, response in (
            ("m", Response.MITIGATE),
            ("v", Response.AVOID),
            ("f", Response.TRANSFER),
            ("c", Response.ACCEPT),
        ):
            await pilot.press(key)
            await pilot.pause()
            with Store(demo_path) as store:
                assert store.get(RaidItem, risk.id).response is response
        await pilot.press("x")  # exploit is for opportunities: refused
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, risk.id).response is Response.ACCEPT
        status_before = view.items[risk.id].status
        await pilot.press("S")
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, risk.id).status is not status_before
        await pilot.press("N")
        await pilot.pause()
        pilot.app.screen.query_one("#field-note", Input).value = "Vendor confirmed | dates"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-due", Input).value = "2026-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog
        assert "in the past" in str(dialog.query_one("#dialog-error", Static).render())
        await pilot.press("escape")
    with Store(demo_path) as store:
        final = store.get(RaidItem, risk.id)
        assert final.description.endswith("tester: Vendor confirmed | dates")
        assert final.review_by == risk.review_by


async def test_the_rest_of_an_items_fields_are_filled_in_later(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        issue = next(i for i in view.items.values() if i.kind is RaidKind.ISSUE)
        put_cursor_on(view, issue.id)
        await pilot.press("E")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-priority", Select).value = "high"
        dialog.query_one("#field-due_on", Input).value = "+1w"
        dialog.query_one("#field-resolution", Input).value = "Rebuild the <test> lab"
        dialog.query_one("#field-project", Input).value = "P-404"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is dialog  # the unknown project is said, nothing lost
        dialog.query_one("#field-project", Input).value = "P-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MeetingScreen)
    with Store(demo_path) as store:
        final = store.get(RaidItem, issue.id)
    assert final.priority is not None and final.priority.value == "high"
    assert final.due_on == date(2026, 12, 3) and final.project_id == 2
    assert final.resolution == "Rebuild the <test> lab"


async def test_opportunity_responses_and_the_register_key(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        with Store(demo_path) as store:
            opportunity = next(
                i for i in store.raid.raid_items(limit=10_000) if "(opportunity)" in i.title
            )
        view.cell = (opportunity.probability or 1, opportunity.impact or 1)
        view.refresh_data()
        put_cursor_on(view, opportunity.id)
        for key, response in (
            ("h", Response.ENHANCE),
            ("s", Response.SHARE),
            ("x", Response.EXPLOIT),
        ):
            await pilot.press(key)
            await pilot.pause()
            with Store(demo_path) as store:
                assert store.get(RaidItem, opportunity.id).response is response
        await pilot.press("m")  # mitigate is for threats: refused
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, opportunity.id).response is Response.EXPLOIT
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RegisterScreen)


def heat_shown(view: RaidView) -> dict[tuple[int, int], int]:
    """The heat map's counts as drawn ("3←1" is three risks, one moved out since the last
    meeting; "·" none)."""
    table = view.query_one("#raid-heat", KeyTable)
    counts = {}
    for row in range(table.row_count):
        cells = table.get_row_at(row)
        probability = int(str(cells[0]))
        for impact, cell in enumerate(cells[1:], start=1):
            text = str(cell).split("←")[0].strip()
            counts[(probability, impact)] = 0 if text == "·" else int(text)
    return counts


def heat_stored(path: Path, meeting_id: int) -> dict[tuple[int, int], int]:
    with Store(path) as store:
        heat = store.raid.heat_map(meeting_id=meeting_id)
    return {
        (p, i): heat.count(p, i) for p in range(1, heat.scale + 1) for i in range(1, heat.scale + 1)
    }


async def test_the_heat_map_follows_a_re_score_and_holds_through_other_edits(
    demo_path: Path,
) -> None:
    meeting_id = at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        risk = first_threat(view, not_in_cell=(1, 1))
        put_cursor_on(view, risk.id)
        before = heat_shown(view)
        assert before == heat_stored(demo_path, meeting_id)
        await pilot.press("1", "1")
        await pilot.pause()
        after = heat_shown(view)
        assert after[(1, 1)] == before[(1, 1)] + 1
        assert after == heat_stored(demo_path, meeting_id)
        # A response does not move a risk on the map: the map is kept, and still right.
        put_cursor_on(view, risk.id)
        await pilot.press("m")
        await pilot.pause()
        with Store(demo_path) as store:
            assert store.get(RaidItem, risk.id).response is Response.MITIGATE
        assert heat_shown(view) == after == heat_stored(demo_path, meeting_id)
        # A peer's re-score reaches the map through the poll, whatever was kept.
        with Store(demo_path, user="peer", clock=fixed_clock) as peer:
            item = peer.get(RaidItem, risk.id)
            peer.db.update(RaidItem, item.id, item.version, probability=5, impact=5)
        expected = heat_stored(demo_path, meeting_id)
        for _ in range(100):  # the poll runs every 0.25 s
            if heat_shown(view) == expected:
                break
            await pilot.pause(0.05)
        assert heat_shown(view) == expected


async def test_the_heat_map_counts_a_write_from_elsewhere_made_just_before_a_re_score(
    demo_path: Path,
) -> None:
    """The cold try's drift: another writer's commit, then this session's re-score before
    the poll saw it. The re-score must not move the old map (which lacks the other write)
    by one item: the map is read whole when anyone else wrote since it was read."""
    meeting_id = at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        risk = first_threat(view, not_in_cell=(1, 1))
        other = first_threat(view, not_in_cell=(1, 1), besides=risk.id)
        put_cursor_on(view, risk.id)
        await pilot.pause()
        pilot.app.peers = None  # type: ignore[attr-defined]  # the poll, held off
        with Store(demo_path, user="script", clock=fixed_clock) as elsewhere:
            item = elsewhere.get(RaidItem, other.id)
            elsewhere.db.update(RaidItem, item.id, item.version, probability=1, impact=1)
        await pilot.press("1", "1")
        await pilot.pause()
        assert heat_shown(view) == heat_stored(demo_path, meeting_id)


async def test_the_next_items_lessons_are_found_once_the_card_is_drawn(demo_path: Path) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        await pilot.pause()
        following = item_below(view)
        # Looked up ahead, on a thread (the search the card would run when the cursor
        # gets there): moving on finds it done.
        while not view.related.known(following.title):
            await pilot.pause(0.01)
        await pilot.press("j")
        await pilot.pause()
        assert view._selected() == following
        lessons = view.related.get(following.title)
        card = rendered(view.query_one("#raid-card", Static))
        assert lessons is not None  # the demo's RAID titles share words with its lessons
        assert lessons.plain.split(";")[0] in " ".join(card.split())


async def test_lessons_found_are_kept_when_the_step_is_shown_again_unless_anything_was_written(
    demo_path: Path,
) -> None:
    """Shown again with nothing written since, triage keeps the lessons it found (they
    were searched again, and the first cursor move waited for a search); after any write
    (a peer may have recorded a lesson) it searches afresh."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        following = item_below(view)
        while not view.related.known(following.title):
            await pilot.pause(0.01)
        for _ in range(2):
            await pilot.press("left_square_bracket")
            await pilot.pause()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert view.related.known(following.title)  # kept: nothing was written
        await pilot.press("left_square_bracket")
        await pilot.pause()
        with Store(demo_path, user="script", clock=fixed_clock) as elsewhere:
            item = elsewhere.get(RaidItem, following.id)
            elsewhere.db.update(RaidItem, item.id, item.version, title=item.title + " again")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert not view.related.known(following.title)  # written since: searched afresh


async def test_lessons_found_as_the_step_is_built_survive_its_first_showing(
    demo_path: Path,
) -> None:
    """A step is built (its card asks for lessons) and then shown: that first showing
    must not forget them (it did, and the step's first cursor move waited 130 ms for a
    search on the large file); a later showing after a write does."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        fresh = RelatedLessons(view, demo_path)
        fresh.ask("supplier late")
        while not fresh.known("supplier late"):
            await pilot.pause(0.01)
        mark = view.store.presence.view_mark()
        fresh.renew(mark)  # first shown: found moments ago, kept
        fresh.renew(mark)
        assert fresh.known("supplier late")
        fresh.renew(mark + 1)  # written since: asked afresh
        assert not fresh.known("supplier late")


async def test_triage_says_how_long_each_queued_item_may_take(demo_path: Path) -> None:
    """A 93-item queue in a 25-minute step gave no sense of pace."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        summary = rendered(view.query_one("#raid-summary", Static))
        count = queue(view).row_count
        assert f"Triage queue: {count} items need this forum (" in summary
        each = (25 * 60) // count  # the step's 25 minutes, none spent yet (fixed clock)
        assert f"{each} s each in the 25 min left" in summary.replace("\n", " ")


async def test_the_queue_cuts_to_what_the_time_left_reaches_and_back(demo_path: Path) -> None:
    """K: a 93-item queue with 25 minutes left shows the 25 most pressing (a minute each),
    in the queue's order; K again shows them all."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        table = queue(view)
        whole = [row.key.value for row in table.ordered_rows]
        assert len(whole) > 25
        await pilot.press("K")
        await pilot.pause()
        assert [row.key.value for row in table.ordered_rows] == whole[:25]
        summary = " ".join(rendered(view.query_one("#raid-summary", Static)).split())
        assert f"cut to the 25 of {len(whole)} items the time left reaches" in summary
        assert "1 min 00 s each in the 25 min left" in summary
        await pilot.press("K")
        await pilot.pause()
        assert [row.key.value for row in table.ordered_rows] == whole


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_probability_typed_says_it_waits_for_the_impact(
    demo_path: Path, size: tuple[int, int]
) -> None:
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(size=size) as pilot:
        view, risk = await on_first_threat(pilot)
        card = view.query_one("#raid-card")
        await pilot.press("4")
        await pilot.pause()
        assert "probability 4 typed: now the impact" in rendered(card, size[0])
        await pilot.press("2")
        await pilot.pause()
        assert "now the impact" not in rendered(card, size[0])
    with Store(demo_path) as store:
        assert (store.get(RaidItem, risk.id).probability, store.get(RaidItem, risk.id).impact) == (
            4,
            2,
        )


def test_the_register_names_each_kind_in_the_plural() -> None:
    from pmo_tui.screens.register import describe

    kinds = frozenset({RaidKind.DEPENDENCY, RaidKind.ISSUE})
    assert describe(RaidFilter(kinds=kinds), {}, {}).startswith("dependencies, issues · ")


async def test_the_register_turns_its_pages_with_the_list_keys(demo_path: Path) -> None:
    """The cold try: the title said "1-100 of 140" and nothing reached row 101 (page down
    scrolls the rows loaded; > and <, which help offers for long lists, did nothing)."""
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await wait_until(pilot, lambda: isinstance(app.screen, RegisterScreen))
        screen = app.screen
        line = lambda: str(screen.query_one("#register-filters", Static).render())  # noqa: E731
        with Store(demo_path) as store:
            total = store.raid.raid_count(RaidFilter(statuses=frozenset()))
        await pilot.press("S")  # any status: more than a page
        await wait_until(pilot, lambda: f"1-{PAGE} of {total}" in line())
        assert "(< >)" in line()
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: f"{PAGE + 1}-{min(total, 2 * PAGE)} of {total}" in line())
        await pilot.press("less_than_sign")
        await wait_until(pilot, lambda: f"1-{PAGE} of {total}" in line())


def heat_cells(view: RaidView) -> dict[tuple[int, int], str]:
    table = view.query_one("#raid-heat", KeyTable)
    return {
        (int(str(cells[0])), impact): str(cell)
        for cells in (table.get_row_at(row) for row in range(table.row_count))
        for impact, cell in enumerate(cells[1:], start=1)
    }


async def test_the_heat_map_keeps_one_width_when_a_re_score_adds_its_first_marker(
    demo_path: Path,
) -> None:
    """Each cell has room for a "←n" from the start: the first one neither widens its
    column (the whole screen laid out again, and a ragged grid) nor puts a scroll bar
    under the map."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        heat = view.query_one("#raid-heat", KeyTable)
        risk = next(
            item
            for item in view.items.values()
            if item.kind is RaidKind.RISK
            and item.probability
            and item.impact
            and "←" not in heat_cells(view)[item.probability, item.impact]
            and (item.probability, item.impact) != (1, 1)
            and "opportunity" not in item.title.lower()
        )
        cell = (risk.probability, risk.impact)
        widths = [column.get_render_width(heat) for column in heat.ordered_columns]
        assert len(set(widths[1:])) == 1  # one width for every impact column
        put_cursor_on(view, risk.id)
        await pilot.press("1", "1")
        await wait_until(pilot, lambda: "←" in heat_cells(view)[cell])  # type: ignore[index]
        assert [column.get_render_width(heat) for column in heat.ordered_columns] == widths
        assert heat.virtual_size.width <= heat.content_region.width  # no scroll bar
        assert not heat.horizontal_scrollbar.display or not heat.show_horizontal_scrollbar


def crowd(path: Path, cell: tuple[int, int], count: int) -> None:
    """``count`` more open risks in one heat-map cell, on the first project."""
    with Store(path, clock=fixed_clock) as store:
        project = store.portfolio.portfolio()[0].project
        store.db.add_many(
            [
                RaidItem(
                    kind=RaidKind.RISK,
                    project_id=project.id,
                    title=f"Crowded risk {n}",
                    raised_on=date(2026, 11, 1),
                    probability=cell[0],
                    impact=cell[1],
                )
                for n in range(count)
            ]
        )


async def test_a_map_of_thousands_widens_its_panel_instead_of_scrolling(
    demo_path: Path,
) -> None:
    """Counts of four digits: the panel takes the room the map needs, the map is whole."""
    at_raid_step(demo_path)
    crowd(demo_path, (2, 2), 1000)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        heat = view.query_one("#raid-heat", KeyTable)
        assert heat_cells(view)[2, 2].strip().startswith("10")
        assert heat.virtual_size.width <= heat.content_region.width
        panel = view.query_one("#raid-right")
        assert panel.size.width > 36
        # Narrower, the card keeps its room and the map scrolls (the card was squeezed to
        # 14 columns at 100; cold try).
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: view.query_one("#raid-card").size.width >= 24)
        assert panel.size.width <= 0.58 * panel.parent.size.width + 1  # type: ignore[union-attr]


async def test_an_item_re_scored_off_the_queue_is_named_and_enter_takes_the_one_after_it(
    demo_path: Path,
) -> None:
    """The cold try on the large file: a re-score took the item below the queue's cut, the
    cursor fell on the next row without a word, and `enter` (typed ahead) skipped that
    row. Now the room is told, `enter` stays on the item that came after, and `u` brings
    the item back under the cursor, saying so."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        table = queue(view)
        # In the queue for its score alone: scored low, it leaves.
        risk = next(
            item
            for item in view.items.values()
            if [reason.split()[0] for reason in view.reasons[item.id]] == ["score"]
            and table.get_row_index(str(item.id)) < table.row_count - 1
        )
        put_cursor_on(view, risk.id)
        following = item_below(view)
        await pilot.press("1", "1", "enter")
        await wait_until(pilot, lambda: risk.id not in view.items)
        await pilot.pause()
        assert table.selected_value == str(following.id)
        messages = [n.message for n in pilot.app._notifications]
        assert any(m.startswith(f"{risk.code} now scores 1 and leaves this list") for m in messages)
        await pilot.press("u")
        await wait_until(pilot, lambda: risk.id in view.items)
        await pilot.pause()
        assert table.selected_value == str(risk.id)
        shown = f"Undone: {risk.code} back to P{risk.probability} x I{risk.impact}."
        assert shown in [n.message for n in pilot.app._notifications]


async def test_the_queues_pace_follows_the_clock_as_the_step_title_does(
    demo_path: Path,
) -> None:
    """The cold try: the summary said "in the 25 min left" beside a sidebar and title at
    24, as only an edit redrew it."""
    from datetime import timedelta

    from pmo_tui.widgets.step_summary import StepSummary

    at_raid_step(demo_path)
    now = [fixed_clock()]
    async with make_app(demo_path, user="tester", clock=lambda: now[0]).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        summary = view.query_one("#raid-summary", StepSummary)
        screen = pilot.app.screen
        title = screen.query_one("#step-title", Static)

        def left(text: str, before: str) -> str:
            return text.split(before, 1)[1].split(" left", 1)[0]

        assert left(summary.facts, "in the ") == left(str(title.render()), "· ")
        first = left(summary.facts, "in the ")
        now[0] += timedelta(minutes=3)
        await wait_until(pilot, lambda: left(summary.facts, "in the ") != first)
        assert left(summary.facts, "in the ") == left(str(title.render()), "· ")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_score_is_in_view_without_scrolling_sideways(
    demo_path: Path, size: tuple[int, int]
) -> None:
    """The cold try: at 100 columns the Score was past the edge (a 40-column title came
    first), at 80x24 cut to "Sco"."""
    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(size=size) as pilot:
        view = await open_raid(pilot)
        table = queue(view)
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        labels = [str(column.label) for column in table.ordered_columns]
        assert sum(widths[: labels.index("Score") + 1]) <= table.scrollable_content_region.width


async def test_a_cell_of_more_risks_than_a_page_says_how_many_it_holds(demo_path: Path) -> None:
    """The cold try: a cell of 2,500 risks listed as "500" (the page read, not the cell)."""
    at_raid_step(demo_path)
    crowd(demo_path, (4, 4), 600)
    with Store(demo_path, clock=fixed_clock) as store:
        total = store.raid.raid_count(RaidFilter(kinds=frozenset({RaidKind.RISK}), cell=(4, 4)))
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view = await open_raid(pilot)
        await choose_cell(pilot, view, row=1, column=4)  # probability 4, impact 4
        await wait_until(pilot, lambda: view.cell == (4, 4))
        await pilot.pause()
        summary = rendered(view.query_one("#raid-summary", Static))
        assert f"impact 4: the first 500 of {total:,}" in summary, summary


async def test_a_re_score_leaves_the_agenda_as_drawn(demo_path: Path) -> None:
    """The benchmark: every re-score drew the agenda sidebar again (a Rich grid, 3-4 ms
    of the key), though no step's time or state had changed. It is drawn when what it
    shows changes."""
    from pmo_tui.widgets.agenda_sidebar import AgendaSidebar

    at_raid_step(demo_path)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        view, risk = await on_first_threat(pilot)
        sidebar = pilot.app.screen.query_one(AgendaSidebar)
        drawn: list[int] = []
        render = sidebar.render

        def counted():  # type: ignore[no-untyped-def]
            drawn.append(1)
            return render()

        sidebar.render = counted  # type: ignore[method-assign]
        await pilot.press("2", "3")
        await wait_until(pilot, lambda: view.items[risk.id].probability == 2)
        await pilot.pause()
        assert view.items[risk.id].impact == 3
        assert not drawn


async def test_escape_in_the_register_search_closes_the_box_not_the_register(
    demo_path: Path,
) -> None:
    """The cold try: "/", some text, escape left the register for the home screen and
    every filter with it. Escape closes the box, the search as it was; a second leaves."""
    from textual.widgets import Input

    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_register(pilot)
        line = lambda: str(screen.query_one("#register-filters", Static).render())  # noqa: E731
        await pilot.press("K", "slash", *"regulator", "enter")
        await pilot.pause()
        assert "risks" in line() and "matching “regulator”" in line()
        await pilot.press("slash", *"xyz", "escape")
        await pilot.pause()
        assert app.screen is screen
        search = screen.query_one("#search", Input)
        assert not search.display and screen.wanted.text == "regulator"
        assert "risks" in line() and "matching “regulator”" in line()
        assert app.focused is screen.query_one(KeyTable)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
