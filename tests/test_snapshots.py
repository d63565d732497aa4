"""Snapshots of the main screens at a laptop size and at the 80x24 minimum."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_tui.app import make_app
from tests.conftest import fixed_clock

SnapCompare = Callable[..., bool]


@pytest.fixture
def demo_here(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A relative path keeps the temporary folder's name out of the snapshot.
    monkeypatch.chdir(demo_path.parent)
    return Path(demo_path.name)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_home_screen(snap_compare: SnapCompare, demo_here: Path, size: tuple[int, int]) -> None:
    app = make_app(demo_here, user="tester", clock=fixed_clock)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_project_detail(snap_compare: SnapCompare, demo_here: Path, size: tuple[int, int]) -> None:
    app = make_app(demo_here, user="tester", clock=fixed_clock)
    assert snap_compare(app, press=["j", "enter"], terminal_size=size)


def test_meeting_agenda(snap_compare: SnapCompare, demo_here: Path) -> None:
    app = make_app(demo_here, user="tester", clock=fixed_clock)
    assert snap_compare(app, press=["m", "j", "enter"], terminal_size=(120, 40))
