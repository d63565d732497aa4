"""Files that are not what they seem, given to every command: one sentence on stderr, a
non-zero exit, no traceback, no hang, and every byte of every file as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.helpers.unprivileged import unprivileged_prefix

PMO = shutil.which("pmo", path=str(Path(sys.executable).parent)) or "pmo"

# What reads the portfolio: each must refuse a bad file in one sentence. ``{db}`` is the
# file, ``{csv}`` a good register to import.
READERS = [
    ("check", "{db}"),
    ("--db", "{db}", "check"),
    ("verify", "{db}"),
    ("--db", "{db}", "export", "json"),
    ("--db", "{db}", "export", "minutes", "M-1"),
    ("--db", "{db}", "export", "raid"),
    ("--db", "{db}", "export", "actions", "--format", "csv"),
    ("--db", "{db}", "import", "people", "{csv}", "--dry-run"),
]
# ...and what writes to it.
WRITERS = [
    ("--db", "{db}", "import", "people", "{csv}"),
    ("--db", "{db}", "scoring", "--scale", "5"),
    ("--db", "{db}"),  # the app: refused before it starts
]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder by name: its content's hash (or its kind, if not a file)."""
    seen = {}
    for path in sorted(folder.iterdir()):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            seen[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[path.name] = stat.filemode(info.st_mode)
    return seen


def run(
    args: tuple[str, ...], folder: Path, prefix: list[str] | None = None, **paths: Path
) -> subprocess.CompletedProcess[str]:
    words = [arg.format(**{k: str(v) for k, v in paths.items()}) for arg in args]
    try:
        return subprocess.run(
            [*(prefix or []), PMO, *words],
            capture_output=True,
            text=True,
            cwd=folder,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PMO_DB": ""},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pmo {' '.join(words)} hung")


def refused(
    commands: list[tuple[str, ...]],
    folder: Path,
    says: str,
    prefix: list[str] | None = None,
    **paths: Path,
) -> None:
    before = snapshot(folder)
    for args in commands:
        result = run(args, folder, prefix, **paths)
        words = " ".join(args)
        assert result.returncode != 0, (words, result.stdout[-500:])
        assert "Traceback" not in result.stderr, (words, result.stderr[-3000:])
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (words, result.stderr[-2000:])
        assert says in lines[0], (words, lines[0])
        assert snapshot(folder) == before, words


def read_or_refused(
    commands: list[tuple[str, ...]], folder: Path, says: str, **paths: Path
) -> None:
    """A reader that meets no damaged page may succeed; one that meets one says so in one
    sentence. Either way no traceback, and nothing written."""
    before = snapshot(folder)
    for args in commands:
        result = run(args, folder, **paths)
        words = " ".join(args)
        assert "Traceback" not in result.stderr, (words, result.stderr[-3000:])
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and says in lines[0], (words, result.stderr[-2000:])
        assert snapshot(folder) == before, words


@pytest.fixture
def register(tmp_path: Path) -> Path:
    folder = tmp_path / "registers"
    folder.mkdir()
    path = folder / "people.csv"
    path.write_text("Name,Team\nAnn Smith,Data\n")
    return path


@pytest.fixture
def portfolio(tmp_path: Path, demo_template: Path) -> Iterator[Path]:
    folder = tmp_path / "team"
    folder.mkdir()
    path = folder / "team.db"
    shutil.copyfile(demo_template, path)
    yield path


def test_a_fifo_is_refused_at_once_as_the_portfolio_and_as_the_register(
    tmp_path: Path, portfolio: Path, register: Path
) -> None:
    fifo = portfolio.parent / "pipe.db"
    os.mkfifo(fifo)
    refused(READERS + WRITERS, portfolio.parent, "not a regular file", db=fifo, csv=register)
    csv_fifo = register.parent / "pipe.csv"
    os.mkfifo(csv_fifo)
    for dry in ((), ("--dry-run",)):
        refused(
            [("--db", "{db}", "import", "people", "{csv}", *dry)],
            portfolio.parent,
            "not a regular file",
            db=portfolio,
            csv=csv_fifo,
        )
    refused(
        [("--db", "{db}", "import", "people", "/dev/zero", "--dry-run")],
        portfolio.parent,
        "not a regular file",
        db=portfolio,
        csv=register,
    )


def test_another_applications_database_with_a_table_named_like_ours_is_left_alone(
    tmp_path: Path, register: Path
) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("create table people (name text)")
    conn.execute("create table settings (key text, value text)")
    conn.execute("insert into people values ('Someone')")
    conn.commit()
    conn.close()
    refused(READERS + WRITERS, folder, "not a pmo portfolio", db=path, csv=register)
    refused([("init", "{db}")], folder, "already exists", db=path)


def test_a_portfolio_is_marked_as_pmos_own(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store(path, create=True).close()
    conn = sqlite3.connect(path)
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    conn.close()
    assert application_id == int.from_bytes(b"PMO1", "big")


def damage(path: Path, page: int, *, keep_header: bool = True) -> None:
    """Overwrite one page (counted from 1) with a pattern, as a bad disk might."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size + (100 if page == 1 and keep_header else 0)
    end = page * page_size
    data[start:end] = (bytes(range(256)) * (page_size // 256 + 1))[: end - start]
    path.write_bytes(bytes(data))


def root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    found = conn.execute("select rootpage from sqlite_master where name = ?", (table,))
    page = int(found.fetchone()[0])
    conn.close()
    return page


def test_a_damaged_first_page_is_named_by_every_command(portfolio: Path, register: Path) -> None:
    damage(portfolio, 1)
    refused(READERS + WRITERS, portfolio.parent, "damaged", db=portfolio, csv=register)


@pytest.mark.parametrize("table", ["decisions", "raid_items", "events"])
def test_damage_mid_file_is_named_and_nothing_is_written(
    portfolio: Path, register: Path, table: str
) -> None:
    damage(portfolio, root_page(portfolio, table))
    read_or_refused(READERS, portfolio.parent, "damaged", db=portfolio, csv=register)
    refused(WRITERS, portfolio.parent, "damaged", db=portfolio, csv=register)


def test_a_folder_the_user_cannot_enter_is_named(portfolio: Path, register: Path) -> None:
    prefix = unprivileged_prefix()
    folder = portfolio.parent
    folder.chmod(0o000)
    try:
        for args in READERS + WRITERS:
            result = run(args, folder.parent, prefix, db=portfolio, csv=register)
            lines = result.stderr.strip().splitlines()
            assert result.returncode != 0 and "Traceback" not in result.stderr, args
            assert len(lines) == 1 and "cannot be reached" in lines[0], (args, lines)
            assert "-wal" not in lines[0] and "-shm" not in lines[0], lines[0]
    finally:
        folder.chmod(0o755)


def test_readers_work_in_a_folder_the_user_cannot_write(portfolio: Path, register: Path) -> None:
    """No -wal yet and the folder read-only for this user: reading must not need a write."""
    prefix = unprivileged_prefix()
    folder = portfolio.parent
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        for args in READERS:
            result = run(args, folder, prefix, db=portfolio, csv=register)
            assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])
            assert result.returncode == 0, (args, result.stderr[-2000:])
        result = run(
            ("--db", "{db}", "import", "people", "{csv}"),
            folder,
            prefix,
            db=portfolio,
            csv=register,
        )
        lines = result.stderr.strip().splitlines()
        assert result.returncode != 0 and len(lines) == 1 and "not writable" in lines[0]
    finally:
        folder.chmod(0o755)
    assert snapshot(folder) == before


def test_a_full_disk_at_open_is_one_sentence_and_leaves_no_stray_file(
    portfolio: Path, register: Path
) -> None:
    # A child whose file-size limit is below the shared-memory file's 32 KB: SQLite meets
    # EFBIG creating it, as it would ENOSPC on a full disk.
    limit = [
        sys.executable,
        "-c",
        "import os, resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16384, resource.RLIM_INFINITY)); "
        "os.execv(sys.argv[1], sys.argv[1:])",
    ]
    refused(
        [*READERS, WRITERS[0]],
        portfolio.parent,
        "space",
        prefix=limit,
        db=portfolio,
        csv=register,
    )


def test_an_export_never_follows_a_planted_link_and_leaves_nothing_behind(
    portfolio: Path, tmp_path: Path
) -> None:
    """A group member plants the temporary name an export used to write through, as a
    link to a file of the member who exports: that file must stay as it was."""
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".raid.md.tmp").symlink_to(victim)
    result = run(
        ("--db", "{db}", "export", "raid", "-o", "{out}"), out, db=portfolio, out=out / "raid.md"
    )
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "mine"
    assert (out / "raid.md").read_text().startswith("#")
    assert (out / "raid.md").stat().st_mode & 0o777 == 0o600  # as private as the portfolio
    assert sorted(p.name for p in out.iterdir()) == [".raid.md.tmp", "raid.md"]


def test_an_export_to_a_folder_is_one_sentence_and_leaves_nothing_behind(
    portfolio: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    refused(
        [("--db", "{db}", "export", "raid", "-o", "{out}")],
        tmp_path,
        "is a folder",
        db=portfolio,
        out=out,
    )
    assert list(out.iterdir()) == []


def test_an_export_never_replaces_the_portfolio_a_special_file_or_a_link(
    portfolio: Path, tmp_path: Path
) -> None:
    folder = portfolio.parent
    os.mkfifo(folder / "pipe.md")
    (folder / "link.md").symlink_to(tmp_path / "elsewhere.md")
    other = folder / "other.db"
    shutil.copyfile(portfolio, other)
    with Store(portfolio):  # a session has it open meanwhile
        for target, says in (
            (portfolio, "is the portfolio"),
            (portfolio.with_name("team.db-wal"), "is the portfolio"),
            (other, "SQLite database"),
            (folder / "pipe.md", "not a regular file"),
            (folder / "link.md", "is a link"),
            (Path("/dev/null"), "not a regular file"),
        ):
            refused(
                [("--db", "{db}", "export", "json", "-o", "{out}")],
                folder,
                says,
                db=portfolio,
                out=target,
            )


def test_restore_puts_back_only_onto_the_portfolio_file_itself(
    portfolio: Path, tmp_path: Path
) -> None:
    backups = tmp_path / "bk"
    backups.mkdir()
    assert (
        run(("--db", "{db}", "backup", "{bk}"), tmp_path, db=portfolio, bk=backups).returncode == 0
    )
    [copy] = backups.iterdir()
    folder = portfolio.parent
    (folder / "link.db").symlink_to(portfolio)
    os.mkfifo(folder / "pipe.db")
    for target, says in (
        (folder / "link.db", "is a link"),
        (folder / "pipe.db", "not a regular file"),
    ):
        refused([("--db", "{db}", "restore", "{bk}")], folder, says, db=target, bk=copy)
    refused([("--db", "{db}", "restore", "{bk}")], folder, "itself", db=portfolio, bk=portfolio)


def test_a_link_to_nowhere_is_not_made_into_a_portfolio(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "team.db").symlink_to(tmp_path / "planted-target.db")
    refused([("init", "{db}"), ("--db", "{db}")], folder, "is a link", db=folder / "team.db")
    assert not (tmp_path / "planted-target.db").exists()


def test_a_full_disk_while_making_a_portfolio_leaves_nothing_and_says_so(
    tmp_path: Path,
) -> None:
    limit = [
        sys.executable,
        "-c",
        "import os, resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20480, resource.RLIM_INFINITY)); "
        "os.execv(sys.argv[1], sys.argv[1:])",
    ]
    folder = tmp_path / "new"
    folder.mkdir()
    for args in (("init", "{db}", "--demo"), ("init", "{db}")):
        result = run(args, folder, limit, db=folder / "small.db")
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(lines) == 1 and "space" in lines[0], result.stderr
        assert list(folder.iterdir()) == []


def test_a_portfolio_the_user_cannot_read_is_one_sentence_not_a_usage_error(
    portfolio: Path,
) -> None:
    portfolio.chmod(0o000)
    try:
        for args in (("check", "{db}"), ("--db", "{db}", "export", "raid")):
            result = run(args, portfolio.parent, unprivileged_prefix(), db=portfolio)
            lines = result.stderr.strip().splitlines()
            assert result.returncode == 1, result.stderr
            assert len(lines) == 1 and "cannot be read" in lines[0], result.stderr
    finally:
        portfolio.chmod(0o600)


@pytest.mark.parametrize("side", ["-wal", "-shm"])
def test_a_planted_link_for_a_side_file_is_named_and_nothing_is_made(
    portfolio: Path, register: Path, side: str
) -> None:
    """The cold try: with team.db-wal (or -shm) a link to another file, every command
    said the folder was not writable, and with the -shm an empty -wal was left behind.
    The link is named; nothing is written through it or beside it."""
    victim = portfolio.parent / "victim.txt"
    victim.write_text("not pmo's\n")
    (portfolio.parent / f"team.db{side}").symlink_to(victim.name)
    refused(
        READERS + WRITERS, portfolio.parent, "is a link to victim.txt", db=portfolio, csv=register
    )
    assert victim.read_text() == "not pmo's\n"
