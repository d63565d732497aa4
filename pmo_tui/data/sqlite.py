"""The one place that chooses the SQLite module.

pysqlite3 (a wheel with a current SQLite bundled) when it is installed, else the standard
library module: exactly the choice sqlite-utils makes (``sqlite_utils.utils``), so our
connections and sqlite-utils' agree on the exception classes and the SQLite library. It is
made here rather than imported from sqlite-utils, which would load all of sqlite-utils
(about 40 ms) at every start-up.
"""

import importlib
from typing import TYPE_CHECKING, Any

try:
    sqlite3: Any = importlib.import_module("pysqlite3")
except ImportError:  # pragma: no cover - pysqlite3 is a dependency
    sqlite3 = importlib.import_module("sqlite3")


def _null(value: None) -> None:
    return value


# Binding None finds no adapter and then looks for two attributes that raise and are
# caught, a parameter: about 12 times a text value's cost here (50,000 rows of 29 mostly
# empty columns took 4.1 s to insert, 0.37 s with this adapter found first; an import
# spent most of its SQL time there). The adapter hands SQLite the None it is given.
sqlite3.register_adapter(type(None), _null)

if TYPE_CHECKING:
    from sqlite3 import (  # noqa: TID251 (types only)
        Connection,
        DatabaseError,
        Error,
        IntegrityError,
        OperationalError,
        Row,
    )
else:
    Connection = sqlite3.Connection
    Error = sqlite3.Error
    DatabaseError = sqlite3.DatabaseError
    OperationalError = sqlite3.OperationalError
    IntegrityError = sqlite3.IntegrityError
    Row = sqlite3.Row

__all__ = [
    "Connection",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "OperationalError",
    "Row",
    "fields",
    "sqlite3",
]

# The WAL-reset bug (concurrent writers and checkpoints can corrupt a WAL file) is fixed
# in 3.51.3; DESIGN.md explains why several writers on one file is our normal case.
MIN_SQLITE_VERSION = (3, 51, 3)


def library_version() -> str:
    return str(sqlite3.sqlite_version)


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdecimal())


def is_safe_version(text: str) -> bool:
    return parse_version(text) >= MIN_SQLITE_VERSION


def module_name() -> str:
    return str(sqlite3.__name__)


def fields(row: Row) -> dict[str, Any]:
    """A row's columns by name. ``dict(row)`` looks each name up again, a scan of the
    columns per column: 10 us for a RAID item's 30, this 2.6 us (every read goes
    through it: 100 items a triage refresh, 8,000 projects a ranking)."""
    found = dict(zip(row.keys(), row, strict=True))
    if len(found) != len(row):  # a name twice (a join): the first is dict(row)'s
        return dict(row)
    return found
