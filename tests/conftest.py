from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pmo_tui.data.demo import build_demo
from pmo_tui.data.store import Store

# Every test sees the same day, so the demo's overdue items and the snapshots are stable.
DEMO_DAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    return build_demo(path, DEMO_DAY)


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo portfolio (the template is closed, so it has no -wal)."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_store(demo_path: Path) -> Iterator[Store]:
    with Store(demo_path, user="tester", clock=fixed_clock) as store:
        yield store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "empty.db", create=True, user="tester", clock=fixed_clock) as store:
        yield store
