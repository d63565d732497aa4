"""Text from the data never reaches a terminal as control sequences: every command's
output, with a portfolio whose every text field carries escape, OSC and bidi sequences.
Files keep the user's text except what their format forbids (CSV and iCalendar: control
characters)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.hostile import ESCAPES, poison
from tests.helpers.terminal import Terminal

PMO = shutil.which("pmo", path=str(Path(sys.executable).parent)) or "pmo"
# Whatever a terminal acts on: C0 controls but tab and newline, DEL, C1 (CSI, OSC...).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Commands whose output is for a person: nothing from the data may act on the terminal.
HUMAN = [
    ("check", "{db}"),
    ("verify", "{db}"),
    ("--db", "{db}", "scoring"),
    ("--db", "{db}", "report", "highlight"),
    ("--db", "{db}", "report", "overdue"),
    ("--db", "{db}", "import", "raid", "{csv}", "--dry-run"),
    ("--db", "{db}", "export", "minutes", "M-1"),
    ("--db", "{db}", "export", "raid"),
    ("--db", "{db}", "export", "changes"),
    ("--db", "{db}", "export", "lessons"),
    ("--db", "{db}", "export", "ranking"),
    ("--db", "{db}", "export", "digest"),
]
# Documents whose format forbids control characters (and bidi controls, which reorder
# what a spreadsheet or calendar shows).
FILES = [
    ("--db", "{db}", "export", "actions", "--format", "csv"),
    ("--db", "{db}", "export", "actions", "--format", "ics"),
    ("--db", "{db}", "export", "changes", "--format", "csv"),
    ("--db", "{db}", "export", "lessons", "--format", "csv"),
    ("--db", "{db}", "export", "ranking", "--format", "csv"),
    ("--db", "{db}", "export", "table", "projects"),
    ("--db", "{db}", "export", "json"),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("terminal")
    path = folder / "hostile.db"
    shutil.copy(demo_template, path)
    poison(path)
    register = folder / f"raid {ESCAPES[:12]}.csv"
    register.write_text(f"Type,Title,Owner {ESCAPES}\nRisk,{ESCAPES} title,{ESCAPES}\n")
    return {"db": path, "csv": register}


def run(args: tuple[str, ...], paths: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    words = [arg.format(**{k: str(v) for k, v in paths.items()}) for arg in args]
    return subprocess.run(
        [PMO, *words],
        capture_output=True,
        text=True,
        cwd=paths["db"].parent,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PMO_DB": ""},
    )


@pytest.mark.parametrize("args", HUMAN, ids=" ".join)
def test_what_a_command_prints_for_a_person_never_acts_on_the_terminal(
    hostile: dict[str, Path], args: tuple[str, ...]
) -> None:
    result = run(args, hostile)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    for stream in (result.stdout, result.stderr):
        assert not CONTROL.search(stream), repr(CONTROL.findall(stream)[:5])
        assert not BIDI.search(stream)


@pytest.mark.parametrize("args", FILES, ids=" ".join)
def test_files_keep_no_control_character_their_format_forbids(
    hostile: dict[str, Path], args: tuple[str, ...]
) -> None:
    result = run(args, hostile)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not CONTROL.search(result.stdout), repr(CONTROL.findall(result.stdout)[:5])
    if "json" not in args:  # JSON escapes controls; its text may hold bidi marks as typed
        assert not BIDI.search(result.stdout)
    assert not CONTROL.search(result.stderr)
    if "csv" in args or "table" in args:  # every record one line: a CR is quoted, not a row
        import csv
        import io

        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert all(len(row) == len(rows[0]) for row in rows)


def test_a_document_printed_to_a_terminal_is_shown_not_obeyed(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "PMO_DB": ""}
    terminal = Terminal([PMO, "--db", str(hostile["db"]), "export", "json"], env, str(tmp_path))
    try:
        assert terminal.wait_exit(60) == 0
    finally:
        terminal.close()
    assert "\x1b]" not in terminal.text and not BIDI.search(terminal.text)
