"""Store: the one way in to the portfolio file.

Topic stores sit side by side over one core (``Db``: the connection, transactions, the
audit append and versioned generic access). Each is given the core and the peers it
really needs, and the façade reaches each by name: ``store.raid.close_raid_item(...)``
says where the behaviour lives, so a reader goes from a call straight to its module.

The core is ``store.db``. It is for ``data/`` and the tests' setup: the interface edits
through the topic stores' intent-named operations only (tests/test_layers.py checks that
nothing above ``data/`` touches ``.db``). The façade itself offers the generic *reads*
every layer uses (``get``, ``all``, ``find``, ``events``) and the file's facts.

Every edit is its own short ``BEGIN IMMEDIATE`` transaction, committed at once. A
connection belongs to the thread that opened it: a worker thread opens its own Store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Self, TypeVar

from pmo_tui.data.audit import Audit
from pmo_tui.data.changes import Changes
from pmo_tui.data.core import Clock, Db, utc_now, validated
from pmo_tui.data.dashboard import Dashboards
from pmo_tui.data.decisions import Decisions
from pmo_tui.data.importing import Importer
from pmo_tui.data.lessons import Lessons
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.minutes import compose_minutes
from pmo_tui.data.models import Event, Record
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.presence import Presence
from pmo_tui.data.priorities import Priorities
from pmo_tui.data.raid import Raid
from pmo_tui.data.record import Records
from pmo_tui.data.topics import Topics

__all__ = ["Clock", "Store", "utc_now", "validated"]

R = TypeVar("R", bound=Record)

# Files up to this size are checked (SQLite's quick check) before the app starts: about
# 0.1 s here. Larger ones are checked on a thread while it starts.
CHECK_NOW_BYTES = 48 * 1024 * 1024


class Store:
    """An open portfolio file. Use as a context manager, or call ``close()``."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        user: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.db = db = Db(path, create=create, read_only=read_only, user=user, clock=clock)
        try:
            # In dependency order: each is given the core and the peers it uses.
            self.presence = Presence(db)
            self.portfolio = Portfolio(db)
            self.meetings = Meetings(db, self.portfolio)
            self.decisions = Decisions(db, self.portfolio, self.meetings)
            self.raid = Raid(db, self.portfolio, self.meetings)
            self.topics = Topics(db, self.portfolio, self.meetings, self.decisions, self.raid)
            self.changes = Changes(db, self.portfolio, self.meetings, self.decisions)
            self.lessons = Lessons(db, self.portfolio, self.decisions)
            self.priorities = Priorities(db, self.decisions)
            self.importer = Importer(db, self.portfolio, self.raid)
            self.dashboards = Dashboards(db, self.raid)
            self.audit = Audit(db)
            # The minutes read every topic (data/minutes.py): the record is given that.
            self.records = Records(
                db, self.meetings, self.audit, lambda meeting_id: compose_minutes(self, meeting_id)
            )
            # An older file is upgraded once the stores are there: the records of its
            # closed meetings are written in the migration's transaction.
            db.migrate(self.records.migrated)
        except BaseException:
            db.close()
            raise

    # -- the file ----------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def user(self) -> str:
        return self.db.user

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def created(self) -> bool:
        """This open created the file."""
        return self.db.created

    @property
    def snapshot_only(self) -> bool:
        """Read as it stood at opening (its folder is not writable here and no session
        has it open): it will not follow other sessions' edits."""
        return self.db.snapshot_only

    @property
    def meeting_id(self) -> int | None:
        """The meeting the app has open: every event then names it."""
        return self.db.meeting_id

    @meeting_id.setter
    def meeting_id(self, value: int | None) -> None:
        self.db.meeting_id = value

    def clock(self) -> datetime:
        return self.db.clock()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def gone(self) -> str | None:
        """Why nothing can be saved here any more, if the file has gone (Db.gone)."""
        return self.db.gone()

    def checkpoint_quietly(self) -> int | None:
        """While nobody waits: see Db.checkpoint_quietly."""
        return self.db.checkpoint_quietly()

    def ensure_sound(self) -> None:
        """Refuse (BadFileError) when the file is damaged: checked once, before the first
        write; the app checks a small file at open (a damaged one is named before it
        starts) and a large one on a thread while it starts (``check_soon``)."""
        self.db.ensure_sound()

    def check_at_start(self) -> None:
        """The app's check as it opens: a file up to CHECK_NOW_BYTES now (a damaged one is
        refused before the app starts); a larger one on a thread while the app starts
        (1.3 s for 530 MB here, 5.5 s for 2.5 GB: most of a cold start when it waited)."""
        try:
            size = self.path.stat().st_size
        except OSError:
            size = 0
        if size <= CHECK_NOW_BYTES:
            self.db.ensure_sound()
        else:
            self.db.check_soon()

    def wait_for_check(self, seconds: float | None = None) -> bool:
        """Wait for a check started on a thread, at most ``seconds`` (any thread may
        wait); True once none is running."""
        return self.db.wait_for_check(seconds)

    def verdict(self) -> str | None:
        """Why nothing may be written (the file is damaged), or None when it is sound."""
        return self.db.verdict()

    def schema_version(self) -> int:
        return self.db.schema_version()

    def journal_mode(self) -> str:
        return self.db.journal_mode()

    def sqlite_version(self) -> str:
        return self.db.sqlite_version()

    def integrity_problems(self) -> list[str]:
        return self.db.integrity_problems()

    def row_counts(self) -> dict[str, int]:
        return self.db.row_counts()

    # -- generic reads ---------------------------------------------------------------

    def get(self, model: type[R], record_id: int) -> R:
        return self.db.get(model, record_id)

    def all(self, model: type[R]) -> list[R]:
        return self.db.all(model)

    def find(self, code: str) -> Record:
        """The record a code names (P-3, R-12, A-7...)."""
        return self.db.find(code)

    def events(self, record: Record | None = None, limit: int = 200) -> list[Event]:
        return self.db.events(record, limit)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees one state of the file (a read transaction)."""
        with self.db.snapshot():
            yield
