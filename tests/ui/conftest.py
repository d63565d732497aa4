from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def demo_here(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo as a path relative to the working folder: the temporary folder's name stays
    out of what a snapshot shows."""
    monkeypatch.chdir(demo_path.parent)
    return Path(demo_path.name)
