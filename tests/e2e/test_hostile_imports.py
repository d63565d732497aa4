"""Registers that try to break the import: two runs at once, huge cells, hostile
spreadsheets, numbers and dates SQLite or Python cannot hold. One sentence, nothing
written; or, for two runs at once, every row once."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pmo_tui.data.models import RaidItem
from pmo_tui.data.store import Store
from tests.helpers.cli import PMO, pmo


def test_two_imports_of_the_same_register_at_once_make_each_row_once(
    tmp_path: Path, demo_template: Path
) -> None:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    with Store(path) as store:
        before = len(store.all(RaidItem))
    rows = 2_500  # more than one batch: the two runs interleave their batches
    register = tmp_path / "raid.csv"
    register.write_text(
        "Type,Title,Probability,Impact\n"
        + "".join(f"Risk,Imported risk {n},3,4\n" for n in range(rows))
    )
    runs = [
        subprocess.Popen(
            [PMO, "--db", str(path), "import", "raid", str(register)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PMO_DB": ""},
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    with Store(path) as store:
        titles = [item.title for item in store.all(RaidItem)]
    imported = [title for title in titles if title.startswith("Imported risk ")]
    assert len(titles) == before + rows
    assert sorted(imported) == sorted(f"Imported risk {n}" for n in range(rows))


def one_sentence(result: subprocess.CompletedProcess[str], says: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0, result.stdout[-500:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(lines) == 1 and says in lines[0], result.stderr[-2000:]


@pytest.fixture
def portfolio(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "team.db"
    shutil.copyfile(demo_template, path)
    return path


def digest(path: Path) -> bytes:
    with Store(path, read_only=True) as store:
        return repr(sorted(store.row_counts().items())).encode()


def workbook(path: Path, rows: list[list[object]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def with_sheet_xml(path: Path, change: Callable[[str], str]) -> Path:
    """The workbook with its first sheet's XML rewritten (as a hostile file would be)."""
    import zipfile

    out = path.with_name("hostile-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return out


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize("kind", ["bomb", "external", "malformed"])
def test_a_hostile_spreadsheet_is_one_sentence_and_nothing_is_read_from_outside(
    tmp_path: Path, portfolio: Path, kind: str
) -> None:
    good = workbook(tmp_path / "raid.xlsx", [["Type", "Title"], ["Risk", "A risk"]])

    def change(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        if kind == "bomb":
            return BOMB + body.replace("A risk", "&lol9;")
        if kind == "external":
            doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            return doctype + body.replace("A risk", "&e;")
        return xml[: len(xml) // 2]  # cut off mid-element

    hostile = with_sheet_xml(good, change)
    before = digest(portfolio)
    for dry in (("--dry-run",), ()):
        result = pmo("--db", str(portfolio), "import", "raid", str(hostile), *dry, cwd=tmp_path)
        one_sentence(result, "raid.xlsx")
        assert "root:" not in result.stdout + result.stderr
    assert digest(portfolio) == before


def test_a_sheet_whose_stored_size_is_too_small_is_read_whole(
    tmp_path: Path, portfolio: Path
) -> None:
    rows = [["Type", "Title"]] + [["Risk", f"Risk number {n}"] for n in range(40)]
    good = workbook(tmp_path / "raid.xlsx", rows)
    stale = with_sheet_xml(
        good, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B3"', xml)
    )
    result = pmo("--db", str(portfolio), "import", "raid", str(stale), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "40 rows" in result.stdout, result.stdout[:500]


def test_a_csv_cell_longer_than_the_csv_module_allows_is_one_sentence(
    tmp_path: Path, portfolio: Path
) -> None:
    register = tmp_path / "raid.csv"
    register.write_text("Type,Title,Description\nRisk,Long one," + "x" * 200_000 + "\n")
    before = digest(portfolio)
    for dry in (("--dry-run",), ()):
        result = pmo("--db", str(portfolio), "import", "raid", str(register), *dry, cwd=tmp_path)
        one_sentence(result, "raid.csv")
    assert digest(portfolio) == before


@pytest.mark.parametrize(
    ("header", "row", "says"),
    [
        ("Name,Rank", "Huge rank,99999999999999999999999", "rank"),
        ("Name,Budget", "Huge budget," + "9" * 400, "budget"),
        ("Name,Start", "Bad date,2026-12-01garbage", "start"),
    ],
)
def test_numbers_and_dates_a_file_cannot_hold_are_refused_in_the_dry_run(
    tmp_path: Path, portfolio: Path, header: str, row: str, says: str
) -> None:
    register = tmp_path / "projects.csv"
    register.write_text(f"{header}\n{row}\n")
    before = digest(portfolio)
    for dry in (("--dry-run",), ()):
        result = pmo(
            "--db", str(portfolio), "import", "projects", str(register), *dry, cwd=tmp_path
        )
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        assert result.returncode != 0, result.stdout[-1000:]
        assert says in (result.stdout + result.stderr).lower()
    assert digest(portfolio) == before


def test_a_zip_bomb_spreadsheet_is_refused_before_it_is_read(
    tmp_path: Path, portfolio: Path
) -> None:
    """A few hundred KB that expand to 250 MB of sheet: read row by row it ran for minutes."""
    good = workbook(tmp_path / "raid.xlsx", [["Type", "Title"], ["Risk", "A risk"]])
    padding = "<!--" + " " * 250_000_000 + "-->"
    bomb = with_sheet_xml(good, lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"))
    assert bomb.stat().st_size < 2_000_000
    before = digest(portfolio)
    result = pmo("--db", str(portfolio), "import", "raid", str(bomb), "--dry-run", cwd=tmp_path)
    one_sentence(result, "would expand")
    assert digest(portfolio) == before


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_an_import_stopped_part_way_says_which_rows_are_in_and_a_rerun_finishes_it(
    portfolio: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    """The cold try: ctrl-c printed "Aborted!" and kill "Terminated", nothing more."""
    with Store(portfolio) as store:
        before = len(store.all(RaidItem))
    rows = 20_000
    register = tmp_path / "raid.csv"
    register.write_text(
        "Type,Title,Probability,Impact\n"
        + "".join(f"Risk,Imported risk {n},3,4\n" for n in range(rows))
    )
    # A process started in the background by a script ignores ctrl-c, and so does every
    # process it starts (a CI run did): the import is started as from a terminal.
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run = subprocess.Popen(
            [PMO, "--db", str(portfolio), "import", "raid", str(register)],
            stdout=subprocess.DEVNULL,  # the plan, row by row: unread, a pipe would fill
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PMO_DB": ""},
        )
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert run.stderr is not None
    for line in run.stderr:  # progress, a line each 500 rows: the first batch is in
        if line.strip().startswith("1,500 of"):
            break
    run.send_signal(stop)
    rest = run.communicate(timeout=120)[1]
    assert run.returncode == 1 and "Traceback" not in rest, rest[-2000:]
    said = rest.strip().splitlines()[-1]
    match = re.fullmatch(
        r"Error: The import was interrupted: the first ([\d,]+) of 20,000 rows are in; run it "
        r"again to finish \(the rows already in are updated, not duplicated\)\.",
        said,
    )
    assert match, said
    with Store(portfolio) as store:
        now = len(store.all(RaidItem))
    assert now - before == int(match[1].replace(",", "")) >= 1_000
    assert now - before < rows
    again = pmo("--db", str(portfolio), "import", "raid", str(register), cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    with Store(portfolio) as store:
        titles = [i.title for i in store.all(RaidItem) if i.title.startswith("Imported risk ")]
    assert sorted(titles) == sorted(f"Imported risk {n}" for n in range(rows))
