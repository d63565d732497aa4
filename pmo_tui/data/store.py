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

from pmo_tui.data.core import Clock, utc_now, validated
from pmo_tui.data.record import RecordStore

__all__ = ["Clock", "Store", "utc_now", "validated"]


class Store(RecordStore):
    """An open portfolio file. Use as a context manager, or call ``close()``."""
