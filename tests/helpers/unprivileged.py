"""Run a Python script in a process that file permissions apply to, even when the tests
run as root (as in CI containers): root keeps its uid but loses the capabilities that
override permission bits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


def unprivileged_prefix() -> list[str]:
    """What to run a command under so that file permissions apply to it."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps=-all"]


def run_unprivileged(script: str, *args: str) -> str:
    """The script's stdout (stripped); fails the test when it exits with an error."""
    result = subprocess.run(
        [*unprivileged_prefix(), sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
