"""Minutes and action lists in each export format, for the CLI and the app alike."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from pmo_tui.collector import paused
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.files import new_file_mode
from pmo_tui.data.models import ChangeStatus, Meeting
from pmo_tui.data.raid import OPEN_STATUSES, RaidFilter
from pmo_tui.data.store import Store
from pmo_tui.export.changes import changes_csv, changes_markdown
from pmo_tui.export.csvfile import actions_csv
from pmo_tui.export.everything import (
    ENTITIES,
    actions_ics,
    digest_markdown,
    entity_csv,
    portfolio_json,
)
from pmo_tui.export.html import render_html
from pmo_tui.export.lessons import lessons_csv, lessons_markdown
from pmo_tui.export.markdown import actions_markdown, minutes_markdown
from pmo_tui.export.priorities import ranking_csv, ranking_lines
from pmo_tui.export.raid import raid_csv, raid_markdown
from pmo_tui.export.reports import highlight_markdown


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    ICS = "ics"


def minutes_name(meeting: Meeting, fmt: Format = Format.MD) -> str:
    """``minutes-M-3-2026-11-26.md``: sorts by date in a folder, names the meeting."""
    return f"minutes-{meeting.code}-{meeting.scheduled_on.isoformat()}.{fmt.value}"


def minutes_document(store: Store, meeting_id: int, fmt: Format = Format.MD) -> str:
    if fmt is Format.CSV:
        raise ValueError("minutes export as md or html")
    # Bulk work (see collector.paused): the largest meeting's record is some 200,000
    # objects, and each collector pass on the way walked the whole session's heap. The
    # record is dropped before the collector comes back (it returns with _minutes_document's
    # frame): alive then, the first young pass walked all of it (20 ms, more in a session).
    with paused():
        document = _minutes_document(store, meeting_id, fmt)
    return document


def _minutes_document(store: Store, meeting_id: int, fmt: Format) -> str:
    minutes = store.records.minutes(meeting_id)
    markdown = minutes_markdown(minutes)
    if fmt is Format.HTML:
        return render_html(markdown, f"{minutes.meeting.title} ({minutes.meeting.code})")
    return markdown


def actions_document(
    store: Store, fmt: Format = Format.MD, *, open_only: bool = False, owner: str = ""
) -> str:
    actions = store.decisions.action_list(open_only=open_only, owner=owner)
    names = store.portfolio.names()
    if fmt is Format.CSV:
        return actions_csv(actions, names)
    if fmt is Format.ICS:
        return actions_ics(actions, names, store.clock())
    title = ("Open actions" if open_only else "Actions") + (f" for {owner}" if owner else "")
    markdown = actions_markdown(actions, names, title)
    if fmt is Format.HTML:
        return render_html(markdown, title)
    return markdown


def raid_document(
    store: Store, fmt: Format = Format.MD, *, open_only: bool = False, project: str = ""
) -> str:
    """The register (optionally one project's, optionally open items only), by score."""
    project_id = None
    title = "RAID register"
    if project.strip():
        record = store.portfolio.project_called(project)
        project_id = record.id
        title += f" for {record.code} {record.name}"
    statuses = OPEN_STATUSES if open_only else frozenset()
    items = store.raid.raid_items(
        RaidFilter(project_id=project_id, statuses=statuses), limit=1_000_000
    )
    projects = store.portfolio.project_labels()
    names, scheme = store.portfolio.names(), store.raid.scoring()
    if fmt is Format.CSV:
        return raid_csv(items, names, projects, scheme)
    markdown = raid_markdown(items, names, projects, scheme, title)
    return render_html(markdown, title) if fmt is Format.HTML else markdown


def changes_document(
    store: Store, fmt: Format = Format.MD, *, statuses: Sequence[ChangeStatus] = ()
) -> str:
    """The change log, oldest request first, each with its tolerance check."""
    rows = store.changes.change_rows(store.changes.change_requests(statuses))
    title = "Change requests" + (
        f" ({', '.join(status.value for status in statuses)})" if statuses else ""
    )
    if fmt is Format.CSV:
        return changes_csv(rows)
    markdown = changes_markdown(rows, title)
    return render_html(markdown, title) if fmt is Format.HTML else markdown


def ranking_document(store: Store, fmt: Format = Format.MD) -> str:
    """The portfolio's current ranking (its adopted ranks), with the funding line."""
    board = store.priorities.portfolio_ranking()
    if fmt is Format.CSV:
        return ranking_csv(board.rows)
    title = "Portfolio ranking"
    markdown = "\n".join([f"# {title}", "", *ranking_lines(board.rows, board.budget)])
    return render_html(markdown, title) if fmt is Format.HTML else markdown


def lessons_document(store: Store, fmt: Format = Format.MD, *, search: str = "") -> str:
    """Every lesson (newest first), or those matching ``search`` (best first)."""
    hits = store.lessons.search_lessons(search, limit=1_000_000)
    if fmt is Format.CSV:
        return lessons_csv(hits)
    title = f"Lessons learned matching “{search.strip()}”" if search.strip() else "Lessons learned"
    markdown = lessons_markdown(hits, title)
    return render_html(markdown, title) if fmt is Format.HTML else markdown


def table_document(store: Store, entity: str) -> str:
    """One entity (a table) as CSV, in the shape `pmo import` reads back."""
    model = ENTITIES.get(entity)
    if model is None:
        raise InvalidInputError(
            f"“{entity}” is not an entity; choose one of: {', '.join(sorted(ENTITIES))}."
        )
    return entity_csv(store.all(model), model, store.portfolio.names())


def portfolio_document(store: Store) -> str:
    """The whole portfolio as one JSON document."""
    everything = {table: store.all(model) for table, model in ENTITIES.items()}
    return portfolio_json(everything, store.schema_version(), store.clock())


def digest_document(store: Store, *, owner: str = "") -> str:
    """What each person (or one) owes: open actions and the open RAID items they own."""
    raid = store.raid.raid_items(RaidFilter(statuses=OPEN_STATUSES), limit=1_000_000)
    actions = store.decisions.action_list(open_only=True)
    return digest_markdown(actions, raid, store.portfolio.names(), store.clock().date(), owner)


def highlight_document(store: Store, since: date | None = None) -> str:
    """The highlight report for the period after ``since`` (default: 30 days back)."""
    today = store.clock().date()
    return highlight_markdown(
        store.dashboards.highlight(since or today - timedelta(days=30), today)
    )


def overdue_document(store: Store) -> str:
    """Who owes what that is overdue, by owner."""
    today = store.clock().date()
    late = [a for a in store.decisions.action_list(open_only=True) if a.due_on and a.due_on < today]
    return digest_markdown(late, [], store.portfolio.names(), today, title="Overdue actions")


def write_atomically(path: Path, document: str) -> None:
    """Write the whole file or nothing: a crash mid-write never leaves half minutes.

    Through a private temporary file made beside the target (created exclusively, mode
    0600, never through a link: a fixed name in a shared folder could be planted as a
    link to another file), then renamed over it. IsADirectoryError for a folder."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder: name the file to write", path)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(document)
            handle.flush()
            os.fsync(handle.fileno())
        # As pmo's other files: private unless the folder is a team folder (an export of
        # the whole portfolio names people and money).
        os.chmod(name, new_file_mode(path.absolute().parent))
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
