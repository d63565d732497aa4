"""Reading spreadsheets as people keep them: CSV in UTF-8 (with or without a BOM) or
Windows-1252, and Excel .xlsx (openpyxl, an optional extra), with title rows above the
header, blank rows and notes below the table. Rows come out as lists of text (dates from
Excel as ISO text), each with its row number in the file."""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pmo_tui.data import files
from pmo_tui.data.errors import BadFileError, InvalidInputError

# How far down to look for the header row (title rows, logos, notes come first).
HEADER_SEARCH_ROWS = 20
# The most a register file may hold: 200,000 rows of CSV are about 25 MB. A path swapped
# for /dev/zero or a huge file after it was checked stops here, not at the memory's end.
MAX_FILE_BYTES = 100_000_000


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


def read_capped(path: Path) -> bytes:
    """The file's bytes, read through one descriptor: what was checked by name may have
    been renamed, removed or swapped for a FIFO or a device since, so the file opened is
    checked again (without waiting on a FIFO) and read no further than MAX_FILE_BYTES.
    Every failure is one sentence."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InvalidInputError(f"{path} cannot be read ({error.strerror}).") from None
    with os.fdopen(descriptor, "rb") as opened:
        try:
            if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
                raise InvalidInputError(f"{path} is not a regular file.")
            raw = opened.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise InvalidInputError(f"{path} cannot be read ({error.strerror}).") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path.name} is larger than a register file may be "
            f"({MAX_FILE_BYTES / 1e6:,.0f} MB); nothing was imported."
        )
    return raw


def _read_csv(path: Path) -> Sheet:
    raw = read_capped(path)
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
    # Only the delimiter is guessed. Quoting is the standard's ("" inside quotes is one
    # quote): the sniffer's guess of it turned "x, ""q"" y" into x, "q"" y" in files
    # whose first 4 KB it misread.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], ",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # A line of our own after the file's: read as a row of its own, the file's last quote
    # was closed; taken into a cell, a quote was left open and the rest of the file was
    # read as that one cell (a stray quote made one row of the 200 after it; cold try).
    ending = "" if text.endswith(("\n", "\r")) else "\n"
    reader = csv.reader(
        io.StringIO(text + ending + _END, newline=""), csv.excel, delimiter=delimiter
    )
    return Sheet(name=path.name, encoding=encoding, rows=_csv_rows(path, reader))


# The line ``_read_csv`` adds after a file's: no quote, no delimiter, no register's text.
_END = "pmo: end of file 5f0c2a9e"


def _csv_rows(path: Path, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            if row == [_END]:
                return
            yield number, [cell.strip() for cell in row]
    except csv.Error as error:
        # A cell over 131,072 characters, a stray quote in a strict dialect...
        raise InvalidInputError(
            f"{path.name} cannot be read after row {number} ({error}); nothing was imported."
        ) from None
    raise InvalidInputError(
        f"{path.name}: the quote opened on row {number} is never closed, so everything "
        'after it would be one cell; close it (or double a quote meant as text: ""). '
        "Nothing was imported."
    )


def _read_xlsx(path: Path, sheet: str) -> Sheet:
    try:
        import openpyxl  # an optional extra: only Excel imports need it
        from openpyxl.xml import DEFUSEDXML
    except ImportError:
        raise InvalidInputError(
            "Reading .xlsx needs openpyxl: pip install 'pmo-tui[excel]' (or save as CSV)."
        ) from None
    if not DEFUSEDXML:
        # Without it openpyxl parses with the standard library, which expands entities:
        # a small file can fill the memory, or read a file from this machine.
        raise InvalidInputError(
            "Reading .xlsx safely needs defusedxml: pip install 'pmo-tui[excel]' (or save as CSV)."
        )
    # Read once: the checks and the workbook look at the same bytes.
    content = io.BytesIO(read_capped(path))
    _check_expanded_size(path, content)
    try:
        book = openpyxl.load_workbook(content, read_only=True, data_only=True)
        names = book.sheetnames
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise _unreadable(path, error) from None
    if sheet and sheet not in names:
        raise InvalidInputError(
            f"{path.name} has no sheet “{sheet}”; its sheets are: {', '.join(names)}."
        )
    worksheet = book[sheet or names[0]]
    if hasattr(worksheet, "reset_dimensions"):
        # A read-only sheet trusts the size stored in the file, which some writers
        # understate: the rows past it would be dropped without a word.
        worksheet.reset_dimensions()
    return Sheet(
        name=f"{path.name} [{worksheet.title}]", encoding="xlsx", rows=_xlsx_rows(path, worksheet)
    )


# What an .xlsx may expand to: a register of 50,000 rows is about 20 MB of XML; a zip
# bomb of a few hundred KB expands to gigabytes, read row by row for minutes.
MAX_EXPANDED_BYTES = 200_000_000


def _check_expanded_size(path: Path, content: io.BytesIO) -> None:
    """Refuse an .xlsx whose parts would expand past MAX_EXPANDED_BYTES. The sizes the zip
    declares bound what is read: the zip module stops at them (and checks the CRC)."""
    try:
        with zipfile.ZipFile(content) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable(path, error) from None
    if expanded > MAX_EXPANDED_BYTES:
        raise InvalidInputError(
            f"{path.name} would expand to {expanded / 1e6:,.0f} MB, more than a register "
            f"holds ({MAX_EXPANDED_BYTES / 1e6:,.0f} MB); nothing was imported."
        )


def _xlsx_rows(path: Path, worksheet: Any) -> Iterator[tuple[int, list[str]]]:
    # A read-only sheet is parsed as it is read: a damaged or hostile sheet fails here.
    try:
        for number, row in enumerate(worksheet.iter_rows(values_only=True), 1):
            yield number, [_cell(value) for value in row]
    except InvalidInputError:
        raise
    except Exception as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: Exception) -> InvalidInputError:
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    return InvalidInputError(
        f"{path.name} is not a readable .xlsx file ({reason}); nothing was imported."
    )
