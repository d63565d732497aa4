"""The `pmo` command as a user runs it: a subprocess, and a pseudo-terminal for the app."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pmo_tui.collector import YOUNG_THRESHOLD
from pmo_tui.data.models import Action, MeetingState
from pmo_tui.data.schema import SCHEMA_VERSION
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.helpers.cli import PMO, pmo
from tests.helpers.terminal import Terminal


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_help_explains_every_command_with_an_example(tmp_path: Path) -> None:
    result = pmo("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("demo", "init", "check"):
        assert command in result.stdout
        sub = pmo(command, "--help", cwd=tmp_path)
        assert sub.returncode == 0
        assert "Example" in sub.stdout, command
    module = subprocess.run(
        [sys.executable, "-m", "pmo_tui", "--help"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and "Examples" in module.stdout


def test_init_creates_a_portfolio_and_never_overwrites(tmp_path: Path) -> None:
    result = pmo("init", "team.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Created an empty portfolio at team.db" in result.stdout
    before = digest(tmp_path / "team.db")
    again = pmo("init", "team.db", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert digest(tmp_path / "team.db") == before


def test_check_reports_the_health_of_a_good_file(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "demo.db", cwd=tmp_path).returncode == 0
    result = pmo("check", "demo.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Schema version:  {SCHEMA_VERSION}" in out
    assert "via pysqlite3" in out
    assert "Journal mode:    wal" in out
    assert "Integrity:       ok" in out
    assert any(line.split() == ["projects", "24"] for line in out.splitlines())


def test_db_option_and_environment_choose_the_file_for_subcommands(tmp_path: Path) -> None:
    assert pmo("--db", "a.db", "init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.db").exists()
    assert pmo("init", cwd=tmp_path, env={"PMO_DB": "b.db"}).returncode == 0
    assert (tmp_path / "b.db").exists()
    via_env = pmo("check", cwd=tmp_path, env={"PMO_DB": "b.db"})
    assert via_env.returncode == 0 and "b.db" in via_env.stdout
    assert not (tmp_path / "portfolio.db").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name,Owner\nPortal,Ann\n", "not an SQLite database"),
        (b"", "is empty (0 bytes)"),
        (b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 200, "truncated"),
    ],
)
def test_bad_files_give_one_sentence_a_non_zero_exit_and_stay_as_they_were(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    for args in (("check", "bad.db"), ("--db", "bad.db", "check")):
        result = pmo(*args, cwd=tmp_path)
        assert result.returncode == 1
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_a_missing_file_or_folder_is_named_and_not_created(tmp_path: Path) -> None:
    result = pmo("check", "nowhere.db", cwd=tmp_path)
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "nowhere.db").exists()
    result = pmo("--db", "no/such/dir/x.db", cwd=tmp_path)
    assert (
        result.returncode == 1 and "folder" in result.stderr and "does not exist" in result.stderr
    )
    result = pmo("--db", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "is a folder" in result.stderr


def test_check_fails_on_a_newer_schema_and_on_a_damaged_page(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "x.db", cwd=tmp_path).returncode == 0
    path = tmp_path / "x.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    newer = pmo("check", "x.db", cwd=tmp_path)
    assert newer.returncode == 1 and "upgrade pmo" in newer.stderr

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("select rootpage from sqlite_master where name = 'events'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + page_size] = b"\xff" * (page_size - 8)
    path.write_bytes(bytes(data))
    damaged = pmo("check", "x.db", cwd=tmp_path)
    assert damaged.returncode == 1
    assert "Traceback" not in damaged.stderr
    assert "integrity" in damaged.stderr or "damaged" in damaged.stderr


@pytest.fixture
def terminal_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    env.pop("PMO_DB", None)
    yield env


def test_pmo_demo_opens_the_app_on_the_demo_and_prints_its_path_on_exit(
    tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    terminal = Terminal([PMO, "demo"], terminal_env, str(tmp_path))
    try:
        terminal.wait_for("Online Onboarding")
        terminal.wait_for(str(tmp_path / "data" / "pmo" / "demo.db"))
        terminal.send("q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    assert f"Portfolio: {tmp_path / 'data' / 'pmo' / 'demo.db'}" in terminal.text
    assert (tmp_path / "data" / "pmo" / "demo.db").exists()


def test_pmo_creates_an_empty_portfolio_and_says_so(
    tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    terminal = Terminal([PMO], terminal_env, str(tmp_path))
    try:
        terminal.wait_for("no projects yet")
        terminal.send("q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    assert "Created a new, empty portfolio" in terminal.text
    assert (tmp_path / "portfolio.db").exists()


def test_killing_pmo_mid_meeting_loses_nothing_and_reopens_at_the_same_step(
    tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    assert pmo("init", "--demo", "team.db", cwd=tmp_path).returncode == 0
    terminal = Terminal([PMO, "--db", "team.db"], terminal_env, str(tmp_path))
    try:
        terminal.wait_for("Online Onboarding")
        terminal.send("s")  # start the planned meeting
        terminal.wait_for("What changed since the last meeting")
        terminal.send("\r")
        terminal.wait_for("1. Previous actions")
        terminal.send("]")
        terminal.wait_for("2. Status")
        terminal.send("d")
        terminal.wait_for("Decision in Status")
        terminal.send("Approve the re-plan before the kill\r")
        terminal.wait_for("D-11")  # shown in the step's log once committed
    finally:
        terminal.kill(signal.SIGKILL)
        terminal.close()

    with Store(tmp_path / "team.db") as store:
        meeting = store.meetings.meetings()[0].meeting
        assert meeting.state is MeetingState.LIVE and meeting.current_step == 1
        assert [d.text for d in store.decisions.decisions(meeting.id)] == [
            "Approve the re-plan before the kill"
        ]
        assert store.integrity_problems() == []

    again = Terminal([PMO, "--db", "team.db"], terminal_env, str(tmp_path))
    try:
        again.wait_for("Online Onboarding")
        again.send("s")  # resume
        again.wait_for("2. Status")
        again.send("q")
        assert again.wait_exit() == 0
    finally:
        again.close()


def test_export_minutes_and_actions_from_the_command_line(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    minutes = pmo("--db", "d.db", "export", "minutes", "M-2", cwd=tmp_path)
    assert minutes.returncode == 0, minutes.stderr
    assert minutes.stdout.startswith("# Portfolio review")
    assert "## Decisions" in minutes.stdout and "| Code | Action |" in minutes.stdout
    html = pmo(
        "--db", "d.db", "export", "minutes", "2", "-o", "m.html", "--format", "html", cwd=tmp_path
    )
    assert html.returncode == 0 and "Wrote m.html" in html.stderr
    assert (tmp_path / "m.html").read_text().startswith("<!DOCTYPE html>")

    csv_out = pmo("--db", "d.db", "export", "actions", "--open", "--format", "csv", cwd=tmp_path)
    assert csv_out.returncode == 0
    lines = csv_out.stdout.splitlines()
    assert lines[0].startswith("code,action,owner,due,status")
    assert all(",open," in line for line in lines[1:])
    owner = pmo("--db", "d.db", "export", "actions", "--owner", "priya raman", cwd=tmp_path)
    assert owner.returncode == 0 and "# Actions for priya raman" in owner.stdout

    for args, message in (
        (("export", "minutes", "M-99"), "M-99 does not exist"),
        (("export", "minutes", "P-1"), "'P-1' is not a meeting's code, like M-3"),
        # The cold try: a project's code as the example, and an empty code read as 'M-'.
        (("export", "minutes", "X-3"), "'X-3' is not a meeting's code, like M-3"),
        (("export", "minutes", " "), "No code was given: it must be a meeting's code"),
        # A digit int() cannot read ('²' is a digit to str.isdigit): a traceback before.
        (("export", "minutes", "M-²"), "'M-²' is not a meeting's code, like M-3"),
        (("export", "actions", "--owner", "Nobody Known"), "Nobody called"),
        (("export", "minutes", "M-1", "-o", "no/such/dir/m.md"), "Cannot write"),
    ):
        bad = pmo("--db", "d.db", *args, cwd=tmp_path)
        assert bad.returncode == 1 and message in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr


def test_check_reports_who_can_write_the_file_its_wal_and_folder(tmp_path: Path) -> None:
    assert pmo("init", "d.db", cwd=tmp_path).returncode == 0
    result = pmo("check", "d.db", cwd=tmp_path)
    assert result.returncode == 0
    lines = {
        line.split()[0]: line
        for line in result.stdout.splitlines()
        if line.startswith("  ") and len(line.split()) > 1
    }
    assert "owner" in lines["file"] and "group" in lines["file"] and "mode -rw" in lines["file"]
    assert "can write" in lines["file"] and "can write" in lines["folder"]
    assert "owner" in lines["wal"] and "owner" in lines["shm"]  # check has it open


def test_export_raid_writes_the_register(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    everything = pmo("--db", "d.db", "export", "raid", cwd=tmp_path)
    assert everything.returncode == 0 and everything.stdout.startswith("# RAID register")
    one = pmo("--db", "d.db", "export", "raid", "--project", "P-6", "--open", cwd=tmp_path)
    rows = [line for line in one.stdout.splitlines() if line.startswith("| R-")]
    assert rows and all("P-6 Online Onboarding" in row and "| closed |" not in row for row in rows)
    csv_out = pmo("--db", "d.db", "export", "raid", "--format", "csv", cwd=tmp_path)
    header = csv_out.stdout.splitlines()[0].split(",")
    assert header[:4] == ["code", "kind", "project", "title"] and "severity" in header
    bad = pmo("--db", "d.db", "export", "raid", "--project", "M-1", cwd=tmp_path)
    assert bad.returncode == 1 and "is not a project" in bad.stderr


def test_scoring_is_shown_and_changed_from_the_command_line(tmp_path: Path) -> None:
    assert pmo("init", "d.db", cwd=tmp_path).returncode == 0
    shown = pmo("--db", "d.db", "scoring", cwd=tmp_path)
    assert shown.returncode == 0
    assert "5x5; low from 1, medium from 8, high from 15; triage from 15" in shown.stdout
    changed = pmo(
        "--db",
        "d.db",
        "scoring",
        "--scale",
        "3",
        "--band",
        "low=1",
        "--band",
        "high=6",
        "--high",
        "6",
        cwd=tmp_path,
    )
    assert changed.returncode == 0 and "3x3; low from 1, high from 6" in changed.stdout
    bad = pmo("--db", "d.db", "scoring", "--band", "high=99", cwd=tmp_path)
    assert bad.returncode == 1 and "bands must start at 1" in bad.stderr
    assert "3x3" in pmo("--db", "d.db", "scoring", cwd=tmp_path).stdout


def test_export_changes_filters_by_status_and_writes_csv(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    approved = pmo("--db", "d.db", "export", "changes", "--status", "Approved", cwd=tmp_path)
    assert approved.returncode == 0, approved.stderr
    assert approved.stdout.startswith("# Change requests (approved)")
    rows = [line for line in approved.stdout.splitlines() if line.startswith("| CR-")]
    assert len(rows) == 1 and "| approved | D-" in rows[0]
    csv_out = pmo("--db", "d.db", "export", "changes", "--format", "csv", cwd=tmp_path)
    assert csv_out.returncode == 0
    header, *lines = csv_out.stdout.splitlines()
    assert header.startswith("code,project,title,status") and len(lines) == 13
    wrong = pmo("--db", "d.db", "export", "changes", "--status", "maybe", cwd=tmp_path)
    assert wrong.returncode == 2 and "'maybe' is not one of" in wrong.stderr


def test_export_ranking_draws_the_funding_line(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    ranking = pmo("--db", "d.db", "export", "ranking", cwd=tmp_path)
    assert ranking.returncode == 0, ranking.stderr
    lines = ranking.stdout.splitlines()
    assert lines[0] == "# Portfolio ranking"
    line = lines.index("|  | **— funding line —** |  |  |  |  |  |")
    assert "| funded |" in lines[line - 1] and "| **unfunded** |" in lines[line + 1]
    assert any(text.startswith("Funding line: ") for text in lines)
    csv_out = pmo("--db", "d.db", "export", "ranking", "--format", "csv", cwd=tmp_path)
    header, first, *_ = csv_out.stdout.splitlines()
    assert header.startswith("rank,code,project,score") and first.startswith("1,P-")


def test_export_lessons_searches_safely(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    found = pmo("--db", "d.db", "export", "lessons", "--search", "supplier", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("# Lessons learned matching “supplier”")
    assert "| L-" in found.stdout and "supplier" in found.stdout.lower()
    odd = pmo("--db", "d.db", "export", "lessons", "--search", 'NEAR( "* -', cwd=tmp_path)
    assert odd.returncode == 0 and "No lessons match." in odd.stdout
    everything = pmo("--db", "d.db", "export", "lessons", "--format", "csv", cwd=tmp_path)
    header, *rows = everything.stdout.splitlines()
    assert header.startswith("code,project,programme,category,title") and len(rows) >= 10


def test_import_dry_run_then_import_then_export_json(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    (tmp_path / "raid.csv").write_text(
        "RAID log\n\nType,Project,Risk Description,Likelihood,Impact,Owner\n"
        "Risk,P-3,Vendor may fold,High,M,New Owner\nIssue,P-99,Broken,1,1,\n",
        encoding="utf-8",
    )
    checked = pmo("--db", "d.db", "import", "raid", "raid.csv", "--dry-run", cwd=tmp_path)
    assert checked.returncode == 1
    assert "row     5  PROBLEM" in checked.stdout and "“P-99” is not a project" in checked.stdout
    # One problem reads as one ("1 problems ... Fix them"; cold try).
    assert "1 problem: nothing was imported. Fix it and run again" in checked.stderr
    (tmp_path / "raid.csv").write_text(
        "Type,Project,Risk Description,Likelihood,Impact,Owner\n"
        "Risk,P-3,Vendor may fold,High,M,New Owner\n",
        encoding="utf-8",
    )
    dry = pmo("--db", "d.db", "import", "raid", "raid.csv", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0 and "Dry run: nothing was changed." in dry.stdout
    assert "1 row: 1 to create, 0 to update." in dry.stdout
    assert "people to add: New Owner" in dry.stdout
    done = pmo("--db", "d.db", "import", "raid", "raid.csv", cwd=tmp_path)
    assert done.returncode == 0 and "1 created, 0 updated" in done.stdout
    again = pmo("--db", "d.db", "import", "raid", "raid.csv", cwd=tmp_path)
    assert "0 created, 0 updated, 1 unchanged (already as the file has them)" in again.stdout
    document = pmo("--db", "d.db", "export", "json", cwd=tmp_path)
    assert '"Vendor may fold"' in document.stdout
    ics = pmo("--db", "d.db", "export", "actions", "--open", "--format", "ics", cwd=tmp_path)
    assert ics.stdout.startswith("BEGIN:VCALENDAR")
    table = pmo("--db", "d.db", "export", "table", "raid_items", cwd=tmp_path)
    assert table.stdout.startswith("code,kind,project,title")
    bad_map = pmo("--db", "d.db", "import", "raid", "raid.csv", "--map", "nonsense", cwd=tmp_path)
    assert bad_map.returncode == 2 and "Column=field" in bad_map.stderr


def test_the_app_runs_with_the_collector_settled(tmp_path: Path) -> None:
    """`pmo` freezes what the imports left and examines young objects less often before
    the app runs (pmo_tui/collector.py): the collector's pauses stay off the keys. In a
    child process, as it changes the process's collector."""
    child = (
        "import gc, sys\n"
        "from pmo_tui.app import PmoApp\n"
        "from pmo_tui.cli import main\n"
        "def run(self, **options):\n"
        "    print(gc.get_threshold()[0], gc.get_freeze_count() > 10_000)\n"
        "PmoApp.run = run\n"
        f"sys.argv = ['pmo', '--db', {str(tmp_path / 'p.db')!r}]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{YOUNG_THRESHOLD} True"


CRASHING_APP = r"""
import sys
import time
import pmo_tui.app
from pmo_tui.cli import main

made = pmo_tui.app.make_app


def crashing(*args, **kwargs):
    app = made(*args, **kwargs)

    def explode() -> None:
        raise RuntimeError("a bug in a handler")

    app.call_after_refresh(explode)
    return app


pmo_tui.app.make_app = crashing
sys.argv = ["pmo", "--db", sys.argv[1]]
main()
"""


def test_the_app_ending_on_an_error_exits_non_zero(
    tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    """A wrapper script or a cron job must see that the app did not end as asked."""
    terminal = Terminal(
        [sys.executable, "-c", CRASHING_APP, str(tmp_path / "p.db")], terminal_env, str(tmp_path)
    )
    try:
        assert terminal.wait_exit() != 0
    finally:
        terminal.close()
    assert "a bug in a handler" in terminal.text


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_session_whose_terminal_is_gone_exits_and_keeps_what_was_typed(
    tmp_path: Path, terminal_env: dict[str, str], signum: int
) -> None:
    """Closing the terminal with the help screen open left the process waiting for ever
    on Textual's terminal writer, holding the portfolio open. It must end, notes saved."""
    assert pmo("init", "--demo", "team.db", cwd=tmp_path).returncode == 0
    terminal = Terminal([PMO, "--db", "team.db"], terminal_env, str(tmp_path))
    try:
        terminal.wait_for("Online Onboarding")
        terminal.send("s")
        terminal.wait_for("What changed since the last meeting")
        terminal.send("\r")
        terminal.wait_for("1. Previous actions")
        terminal.send("n")
        time.sleep(0.5)  # keys sent at once can reach the step before the box has focus
        terminal.send("Typed just before the line dropped")
        terminal.wait_for("line dropped")
        time.sleep(1)  # the notes are saved a moment after typing stops (not waited on)
        terminal.send("\x1b")  # out of the notes box, then the help screen
        time.sleep(0.3)  # a lone ESC, not ESC + "?" (alt+?)
        terminal.send("?")
        terminal.wait_for("Every key, and what each agenda step is for")
        # The terminal goes, as when tmux or ssh closes: the signal, then the line.
        os.killpg(terminal.process.pid, signum)
        os.close(terminal.master)
        deadline = time.monotonic() + 15
        while terminal.process.poll() is None:
            assert time.monotonic() < deadline, "the process did not end"
            time.sleep(0.1)
    finally:
        if terminal.process.poll() is None:
            os.killpg(terminal.process.pid, signal.SIGKILL)
            terminal.process.wait(timeout=20)
    with Store(tmp_path / "team.db") as store:
        meeting = store.meetings.meetings()[0].meeting
        notes = store.meetings.agenda(meeting.id)[0].notes
        assert "Typed just before the line dropped" in notes
        assert store.presence.present() == []


def test_closing_the_tmux_window_with_the_help_open_ends_the_process(tmp_path: Path) -> None:
    """Seen every time: tmux kill-session with the help screen open left pmo waiting for
    ever in Textual's terminal writer (parent 1, its terminal gone), the portfolio open."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed")
    assert pmo("init", "--demo", "team.db", cwd=tmp_path).returncode == 0
    name = f"pmo-test-{os.getpid()}"
    socket = str(tmp_path / "tmux.sock")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    command = f"cd {tmp_path} && PMO_DB= exec {PMO} --db team.db"
    subprocess.run(
        [tmux, "-S", socket, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
        check=True,
        env=env,
    )
    try:
        pid = int(
            subprocess.run(
                [tmux, "-S", socket, "display", "-p", "-t", name, "#{pane_pid}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

        def screen() -> str:
            return subprocess.run(
                [tmux, "-S", socket, "capture-pane", "-p", "-t", name],
                capture_output=True,
                text=True,
                check=False,
            ).stdout

        deadline = time.monotonic() + 30
        while "Online Onboarding" not in screen():
            assert time.monotonic() < deadline, screen()
            time.sleep(0.1)
        subprocess.run([tmux, "-S", socket, "send-keys", "-t", name, "?"], check=True)
        while "Every key" not in screen():
            assert time.monotonic() < deadline, screen()
            time.sleep(0.1)
    finally:
        subprocess.run([tmux, "-S", socket, "kill-server"], check=False)
    deadline = time.monotonic() + 15
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("pmo went on running after its terminal closed")
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def test_import_reads_numeric_dates_as_told(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    (tmp_path / "a.csv").write_text("Action,Due\nSend it,02/03/2027\n", encoding="utf-8")
    day_first = pmo("--db", "d.db", "import", "actions", "a.csv", "--dry-run", cwd=tmp_path)
    assert day_first.returncode == 0
    month_first = pmo("--db", "d.db", "import", "actions", "a.csv", "--dates", "mdy", cwd=tmp_path)
    assert month_first.returncode == 0, month_first.stderr
    with Store(tmp_path / "d.db") as store:
        [action] = [a for a in store.all(Action) if a.text == "Send it"]
    assert action.due_on == date(2027, 2, 3)
    wrong = pmo("--db", "d.db", "import", "actions", "a.csv", "--dates", "ymd", cwd=tmp_path)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
