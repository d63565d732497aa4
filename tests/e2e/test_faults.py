"""The disk fills up, a page is damaged: the app says what failed and which edit was not
saved, keeps running, and loses nothing already saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmo_tui.data.models import AgendaItem, MeetingState
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
from tests.data.test_background_check import damage_table
from tests.helpers.terminal import Terminal
from tests.helpers.unprivileged import run_unprivileged

# A child process, so the file-size limit binds only it: SQLite then meets EFBIG as it
# would a full disk. SIGXFSZ is ignored, or the kernel would kill the process instead.
FULL_DISK = r"""
import resource, signal, sys
from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import AgendaItem
from pmo_tui.data.store import Store

path, item_id = sys.argv[1], int(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
store = Store(path)
files = [store.path, store.path.with_name(store.path.name + "-wal")]
size = max(p.stat().st_size for p in files if p.exists())
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 200_000, resource.RLIM_INFINITY))
saved = 0
for n in range(10_000):
    item = store.get(AgendaItem, item_id)
    try:
        store.meetings.set_notes(item.id, item.version, item.notes + f"\nnote {n} " + "x" * 9_000)
    except StoreError as error:
        print("REFUSED", error, flush=True)
        break
    saved = n
    print("SAVED", n, flush=True)
# The limit is lifted (space freed): the same session goes on saving.
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
item = store.get(AgendaItem, item_id)
store.meetings.set_notes(item.id, item.version, item.notes + "\nafter the disk was freed")
print("RECOVERED", flush=True)
store.close()
"""


def test_a_full_disk_refuses_the_edit_in_a_sentence_and_keeps_what_was_saved(
    demo_path: Path,
) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        item = store.meetings.agenda(meeting.id)[0]
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(demo_path), str(item.id)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    saved = [int(line.split()[1]) for line in lines if line.startswith("SAVED")]
    refused = [line for line in lines if line.startswith("REFUSED")]
    assert saved and len(refused) == 1
    assert "full" in refused[0] and "the edit was not saved" in refused[0]
    assert lines[-1] == "RECOVERED"
    with Store(demo_path, clock=fixed_clock) as store:
        assert store.integrity_problems() == []
        assert store.audit.verify_chain().broken is None
        notes = store.get(AgendaItem, item.id).notes
        assert all(f"note {n} " in notes for n in saved)
        assert f"note {saved[-1] + 1} " not in notes  # the refused edit left no trace
        assert notes.endswith("after the disk was freed")
        assert store.get(type(meeting), meeting.id).state is MeetingState.LIVE


def test_a_page_damaged_on_disk_is_named_and_nothing_is_written(
    demo_path: Path, tmp_path: Path
) -> None:
    with Store(demo_path) as store:
        page_size = store.db.conn.execute("PRAGMA page_size").fetchone()[0]
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # The records' first page: a closed meeting's screen reads its record (its log).
        root = store.db.conn.execute(
            "select rootpage from sqlite_master where name = 'meeting_records'"
        ).fetchone()[0]
    data = bytearray(demo_path.read_bytes())
    page = root - 1  # pages count from 1
    data[page * page_size : (page + 1) * page_size] = bytes(range(256)) * (page_size // 256)
    demo_path.write_bytes(bytes(data))
    before = demo_path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "pmo_tui", "--db", str(demo_path), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Integrity:       PROBLEMS" in result.stdout
    # The app reads the damaged page somewhere while meetings are opened: one sentence,
    # exit code 1, no traceback (which would print local variables: user data).
    app_run = subprocess.run(
        [sys.executable, "-c", OPEN_EVERY_MEETING, str(demo_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = app_run.stdout + app_run.stderr
    said = " ".join(output.split())
    assert "is damaged" in said and "pmo check" in said, output[-2000:]
    assert "Traceback" not in output
    assert demo_path.read_bytes() == before


OPEN_EVERY_MEETING = r"""
import sys
import asyncio
from pmo_tui.app import make_app

app = make_app(sys.argv[1], read_only=True)


async def visit(pilot):
    await pilot.pause()
    for row in app.store.meetings.meetings():
        if not app.is_running:
            return  # the app stopped on the damaged page, as it should
        app.open_meeting(row.meeting.id)
        # Until the meeting's screen has read its data, or the app stopped on the page.
        while app.is_running and not (
            type(app.screen).__name__ == "MeetingScreen" and app.screen.is_mounted
        ):
            await asyncio.sleep(0.01)
        if app.is_running:
            app.pop_screen()
    app.exit()


app.run(headless=True, size=(120, 40), auto_pilot=visit)
sys.exit(app.return_code or 0)
"""


# Unprivileged (root without DAC override, see helpers/unprivileged.py): a session saves,
# the file or its folder is made read-only under it, and it goes on; a new session is
# told clearly why it cannot write.
MID_MEETING = r"""
import os, sys
from pathlib import Path

import pytest
from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import AgendaItem
from pmo_tui.data.store import Store

path, item_id, target = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
store = Store(path)
item = store.get(AgendaItem, item_id)
item = store.meetings.set_notes(item.id, item.version, "before")
print("SAVED before")
(path if target == "file" else path.parent).chmod(0o444 if target == "file" else 0o555)
try:
    # The session's file handles were opened for writing: SQLite goes on through them.
    store.meetings.set_notes(item.id, item.version, "after")
    print("SAVED after")
except StoreError as error:
    print("REFUSED", error)
try:
    Store(path).close()
    print("NEW SESSION opened")
except StoreError as error:
    print("NEW SESSION", " ".join(str(error).split()))
store.close()
"""


@pytest.mark.parametrize("target", ["file", "folder"])
def test_made_read_only_mid_meeting_the_session_keeps_its_edits(
    tmp_path: Path, demo_template: Path, target: str
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "team.db"
    path.write_bytes(demo_template.read_bytes())
    with Store(path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        item = store.meetings.agenda(meeting.id)[0]
    try:
        said = run_unprivileged(MID_MEETING, str(path), str(item.id), target).splitlines()
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert said[:2] == ["SAVED before", "SAVED after"]
    if target == "file":
        assert said[2].startswith("NEW SESSION") and "read-only for" in said[2]
    with Store(path, read_only=True) as store:
        assert store.get(AgendaItem, item.id).notes == "after"
        assert store.integrity_problems() == []
        assert store.audit.verify_chain().broken is None


# `pmo` on a file it takes for large (checked on a thread while the app starts); with
# "endless", a check that reads until it is stopped, as on a cold 2.5 GB file.
START_LARGE = r"""
import sys
from pmo_tui.data import store
from pmo_tui.data.core import Db
from pmo_tui.data.sqlite import DatabaseError
store.CHECK_NOW_BYTES = -1

def endless_check(db):
    try:
        db.conn.execute(
            "with recursive c(x) as (select 1 union all select x + 1 from c) "
            "select count(*) from c"
        ).fetchall()
    except DatabaseError as error:
        raise db._explain(error) from None
    return "ok"

if sys.argv[2:] == ["endless"]:
    Db._quick_check = staticmethod(endless_check)
from pmo_tui.cli import main
sys.argv = ["pmo", "--db", sys.argv[1]]
main()
"""


def large_pmo(path: Path, *how: str) -> Terminal:
    return Terminal(
        [sys.executable, "-c", START_LARGE, str(path), *how],
        {**os.environ, "PMO_DB": ""},
        str(path.parent),
    )


def test_a_large_damaged_file_stops_the_app_in_one_sentence(demo_path: Path) -> None:
    """A large file is checked while the app starts (the check reads the whole file): a
    damaged one stops it before anything is written, with the sentence `pmo` says for a
    small one before it starts, and no traceback."""
    damage_table(demo_path, "decisions")
    before = demo_path.read_bytes()
    terminal = large_pmo(demo_path)
    try:
        code = terminal.wait_exit(60)
    finally:
        terminal.close()
    said = " ".join(terminal.text.split())
    assert code != 0
    assert "is damaged" in said and "nothing was written" in said and "pmo check" in said
    assert "Traceback" not in terminal.text
    assert demo_path.read_bytes() == before


def test_a_quit_while_a_large_file_is_checked_leaves_at_once(demo_path: Path) -> None:
    """A quit a second after opening a large file waited for the whole check (6 s on a
    cold 530 MB file, the screen blank): it leaves at once, the check stopped, no files
    left beside the portfolio, nothing written."""
    before = demo_path.read_bytes()
    terminal = large_pmo(demo_path, "endless")
    try:
        terminal.wait_for("active project", timeout=60)  # the home screen
        terminal.send("q")
        code = terminal.wait_exit(60)  # the check alone never ends
    finally:
        terminal.close()
    assert code == 0 and "Traceback" not in terminal.text
    assert demo_path.read_bytes() == before
    assert sorted(p.name for p in demo_path.parent.iterdir()) == [demo_path.name]
