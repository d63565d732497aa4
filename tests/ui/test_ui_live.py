"""Another session on the same file: its edits appear, its presence shows, and an edit made
from a stale screen is refused with the other person's values and re-applied in one key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import Action, Meeting, Project, Rag, Session
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.steps.status import StatusView
from pmo_tui.widgets.form import FormDialog
from pmo_tui.widgets.table import KeyTable
from tests.conftest import fixed_clock
from tests.helpers.meeting import wait_until


def cell(table: KeyTable, row: int, column: int) -> str:
    value = table.get_row_at(row)[column]
    return value.plain if isinstance(value, Text) else str(value)


def live_meeting(path: Path) -> int:
    with Store(path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 1)
        return meeting.id


def shows(table: KeyTable, text: str) -> bool:
    return any(
        text in cell(table, row, column)
        for row in range(table.row_count)
        for column in range(len(table.columns))
    )


def takes_the_drive(store: Store, meeting_id: int) -> Session:
    """Another person joins the meeting in ``store`` and takes the drive."""
    session = store.presence.join(meeting_id)
    store.meetings.take_drive(meeting_id, session.id)
    return session


@asynccontextmanager
async def bob_follows_alice(
    demo_path: Path,
) -> AsyncIterator[tuple[Store, int, Pilot[None], MeetingScreen]]:
    """The live meeting, alice driving it (her store) and bob's app in it, following."""
    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        takes_the_drive(alice, meeting_id)
        app = make_app(demo_path, user="bob", clock=fixed_clock)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_meeting(pilot)
            await wait_until(pilot, lambda: not screen.driving)
            yield alice, meeting_id, pilot, screen


async def open_meeting(pilot: Pilot[None]) -> MeetingScreen:
    await pilot.pause()
    await pilot.press("m", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MeetingScreen | SinceLastScreen))
    if isinstance(pilot.app.screen, SinceLastScreen):
        await pilot.press("enter")
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_another_sessions_edit_shows_within_a_second(demo_path: Path) -> None:
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        board = screen.query_one("#status-board", KeyTable)
        board.move_cursor(row=3, column=2)
        project_id = int(board.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value or 0)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            row = next(
                r for r in alice.portfolio.status_board(meeting_id) if r.project.id == project_id
            )
            alice.portfolio.set_status(
                meeting_id, project_id, row.current, overall=Rag.RED, commentary="Alice's view"
            )
        await wait_until(pilot, lambda: "Alice's view" in cell(board, 0, 7))
        assert "Red" in cell(board, 0, 1)
        assert board.cursor_row == 3 and board.cursor_column == 2  # the cursor stayed


async def test_a_write_from_outside_pmo_reaches_the_screen_and_verify_names_it(
    demo_path: Path,
) -> None:
    """A script or the sqlite-utils command writes no audit event: the screen learns of
    it all the same (the content counters of schema v12), and `pmo verify` names it."""
    from pmo_tui.data.sqlite import sqlite3
    from pmo_tui.verification import verify_portfolio

    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        board = screen.query_one("#status-board", KeyTable)
        project_id = int(board.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value or 0)
        outside = sqlite3.connect(demo_path)
        outside.execute(
            "update projects set name = 'Renamed by a script' where id = ?", (project_id,)
        )
        outside.commit()
        outside.close()
        await wait_until(pilot, lambda: shows(board, "Renamed by a script"))
    with Store(demo_path, read_only=True) as store:
        report = verify_portfolio(store)
    assert f"P-{project_id} name was changed outside pmo" in report.problems


async def test_a_screen_underneath_catches_up_when_shown_again(demo_path: Path) -> None:
    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        home = app.screen_stack[0]
        reads: list[str] = []
        original = home.refresh_data  # type: ignore[attr-defined]

        def counted() -> None:
            reads.append("home")
            original()

        home.refresh_data = counted  # type: ignore[attr-defined]
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            project = alice.portfolio.portfolio()[0].project
            alice.db.update(Project, project.id, project.version, name="Peer project renamed")
        board = screen.query_one("#status-board", KeyTable)
        await wait_until(pilot, lambda: shows(board, "Peer project renamed"))
        assert reads == []  # hidden underneath: not re-read while the meeting is on screen
        await pilot.press("escape")
        assert app.screen is home
        await wait_until(pilot, lambda: shows(home.query_one("#projects", KeyTable), "renamed"))
        assert reads == ["home"]


async def test_a_meeting_underneath_a_project_catches_up_when_shown_again(
    demo_path: Path,
) -> None:
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        meeting = await open_meeting(pilot)
        board = meeting.query_one("#status-board", KeyTable)
        project_id = board.selected_key
        board.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is not meeting)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            row = next(
                r for r in alice.portfolio.status_board(meeting_id) if r.project.id == project_id
            )
            alice.portfolio.set_status(
                meeting_id, row.project.id, row.current, commentary="Alice, later"
            )
        await wait_until(pilot, lambda: app.peers is not None and meeting in app.peers.stale)
        assert not shows(board, "Alice, later")  # not re-read while hidden
        await pilot.press("escape")
        await wait_until(pilot, lambda: shows(board, "Alice, later"))


async def test_presence_shows_who_is_in_the_meeting_and_who_drives(demo_path: Path) -> None:
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        assert screen.driving  # nobody drove: the first session in takes the seat
        presence = screen.query_one("#presence", Static)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            session = alice.presence.join(meeting_id)
            alice.presence.beat(session.id, meeting_id, 1)
            await wait_until(pilot, lambda: "alice" in str(presence.render()))
            text = str(presence.render())
            assert "bob (you)" in text and "driving" in text and "following" in text
            # alice takes the drive: bob follows her step from then on.
            alice.meetings.take_drive(meeting_id, session.id)
            alice.meetings.go_to_step(meeting_id, 2)
            alice.presence.beat(session.id, meeting_id, 2)
            await wait_until(pilot, lambda: not screen.driving and screen.viewing == 2)
            assert "3. RAID triage" in str(screen.query_one("#step-title", Static).render())
            assert screen.check_action("extend", ()) is False  # only the driver times steps
            assert screen.check_action("take_drive", ()) is True
            # bob looks around on his own, then comes back with one key.
            await pilot.press("left_square_bracket")
            await pilot.pause()
            assert screen.viewing == 1 and screen.away
            await pilot.press("F")
            await pilot.pause()
            assert screen.viewing == 2 and not screen.away


async def test_a_stale_edit_is_refused_with_their_values_and_reapplied_in_one_key(
    demo_path: Path,
) -> None:
    meeting_id = live_meeting(demo_path)
    with Store(demo_path, clock=fixed_clock) as store:
        action = store.decisions.add_action(
            meeting_id, "Chase the vendor", "Ann Smith", date(2026, 12, 1)
        )
        store.meetings.go_to_step(meeting_id, 6)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        records = screen.query_one("#wrap-records", KeyTable)
        records.focus()
        records.select_key(action.code)
        await pilot.press("u")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            alice.db.update(Action, action.id, action.version, due_on=date(2026, 12, 8))
        dialog.query_one("#field-due", Input).value = "2026-12-15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # refused: nothing was overwritten
        message = str(dialog.query_one("#dialog-error", Static).render())
        assert "changed by alice" in message
        assert "due date is now 2026-12-08 (you saw 2026-12-01)" in message
        assert "Save again" in message
        await pilot.press("ctrl+s")  # the one key that re-applies ours
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
    with Store(demo_path) as store:
        final = store.get(Action, action.id)
        assert final.due_on == date(2026, 12, 15) and final.version == 3
        users = [e.user for e in store.events(final) if e.field == "due_on"]
        assert users == ["bob", "alice"]


async def test_a_step_shown_again_rereads_only_when_something_changed(demo_path: Path) -> None:
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        if not screen.driving:
            await pilot.press("D")
            await wait_until(pilot, lambda: screen.driving)
        status = screen.query_one(StatusView)
        reads: list[int] = []
        original = status.refresh_data

        def counted() -> None:
            reads.append(1)
            original()

        status.refresh_data = counted  # type: ignore[method-assign]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.meeting.current_step == 1)
        assert reads == []  # only the step moved: the board is as it was
        board = screen.query_one("#status-board", KeyTable)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.meeting.current_step == 2)
        project_id = int(board.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value or 0)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            row = next(
                r for r in alice.portfolio.status_board(meeting_id) if r.project.id == project_id
            )
            alice.portfolio.set_status(
                meeting_id, project_id, row.current, commentary="Alice, meanwhile"
            )
        await wait_until(pilot, lambda: screen.store.presence.view_mark() != status._shown_mark)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: shows(board, "Alice, meanwhile"))
        assert reads


async def test_the_heartbeat_and_the_poll_cope_with_a_meeting_screen_not_built_yet(
    demo_path: Path,
) -> None:
    """A heartbeat or a peer's commit can arrive between a screen being pushed and composed
    (a loaded server): neither may reach into widgets that do not exist yet."""
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            alice.presence.join()  # a peer's commit: the next poll refreshes presence
        app.open_meeting(meeting_id)  # pushed, not composed until the loop runs
        assert isinstance(app.screen, MeetingScreen)
        app.beat()
        app.poll()
        with Store(demo_path, clock=fixed_clock) as store:
            me = next(s for s in store.presence.present(meeting_id) if s.user == "bob")
            assert me.step == 1  # said where it is, although the screen was not built
        await wait_until(pilot, lambda: bool(app.screen.query("#status-board")))
        if isinstance(app.screen, SinceLastScreen):
            await pilot.press("enter")
        app.beat()
        app.poll()
        assert app.return_code is None


async def test_the_heartbeat_and_the_poll_cope_with_a_meeting_screen_already_gone(
    demo_path: Path,
) -> None:
    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, MeetingScreen))
        # Still asked where it is (its widgets are gone): it answers from its state.
        assert screen.location() == (meeting_id, 1, "")
        app.beat()
        app.poll()
        await pilot.pause()
        assert app.return_code is None


async def test_a_follower_looking_at_another_step_records_under_that_step(
    demo_path: Path,
) -> None:
    """The dialog says "Decision in RAID triage": the decision is filed there, not under
    the driver's step."""
    from pmo_tui.data.models import AgendaItem, Decision
    from tests.helpers.meeting import fill_form

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        session = takes_the_drive(alice, meeting_id)
        alice.meetings.go_to_step(meeting_id, 6)  # wrap-up
        alice.presence.beat(session.id, meeting_id, 6)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await wait_until(pilot, lambda: not screen.driving and screen.viewing == 6)
        while screen.viewing != 2:
            await pilot.press("left_square_bracket")
            await pilot.pause()
        await pilot.press("d")
        dialog = await fill_form(pilot, text="Seen from RAID")
        assert "Decision in RAID triage" in str(dialog.title_text)
        await wait_until(pilot, lambda: not isinstance(app.screen, type(dialog)))
    with Store(demo_path) as store:
        [decision] = [d for d in store.all(Decision) if d.text == "Seen from RAID"]
        item = store.get(AgendaItem, decision.agenda_item_id or 0)
        assert item.title == "RAID triage" and decision.draft_by == "bob"


async def test_in_raid_triage_a_followers_queue_and_card_follow_the_driver(
    demo_path: Path,
) -> None:
    """The step's first table is the heat map: following acted on it, and a follower's
    card stayed on the first risk while the room discussed another."""
    from pmo_tui.data.models import AgendaStep
    from pmo_tui.steps.raid import RaidView
    from tests.helpers.meeting import at_step

    meeting_id = at_step(demo_path, AgendaStep.RAID)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            session = takes_the_drive(alice, meeting_id)
            await wait_until(pilot, lambda: not screen.driving)
            view = screen.query_one(RaidView)
            queue = view.query_one("#raid-queue", KeyTable)
            await wait_until(pilot, lambda: queue.row_count > 5)
            target = str(queue.coordinate_to_cell_key(Coordinate(4, 0)).row_key.value)
            alice.presence.beat(session.id, meeting_id, screen.viewing, target)
            await wait_until(pilot, lambda: queue.selected_value == target)
            assert view.selected_code() == f"R-{target}"


async def test_a_driver_coming_back_drives_again_and_is_not_shown_what_changed_again(
    demo_path: Path,
) -> None:
    """Reconnecting after a drop, the driver read "(their own name) has left: D takes the
    drive" about themselves, as a follower, with the since-last-meeting screen again."""
    from datetime import timedelta

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        session = takes_the_drive(alice, meeting_id)
        alice.presence.leave(session.id)  # the connection dropped

    def later() -> datetime:
        return fixed_clock() + timedelta(minutes=20)

    app = make_app(demo_path, user="alice", clock=later)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen | SinceLastScreen))
        screen = app.screen
        assert isinstance(screen, MeetingScreen)  # no "what changed" on coming back
        await wait_until(pilot, lambda: screen.driving)
        assert "has left" not in str(screen.query_one("#presence", Static).render())


async def test_y_confirms_a_followers_draft_on_the_wrap_up_step(demo_path: Path) -> None:
    from pmo_tui.data.models import Decision
    from pmo_tui.steps.records import RecordsTable

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="carol", clock=fixed_clock) as carol:
        draft = carol.decisions.record_decision(meeting_id, "Carol proposes", draft=True)
        carol.meetings.go_to_step(meeting_id, 6)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await wait_until(pilot, lambda: screen.viewing == 6 and screen.driving)
        table = screen.query_one("#wrap-records", RecordsTable)
        await wait_until(pilot, lambda: table.has_key(draft.code))
        table.focus()
        table.select_key(draft.code)
        await pilot.press("y")
        await pilot.pause()
    with Store(demo_path) as store:
        assert store.get(Decision, draft.id).draft_by == ""


async def test_a_followers_notes_survive_the_driver_moving_on_and_editing_the_step(
    demo_path: Path,
) -> None:
    """Typed by a follower, then the driver extends the step and moves on before the
    save: the text used to vanish, the label stuck on "saving…"."""
    from textual.widgets import TextArea

    from pmo_tui.data.models import AgendaItem

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            session = takes_the_drive(alice, meeting_id)
            await wait_until(pilot, lambda: not screen.driving)
            step = screen.viewing
            item_id = screen.agenda[step].id
            await pilot.press("n")
            notes = screen.query_one("#notes", TextArea)
            await wait_until(pilot, lambda: notes.has_focus)
            notes.insert("Bob: the regulator wants a date")
            alice.meetings.extend_step(item_id, 5)
            alice.meetings.go_to_step(meeting_id, step + 1)
            alice.presence.beat(session.id, meeting_id, step + 1)
            await wait_until(pilot, lambda: screen.away)  # kept here while writing
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen.viewing == step + 1)
    with Store(demo_path) as store:
        assert "Bob: the regulator wants a date" in store.get(AgendaItem, item_id).notes


async def test_followers_may_not_capture_covers_the_notes_box(demo_path: Path) -> None:
    from textual.widgets import TextArea

    from pmo_tui.data.models import Meeting

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        meeting = alice.get(Meeting, meeting_id)
        alice.meetings.set_followers_capture(meeting_id, meeting.version, False)
        takes_the_drive(alice, meeting_id)
        app = make_app(demo_path, user="bob", clock=fixed_clock)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_meeting(pilot)
            await wait_until(pilot, lambda: not screen.driving)
            assert screen.query_one("#notes", TextArea).read_only


async def test_a_follower_looking_away_and_back_is_told_to_the_others_at_once(
    demo_path: Path,
) -> None:
    """It reached the others with the next heartbeat, about 2-3 s later."""
    async with bob_follows_alice(demo_path) as (alice, meeting_id, pilot, screen):
        await wait_until(pilot, lambda: screen.viewing == 1)

        def bob_step() -> int | None:
            bob = next(s for s in alice.presence.present(meeting_id) if s.user == "bob")
            return bob.step

        # Well inside the heartbeat's period: the key itself tells the others.
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.away and bob_step() == 0, seconds=1.5)
        await pilot.press("F")
        await wait_until(pilot, lambda: not screen.away and bob_step() == 1, seconds=1.5)


async def test_the_log_opens_on_the_newest_record_and_scrolls(demo_path: Path) -> None:
    from pmo_tui.steps.records import RecordsTable

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, clock=fixed_clock) as store:
        made = [store.decisions.record_decision(meeting_id, f"Decision {n}") for n in range(20)]
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("l")
        log = screen.query_one("#log-records", RecordsTable)
        await wait_until(pilot, lambda: log.has_focus and log.row_count >= 20)
        await wait_until(pilot, lambda: log.cursor_row == log.row_count - 1)
        assert log.selected_value == made[-1].code
        panel = screen.query_one("#log")
        assert log.region.bottom <= panel.region.bottom  # inside the panel, not cut off
        assert log.scroll_offset.y > 0  # scrolled to show it


async def test_a_decision_dialog_opened_while_driving_saves_a_draft_after_the_drive_passed(
    demo_path: Path,
) -> None:
    """Driving is checked where the edit is written: a dialog opened while driving could
    save a final decision after another session took the drive. Now it is kept as a draft
    for the new driver, and the person is told so; an extend is refused in one sentence."""
    from pmo_tui.data.models import Decision

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await wait_until(pilot, lambda: screen.driving)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await pilot.press(*"Fund the pilot")
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            takes_the_drive(alice, meeting_id)
            await pilot.press("enter")
            await wait_until(pilot, lambda: not isinstance(app.screen, FormDialog))
            decisions = alice.decisions.decisions(meeting_id)
            assert [(d.text, d.draft_by) for d in decisions][-1] == ("Fund the pilot", "bob")
            notes = [n.message for n in app._notifications]
            assert any("as a draft for the driver to confirm" in m for m in notes)
            # Bob's screen has not yet heard: his extend key is refused by the data.
            item = alice.meetings.agenda(meeting_id)[1]
            screen.action_extend()
            await pilot.pause()
            assert alice.meetings.agenda(meeting_id)[1].timebox_minutes == item.timebox_minutes
            assert isinstance(alice.get(Decision, decisions[-1].id), Decision)


async def test_observers_killed_sessions_and_leavers_show_in_presence_within_a_second(
    demo_path: Path,
) -> None:
    """Read-only observers were invisible; a killed session stayed listed until its
    heartbeats aged out (12 s); leaving the meeting showed at the next heartbeat (3 s)."""
    import signal

    from tests.data.test_liveness import neighbour

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        presence = screen.query_one("#presence", Static)
        with Store(demo_path, clock=fixed_clock) as store:
            meeting = store.get(Meeting, meeting_id)
        watcher, _ = neighbour(demo_path, meeting, "watch")
        joiner, _ = neighbour(demo_path, meeting, "join")
        try:
            await wait_until(pilot, lambda: "watching (read-only)" in str(presence.render()))
            await wait_until(pilot, lambda: "neighbour  following" in str(presence.render()))
            joiner.send_signal(signal.SIGKILL)
            watcher.send_signal(signal.SIGKILL)
            await wait_until(pilot, lambda: "neighbour" not in str(presence.render()))
        finally:
            watcher.kill()
            joiner.kill()
        await pilot.press("escape")  # bob leaves the meeting for the home screen
        await wait_until(pilot, lambda: not isinstance(app.screen, MeetingScreen))
        with Store(demo_path, clock=fixed_clock) as store:
            # Told as the screen changed, not with the next heartbeat.
            assert store.presence.present(meeting_id) == []


async def test_a_follower_turns_to_the_page_holding_the_drivers_row(demo_path: Path) -> None:
    """The status board shows 100 projects a page: the driver's cursor on a project of
    another page left the follower's cursor where it was."""
    from pmo_tui.widgets.table import PAGE

    meeting_id = live_meeting(demo_path)  # at the status step
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        template = alice.all(Project)[0]
        for n in range(PAGE + 10):
            alice.db.add(template.model_copy(update={"id": None, "name": f"Extra {n:03}"}))
        last = max(alice.all(Project), key=lambda project: project.id)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        view = screen.query_one(StatusView)
        table = view.query_one(KeyTable)
        await wait_until(pilot, lambda: table.row_count == PAGE)
        assert not table.has_key(str(last.id))  # on the second page
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            session = takes_the_drive(alice, meeting_id)
            alice.presence.beat(session.id, meeting_id, 1, str(last.id))
            await wait_until(pilot, lambda: table.selected_value == str(last.id))


async def test_a_followers_cursor_follows_the_driver_in_every_step(demo_path: Path) -> None:
    """In each agenda step the follower's screen moves to the driver's step and its
    cursor to the driver's row (in the step's own table), with the card that shows it."""
    from pmo_tui.steps.base import StepView

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    followed: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            session = takes_the_drive(alice, meeting_id)
            await wait_until(pilot, lambda: not screen.driving)
            agenda = alice.meetings.agenda(meeting_id)
            for index, item in enumerate(agenda):
                alice.meetings.go_to_step(meeting_id, index)
                selector = f"#step-{item.id}"
                await wait_until(
                    pilot,
                    lambda i=index, s=selector: (  # type: ignore[misc]
                        screen.viewing == i
                        and any(v.is_mounted for v in screen.query(s).results(StepView))
                    ),
                )
                view = screen.query_one(selector, StepView)
                await pilot.pause()
                tables = [t for t in view.query(KeyTable) if t.row_count >= 2]
                if not tables:
                    continue  # a step with nothing to point at (AOB, an empty list)
                # The table the driver's cursor is in: the step's focused one, as the
                # driver's screen focuses it on entering the step.
                table = next((t for t in tables if t.has_focus), tables[-1])
                target = str(table.coordinate_to_cell_key(Coordinate(1, 0)).row_key.value)
                alice.presence.beat(session.id, meeting_id, index, target)
                await wait_until(pilot, lambda t=table, k=target: t.selected_value == k)  # type: ignore[misc]
                # What the step's card and keys act on is that row too (a step whose rows
                # are no link target, previous actions, has no code).
                code = view.selected_code()
                if code:
                    assert target in (code, code.rsplit("-", 1)[-1]), (item.title, code, target)
                followed.append(item.title)
    assert followed == [
        "Previous actions",
        "Status",
        "RAID triage",
        "Change decisions",
        "Priorities",
        "Lessons",
    ], followed


async def test_the_notes_box_opens_on_n_takes_what_is_typed_and_gets_out_of_the_way(
    demo_path: Path,
) -> None:
    """The notes box took 6-8 rows on every step; tab from the triage queue landed in it
    unseen and scoring digits went into the notes."""
    from textual.widgets import TextArea

    from pmo_tui.data.models import AgendaItem
    from pmo_tui.widgets.table import KeyTable

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot)
        notes = screen.query_one("#notes", TextArea)
        title = screen.query_one("#notes-title", Static)
        assert not notes.display and "n writes · none yet" in str(title.render())
        rows_closed = screen.query_one("#status-board", KeyTable).size.height
        await pilot.press("tab")  # from the board: never into the closed notes box
        assert screen.focused is not notes
        await pilot.press("n", *"Sponsor asks for a recovery plan")
        assert screen.focused is notes and notes.display
        assert notes.text == "Sponsor asks for a recovery plan"
        await pilot.press("escape")  # back to the step: the box closes, the words are kept
        await wait_until(pilot, lambda: not notes.display)
        assert "1 line: Sponsor asks for a recovery plan" in str(title.render())
        assert screen.query_one("#status-board", KeyTable).size.height >= rows_closed
        with Store(demo_path) as store:
            item = store.meetings.agenda(meeting_id)[1]
            assert store.get(AgendaItem, item.id).notes == "Sponsor asks for a recovery plan"


async def test_a_follower_writing_notes_is_not_pulled_away_mid_sentence(demo_path: Path) -> None:
    """The driver's `]` sent the rest of a follower's sentence to the next step and the
    following letters to that step's commands; the box reloaded with the cursor at its
    start, so new words glued onto the first one."""
    from pmo_tui.data.models import AgendaItem
    from pmo_tui.widgets.notes_area import NotesArea

    meeting_id = live_meeting(demo_path)
    with Store(demo_path, user="alice", clock=fixed_clock) as alice:
        item = alice.meetings.agenda(meeting_id)[1]
        alice.meetings.save_notes(item.id, "", "Alice: vendor late")
        takes_the_drive(alice, meeting_id)
        app = make_app(demo_path, user="bob", clock=fixed_clock)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_meeting(pilot)
            await wait_until(pilot, lambda: not screen.driving)
            await pilot.press("n", *"bob01")
            notes = screen.query_one("#notes", NotesArea)
            assert notes.text == "Alice: vendor late\nbob01"  # after, on a line of its own
            assert "saving" in str(screen.query_one("#notes-title", Static).render())
            alice.meetings.go_to_step(meeting_id, 2)  # the driver moves on meanwhile
            await wait_until(pilot, lambda: screen.away)
            await pilot.press(*" bob02")
            assert screen.viewing == 1 and screen.focused is notes
            await pilot.press("escape")  # done writing: the notes close, bob follows
            await wait_until(pilot, lambda: screen.viewing == 2 and not screen.away)
            notes_now = alice.get(AgendaItem, item.id).notes
            assert notes_now == "Alice: vendor late\nbob01 bob02"


async def test_the_status_board_keeps_the_project_in_view_at_80_columns(demo_path: Path) -> None:
    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot)
        board = screen.query_one("#status-board", KeyTable)
        board.focus()
        for _ in range(7):
            await pilot.press("right")
        await pilot.pause()
        assert board.scroll_x > 0  # scrolled to the commentary
        assert board.fixed_columns == 1  # and the project column is drawn regardless
        line = "".join(segment.text for segment in board.render_line(1))
        assert "P-" in line


async def test_a_read_only_observer_watches_the_live_meeting_with_s(demo_path: Path) -> None:
    live_meeting(demo_path)
    app = make_app(demo_path, read_only=True, user="olga", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, MeetingScreen))
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        presence = screen.query_one("#presence", Static)
        await wait_until(
            pilot, lambda: "olga (you)  watching (read-only)" in str(presence.render())
        )
        title = str(screen.query_one("#notes-title", Static).render())
        assert "Notes" in title and "n writes" not in title  # n does nothing here


@pytest.mark.parametrize("arrival", ["bob's save", "the poll"])
async def test_two_people_writing_at_once_keep_their_words_together_and_named(
    demo_path: Path, arrival: str
) -> None:
    """Two people typing alternately: their words were chopped across lines and glued
    ("xfivexsix", "ysixapple"), and who wrote what was lost. Alice's words reach Bob's box
    by his own save merging them, or by the 0.25 s poll reloading it between two of his
    keys: that second way put his next words on her line, unnamed ("alice02 bob03"), and
    made this test fail once in a while before it was taken apart here."""
    from pmo_tui.data.models import AgendaItem
    from pmo_tui.widgets.notes_area import NotesArea

    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        item = screen.agenda[screen.viewing]
        notes = screen.query_one("#notes", NotesArea)
        await pilot.press("n", *"bob01 bob02")
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            await wait_until(
                pilot, lambda: alice.get(AgendaItem, item.id).notes == "bob01 bob02", 15
            )
            alice.meetings.save_notes(item.id, "", "alice01 alice02")  # she wrote meanwhile
            if arrival == "the poll":
                screen.refresh_data()  # the poll's refresh, before bob's next key
            else:
                await pilot.press("space")  # bob goes on: his save merges, his box reloads
            await wait_until(pilot, lambda: "alice01" in notes.text, 15)
            await pilot.press(*"bob03")
            await wait_until(pilot, lambda: "bob03" in alice.get(AgendaItem, item.id).notes, 15)
            assert alice.get(AgendaItem, item.id).notes == (
                "bob01 bob02\n[alice] alice01 alice02\n[bob] bob03"
            )


async def test_a_name_put_ready_for_words_never_typed_is_not_saved(demo_path: Path) -> None:
    """The cold try: others' words arrived while Bob wrote, so his box put "[bob] " ready
    for his next words; he closed the notes, opened them and closed them again without
    typing, and a line holding only "[bob]" went into the notes (and the minutes), while
    the line under the box counted it as his last line."""
    from pmo_tui.data.models import AgendaItem
    from pmo_tui.widgets.notes_area import NotesArea

    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        item = screen.agenda[screen.viewing]
        notes = screen.query_one("#notes", NotesArea)
        await pilot.press("n", *"bob01")
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            await wait_until(pilot, lambda: alice.get(AgendaItem, item.id).notes == "bob01", 15)
            alice.meetings.save_notes(item.id, "", "alice01")
            screen.refresh_data()  # the poll's refresh, while bob writes
            await wait_until(pilot, lambda: notes.text.endswith("[bob] "), 15)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not screen.notes_open)
            await pilot.press("n")
            await wait_until(pilot, lambda: screen.notes_open)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not screen.notes_open)
            await wait_until(pilot, lambda: screen._notes_timer is None)  # nothing pending
            assert alice.get(AgendaItem, item.id).notes.rstrip() == "bob01\n[alice] alice01"
            title = str(screen.query_one("#notes-title", Static).render())
            assert title.endswith("2 lines: [alice] alice01"), title
            # Words typed after the name are his, under it.
            await pilot.press("n", *"bob02")
            await wait_until(pilot, lambda: "bob02" in alice.get(AgendaItem, item.id).notes, 15)
            assert alice.get(AgendaItem, item.id).notes == ("bob01\n[alice] alice01\n[bob] bob02")


async def test_esc_in_the_log_closes_the_log_not_the_meeting(demo_path: Path) -> None:
    live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: screen.log_open)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.log_open)
        assert app.screen is screen  # still in the meeting


async def test_a_followers_edit_key_says_why_it_did_nothing_once(demo_path: Path) -> None:
    """The cold try: a follower typing a RAG or a score saw nothing happen and no word."""
    async with bob_follows_alice(demo_path) as (alice, _, pilot, screen):
        app = pilot.app
        await wait_until(pilot, lambda: screen.viewing == 1)
        before = alice.db.conn.execute("select count(*) from events").fetchone()[0]
        await pilot.press("r", "g", "a")

        def told() -> list[str]:
            return [n.message for n in app._notifications if "following the driver" in n.message]

        await wait_until(pilot, lambda: bool(told()))
        await pilot.pause()
        assert told() == ["You are following the driver: D takes the drive to change this."]
        assert alice.db.conn.execute("select count(*) from events").fetchone()[0] == before


async def test_a_follower_back_on_the_home_screen_plans_a_meeting(demo_path: Path) -> None:
    """The cold try: a follower who left the meeting for the home screen and planned the
    next one was told "alice drives M-3 and you follow: only the driver can do that"."""
    from textual.widgets import Input

    from pmo_tui.screens.home import HomeScreen
    from pmo_tui.widgets.form import FormDialog

    async with bob_follows_alice(demo_path) as (alice, _, pilot, _screen):
        app = pilot.app
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        dialog = app.screen
        dialog.query_one("#field-title", Input).value = "Next review"
        dialog.query_one("#field-date", Input).value = "2026-12-31"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        titles = [row.meeting.title for row in alice.meetings.meetings()]
        assert "Next review" in titles


async def test_a_peers_commit_as_the_app_closes_is_not_read_into_its_pruned_screens(
    demo_path: Path,
) -> None:
    """A clean run failed once so: the poll's timer fired while the app closed, after the
    meeting screen's widgets were pruned and before its place in the stack went, and it
    re-read a peer's commit into widgets no longer there (NoMatches, the run exited 1)."""
    from pmo_tui.data.models import RaidKind

    meeting_id = live_meeting(demo_path)
    app = make_app(demo_path, user="bob", clock=fixed_clock)
    close_all = app._close_all
    polled: list[bool] = []

    async def pruned_then_polled() -> None:
        with Store(demo_path, user="alice", clock=fixed_clock) as alice:
            alice.raid.add_raid_item(RaidKind.RISK, "Raised as bob left")
        for screen in app.screen_stack:
            await screen.remove_children()
        app.poll()
        polled.append(True)
        await close_all()

    app._close_all = pruned_then_polled  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        assert screen.meeting_id == meeting_id
    assert polled == [True]
