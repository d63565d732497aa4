"""Importing registers shaped like real templates: header styles and synonyms, Excel with
title rows above the header, blank rows and notes below, encodings, every bad case with
its row and column, all-or-nothing runs, re-runs that update, and the round trip."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pmo_tui.data import tabular
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.importing import (
    BATCH,
    ImportKind,
    PartialImportError,
    describe_plan,
    parse_date,
    parse_scale,
)
from pmo_tui.data.models import (
    Action,
    ChangeRequest,
    Lesson,
    Person,
    Project,
    RaidItem,
    RaidKind,
    Record,
)
from pmo_tui.data.store import Store
from pmo_tui.export.files import table_document
from tests.conftest import fixed_clock


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def small_portfolio(tmp_path: Path) -> Store:
    """Two projects (Customer Portal, Ledger) and one person (Priya Raman)."""
    store = Store(tmp_path / "p.db", create=True, user="tester", clock=fixed_clock)
    store.db.add(Project(name="Customer Portal"))
    store.db.add(Project(name="Ledger"))
    store.db.add(Person(name="Priya Raman"))
    return store


@pytest.fixture
def portfolio(tmp_path: Path) -> Store:
    return small_portfolio(tmp_path)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (
            "Type,Project,Risk Description,Likelihood,Impact,Risk Owner",
            "Risk,P-1,Supplier folds,H,4,Priya Raman",
        ),
        (
            "RAID type;project code;TITLE;probability;IMPACT;owner",
            "R;Customer Portal;Supplier folds;4;4;Priya Raman",
        ),
        (
            "item_type\tproject\tsummary\tp\ti\tassigned to",
            "risk\tp-1\tSupplier folds\thigh\tHigh\tPriya Raman",
        ),
    ],
)
def test_header_styles_and_synonyms_are_understood(
    portfolio: Store, tmp_path: Path, header: str, row: str
) -> None:
    plan = portfolio.importer.plan_import(
        ImportKind.RAID, write(tmp_path / "r.csv", f"{header}\n{row}\n")
    )
    assert plan.problems == [] and plan.ignored == []
    [planned] = plan.rows
    assert planned.values["kind"] == "risk" and planned.values["title"] == "Supplier folds"
    assert (planned.values["probability"], planned.values["impact"]) == (4, 4)
    assert planned.values["project_id"] == 1 and planned.values["owner"] == "Priya Raman"


def test_words_on_the_scale_are_mapped_and_the_mapping_stated(
    portfolio: Store, tmp_path: Path
) -> None:
    source = write(tmp_path / "r.csv", "Type,Title,Probability,Impact\nRisk,A,Very High,low\n")
    plan = portfolio.importer.plan_import(ImportKind.RAID, source)
    assert (plan.rows[0].values["probability"], plan.rows[0].values["impact"]) == (5, 2)
    report = describe_plan(plan)
    assert "read as very high 5, high 4, medium 3, low 2, very low 1: Very High=5, low=2" in report


def test_excel_with_title_rows_blank_rows_and_notes(portfolio: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover["A1"] = "Nothing here"
    sheet = book.create_sheet("Actions")
    sheet["A1"] = "Action log: Portfolio Board"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "Owner: PMO"
    sheet.append([])
    sheet.append(["Action", "Action Owner", "Target Date", "Status", "Project"])
    sheet.append(["Send the plan", "Priya Raman", date(2026, 12, 15), "Open", "P-2"])
    sheet.append([])
    sheet.append(["Book the room", "Tom Newman", 46022, "Complete", "Ledger"])
    sheet.append(["Last updated by the PMO office"])
    path = tmp_path / "actions.xlsx"
    book.save(path)
    with pytest.raises(InvalidInputError, match="no sheet “Risks”; its sheets are: Cover, Actions"):
        portfolio.importer.plan_import(ImportKind.ACTIONS, path, sheet="Risks")
    plan = portfolio.importer.plan_import(ImportKind.ACTIONS, path, sheet="Actions")
    assert plan.header_row == 4 and plan.problems == []
    assert [row.values["due_on"] for row in plan.rows] == [date(2026, 12, 15), date(2025, 12, 31)]
    assert [row.values["status"] for row in plan.rows] == ["open", "done"]
    assert "row 8 ignored: a note below the table" in plan.notes
    assert plan.new_people == ["Tom Newman"]
    created, updated = portfolio.importer.run_import(plan)
    assert (created, updated) == (2, 0)
    assert {p.name for p in portfolio.all(Person)} >= {"Tom Newman"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_bom_and_windows_encodings_read_the_same(
    portfolio: Store, tmp_path: Path, encoding: str
) -> None:
    source = write(tmp_path / "people.csv", "Name,Team\nZoë Café,Data\n", encoding)
    plan = portfolio.importer.plan_import(ImportKind.PEOPLE, source)
    assert plan.rows[0].values == {"name": "Zoë Café", "team": "Data"}
    assert plan.encoding == encoding


def test_bad_values_are_reported_by_row_and_column_and_nothing_is_written(
    portfolio: Store, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "r.csv",
        "Ref,Type,Title,Probability,Raised,Project\n"
        "X-1,Risk,Good one,3,2026-01-05,P-1\n"
        "X-2,Risk,Bad date,3,31/02/2026,P-1\n"
        "X-3,Risk,Vague,very likely,2026-01-05,P-1\n"
        "X-1,Risk,Again,2,2026-01-05,P-1\n"
        "X-4,Ghost,Unknown kind,2,2026-01-05,P-77\n",
    )
    plan = portfolio.importer.plan_import(ImportKind.RAID, source)
    problems = "\n".join(plan.problems)
    assert "row 3: raised on: “31/02/2026” is not a date" in problems
    assert (
        "row 4: probability: “very likely” is not on the 1-5 scale: use 1-5 or very high"
        in problems
    )
    assert "row 5: code: duplicate code X-1 (also on row 2)" in problems
    assert (
        "row 6: kind: “Ghost” has no kind it could mean: use one of risk, assumption, issue, "
        "dependency" in problems
    )
    assert "row 6: project: “P-77” is not a project here" in problems
    before = portfolio.row_counts()
    with pytest.raises(InvalidInputError, match="5 problems in the file; nothing was imported"):
        portfolio.importer.run_import(plan)
    assert portfolio.row_counts() == before


def test_a_missing_required_column_says_which_and_map_fixes_it(
    portfolio: Store, tmp_path: Path
) -> None:
    source = write(tmp_path / "a.csv", "What we agreed,Owner\nSend it,Priya Raman\n")
    with pytest.raises(
        InvalidInputError, match=r"no column for text .* --map \"Your column=text\""
    ):
        portfolio.importer.plan_import(ImportKind.ACTIONS, source)
    plan = portfolio.importer.plan_import(
        ImportKind.ACTIONS, source, mapping={"What we agreed": "text"}
    )
    assert plan.rows[0].values["text"] == "Send it"
    with pytest.raises(InvalidInputError, match="--map names no such actions field: colour"):
        portfolio.importer.plan_import(ImportKind.ACTIONS, source, mapping={"Owner": "colour"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("   \n\n", "is empty"),
        ("Title\n", "no column for kind|no header row"),
        # The import screen has no --map: the sentence says where each way is.
        (
            "a,b,c\n1,2,3\n",
            "r.csv: no header row in the first 20 rows: name the columns in the file "
            r"\(for example Title, Owner, Due\), or give pmo import --map",
        ),
        ("Type,Title\n\n\n", "has a header on row 1 but no rows"),
    ],
)
def test_empty_and_headerless_files_get_one_sentence(
    portfolio: Store, tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        portfolio.importer.plan_import(ImportKind.RAID, write(tmp_path / "r.csv", content))


def test_not_a_spreadsheet(portfolio: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="does not exist"):
        portfolio.importer.plan_import(ImportKind.RAID, tmp_path / "missing.csv")
    with pytest.raises(InvalidInputError, match=r"save it as \.xlsx or \.csv"):
        portfolio.importer.plan_import(ImportKind.RAID, write(tmp_path / "old.xls", "x"))
    with pytest.raises(InvalidInputError, match=r"not a readable \.xlsx"):
        portfolio.importer.plan_import(ImportKind.RAID, write(tmp_path / "fake.xlsx", "not a zip"))
    with pytest.raises(InvalidInputError, match="binary data"):
        portfolio.importer.plan_import(
            ImportKind.RAID, write(tmp_path / "b.csv", "a\x00b", "latin-1")
        )


def test_running_again_updates_rather_than_duplicates(portfolio: Store, tmp_path: Path) -> None:
    source = write(
        tmp_path / "r.csv",
        "Type,Project,Title,Probability,Impact\nRisk,P-1,Supplier folds,2,2\nIssue,,Late kit,,\n",
    )
    assert portfolio.importer.run_import(
        portfolio.importer.plan_import(ImportKind.RAID, source)
    ) == (2, 0)
    write(
        tmp_path / "r.csv",
        "Type,Project,Title,Probability,Impact\nRisk,P-1,Supplier folds,5,5\nIssue,,Late kit,,\n",
    )
    plan = portfolio.importer.plan_import(ImportKind.RAID, source)
    assert [row.action for row in plan.rows] == ["update", "update"]
    # The issue is as the file has it: matched, not counted as updated (nothing written).
    assert portfolio.importer.run_import(plan) == (0, 1)
    items = portfolio.all(RaidItem)
    assert len(items) == 2 and items[0].probability == 5
    # Our own code updates that row, whatever its title says now.
    write(tmp_path / "r.csv", "Code,Type,Title\nR-2,Issue,Late kit (renamed)\n")
    portfolio.importer.run_import(portfolio.importer.plan_import(ImportKind.RAID, source))
    assert portfolio.get(RaidItem, 2).title == "Late kit (renamed)"


def test_a_failure_mid_run_imports_nothing(portfolio: Store, tmp_path: Path) -> None:
    rows = "".join(f"Risk,P-{1 + (n == 40)},Risk {n}\n" for n in range(50))
    plan = portfolio.importer.plan_import(
        ImportKind.RAID, write(tmp_path / "r.csv", "Type,Project,Title\n" + rows)
    )
    # Another session deletes project 2 between the dry run and the import.
    portfolio.db.delete(Project, 2, 1)
    with pytest.raises(InvalidInputError):
        portfolio.importer.run_import(plan)
    assert portfolio.all(RaidItem) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-15", date(2026, 12, 15)),
        ("15/12/2026", date(2026, 12, 15)),
        ("5/1/26", date(2026, 1, 5)),
        ("5 Jan 2026", date(2026, 1, 5)),
        ("05-Jan-26", date(2026, 1, 5)),
        ("15 December 2026", date(2026, 12, 15)),
        ("46006", date(2025, 12, 15)),
        ("2026-12-15T09:00:00", date(2026, 12, 15)),
    ],
)
def test_dates_as_registers_write_them(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2026", "tomorrow", "2026-13-01", "12", "Jan"])
def test_a_bad_date_says_what_is_accepted(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a date: use 2026-12-15, 15/12/2026"):
        parse_date(typed)


def test_three_point_scale() -> None:
    assert [parse_scale(word, 3) for word in ("H", "medium", "L", "2")] == [3, 2, 1, 2]
    with pytest.raises(ValueError, match="not on the 1-3 scale"):
        parse_scale("4", 3)


# -- the round trip ---------------------------------------------------------------------

KINDS = (
    ("people", ImportKind.PEOPLE, Person),
    ("projects", ImportKind.PROJECTS, Project),
    ("raid_items", ImportKind.RAID, RaidItem),
    ("actions", ImportKind.ACTIONS, Action),
    ("change_requests", ImportKind.CHANGES, ChangeRequest),
    ("lessons", ImportKind.LESSONS, Lesson),
)
# Links to other records (meetings, decisions, conversions) are not carried by an import.
NOT_CARRIED = {
    "meeting_id",
    "decision_id",
    "raid_item_id",
    "change_request_id",
    "agenda_item_id",
    "source_id",
    "became_id",
}


def comparable(record: Record, names: dict[int, str]) -> dict[str, object]:
    data = record.model_dump(exclude={"id", "version", *NOT_CARRIED})
    for key in ("owner_id", "manager_id", "sponsor_id"):
        if key in data:
            data[key] = names.get(data[key] or 0)
    return data


def test_export_then_import_into_an_empty_file_gives_the_same_data(
    demo_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    with Store(demo_path) as source, Store(copy, create=True, clock=fixed_clock) as target:
        for table, kind, _ in KINDS:
            exported = write(tmp_path / f"{table}.csv", table_document(source, table))
            plan = target.importer.plan_import(kind, exported)
            assert plan.problems == [], (table, plan.problems[:3])
            target.importer.run_import(plan)
        before, after = source.portfolio.names(), target.portfolio.names()
        for _, _, model in KINDS:
            assert [comparable(r, before) for r in source.all(model)] == [
                comparable(r, after) for r in target.all(model)
            ], model.__name__
    # And the second time round, nothing is duplicated.
    again = tmp_path / "again.db"
    shutil.copy(copy, again)
    with Store(again, clock=fixed_clock) as target:
        exported = tmp_path / "raid_items.csv"
        assert (
            target.importer.run_import(target.importer.plan_import(ImportKind.RAID, exported))[0]
            == 0
        )
        with Store(copy) as first:
            assert len(target.all(RaidItem)) == len(first.all(RaidItem))


def test_owners_not_in_people_are_added_and_reported(portfolio: Store, tmp_path: Path) -> None:
    source = write(tmp_path / "a.csv", "Action,Owner\nOne,New Person\nTwo,  New   Person \n")
    plan = portfolio.importer.plan_import(ImportKind.ACTIONS, source)
    assert plan.new_people == ["New Person"] and "people to add: New Person" in plan.notes
    portfolio.importer.run_import(plan)
    assert [p.name for p in portfolio.all(Person)].count("New Person") == 1
    assert {a.owner_id for a in portfolio.all(Action)} == {
        portfolio.portfolio.person_named("New Person").id
    }


def test_a_project_is_found_by_code_or_name_and_a_kind_by_letter(
    portfolio: Store, tmp_path: Path
) -> None:
    source = write(tmp_path / "r.csv", "Type,Project,Title\nA,customer portal,X\nD,p-2,Y\nI,,Z\n")
    plan = portfolio.importer.plan_import(ImportKind.RAID, source)
    assert [(r.values["kind"], r.values.get("project_id")) for r in plan.rows] == [
        (RaidKind.ASSUMPTION.value, 1),
        (RaidKind.DEPENDENCY.value, 2),
        (RaidKind.ISSUE.value, None),
    ]


def test_a_long_import_commits_in_batches_and_says_how_far_it_got(
    portfolio: Store, tmp_path: Path
) -> None:
    """Other sessions write between the batches; a failure in a later batch leaves the
    earlier ones in and says so (running it again updates them, never duplicates)."""
    rows = "".join(f"Risk,P-{1 + (n == 1_500)},Risk {n}\n" for n in range(2_000))
    plan = portfolio.importer.plan_import(
        ImportKind.RAID, write(tmp_path / "r.csv", "Type,Project,Title\n" + rows)
    )
    portfolio.db.delete(Project, 2, 1)  # another session, between the dry run and the run
    with pytest.raises(PartialImportError, match="after 1,000 of 2,000 rows"):
        portfolio.importer.run_import(plan)
    assert len(portfolio.all(RaidItem)) == BATCH == 1_000


def test_rows_another_session_adds_between_batches_are_updated_not_duplicated(
    portfolio: Store, tmp_path: Path
) -> None:
    """Each batch reads the rows added since the last one, by anyone: a row another
    session adds between the batches, with the key of a row still to come, is updated by
    it; the import's own earlier rows are not read back, and nothing doubles."""
    from contextlib import contextmanager

    rows = "".join(f"Risk,P-1,Risk {n}\n" for n in range(2_500))
    plan = portfolio.importer.plan_import(
        ImportKind.RAID, write(tmp_path / "r.csv", "Type,Project,Title\n" + rows)
    )
    other = Store(tmp_path / "p.db", user="other", clock=fixed_clock)
    theirs: dict[str, int] = {}
    batch = portfolio.importer._batch

    @contextmanager
    def after_theirs(start: int, total: int) -> Iterator[None]:
        if start:  # between batches: nobody holds the lock
            title = f"Risk {start + 300}"
            theirs[title] = other.raid.add_raid_item(RaidKind.RISK, title, "P-1").id
        with batch(start, total):
            yield

    portfolio.importer._batch = after_theirs  # type: ignore[method-assign]
    assert portfolio.importer.run_import(plan) == (2_498, 0)  # theirs as the file has them
    other.close()
    items = portfolio.all(RaidItem)
    assert sorted(item.title for item in items) == sorted(f"Risk {n}" for n in range(2_500))
    for title, item_id in theirs.items():
        assert portfolio.db.get(RaidItem, item_id).title == title


def test_a_date_with_anything_after_it_but_a_time_is_refused() -> None:
    assert parse_date("2026-12-01 00:00:00") == date(2026, 12, 1)
    for typed in ("2026-12-01garbage", "2026-12-01 later", "2026-12-1"):
        with pytest.raises(ValueError, match="is not a date"):
            parse_date(typed)


def test_the_raid_register_as_csv_imports_back_as_updates(
    demo_store: Store, tmp_path: Path
) -> None:
    """`pmo export raid --format csv` names projects "P-9 Field Service Scheduling": read
    back, that is the project, and every row matches the item it came from."""
    from pmo_tui.export.files import Format, raid_document

    document = raid_document(demo_store, Format.CSV)
    path = write(tmp_path / "raid.csv", document)
    plan = demo_store.importer.plan_import(ImportKind.RAID, path)
    assert plan.problems == [], plan.problems[:3]
    created, updated = plan.counts()
    assert created == 0 and updated == len(demo_store.all(RaidItem))


def test_an_import_pauses_the_collector_and_leaves_it_as_it_was(
    store: Store, tmp_path: Path
) -> None:
    """Bulk work runs without collector passes (each walks everything a large session
    holds) and gives the collector back as it found it, on or off, even when refused."""
    import gc

    log = tmp_path / "raid.csv"
    log.write_text("Title,Type\nSupplier may be late,Risk\n", encoding="utf-8")
    seen: list[bool] = []
    original = store.importer._run_import

    def spy(*args: object) -> tuple[int, int]:
        seen.append(gc.isenabled())
        return original(*args)  # type: ignore[arg-type]

    store.importer._run_import = spy  # type: ignore[method-assign]
    store.importer.run_import(store.importer.plan_import(ImportKind.RAID, log))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        store.importer.run_import(store.importer.plan_import(ImportKind.RAID, log))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_quotes_doubled_inside_a_quoted_cell_are_one_quote(
    store: Store, tmp_path: Path, delimiter: str
) -> None:
    """The cold try: Python's csv module (and Excel) write a quote inside a quoted cell
    as two; the sniffer guessed otherwise and every such title came in mangled."""
    log = tmp_path / "raid.csv"
    rows = [["Type", "Project", "Title", "P"]]
    rows += [["risk", "", f'Imported risk {n}, with "quotes" | pipe', "H"] for n in range(60)]
    with log.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    plan = store.importer.plan_import(ImportKind.RAID, log)
    assert not plan.problems
    store.importer.run_import(plan)
    titles = {item.title for item in store.raid.raid_items(limit=1000)}
    assert 'Imported risk 7, with "quotes" | pipe' in titles
    assert not [title for title in titles if '""' in title]


# A path is checked by name, then read: between the two it may be renamed, removed or
# swapped (a symlink re-pointed at /dev/zero or a FIFO by anyone who can write to the
# folder). The read itself must refuse what the check would have, in one sentence.


def test_a_file_gone_between_its_check_and_its_read_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot be read"):
        tabular._read_csv(tmp_path / "gone.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_swapped_for_a_device_or_fifo_is_refused_without_reading_it(
    tmp_path: Path, suffix: str
) -> None:
    fifo = tmp_path / f"fifo{suffix}"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer for ever
    device = tmp_path / f"zero{suffix}"
    device.symlink_to("/dev/zero")  # read, it never ends
    for path in (fifo, device):
        read = tabular._read_csv if suffix == ".csv" else lambda p: tabular._read_xlsx(p, "")
        with pytest.raises(InvalidInputError, match="not a regular file"):
            read(path)


def test_a_file_larger_than_a_register_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("Title,Project\n" + "A risk,P-1\n" * 20, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="larger than a register file may be"):
        tabular._read_csv(big)


def test_a_cell_read_once_is_read_the_same_on_every_row_it_repeats_on(
    portfolio: Store, tmp_path: Path
) -> None:
    """Cells are read once per column and text: a refused one is refused on every row
    it is on, and the words read as a scale or a status are noted once."""
    rows = "".join(
        f"Risk,P-1,Risk {n},{likelihood},In Progress,Priya Raman\n"
        for n, likelihood in enumerate(["High", "Huge", "High", "Huge"])
    )
    plan = portfolio.importer.plan_import(
        ImportKind.RAID,
        write(tmp_path / "r.csv", "Type,Project,Title,Likelihood,Status,Owner\n" + rows),
    )
    refused = "probability: “Huge” is not on the 1-5 scale: use 1-5 or very high,"
    assert [[p.startswith(refused) for p in r.problems] for r in plan.rows] == [
        [],
        [True],
        [],
        [True],
    ]
    assert [r.values.get("probability") for r in plan.rows] == [4, None, 4, None]
    assert "4 rows: 2 to create, 0 to update, 2 with problems." in describe_plan(plan)
    assert [r.values["status"] for r in plan.rows] == ["open"] * 4
    assert [note for note in plan.notes if "read as" in note] == [
        "words on the 5x5 scale read as very high 5, high 4, medium 3, low 2, very low 1: High=4",
        "status words read as: In Progress → open",
    ]


def test_a_quote_never_closed_is_one_sentence_naming_its_row(
    portfolio: Store, tmp_path: Path
) -> None:
    """The cold try: a stray quote made the 2 rows after it one cell of a row to create,
    and said nothing of them."""
    text = 'Type,Project,Title\nRisk,P-1,"Vendor late\nRisk,P-2,Audit slips\nIssue,P-1,Scope\n'
    with pytest.raises(InvalidInputError) as refused:
        portfolio.importer.plan_import(ImportKind.RAID, write(tmp_path / "q.csv", text))
    assert str(refused.value) == (
        "q.csv: the quote opened on row 2 is never closed, so everything after it would be "
        'one cell; close it (or double a quote meant as text: ""). Nothing was imported.'
    )


@pytest.mark.parametrize(
    "text",
    [
        'Type,Project,Title\r\nRisk,P-1,"Vendor late,\r\nsays ""soon"""\r\nIssue,P-2,Scope\r\n',
        'Type,Project,Title\nRisk,P-1,"Vendor late,\nsays ""soon"""\nIssue,P-2,Scope',
        'Type,Project,Title\nIssue,P-2,Scope\nRisk,P-1,"Vendor late,\nsays ""soon"""',
    ],
    ids=["crlf", "no-final-newline", "quoted-last-cell"],
)
def test_quoted_cells_over_lines_and_any_last_line_read_whole(
    portfolio: Store, tmp_path: Path, text: str
) -> None:
    plan = portfolio.importer.plan_import(ImportKind.RAID, write(tmp_path / "q.csv", text))
    titles = sorted(r.values["title"].replace("\r\n", "\n") for r in plan.rows)
    assert titles == ["Scope", 'Vendor late,\nsays "soon"']
    assert not [note for note in plan.notes if "blank" in note]
    assert all(not r.problems for r in plan.rows)


def test_two_rows_with_their_own_refs_and_one_title_are_refused_not_merged(
    portfolio: Store, tmp_path: Path
) -> None:
    """The cold try: two risks of one project and one title, with the register's own refs
    Q-1 and Q-2: the dry run said "create, create", the import wrote one and updated it
    with the second (Q-1's scores and owner lost, "1 created, 1 updated"). An import
    matches by project and title, so such rows could never be told apart: the dry run
    names the second as the first's twin and nothing is imported."""
    source = write(
        tmp_path / "q.csv",
        "Ref,Type,Project,Title,Probability,Impact\n"
        "Q-1,Risk,P-2,Same title,5,4\nQ-2,Risk,P-2,Same title,1,1\n",
    )
    plan = portfolio.importer.plan_import(ImportKind.RAID, source)
    assert plan.rows[1].problems == ["same project and title as row 2"]
    with pytest.raises(InvalidInputError, match="nothing was imported"):
        portfolio.importer.run_import(plan)
    assert portfolio.all(RaidItem) == []


def test_existing_keys_are_read_first_row_first_and_never_over_what_is_held(
    portfolio: Store,
) -> None:
    """read_keys (what an import matches rows against): the key is the project and the
    title trimmed and lower-cased; of two items with one key the older is matched; a key
    the caller holds already is kept; rows in ``skip`` are not read; the newest id is
    returned. Read in bulk since the rows of 200,000 items were a loop in Python."""
    from pmo_tui.data.importing import read_keys

    DAY = date(2026, 11, 26)

    project = portfolio.db.all(Project)[0].id
    older = portfolio.db.add(
        RaidItem(kind=RaidKind.RISK, title="Supplier late", project_id=project, raised_on=DAY)
    )
    newer = portfolio.db.add(
        RaidItem(kind=RaidKind.RISK, title="  supplier LATE ", project_id=project, raised_on=DAY)
    )
    other = portfolio.db.add(RaidItem(kind=RaidKind.ISSUE, title="Ünïcode Ärger", raised_on=DAY))
    keys: dict[tuple[object, str], int] = {}
    newest = read_keys(portfolio.db, ImportKind.RAID, keys, 0)
    assert newest == other.id
    assert keys == {(project, "supplier late"): older.id, (None, "ünïcode ärger"): other.id}
    held: dict[tuple[object, str], int] = {(project, "supplier late"): 999}
    assert read_keys(portfolio.db, ImportKind.RAID, held, 0, skip=range(older.id, older.id + 1))
    assert held[(project, "supplier late")] == 999 and held[(None, "ünïcode ärger")] == other.id
    skipped: dict[tuple[object, str], int] = {}
    read_keys(portfolio.db, ImportKind.RAID, skipped, 0, skip=range(older.id, older.id + 1))
    assert skipped[(project, "supplier late")] == newer.id
    assert read_keys(portfolio.db, ImportKind.RAID, {}, other.id) == other.id


def test_the_import_takes_over_the_plans_keys_while_nothing_has_changed(
    portfolio: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading every item's key again for the first batch took 0.5 s at 200,000 items:
    while no write has happened since the plan read them, the import starts from them and
    reads only rows newer than the plan's newest (none)."""
    import pmo_tui.data.importing as importing

    portfolio.raid.add_raid_item(RaidKind.RISK, "Supplier late", "P-1")
    plan = portfolio.importer.plan_import(
        ImportKind.RAID,
        write(tmp_path / "r.csv", "Type,Project,Title,P\nRisk,P-1,Supplier late,4\n"),
    )
    reads: list[int] = []
    original = importing.read_keys

    def counted(*args: Any, **kwargs: Any) -> int:
        reads.append(args[3])  # after: the newest id already held
        return original(*args, **kwargs)

    monkeypatch.setattr(importing, "read_keys", counted)
    assert portfolio.importer.run_import(plan) == (0, 1)
    assert reads and reads[0] > 0  # from the plan's newest id, not every row again


def test_an_item_renamed_between_the_plan_and_the_import_is_matched_as_it_stands(
    portfolio: Store, tmp_path: Path
) -> None:
    """A write between the plan and the import moves the content mark: the import reads
    the keys again. A row the plan would create matches the item renamed to its title
    meanwhile (an old item: not among the rows newer than the plan's), not a duplicate."""
    renamed = portfolio.raid.add_raid_item(RaidKind.RISK, "Vendor late", "P-1")
    plan = portfolio.importer.plan_import(
        ImportKind.RAID,
        write(tmp_path / "r.csv", "Type,Project,Title,P\nRisk,P-1,Supplier late,4\n"),
    )
    assert plan.counts() == (1, 0)
    with Store(tmp_path / "p.db", user="other", clock=fixed_clock) as other:
        current = other.db.get(RaidItem, renamed.id)
        other.db.update(RaidItem, renamed.id, current.version, title="Supplier late")
    assert portfolio.importer.run_import(plan) == (0, 1)
    assert [item.id for item in portfolio.all(RaidItem)] == [renamed.id]
    assert portfolio.db.get(RaidItem, renamed.id).probability == 4
