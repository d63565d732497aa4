"""The `pmo` command as a user runs it, as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PMO = shutil.which("pmo", path=str(Path(sys.executable).parent)) or "pmo"


def pmo(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `pmo ARGS` in ``cwd`` with no terminal and no $PMO_DB unless ``env`` sets it;
    a run that does not end within two minutes fails the test as a hang."""
    try:
        return subprocess.run(
            [PMO, *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PMO_DB": "", **(env or {})},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pmo {' '.join(args)} hung")
