"""The app shows a large file at once and checks it on a thread: it joins the others
(its first write) once the check is done, and stops on a damaged file with the sentence
`pmo` prints, having written nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pmo_tui.app import make_app
from pmo_tui.data import store as store_module
from pmo_tui.data.store import Store
from pmo_tui.screens.home import HomeScreen
from tests.conftest import fixed_clock
from tests.data.test_background_check import damage_table


async def test_a_large_file_is_shown_then_joined_once_checked(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "CHECK_NOW_BYTES", -1)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    assert app.store.db._checker is not None  # not waited for before the app starts
    async with app.run_test(size=(120, 40)) as pilot:
        while app.session_id is None:
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.refused is None
        with Store(demo_path, read_only=True, clock=fixed_clock) as other:
            assert "tester" in {peer.user for peer in other.presence.present()}


async def test_a_large_damaged_file_stops_the_app_with_nothing_written(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "CHECK_NOW_BYTES", -1)
    damage_table(demo_path, "decisions")
    before = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.is_running:
            await pilot.pause()
    app.store.close()
    assert app.refused is not None and "is damaged" in app.refused
    assert app.return_code == 2 and app.session_id is None
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == before
