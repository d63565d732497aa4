"""Store: the one way in to the portfolio file.

Every edit is its own short ``BEGIN IMMEDIATE`` transaction, committed at once: the write
lock is taken before the read, so two processes doing read-modify-write wait for each
other (up to the busy timeout) instead of failing or losing an update. Editable rows
carry a ``version``; an update names the version it read and is refused when another
session got there first. Every write appends to ``events``.

A connection belongs to the thread that opened it: a worker thread opens its own Store.
The methods live in topic modules (core, presence, portfolio, meetings, raid, changes,
priorities,
lessons, importing, dashboard, audit, record); this class joins them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pmo_tui.data.core import Clock, utc_now, validated
from pmo_tui.data.dashboard import TREND_MEETINGS, Dashboards
from pmo_tui.data.importing import Importer, ImportKind, ImportPlan, Progress
from pmo_tui.data.metrics import Dashboard, Highlight
from pmo_tui.data.models import Meeting, Session
from pmo_tui.data.presence import Presence
from pmo_tui.data.record import RecordStore

__all__ = ["Clock", "Store", "utc_now", "validated"]


class Store(RecordStore):
    """An open portfolio file. Use as a context manager, or call ``close()``.

    Topic stores converted to components over the core are reached through explicit flat
    methods here, so every caller keeps writing ``store.join(...)`` and mypy checks each
    call (the other topics are still mixins below; see docs/ARCHITECTURE.md)."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = False,
        read_only: bool = False,
        user: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(path, create=create, read_only=read_only, user=user, clock=clock)
        self.presence = Presence(self)
        self.importer = Importer(self)
        self.dashboards = Dashboards(self)

    # -- presence (data/presence.py) -------------------------------------------------

    def data_version(self) -> int:
        return self.presence.data_version()

    def content_mark(self) -> int:
        return self.presence.content_mark()

    def view_mark(self) -> int:
        return self.presence.view_mark()

    def join(self, meeting_id: int | None = None) -> Session:
        return self.presence.join(meeting_id)

    def session(self, session_id: int) -> Session:
        return self.presence.session(session_id)

    def beat(
        self, session_id: int, meeting_id: int | None, step: int | None, selection: str = ""
    ) -> None:
        self.presence.beat(session_id, meeting_id, step, selection)

    def leave(self, session_id: int) -> None:
        self.presence.leave(session_id)

    def present(self, meeting_id: int | None = None) -> list[Session]:
        return self.presence.present(meeting_id)

    def driver_present(self, meeting: Meeting) -> bool:
        return self.presence.driver_present(meeting)

    # -- importing registers (data/importing.py) --------------------------------------

    def plan_import(
        self,
        kind: ImportKind,
        path: Path,
        *,
        sheet: str = "",
        mapping: dict[str, str] | None = None,
    ) -> ImportPlan:
        return self.importer.plan_import(kind, path, sheet=sheet, mapping=mapping)

    def run_import(self, plan: ImportPlan, progress: Progress | None = None) -> tuple[int, int]:
        return self.importer.run_import(plan, progress)

    # -- the dashboard and the highlight report (data/dashboard.py) -------------------

    def dashboard(self, day: date | None = None, meetings: int = TREND_MEETINGS) -> Dashboard:
        return self.dashboards.dashboard(day, meetings)

    def highlight(self, since: date, day: date | None = None) -> Highlight:
        return self.dashboards.highlight(since, day)
