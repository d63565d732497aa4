"""Db: the core every topic store is given: opening the portfolio file, transactions,
versioned generic reads and writes, the audit append. Private to ``data/``: the interface
reaches the data through the façade (store.py) and its intent-named operations.

Every edit is its own short ``BEGIN IMMEDIATE`` transaction, committed at once: the write
lock is taken before the read, so two processes doing read-modify-write wait for each
other (up to the busy timeout) instead of failing or losing an update. Editable rows
carry a ``version``; an update names the version it read and is refused when another
session got there first. Every write appends to ``events``.

A connection belongs to the thread that opened it: a worker thread opens its own Store.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Self, TypeVar, cast, get_args, get_origin
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from pmo_tui.data import files, liveness, schema
from pmo_tui.data.chain import COLUMNS, GENESIS, event_hash, json_encoder
from pmo_tui.data.errors import (
    BadFileError,
    ConflictError,
    InvalidInputError,
    NewerSchemaError,
    NotDrivingError,
    NotFoundError,
    OldSqliteError,
    ReadOnlyError,
    StoreError,
)
from pmo_tui.data.models import (
    PREFIXES,
    Event,
    Meeting,
    MeetingState,
    Record,
)
from pmo_tui.data.sqlite import (
    Connection,
    DatabaseError,
    IntegrityError,
    OperationalError,
    fields,
    is_safe_version,
    sqlite3,
)

R = TypeVar("R", bound=Record)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000

Clock = Callable[[], datetime]
# What an edit made in a live meeting is, for the driving rule (``Db.seat``): steering,
# capturing, or taking the drive.
Seat = Literal["drive", "capture", "take"]
# Fields holding a person's id, and fields holding another record's id (by its prefix):
# named as the screen names them in a refusal (``Db.describe_value``).
PERSON_FIELDS = {"owner_id", "manager_id", "sponsor_id", "person_id", "chair_id"}
ID_FIELDS = {
    "project_id": "P",
    "raid_item_id": "R",
    "change_request_id": "CR",
    "decision_id": "D",
    "meeting_id": "M",
    "agenda_item_id": "AG",
}


_AS_IS = frozenset({str, int, float})


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _to_sql(value: Any) -> Any:
    if value is None or type(value) in _AS_IS:
        return value  # most values: checked first (an import converts millions)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return value


# What a "created" event holds of a record: all of it but what the row's place gives.
_NOT_DATA: set[str] = {"id", "version"}
# One encoder for every event (json.dumps with options builds one a call).
_EVENT_JSON = json_encoder()


@functools.cache
def _converted(model: type[Record]) -> tuple[str, ...]:
    """The fields of ``model`` whose values ``_to_sql`` may change (dates, booleans,
    enums): the others are stored as they are, without a call a value (an import of
    50,000 rows made 1.35 million)."""
    return tuple(
        name
        for name, field in model.model_fields.items()
        if name not in _NOT_DATA and _may_convert(field.annotation)
    )


def _may_convert(annotation: Any) -> bool:
    """Whether a value of this type may be one ``_to_sql`` converts; anything but plain
    text, numbers and None (and containers of those) counts, to be safe."""
    args = get_args(annotation)
    if args:
        return any(_may_convert(arg) for arg in args if not _is_metadata(arg))
    return annotation not in _AS_IS and annotation is not type(None)


def _is_metadata(arg: Any) -> bool:
    # Annotated's constraints and Literal's values: not types a value may have.
    return not isinstance(arg, type) and get_origin(arg) is None


@functools.cache
def _plain(model: type[Record]) -> bool:
    """Whether ``model_dump`` of a ``model`` record gives its values as they are: no
    serializers, no computed fields, no field holding a model. Then ``_data`` reads them
    off the record: model_dump with an exclude cost 9 us a record, an import of 50,000
    rows 0.45 s of its 4."""
    decorators = model.__pydantic_decorators__
    return not (
        decorators.field_serializers
        or decorators.model_serializers
        or model.model_computed_fields
        or any(_holds_model(field.annotation) for field in model.model_fields.values())
    )


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation) if not _is_metadata(arg))


def _data(record: Record) -> dict[str, Any]:
    """What a "created" event holds of a record: its values but ``_NOT_DATA``, in the
    fields' order, exactly ``model_dump(exclude=_NOT_DATA)``."""
    if not _plain(type(record)):
        return record.model_dump(exclude=_NOT_DATA)
    data = record.__dict__.copy()  # a validated record's fields, in their order
    for name in _NOT_DATA:
        del data[name]
    return data


def _json(record: Record) -> str:
    return _dumps({key: _to_sql(value) for key, value in _data(record).items()})


def _dumps(data: dict[str, Any]) -> str:
    """A row's values as its "created" event holds them."""
    return _EVENT_JSON(data)


def _to_text(value: Any) -> str | None:
    value = _to_sql(value)
    return None if value is None else str(value)


class Db:
    """An open portfolio file: the connection, its transactions and the audit append.

    Opening checks the file; a file of an older schema is upgraded by ``migrate`` (the
    façade calls it once its topic stores are attached, since a migration may need them)."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        user: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self.user = user or files.current_user()
        self.clock = clock
        # Set by the app while a meeting is open: every event then names the meeting.
        self.meeting_id: int | None = None
        # The presence session this connection speaks for (set when it joins): in a live
        # meeting, what it may write depends on whether that session drives (``seat``).
        self.session_id: int | None = None
        # The current transaction's operation checked its seat itself (``seat``).
        self._seated = False
        self._depth = 0
        # Values read again only after a content write (``kept``): name -> (mark, value).
        self._kept: dict[str, tuple[int, object]] = {}
        # Commits made here, and (commits, data_version) at the last checkpoint_quietly.
        self._commits = 0
        self._checkpointed: tuple[int, int] | None = None
        self.created = False
        # Opened as an immutable snapshot (see ``_check_and_connect``).
        self.snapshot_only = False
        # The quick check's verdict, once made ("ok" or the first problem): see
        # ``ensure_sound``.
        self._soundness: str | None = None
        # A check started by ``check_soon``: its thread, its connection while it runs (a
        # close interrupts it), and what it could not do (re-raised by ``ensure_sound``).
        self._checker: threading.Thread | None = None
        self._checking: Db | None = None
        self._check_problem: StoreError | None = None
        self._closing = False
        self._prepared = False
        # The schema version found, when the file needs upgrading (see ``migrate``).
        self.outdated: int | None = None
        self._identity: tuple[int, int] | None = None
        # Presence bytes this connection holds (liveness.py): released when it closes.
        self._held: set[int] = set()
        self.conn = self._connect(create)
        # The -wal and -shm files that did not exist before this open (see ``close``).
        # Looked at once the file itself was checked (an unreachable folder is named for
        # the file, not its -wal), and before the first read makes SQLite create them.
        self._side_files = [side for side in files.side_files(self.path) if not side.exists()]
        try:
            self._prepare()
        except DatabaseError as error:
            self._abandon()
            raise self._explain_open(error) from None
        except BaseException:
            self._abandon()
            raise

    # -- opening ---------------------------------------------------------------------

    def _connect(self, create: bool) -> Connection:
        # One thread of this process at a time checks and connects to a file: see
        # files.opening (a header read beside an open connection would drop its locks).
        with files.opening(self.path):
            conn = self._check_and_connect(create)
            self._identity = files.opened(self.path)
            liveness.attach(self.path, self._identity)
            return conn

    def _check_and_connect(self, create: bool) -> Connection:
        path = self.path
        exists = files.reachable(path)
        if exists and create and path.is_file() and path.stat().st_size == 0:
            # SQLite creates a new file empty before it writes the first page; another
            # process may be in that moment. An empty file holds nothing to lose.
            self.created = True
        elif exists:
            files.check_existing(path)
        elif not create or self.read_only:
            raise BadFileError(f"{path} does not exist.")
        else:
            if not files.reachable(path.parent):
                raise BadFileError(f"The folder {path.parent} does not exist.")
            if path.is_symlink():
                # A link to nowhere, perhaps planted in a shared folder: following it would
                # make a portfolio wherever it points.
                raise BadFileError(
                    f"{path} is a link to {os.readlink(path)}, which does not exist: pmo "
                    "makes no portfolio through a link."
                )
            self.created = True
        links = [side for side in files.side_files(path) if side.is_symlink()]
        if links:
            # Planted, perhaps, in a shared folder. SQLite refuses to open through it, but
            # the refusal read as a folder not writable, and with the -shm a link an empty
            # -wal was left behind (cold try): refused here, before SQLite makes anything.
            raise BadFileError(
                f"{links[0]} is a link to {os.readlink(links[0])}: pmo opens no portfolio "
                "whose -wal or -shm file is a link; remove the link. Nothing was written."
            )
        if not self.read_only:
            files.check_writable(path)
        mode = "ro" if self.read_only else "rwc"
        uri = f"file:{quote(str(path.absolute()))}?mode={mode}"
        if self.read_only and files.needs_snapshot(path):
            # Reading a WAL file needs its -shm, which SQLite cannot create in a folder we
            # cannot write. No -wal there means no session has it open: read the file as
            # it stands, as an immutable snapshot (it does not follow later edits).
            uri += "&immutable=1"
            self.snapshot_only = True
        try:
            # isolation_level=None: no implicit transactions; we issue BEGIN IMMEDIATE.
            conn: Connection = sqlite3.connect(
                uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except OperationalError as error:
            raise BadFileError(f"{path} cannot be opened: {error}.") from None
        conn.row_factory = sqlite3.Row
        return conn

    def _prepare(self) -> None:
        conn = self.conn
        version_text = str(conn.execute("select sqlite_version()").fetchone()[0])
        if not self.read_only and not is_safe_version(version_text):
            raise OldSqliteError(
                f"SQLite {version_text} is in use, and versions before 3.51.3 can corrupt a "
                "shared file; install pysqlite3 (`pip install pysqlite3`) or open the file "
                "with --read-only."
            )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Check what the file is before anything writes to it (WAL mode writes the header).
        try:
            found = self._schema_version()
        except DatabaseError as error:
            raise BadFileError(f"{self.path} is damaged: {error}.") from None
        if found > schema.SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{self.path} has schema version {found}, but this pmo knows versions up to "
                f"{schema.SCHEMA_VERSION}: upgrade pmo to open it. The file was not changed."
            )
        tables = self._table_names() - {"sqlite_sequence"}
        marked = int(conn.execute("PRAGMA application_id").fetchone()[0])
        # A pmo file is marked (application_id) or, from before the mark, has a schema
        # version and pmo's tables. Anything else with tables is another application's,
        # even when a table happens to be called "people" or "settings".
        ours = marked == files.APPLICATION_ID or (
            found > 0 and {"events", "meetings", "settings"} <= tables
        )
        if tables and not ours:
            shown = sorted(tables)
            listed = ", ".join(shown[:5]) + (", ..." if len(shown) > 5 else "")
            raise BadFileError(
                f"{self.path} is an SQLite database but not a pmo portfolio "
                f"(it has tables {listed}); it was not changed."
            )
        if self.read_only:
            if found < schema.SCHEMA_VERSION:
                raise BadFileError(
                    f"{self.path} has schema version {found} and needs upgrading to "
                    f"{schema.SCHEMA_VERSION}; open it once without --read-only."
                )
            return
        if self.created:
            # Before WAL mode: SQLite gives the -wal and -shm the database file's mode.
            files.share_with_group(self.path)
        conn.execute("PRAGMA synchronous = FULL")
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except OperationalError as error:
            raise self._explain(error) from None
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path} could not be switched to WAL mode (it is {mode}).")
        if found < schema.SCHEMA_VERSION:
            self.outdated = found
        self._prepared = True

    def migrate(self, then: Callable[[int], None]) -> None:
        """Upgrade an older file, and run ``then(from_version)`` in the same transaction
        for the work a migration needs the topic stores for (records of closed meetings).
        Does nothing for a current file."""
        if self.outdated is None:
            return
        with self.write():
            # Re-read under the lock: another process may have migrated meanwhile.
            before = self._schema_version()
            if before < schema.SCHEMA_VERSION:
                schema.migrate(self.conn, before)
                then(before)
        self.outdated = None

    def _schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _table_names(self) -> set[str]:
        rows = self.conn.execute("select name from sqlite_master where type = 'table'")
        return {str(row[0]) for row in rows}

    def _abandon(self) -> None:
        """Close after a failed open; a file this open created holds nothing: it goes."""
        self.close()
        if self.created:
            files.remove_new_file(self.path)

    def close(self) -> None:
        checker = self._checker
        if checker is not None:
            # Leaving before the check ends (a quick quit on a large file): stop it, or its
            # connection would outlive this one and leave the -wal and -shm files behind.
            self._closing = True
            apart = self._checking
            if apart is not None:
                with suppress(DatabaseError):
                    apart.conn.interrupt()
            checker.join()
            self._checker = None
        self.conn.close()
        for offset in list(self._held):
            self.release(offset)
        liveness.detach(self._identity)
        files.closed(self._identity)
        self._identity = None
        if self.read_only or not self._prepared:
            # A read-only connection cannot remove the -wal and -shm files it made, as the
            # last connection to close does, nor can one that failed to open: they would
            # be left behind.
            files.tidy_side_files(self.path, self._side_files)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; nested calls join the outer one (all or nothing)."""
        if self.read_only:
            raise ReadOnlyError(
                f"{self.path} is open read-only: nothing can be changed in this session."
            )
        if not self._depth:
            self.ensure_in_place()
            self.ensure_sound()
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except OperationalError as error:
            raise self._explain(error) from None
        self._depth = 1
        self._seated = False
        try:
            yield self.conn
        except IntegrityError as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _integrity_problem(error) from None
        except DatabaseError as error:
            # A full disk, a file made read-only, a damaged page: said in one sentence,
            # the transaction rolled back (what was saved before stays saved).
            if self.conn.in_transaction:
                with suppress(DatabaseError):
                    self.conn.execute("ROLLBACK")
            raise self._explain(error) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except OperationalError as error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise self._explain(error) from None
            self._commits += 1
        finally:
            self._depth = 0

    write = transaction

    def checkpoint_quietly(self) -> int | None:
        """Copy what anyone committed since the last call from the write-ahead log into
        the file; returns the pages the log held, None when nothing had been committed.

        SQLite does this itself inside the commit that takes the log past 1,000 pages,
        and that commit's key waits for it: a re-rank of 2,000 projects took 93 and 263
        ms instead of 31 in the benchmark's log. Called between keys (the app's poll, once
        no key has come for a fifth of a second), the log is copied a little at a time,
        the next writer starts it again from its beginning, and commits seldom reach
        1,000 pages. PASSIVE never waits for a reader or a writer: what a reader still needs
        is copied on a later call."""
        if self.read_only or self.snapshot_only or self.conn.in_transaction:
            return None
        try:
            version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            mark = (self._commits, version)
            if mark == self._checkpointed:
                return None
            busy, frames, _copied = self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except DatabaseError:
            return None  # said by the next edit or check, in its own words
        if not busy:  # another session was checkpointing: try again next time
            self._checkpointed = mark
        return int(frames)

    def content_mark(self) -> int | None:
        """The count of content writes so far, by anyone (this session, another, or a
        script outside pmo: the triggers of schema v12 move it on each); None without it."""
        row = self.conn.execute("select changes from content_marks").fetchone()
        return None if row is None else int(row[0])

    def kept(self, name: str, read: Callable[[], T]) -> T:
        """``read()``, kept until the next content write by anyone (this session, another,
        or a script outside pmo: the triggers' counter of schema v12 moves on each). For
        lists every refresh reads whole, such as 2,000 project labels (5 ms a key), which
        hardly ever change. Never kept inside a transaction: it may be rolled back."""
        mark = self.content_mark()
        if mark is None or self.conn.in_transaction:
            return read()
        held = self._kept.get(name)
        if held is not None and held[0] == mark:
            return cast(T, held[1])
        value = read()
        self._kept[name] = (mark, value)
        return value

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one moment of the file, while other sessions write: in WAL
        mode a read transaction keeps the snapshot its first read took."""
        if self._depth or self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def gone(self) -> str | None:
        """Why nothing can be saved in this session any more, when the file it opened is
        no longer at its path: deleted, or replaced by another file (a copy put back by
        hand, a sync tool). SQLite goes on writing to the file it holds open, and every
        edit went with it (the cold try: "A-7 done" said, nothing kept). None: in place."""
        if self._identity is None or files.identity(self.path) == self._identity:
            return None
        return (
            f"{self.path} was deleted or replaced after this session opened it: nothing "
            "can be saved in this session. Quit, then open the file that is there now, or "
            "restore the last backup."
        )

    def ensure_in_place(self) -> None:
        """Refuse to write when the file has gone from under the session (``gone``)."""
        why = self.gone()
        if why is not None:
            raise BadFileError(why)

    def ensure_sound(self) -> None:
        """Refuse to write to a damaged file: SQLite's quick check, once a session, before
        its first write (its cost grows with the file: README, "Damaged files"). A check
        started by ``check_soon`` is waited for."""
        checker = self._checker
        if checker is not None:
            checker.join()
            self._checker = None
            problem, self._check_problem = self._check_problem, None
            if problem is not None:
                raise problem
        if self._soundness is None:
            self._soundness = self._quick_check(self)
        if self._soundness != "ok":
            raise BadFileError(
                f"{self.path} is damaged ({self._soundness}); nothing was written. Run "
                f"`pmo check {self.path}` and restore the last backup."
            )

    @staticmethod
    def _quick_check(db: Db) -> str:
        """SQLite's quick check of ``db``'s file: "ok" or its first problem, on one line."""
        try:
            rows = db.conn.execute("PRAGMA quick_check(1)").fetchall()
            found = str(rows[0][0]) if rows else "ok"
        except DatabaseError as error:
            if "malformed" not in str(error) and "not a database" not in str(error):
                raise db._explain(error) from None  # a full disk is not damage
            found = str(error)
        # SQLite's report spans lines ("*** in database main ***\nPage 7: ..."): one.
        return " ".join(found.replace("*** in database main ***", "").split())

    def check_soon(self) -> None:
        """Start the quick check on a thread of its own, with a read-only connection of its
        own: it reads the whole file (1.3 s for 530 MB here, 5.5 s for 2.5 GB, many times
        that the first time after a restart), and the app need not wait for it to show
        the home screen. ``ensure_sound`` (before the first write) waits for its verdict;
        ``verdict`` asks for it without raising."""
        if self.read_only or self._soundness is not None or self._checker is not None:
            return

        def check() -> None:
            try:
                with Db(self.path, read_only=True, user=self.user, clock=self.clock) as apart:
                    self._checking = apart
                    try:
                        self._soundness = self._quick_check(apart)
                    finally:
                        self._checking = None
            except (StoreError, DatabaseError) as error:
                if self._closing:
                    self._soundness = None  # interrupted by close: nothing was decided
                else:
                    self._check_problem = (
                        error if isinstance(error, StoreError) else self._explain(error)
                    )

        self._checker = threading.Thread(target=check, name="pmo quick check", daemon=True)
        self._checker.start()

    def wait_for_check(self, seconds: float | None = None) -> bool:
        """Wait for a check ``check_soon`` started, at most ``seconds``; True once no
        check is running."""
        checker = self._checker
        if checker is not None:
            checker.join(seconds)
            return not checker.is_alive()
        return True

    def verdict(self) -> str | None:
        """The damage found, as ``ensure_sound`` would say it; None for a sound file (it
        waits for a check ``check_soon`` started)."""
        try:
            self.ensure_sound()
        except StoreError as error:
            return str(error)
        return None

    def _explain_open(self, error: DatabaseError) -> StoreError:
        """Why the file could not be opened, in one sentence (nothing was written)."""
        text = str(error)
        if "malformed" in text or "not a database" in text:
            return BadFileError(
                f"{self.path} is damaged ({text}); nothing was written. Run `pmo check "
                f"{self.path}` and restore the last backup."
            )
        if "full" in text or "disk I/O" in text:
            return StoreError(
                f"{self.path} cannot be opened: the disk holding it has no space left or "
                f"failed ({text}); nothing was written."
            )
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return ReadOnlyError(
                f"{self.path} cannot be opened by {files.current_user()} ({text}): its folder "
                f"{self.path.parent} is not writable for the -wal and -shm files."
            )
        return StoreError(f"{self.path} cannot be opened: {text}; nothing was written.")

    def _explain(self, error: DatabaseError) -> StoreError:
        text = str(error)
        if "malformed" in text or "not a database" in text:
            return BadFileError(
                f"{self.path} is damaged ({text}); the edit was not saved. Run `pmo check` "
                "on it and restore the last backup."
            )
        user = files.current_user()
        if "readonly" in text or "read-only" in text:
            return ReadOnlyError(
                f"{self.path} cannot be written by {user}: {text}; the edit was not saved."
            )
        if "locked" in text or "busy" in text:
            return StoreError(
                f"{self.path} stayed locked by another session for {BUSY_TIMEOUT_MS // 1000} s; "
                "the edit was not saved, try it again."
            )
        if "full" in text or "disk I/O" in text:
            return StoreError(
                f"The disk holding {self.path} is full (no space left) or failing ({text}); "
                "the edit was not saved."
            )
        if "unable to open" in text:
            return StoreError(
                f"{self.path} or its -wal/-shm file cannot be opened by {user} ({text}); "
                "check the permissions of the file and its folder."
            )
        return StoreError(f"{self.path}: {text}; the edit was not saved.")

    # -- generic reads and writes ----------------------------------------------------

    def row_to(self, model: type[R], row: Any) -> R:
        try:
            return model.model_validate(fields(row))
        except ValidationError as error:
            # Only a write from outside pmo puts such a value in the file.
            problem = error.errors()[0]
            field = ".".join(str(part) for part in problem["loc"]) or "a value"
            raise BadFileError(
                f"{model.PREFIX}-{fields(row).get('id', '?')} holds a value pmo cannot read "
                f"({field}: {problem['msg'].lower()}): it was changed outside pmo. Run "
                "`pmo verify` to see what was changed."
            ) from None

    def get(self, model: type[R], record_id: int) -> R:
        if not 0 <= record_id < 2**63:  # SQLite's integers: no row has such an id
            raise NotFoundError(f"{model.PREFIX}-{record_id} does not exist.")
        row = self.conn.execute(
            f"select * from {model.TABLE} where id = ?", (record_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"{model.PREFIX}-{record_id} does not exist.")
        return self.row_to(model, row)

    # -- liveness (presence told by the kernel: see liveness.py) ----------------------

    def hold(self, offset: int) -> bool:
        """Hold presence byte ``offset`` while this connection is open."""
        held = liveness.hold(self._identity, offset, self.user)
        if held:
            self._held.add(offset)
        return held

    def release(self, offset: int) -> None:
        if offset in self._held:
            self._held.discard(offset)
            liveness.release(self._identity, offset)

    def alive(self, offset: int) -> bool | None:
        """Whether a process holds presence byte ``offset`` (None: cannot tell here)."""
        return liveness.alive(self._identity, offset)

    def observers(self, meeting_id: int | None) -> list[liveness.Observer]:
        return liveness.observers(self._identity, meeting_id)

    def live_meeting(self, meeting_id: int, seat: Seat = "drive") -> Meeting:
        """The meeting an edit writes into, refused unless it is live and this session
        may make that kind of edit there (``seat``)."""
        meeting = self.get(Meeting, meeting_id)
        if meeting.state is not MeetingState.LIVE:
            raise InvalidInputError(
                f"{meeting.code} is {meeting.state.value}: start or reopen it first."
            )
        self.seat(meeting, seat)
        return meeting

    def drives(self, meeting: Meeting) -> bool:
        """Whether this connection's session drives ``meeting`` (a live meeting nobody
        drives, started outside the app, is anyone's; so is every meeting for a
        connection that is no session: a command, a script)."""
        return (
            self.session_id is None
            or meeting.state is not MeetingState.LIVE
            or meeting.driver_session in (None, self.session_id)
        )

    def seat(self, meeting: Meeting | None, seat: Seat = "drive") -> None:
        """Driving is a rule of the data, not only of the screen. In a live meeting, a
        session that follows may only capture (notes, actions, draft decisions, lessons,
        and edits of those), and only while the driver lets followers capture; steering
        (moving steps, scoring, deciding) is the driver's. ``take`` is taking the drive.

        An operation calls this inside its transaction with the meeting it writes into
        (None: the meeting this session is in, if any). A write that never called it is
        checked as steering when its first event is appended (``log``), so no edit made
        while following a meeting gets past the rule, whatever path it took."""
        if self._depth:
            self._seated = True
        if meeting is None:
            if self.meeting_id is None or self.session_id is None:
                return
            meeting = self.get(Meeting, self.meeting_id)
        if seat == "take" or self.drives(meeting):
            return
        if seat == "capture" and meeting.followers_capture:
            return
        driver = meeting.driver or "another session"
        if seat == "capture":
            raise NotDrivingError(
                f"In {meeting.code} only the driver ({driver}) records: followers may not "
                "capture. Nothing was saved."
            )
        raise NotDrivingError(
            f"{driver} drives {meeting.code} and you follow: only the driver can do that "
            "(D takes the drive). Nothing was saved."
        )

    def get_many(self, model: type[R], record_ids: Iterable[int]) -> dict[int, R]:
        """The rows with these ids that exist, by id, in one query (json_each takes any
        number of ids, where a list of ``?`` would hit SQLite's variable limit)."""
        rows = self.conn.execute(
            f"select * from {model.TABLE} where id in (select value from json_each(?))",
            (json.dumps(sorted(set(record_ids))),),
        )
        return {int(row["id"]): self.row_to(model, row) for row in rows}

    def all(self, model: type[R]) -> list[R]:
        rows = self.conn.execute(f"select * from {model.TABLE} order by id")
        return [self.row_to(model, row) for row in rows]

    def find(self, code: str) -> Record:
        """The row a human code like ``P-14`` or ``cr-3`` names."""
        prefix, _, number = code.strip().upper().rpartition("-")
        model = PREFIXES.get(prefix)
        if model is None or not number.isdecimal():
            raise NotFoundError(f"{code!r} is not a code pmo knows (like P-14, R-203, A-7).")
        return self.get(model, int(number))

    def add(self, record: R) -> R:
        """Store a new row; returns it with its id (and so its code)."""
        data = record.model_dump(exclude={"id", "version"})
        columns = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        with self.write() as conn:
            cursor = conn.execute(
                f"insert into {record.TABLE} ({columns}) values ({marks})",
                [_to_sql(value) for value in data.values()],
            )
            stored = record.model_copy(update={"id": int(cursor.lastrowid or 0), "version": 1})
            self.log(stored, "created", None, _json(stored))
        return stored

    def add_many(self, records: Sequence[Record]) -> list[int]:
        """Store new rows of one table, each with its "created" event: the same ids, rows,
        events and chain as ``add`` one at a time, in two statements (an import of 50,000
        rows spent most of its time on 150,000 single statements). Returns the new ids, in
        order (a copy of each record with its id cost an import 0.8 s it never used)."""
        if not records:
            return []
        table, prefix = records[0].TABLE, records[0].PREFIX
        with self.write() as conn:
            # The ids SQLite's AUTOINCREMENT would give, in order: past the highest id the
            # table ever had (a deleted row's id is never given again). The write lock is
            # held, so nobody else takes them meanwhile.
            row = conn.execute(
                f"select max(coalesce((select seq from sqlite_sequence where name = ?), 0), "
                f"coalesce((select max(id) from {table}), 0))",
                (table,),
            ).fetchone()
            first = int(row[0]) + 1
            ids = list(range(first, first + len(records)))
            values: list[list[Any]] = []
            created: list[tuple[str, int, str, str, str | None, str | None]] = []
            columns: list[str] = []
            converted = _converted(type(records[0]))
            for record_id, record in zip(ids, records, strict=True):
                data = _data(record)
                for name in converted:
                    data[name] = _to_sql(data[name])
                columns = columns or list(data)
                values.append([record_id, *data.values()])
                created.append(
                    (table, record_id, f"{prefix}-{record_id}", "created", None, _dumps(data))
                )
            conn.executemany(
                f"insert into {table} (id, {', '.join(columns)}) "
                f"values (?, {', '.join('?' for _ in columns)})",
                values,
            )
            self.append_events(created)
        return ids

    def update(self, model: type[R], record_id: int, version: int, **changes: Any) -> R:
        """Change fields of a row read at ``version``; ConflictError if it moved on since."""
        with self.write() as conn:
            current = self.get(model, record_id)
            if current.version != version:
                raise self.conflict(current)
            try:
                updated = model.model_validate({**current.model_dump(), **changes})
            except ValidationError as error:
                raise InvalidInputError(_first_problem(current.code, error)) from None
            changed = {
                name: getattr(updated, name)
                for name in changes
                if getattr(updated, name) != getattr(current, name)
            }
            if not changed:
                return current
            assignments = ", ".join(f"{name} = ?" for name in changed)
            conn.execute(
                f"update {model.TABLE} set {assignments}, version = version + 1 "
                "where id = ? and version = ?",
                [*(_to_sql(value) for value in changed.values()), record_id, version],
            )
            updated = updated.model_copy(update={"version": version + 1})
            for name, value in changed.items():
                self.log(updated, name, _to_text(getattr(current, name)), _to_text(value))
        return updated

    def delete(self, model: type[R], record_id: int, version: int) -> R:
        """Remove a row read at ``version``; the audit trail keeps what it held."""
        with self.write() as conn:
            current = self.get(model, record_id)
            if current.version != version:
                raise self.conflict(current)
            conn.execute(f"delete from {model.TABLE} where id = ?", (record_id,))
            self.log(current, "deleted", _json(current), None)
        return current

    def conflict(self, current: Record) -> ConflictError:
        row = self.conn.execute(
            "select user, at from events where entity = ? and entity_id = ? "
            "order by id desc limit 1",
            (current.TABLE, current.id),
        ).fetchone()
        who = str(row["user"]) if row is not None else None
        when = datetime.fromisoformat(row["at"]) if row is not None else None
        return ConflictError(
            current, who, when, label=self.label_of(current), describe=self.describe_value
        )

    def label_of(self, record: Record) -> str:
        """A record as the screen names it: a step by its title, a project with its name;
        never an internal code like AG-18."""
        title = getattr(record, "title", None) or getattr(record, "name", None)
        if record.PREFIX in ("AG", "MT"):
            return f"the step “{title}”"
        if record.PREFIX == "P" and title:
            return f"{record.code} {title}"
        return record.code

    def describe_value(self, field: str, value: object) -> str:
        """A field's value as the screen shows it: a person by name, a record by its code
        (a project with its name), a step by its title, never an internal id."""
        if value is None or value == "":
            return "none"
        if field in PERSON_FIELDS and isinstance(value, int):
            row = self.conn.execute("select name from people where id = ?", (value,)).fetchone()
            return str(row[0]) if row else "someone removed since"
        target = ID_FIELDS.get(field)
        if target is not None and isinstance(value, int):
            try:
                return self.label_of(self.get(PREFIXES[target], value))
            except StoreError:
                return f"{target}-{value}"
        if hasattr(value, "value"):
            return str(value.value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        text = str(value)
        return text if len(text) <= 60 else text[:57] + "..."

    def log(self, record: Record, field: str, old: str | None, new: str | None) -> None:
        self.append_event(record.TABLE, record.id, record.code, field, old, new)

    def append_event(
        self,
        entity: str,
        entity_id: int,
        code: str,
        field: str,
        old: str | None,
        new: str | None,
    ) -> None:
        """Append one event to the hash chain (the caller holds the write transaction, so
        the last event cannot change under it: writers queue on BEGIN IMMEDIATE)."""
        self.append_events([(entity, entity_id, code, field, old, new)])

    def append_events(
        self, events: Sequence[tuple[str, int, str, str, str | None, str | None]]
    ) -> None:
        """Append events (entity, entity id, code, field, old, new) to the hash chain, in
        order, in one statement; the caller holds the write transaction."""
        if not self._seated:
            self.seat(None)  # an edit made in a live meeting: the driver's (see ``seat``)
        last = self.conn.execute("select id, hash from events order by id desc limit 1").fetchone()
        previous_id, previous = (int(last[0]), last[1] or GENESIS) if last else (0, GENESIS)
        at = self.clock().isoformat()
        rows = []
        for number, (entity, entity_id, code, field, old, new) in enumerate(events, 1):
            values = (
                previous_id + number,
                at,
                self.user,
                entity,
                entity_id,
                code,
                field,
                old,
                new,
                self.meeting_id,
            )
            previous = event_hash(previous, values)
            rows.append((*values, previous))
        self.conn.executemany(
            f"insert into events ({', '.join(COLUMNS)}, hash) values "
            f"({', '.join('?' for _ in COLUMNS)}, ?)",
            rows,
        )

    def setting(self, key: str) -> str | None:
        """A portfolio setting (configuration kept in the file), None when never set."""
        row = self.conn.execute("select value from settings where key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Write a setting, audited like any edit (the caller holds the transaction)."""
        old = self.setting(key)
        if old == value:
            return
        self.conn.execute(
            "insert into settings (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            (key, value),
        )
        self.append_event("settings", 0, key, key, old, value)

    def events(self, record: Record | None = None, limit: int = 200) -> list[Event]:
        if record is None:
            rows = self.conn.execute("select * from events order by id desc limit ?", (limit,))
        else:
            rows = self.conn.execute(
                "select * from events where entity = ? and entity_id = ? order by id desc limit ?",
                (record.TABLE, record.id, limit),
            )
        return [Event.model_validate(fields(row)) for row in rows]

    # -- file facts (for `pmo check`) ------------------------------------------------

    def schema_version(self) -> int:
        return self._schema_version()

    def journal_mode(self) -> str:
        if self.snapshot_only:
            # An immutable connection reports "delete"; the file's header says what it is
            # (bytes 18-19: 2 for WAL). Reading it takes no lock this connection holds.
            return "wal" if files.header_says_wal(self.path) else "delete"
        return str(self.conn.execute("PRAGMA journal_mode").fetchone()[0])

    def sqlite_version(self) -> str:
        return str(self.conn.execute("select sqlite_version()").fetchone()[0])

    def integrity_problems(self) -> list[str]:
        try:
            rows = self.conn.execute("PRAGMA integrity_check").fetchall()
            problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
            problems += [
                f"foreign key: {row[0]} row {row[1]} points at a missing {row[2]}"
                for row in self.conn.execute("PRAGMA foreign_key_check").fetchall()
            ]
        except DatabaseError as error:
            return [f"the file is damaged: {error}"]
        return problems

    def row_counts(self) -> dict[str, int]:
        import sqlite_utils  # only `pmo check` needs it: kept off the start-up path

        db = sqlite_utils.Database(self.conn)
        counts: dict[str, int] = {}
        for name in sorted(db.table_names()):
            if name in schema.OUR_TABLES:
                try:
                    counts[name] = db.table(name).count
                except DatabaseError:
                    counts[name] = -1  # unreadable: integrity_problems() says why
        return counts


def _integrity_problem(error: IntegrityError) -> InvalidInputError:
    text = str(error)
    if "FOREIGN KEY" in text:
        return InvalidInputError(
            "The edit refers to something that no longer exists; nothing was saved."
        )
    if "UNIQUE" in text:
        field = text.rpartition(":")[2].strip()
        return InvalidInputError(f"That {field} is already taken; nothing was saved.")
    return InvalidInputError(f"The edit was refused ({text}); nothing was saved.")


def _first_problem(where: str, error: ValidationError) -> str:
    problem = error.errors()[0]
    # In words, not names: "percent complete should be at most 100", never
    # "percent_complete input should be less than or equal to 100".
    field = " ".join(str(part) for part in problem["loc"]).replace("_", " ") or "value"
    said = str(problem["msg"]).lower().removeprefix("input ").replace("value error, ", "")
    said = said.replace("less than or equal to", "at most").replace(
        "greater than or equal to", "at least"
    )
    return f"{where}: {field} {said}; nothing was saved."


def validated(model: type[R], **values: Any) -> R:
    """Build a model from user values, raising InvalidInputError with one clear sentence."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise InvalidInputError(_first_problem(model.__name__, error)) from None
