"""`pmo backup` and `pmo restore` as an administrator (or cron) runs them, with sessions
writing meanwhile."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from pmo_tui.data.models import Objective, Person
from pmo_tui.data.store import Store
from tests.helpers.cli import pmo

WORKER = Path(__file__).resolve().parent.parent / "helpers" / "rmw_worker.py"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_taken_while_a_session_writes_is_whole_and_verifies(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    with Store(path) as store:
        objective = store.all(Objective)[0]
    folder = tmp_path / "backups"
    folder.mkdir()
    writer = subprocess.Popen(
        [sys.executable, str(WORKER), str(path), str(objective.id), "3000"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent.parent,
    )
    try:
        made = [pmo("--db", str(path), "backup", str(folder), cwd=tmp_path) for _ in range(3)]
    finally:
        out, _ = writer.communicate(timeout=300)
    assert writer.returncode == 0, out
    for result in made:
        assert result.returncode == 0, result.stderr
        assert "chain intact" in result.stdout
    copies = sorted(folder.glob("team-*.db"))
    assert len(copies) == 3
    for copy in copies:
        checked = pmo("verify", str(copy), cwd=tmp_path)
        assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr
        assert copy.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [c.name for c in copies]


def test_keep_removes_only_the_oldest_backups_of_this_portfolio(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    folder = tmp_path / "backups"
    folder.mkdir()
    folder.chmod(0o2770)  # the team's folder: its backups are the team's
    old = [folder / f"team-2026010{n}-020000.db" for n in range(1, 4)]
    for backup in old:
        shutil.copyfile(demo_template, backup)
    strangers = [
        folder / "notes.txt",
        folder / "other-20260101-020000.db",
        folder / "team.db",
        folder / "team-20200101-000000.db",  # named like a backup, but not a portfolio
    ]
    for file in strangers:
        file.write_text("not to be touched")
    result = pmo("--db", str(path), "backup", str(folder), "--keep", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    left = sorted(p.name for p in folder.iterdir())
    newest = [p for p in folder.glob("team-*.db") if p not in old and p not in strangers]
    assert len(newest) == 1
    assert left == sorted([old[-1].name, newest[0].name, *(s.name for s in strangers)])
    assert all(s.read_text() == "not to be touched" for s in strangers)
    assert newest[0].stat().st_mode & 0o777 == 0o660


def test_restore_waits_for_everyone_to_leave_and_keeps_the_file_it_replaces(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert pmo("--db", str(path), "backup", str(folder), cwd=tmp_path).returncode == 0
    [copy] = folder.glob("team-*.db")
    with Store(path, user="alice") as alice:
        alice.db.add(Person(name="Added after the backup"))
        # Read first: opening and closing the file in this process would drop alice's
        # locks, the presence lock among them (POSIX), as pmo itself never does.
        before = digest(path)
        session = alice.presence.join()
        refused = pmo("--db", str(path), "restore", str(copy), cwd=tmp_path)
        assert refused.returncode == 1 and "open in 1 session(s) (alice)" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert digest(path) == before
        alice.presence.leave(session.id)
        # Still open (a script, an import): the lock says so.
        refused = pmo("--db", str(path), "restore", str(copy), cwd=tmp_path)
        assert refused.returncode == 1 and "open in another process" in refused.stderr
    done = pmo("--db", str(path), "restore", str(copy), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [kept] = tmp_path.glob("team.db.replaced-*")
    with Store(path) as restored, Store(kept, read_only=True) as replaced:
        assert "Added after the backup" not in {p.name for p in restored.all(Person)}
        assert "Added after the backup" in {p.name for p in replaced.all(Person)}


def test_restoring_something_that_is_not_a_sound_backup_changes_nothing(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    before = digest(path)
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + bytes(200))
    for candidate in (bogus, tmp_path / "missing.db", tmp_path):
        result = pmo("--db", str(path), "restore", str(candidate), cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.db", "team.db"]
