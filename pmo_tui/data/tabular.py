"""Reading spreadsheets as people keep them: CSV in UTF-8 (with or without a BOM) or
Windows-1252, and Excel .xlsx (openpyxl, an optional extra), with title rows above the
header, blank rows and notes below the table. Rows come out as lists of text (dates from
Excel as ISO text), each with its row number in the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pmo_tui.data import files
from pmo_tui.data.errors import BadFileError, InvalidInputError

# How far down to look for the header row (title rows, logos, notes come first).
HEADER_SEARCH_ROWS = 20


@dataclass
class Sheet:
    """The rows of one table: ``rows`` yields (row number, cells), lazily."""

    name: str
    encoding: str
    rows: Iterator[tuple[int, list[str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(path: Path, sheet: str = "") -> Sheet:
    """Open a CSV or .xlsx file for reading; a clear error for anything else."""
    try:
        kind = files.file_kind(path) if files.reachable(path) else ""
    except BadFileError as error:
        raise InvalidInputError(str(error)) from None
    if not kind:
        raise InvalidInputError(f"{path} does not exist.")
    if kind == "folder":
        raise InvalidInputError(f"{path} is a folder, not a spreadsheet.")
    if kind != "file":
        # A FIFO would wait for ever for a writer; /dev/zero never ends.
        raise InvalidInputError(f"{path} is not a regular file (it is a {kind}).")
    if files.open_here(path):
        # Reading it would also close a descriptor of it: see files.py, POSIX locks.
        raise InvalidInputError(f"{path} is the portfolio file itself, not a spreadsheet.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".xls", ".ods", ".numbers"):
        raise InvalidInputError(
            f"{path.name}: save it as .xlsx or .csv first ({suffix} is not read)."
        )
    if sheet:
        raise InvalidInputError("--sheet is for Excel files; a CSV file has one table.")
    return _read_csv(path)


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    if not raw.strip():
        raise InvalidInputError(f"{path.name} is empty.")
    if b"\x00" in raw[:4096]:
        raise InvalidInputError(
            f"{path.name} is not a text CSV file (it holds binary data; an Excel file "
            "needs the .xlsx ending)."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything; latin-1 is the last resort
        encoding, text = "latin-1", raw.decode("latin-1")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = ((number, [cell.strip() for cell in row]) for number, row in enumerate(reader, 1))
    return Sheet(name=path.name, encoding=encoding, rows=rows)


def _read_xlsx(path: Path, sheet: str) -> Sheet:
    try:
        import openpyxl  # an optional extra: only Excel imports need it
    except ImportError:
        raise InvalidInputError(
            "Reading .xlsx needs openpyxl: pip install 'pmo-tui[excel]' (or save as CSV)."
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise InvalidInputError(f"{path.name} is not a readable .xlsx file ({error}).") from None
    names = book.sheetnames
    if sheet and sheet not in names:
        raise InvalidInputError(
            f"{path.name} has no sheet “{sheet}”; its sheets are: {', '.join(names)}."
        )
    worksheet = book[sheet or names[0]]
    rows = (
        (number, [_cell(value) for value in row])
        for number, row in enumerate(worksheet.iter_rows(values_only=True), 1)
    )
    return Sheet(name=f"{path.name} [{worksheet.title}]", encoding="xlsx", rows=rows)
