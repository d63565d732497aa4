"""The collector's passes run while nobody types (pmo_tui/collector.py collect_if_idle):
the benchmark's log caught a full pass (200-370 ms) landing on a register filter."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import pmo_tui.app as app_module
from pmo_tui.app import PmoApp, make_app
from pmo_tui.collector import IDLE_SECONDS, MIDDLE_DUE, OLD_DUE, collect_if_idle
from tests.conftest import fixed_clock
from tests.helpers.meeting import wait_until


def test_a_pass_coming_due_runs_when_idle_and_not_while_someone_types() -> None:
    gc.collect()
    for _ in range(MIDDLE_DUE):
        gc.collect(0)
    assert collect_if_idle(IDLE_SECONDS / 2) is None  # a key half a second ago
    assert gc.get_count()[1] >= MIDDLE_DUE
    assert collect_if_idle(IDLE_SECONDS) == 1
    assert gc.get_count()[1] < MIDDLE_DUE
    for _ in range(OLD_DUE):
        gc.collect(1)
    assert collect_if_idle(IDLE_SECONDS) == 2
    assert gc.get_count()[2] < OLD_DUE
    gc.collect()
    assert collect_if_idle(60) is None  # nothing due: an idle session does nothing


def test_nothing_runs_while_the_collector_is_paused() -> None:
    gc.collect()
    for _ in range(MIDDLE_DUE):
        gc.collect(0)
    gc.disable()
    try:
        assert collect_if_idle(60) is None
    finally:
        gc.enable()


async def test_the_app_runs_the_due_pass_once_nobody_types(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[int | None] = []

    def recorded(idle_for: float) -> int | None:
        result = collect_if_idle(idle_for)
        ran.append(result)
        return result

    monkeypatch.setattr(app_module, "collect_if_idle", recorded)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test() as pilot:
        await pilot.press("j")
        for _ in range(MIDDLE_DUE):
            gc.collect(0)
        await wait_until(pilot, lambda: 1 in ran or 2 in ran)


def test_a_full_pass_at_idle_freezes_what_survived_it_until_the_next_one() -> None:
    """Full passes on keys then walk only what is newer; a cycle dropped after the freeze
    is freed at the next full pass at idle, not kept for good."""
    import weakref

    class Node:
        me: object = None

    try:
        node = Node()
        node.me = node  # a cycle: only the collector frees it
        gone = weakref.ref(node)
        gc.collect()
        for _ in range(OLD_DUE):
            gc.collect(1)
        assert collect_if_idle(IDLE_SECONDS) == 2
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()  # a full pass on a key: the frozen are not walked
        assert gone() is not None
        for _ in range(OLD_DUE):
            gc.collect(1)
        assert collect_if_idle(IDLE_SECONDS) == 2
        assert gone() is None
    finally:
        gc.unfreeze()


def test_a_full_pass_waits_for_a_pause_not_for_ten_middle_ones() -> None:
    """The benchmark: a page down of 114 ms among ones of 15, Python's full pass (99 ms,
    every object not frozen) come due after 10 middle passes in a quick run of keys.
    After settle_collector a run of keys that brings 20 middle passes and allocates
    more leaves the full pass to the pause (collect_if_idle)."""
    from pmo_tui.collector import settle_collector

    thresholds = gc.get_threshold()
    full: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    settle_collector()
    gc.callbacks.append(seen)
    try:
        kept = [{"n": n} for n in range(60_000)]  # survives into the old generation
        for _ in range(20):
            gc.collect(1)
        assert gc.get_count()[2] >= 20
        more = [[n] for n in range(300_000)]  # young passes, then a middle one, come due
        assert not full
        assert collect_if_idle(IDLE_SECONDS) == 2  # at the pause
        assert full
        del kept, more
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def watch_checkpoints(app: PmoApp, path: Path) -> list[int | None]:
    """What the app's checkpoints copy, as they run; a peer's commit gives them work."""
    from pmo_tui.data.store import Store

    copied: list[int | None] = []
    original = app.store.checkpoint_quietly

    def spy() -> int | None:
        copied.append(original())
        return copied[-1]

    app.store.checkpoint_quietly = spy  # type: ignore[method-assign]
    with Store(path, user="peer", clock=fixed_clock) as peer:
        peer.portfolio.person_named("Pat Peer", create=True)
    return copied


async def test_the_app_copies_the_log_into_the_file_once_nobody_types(demo_path: Path) -> None:
    """The checkpoint SQLite would run inside a key's commit runs in the poll instead,
    once no key has come for CHECKPOINT_QUIET_SECONDS (Db.checkpoint_quietly)."""
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test() as pilot:
        copied = watch_checkpoints(app, demo_path)
        await wait_until(pilot, lambda: any(copied))


async def test_the_app_says_at_once_when_its_file_is_deleted_under_it(demo_path: Path) -> None:
    """The cold try: the file deleted under a running session, every edit said done and
    was lost. The poll notices within a quarter second and says so, once; edits after
    it are refused with the same sentence (Db.ensure_in_place)."""
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        for side in (
            demo_path,
            demo_path.with_name("demo.db-wal"),
            demo_path.with_name("demo.db-shm"),
        ):
            side.unlink(missing_ok=True)

        def said() -> list[str]:
            return [
                str(n.message)
                for n in app._notifications
                if "deleted or replaced" in str(n.message)
            ]

        await wait_until(pilot, lambda: bool(said()))
        await pilot.pause(0.6)  # two more polls: still said once
        assert len(said()) == 1
        assert said()[0].startswith(f"{demo_path} was deleted or replaced")


async def test_the_log_is_copied_between_keys_in_a_quick_run_of_them(demo_path: Path) -> None:
    """Waiting for a whole idle second left a quick run of keys to SQLite's own
    checkpoint, inside the commit of a key (a re-rank of 203 ms among ones of 39)."""
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test() as pilot:
        copied = watch_checkpoints(app, demo_path)
        for _ in range(10):  # a key every 0.4 s: never an idle second
            await pilot.press("j")
            await pilot.pause(0.4)
            if any(copied):
                break
        assert any(copied)


async def test_a_closed_screen_is_collected_after_the_next_frame_not_on_a_later_key(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark: leaving the meeting left ~8,000 objects in cycles (its widgets and
    what they kept); the middle pass that found them came due in the register, on a page
    down (58 ms among ones of 15). A screen closed is walked at once, after the frame
    that shows the screen under it, while the room reads it."""
    from pmo_tui.collector import settle_collector
    from pmo_tui.screens.register import RegisterScreen
    from pmo_tui.widgets.form import FormDialog

    monkeypatch.setattr(app_module, "collect_if_idle", lambda idle_for: None)  # not idle ones
    thresholds = gc.get_threshold()
    middle: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] >= 1:
            middle.append(info["collected"])

    settle_collector()  # as the pmo command: passes are rare, none by chance here
    gc.callbacks.append(seen)
    try:
        async with make_app(demo_path, user="tester", clock=fixed_clock).run_test() as pilot:
            await pilot.press("R")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, RegisterScreen))
            register = pilot.app.screen
            await pilot.pause()
            middle.clear()
            await pilot.press("P")  # a dialog, closed: no pass for it (one after each save)
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
            dialog = pilot.app.screen
            await pilot.press("escape")
            await wait_until(pilot, lambda: not dialog.is_attached)
            await pilot.pause()
            await pilot.pause()
            assert not middle
            await pilot.press("escape")
            await wait_until(pilot, lambda: not register.is_attached)
            await wait_until(pilot, lambda: bool(middle))
            assert sum(middle) > 0  # it found the screen's leavings
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
