"""The `pmo` command."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import platformdirs

from pmo_tui import __version__
from pmo_tui.data import files, sqlite
from pmo_tui.data.backup import make_backup, restore_backup
from pmo_tui.data.demo import build_demo, remove_portfolio
from pmo_tui.data.errors import StoreError
from pmo_tui.data.importing import (
    DateOrder,
    ImportKind,
    describe_plan,
    imported,
    interrupted,
)
from pmo_tui.data.models import ChangeStatus, Event, Meeting
from pmo_tui.data.raid import scoring_summary
from pmo_tui.data.schema import SCHEMA_VERSION
from pmo_tui.data.sqlite import DatabaseError
from pmo_tui.data.store import Store
from pmo_tui.data.wording import counted
from pmo_tui.export.escape import plain, terminal
from pmo_tui.export.everything import ENTITIES
from pmo_tui.export.files import (
    Format,
    actions_document,
    changes_document,
    digest_document,
    highlight_document,
    lessons_document,
    minutes_document,
    overdue_document,
    portfolio_document,
    raid_document,
    ranking_document,
    table_document,
    write_atomically,
)
from pmo_tui.export.markdown import minutes_body
from pmo_tui.export.wiki import LinkStyle
from pmo_tui.verification import verify_portfolio, verify_published

DEFAULT_DB = "portfolio.db"


def demo_path() -> Path:
    """The demo's own file, in the user's data directory (honours $XDG_DATA_HOME)."""
    return platformdirs.user_data_path("pmo") / "demo.db"


# The portfolio file this command opened last: named when a damaged page surfaces later.
_opened: list[Path] = []


def _store(path: Path, **options: Any) -> Store:
    """Open the portfolio (every command opens it through here)."""
    _opened.append(path)
    return Store(path, **options)


def _say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print for a person: names, titles and paths from the data never act on the
    terminal (click strips colour codes only when not on a terminal, and never OSC)."""
    click.echo(terminal(message), err=err, nl=nl)


def _fail(error: StoreError) -> click.ClickException:
    return click.ClickException(str(error))


def _run_app(path: Path, *, read_only: bool, mouse: bool, create: bool = True) -> None:
    # Textual is imported only when the app runs: `pmo check` and `pmo init` stay quick.
    from pmo_tui.app import make_app
    from pmo_tui.collector import settle_collector

    try:
        # Absolute, so the home screen shows exactly which file everyone is editing.
        app = make_app(path.absolute(), read_only=read_only, create=create)
    except StoreError as error:
        raise _fail(error) from None
    if app.store.created:
        _say(f"Created a new, empty portfolio at {app.store.path}.", err=True)
    settle_collector()
    try:
        app.run(mouse=mouse)
    finally:
        app.store.close()
    if app.refused is not None:
        # A large file's check, made while the app started, found it damaged.
        raise click.ClickException(app.refused)
    _say(f"Portfolio: {app.store.path.absolute()}")
    if app.return_code:
        # Textual ends on an unhandled error with its traceback and code 1: a wrapper or a
        # cron job must see that too.
        sys.exit(app.return_code)


class Settings:
    def __init__(self, db: Path, read_only: bool, mouse: bool) -> None:
        self.db = db
        self.read_only = read_only
        self.mouse = mouse


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, readable=False),
    envvar="PMO_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="The portfolio file (also $PMO_DB). Created, empty, when it does not exist.",
)
@click.option("--read-only", is_flag=True, help="Open for viewing only: nothing can be changed.")
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (for PuTTY and similar).")
@click.version_option(__version__, prog_name="pmo")
@click.pass_context
def cli(ctx: click.Context, db: Path, read_only: bool, no_mouse: bool) -> None:
    """Run a PMO's portfolio review and steering meetings from the terminal.

    With no command, opens the portfolio file in the app.

    \b
    Examples:
      pmo                         open ./portfolio.db (created if missing)
      pmo --db /srv/pmo/team.db   open the team's shared portfolio
      pmo demo                    try it on a sample portfolio
      pmo check team.db           check a file's health
    """
    ctx.obj = Settings(db, read_only, not no_mouse)
    if ctx.invoked_subcommand is None:
        _run_app(db, read_only=read_only, mouse=not no_mouse)


@cli.command()
@click.option("--reset", is_flag=True, help="Throw the demo file away and build it again.")
@click.pass_obj
def demo(settings: Settings, reset: bool) -> None:
    """Open the app on a sample portfolio kept in its own file.

    The demo never touches --db or $PMO_DB: it lives in your data directory
    (shown on the home screen and printed on exit), so --reset cannot
    destroy real data.

    \b
    Examples:
      pmo demo            open the demo (built on first use)
      pmo demo --reset    rebuild it as new
    """
    path = demo_path()
    if reset:
        remove_portfolio(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _say(f"Building the demo portfolio at {path} ...", err=True)
        try:
            build_demo(path, date.today())
        except StoreError as error:
            raise _fail(error) from None
    _run_app(path, read_only=settings.read_only, mouse=settings.mouse, create=False)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False), required=False)
@click.option("--demo", "with_demo", is_flag=True, help="Fill it with the demo portfolio.")
@click.pass_obj
def init(settings: Settings, path: Path | None, with_demo: bool) -> None:
    """Create a portfolio file without opening the app.

    PATH defaults to --db / $PMO_DB. An existing file is never overwritten.

    \b
    Examples:
      pmo init /srv/pmo/team.db
      pmo init trial.db --demo
    """
    path = path or settings.db
    try:
        # An empty file holds nothing to lose: it is made a portfolio, as the app does.
        if files.reachable(path) and not (path.is_file() and path.stat().st_size == 0):
            raise click.ClickException(f"{path} already exists; it was left as it was.")
        existed = files.reachable(path) or path.is_symlink()
        try:
            if with_demo:
                build_demo(path, date.today())
            else:
                _store(path, create=True).close()
        except StoreError:
            if not existed:
                files.remove_new_file(path)  # half a portfolio helps nobody (a full disk)
            raise
    except StoreError as error:
        raise _fail(error) from None
    what = "the demo portfolio" if with_demo else "an empty portfolio"
    _say(f"Created {what} at {path} (schema version {SCHEMA_VERSION}).")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False), required=False)
@click.pass_obj
def check(settings: Settings, path: Path | None) -> None:
    """Check a portfolio file's health; exit 1 when anything is wrong.

    Prints the schema version, the SQLite library in use, the journal mode, an
    integrity check and the rows in each table. Opens the file read-only:
    checking never changes it. PATH defaults to --db / $PMO_DB.

    \b
    Example:
      pmo check /srv/pmo/team.db
    """
    path = path or settings.db
    try:
        store = _store(path, read_only=True)
    except StoreError as error:
        raise _fail(error) from None
    problems: list[str] = []
    with store:
        version = store.sqlite_version()
        safe = sqlite.is_safe_version(version)
        mode = store.journal_mode()
        integrity = store.integrity_problems()
        counts = store.row_counts()
        _say(f"File:            {store.path.absolute()}")
        _say(f"Schema version:  {store.schema_version()} (this pmo: {SCHEMA_VERSION})")
        _say(
            f"SQLite:          {version} via {sqlite.module_name()}"
            + ("" if safe else "  TOO OLD: 3.51.3 or newer is needed")
        )
        _say(f"Journal mode:    {mode}" + ("" if mode == "wal" else "  (expected wal)"))
        _say("Integrity:       " + ("ok" if not integrity else "PROBLEMS"))
        for problem in integrity[:20]:
            _say(f"  {problem}")
        _say(f"Access for {files.current_user()}:")
        for entry in files.access_report(store.path):
            if entry.exists:
                can = "can write" if entry.writable else "CANNOT WRITE"
                _say(f"  {entry.label:<7} {entry.path}  {entry.detail}  {can}")
            else:
                _say(f"  {entry.label:<7} {entry.path}  {entry.detail}")
        _say("Rows:")
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            shown = f"{count:>8,}" if count >= 0 else "unreadable"
            _say(f"  {name:<{width}}  {shown}")
    if not safe:
        problems.append("SQLite is too old")
    if mode != "wal":
        problems.append("journal mode is not WAL")
    if integrity:
        problems.append(f"{path} is damaged: the integrity check failed (restore the last backup)")
    if problems:
        raise click.ClickException("; ".join(problems) + ".")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--keep",
    type=int,
    default=0,
    help="Then remove all but the newest N backups of this portfolio in FOLDER (0: keep all).",
)
@click.pass_obj
def backup(settings: Settings, folder: Path, keep: int) -> None:
    """Back up the portfolio (--db) into FOLDER as NAME-YYYYMMDD-HHMMSS.db, while sessions
    go on working: a consistent copy (SQLite's online backup), checked (integrity and the
    audit chain) before it is kept. Exit 1 when no sound backup was made.

    \b
    Examples:
      pmo --db /srv/pmo/portfolio.db backup /srv/pmo-backups --keep 14
      crontab: 0 2 * * * pmo --db /srv/pmo/portfolio.db backup /srv/pmo-backups --keep 14
    """
    with _open_for_reading(settings.db) as store:
        try:
            made = make_backup(store, folder, keep)
        except StoreError as error:
            raise _fail(error) from None
    _say(f"Backed up {settings.db} to {made.path} (checked: {made.events:,} events, chain intact).")
    for path in made.removed:
        _say(f"Removed the older backup {path}.")


@cli.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(path_type=Path, readable=False))
@click.pass_obj
def restore(settings: Settings, backup_file: Path) -> None:
    """Put BACKUP back as the portfolio (--db). Refused while anyone has the portfolio
    open; the file it replaces is kept beside it as NAME.replaced-YYYYMMDD-HHMMSS.

    \b
    Example:
      pmo --db /srv/pmo/portfolio.db restore /srv/pmo-backups/portfolio-20261130-020000.db
    """
    try:
        done = restore_backup(backup_file, settings.db)
    except StoreError as error:
        raise _fail(error) from None
    kept = f"; the file it replaced is kept as {done.kept}" if done.kept else ""
    _say(f"Restored {settings.db} from {backup_file} ({done.events:,} events){kept}.")


def _meeting(store: Store, code: str) -> Meeting:
    """The meeting a code like M-12 (or 12) names, or a one-line error."""
    text = code.strip()
    wanted = text if "-" in text else f"M-{text}"
    prefix, _, number = wanted.rpartition("-")
    if prefix.upper() != "M" or not number.isdecimal():
        # Said as a meeting's code: "not a code pmo knows (like P-14, ...)" gave the
        # example of a project, and an empty argument read as 'M-' (cold try).
        shown = f"{code!r} is not" if text else "No code was given: it must be"
        raise click.ClickException(
            f"{shown} a meeting's code, like M-3 (meetings are M-1, M-2, ...)."
        )
    try:
        record = store.find(wanted)
    except StoreError as error:
        raise _fail(error) from None
    if not isinstance(record, Meeting):  # M- codes are meetings: for the type only
        raise click.ClickException(f"{code} is not a meeting (meetings are M-1, M-2, ...).")
    return record


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False), required=False)
@click.option(
    "--minutes",
    "published",
    type=click.Path(path_type=Path, readable=False),
    help="A published copy of approved minutes (Markdown) to check against the file.",
)
@click.pass_obj
def verify(settings: Settings, path: Path | None, published: Path | None) -> None:
    """Check that the portfolio holds what pmo wrote; exit 1 on anything that does not.

    \b
    - the audit trail's hash chain: each event carries the SHA-256 of the event
      before it and of its own content, so an event changed, removed or slipped
      in between others breaks every hash after it;
    - every row against its audit trail: each audited field's current value must
      be the one its last event set (an UPDATE with the sqlite3 shell is named);
    - each closed meeting's record against the hash its close wrote, and each
      approval's document hash against the minutes rebuilt from the record.

    With --minutes FILE, a copy of approved minutes published elsewhere (the wiki)
    is checked against the file: that copy is what shows a chain rewritten and
    re-hashed, or cut short, after the approval. Opens the file read-only.

    \b
    Examples:
      pmo verify /srv/pmo/team.db
      pmo verify /srv/pmo/team.db --minutes wiki/minutes-M-12-2026-11-26.md
    """
    document = None
    if published is not None:
        document = _read_text(published)
    with _open_for_reading(path or settings.db) as store:
        report = verify_portfolio(store) if document is None else verify_published(store, document)
    for line in report.lines:
        _say(line)
    if report.problems:
        raise click.ClickException("; ".join(report.problems) + ".")


def _read_text(path: Path) -> str:
    """A small text file given on the command line, or one sentence saying why not."""
    try:
        if not path.is_file():
            raise click.ClickException(f"{path} is not a regular file.")
        if path.stat().st_size > 10_000_000:
            raise click.ClickException(f"{path} is too large to be minutes (over 10 MB).")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text.") from None
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror}.") from None


def _event_line(event: Event) -> str:
    # Text from the file (a name, or anything someone wrote into the trail by hand) never
    # reaches the terminal as escape sequences.
    return (
        f"  E-{event.id} {event.at:%Y-%m-%d %H:%M} {plain(event.user)}: "
        f"{plain(event.code)} {plain(event.field)}"
    )


@cli.group()
def minutes() -> None:
    """Minutes after the meeting: circulate the draft, then record its approval."""


@minutes.command("circulate")
@click.argument("meeting")
@click.pass_obj
def minutes_circulate(settings: Settings, meeting: str) -> None:
    """Mark a closed MEETING's draft minutes as circulated for comment."""
    with _open_for_writing(settings.db) as store:
        try:
            done = store.audit.circulate_minutes(_meeting(store, meeting).id)
        except StoreError as error:
            raise _fail(error) from None
    _say(f"{done.code}: minutes circulated.")


@minutes.command("approve")
@click.argument("meeting")
@click.option("--by", "approved_by", required=True, help="Who approved them (the chair).")
@click.pass_obj
def minutes_approve(settings: Settings, meeting: str, approved_by: str) -> None:
    """Record that MEETING's circulated minutes were approved, stamping the audit chain's
    head into them (`pmo verify` checks the stamp later)."""
    with _open_for_writing(settings.db) as store:
        try:
            done = store.records.approve_minutes(
                _meeting(store, meeting).id, approved_by, minutes_body
            )
        except StoreError as error:
            raise _fail(error) from None
    _say(
        f"{done.code}: minutes approved by {plain(done.minutes_approved_by)}; "
        f"document sha256 {done.minutes_document_hash[:16]}, "
        f"audit chain E-{done.minutes_event_id} {done.minutes_hash[:16]}"
    )


def _open_for_writing(path: Path) -> Store:
    try:
        return _store(path, create=False)
    except StoreError as error:
        raise _fail(error) from None


def _open_for_reading(path: Path) -> Store:
    try:
        return _store(path, read_only=True)
    except StoreError as error:
        raise _fail(error) from None


def _deliver(document: str, output: Path | None) -> None:
    if output is None:
        # A terminal never obeys what the data holds; a pipe or a file gets the document as
        # its format writes it (CSV and iCalendar already carry no control characters).
        click.echo(terminal(document) if sys.stdout.isatty() else document, nl=False)
        return
    try:
        # Never over the portfolio this command read, a link, a device or a database.
        files.check_export_target(output, _opened[-1] if _opened else None)
        write_atomically(output, document)
    except StoreError as error:
        raise _fail(error) from None
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from None
    _say(f"Wrote {output}", err=True)


# Every export and report writes to stdout, or to a file given with -o.
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    help="File to write (else stdout).",
)


@cli.group()
def export() -> None:
    """Export minutes and action lists (Markdown, HTML, CSV).

    \b
    Examples:
      pmo export minutes M-3 -o minutes.md
      pmo export actions --open --owner "Ann Smith" --format csv
    """


@export.command("minutes")
@click.argument("meeting")
@output_option
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.pass_obj
def export_minutes(settings: Settings, meeting: str, output: Path | None, fmt: str) -> None:
    """Minutes of MEETING (a code like M-12) from what the file recorded.

    \b
    Examples:
      pmo export minutes M-12                  print GitHub-flavoured Markdown
      pmo export minutes M-12 -o m12.html --format html
    """
    with _open_for_reading(settings.db) as store:
        record = _meeting(store, meeting)
        try:
            document = minutes_document(store, record.id, Format(fmt))
        except StoreError as error:
            raise _fail(error) from None
    _deliver(document, output)


@export.command("actions")
@click.option("--open", "open_only", is_flag=True, help="Only actions still open.")
@click.option("--owner", default="", help="Only this person's actions.")
@output_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "html", "ics"]),
    default="md",
    show_default=True,
    help="ics: an iCalendar file, one to-do per action with a due date.",
)
@click.pass_obj
def export_actions(
    settings: Settings, open_only: bool, owner: str, output: Path | None, fmt: str
) -> None:
    """The action list across all meetings, soonest due first.

    \b
    Examples:
      pmo export actions --open
      pmo export actions --owner "Priya Raman" --format csv -o priya.csv
      pmo export actions --open --owner "Priya Raman" --format ics -o priya.ics
    """
    with _open_for_reading(settings.db) as store:
        if owner.strip():
            try:
                store.portfolio.person_named(owner)
            except StoreError as error:
                raise _fail(error) from None
        document = actions_document(store, Format(fmt), open_only=open_only, owner=owner)
    _deliver(document, output)


@export.command("digest")
@click.option("--owner", default="", help="Only this person.")
@output_option
@click.pass_obj
def export_digest(settings: Settings, owner: str, output: Path | None) -> None:
    """What each person owes, in Markdown: open actions (overdue first) and the open RAID
    items they own.

    \b
    Examples:
      pmo export digest -o owed.md
      pmo export digest --owner "Priya Raman"
    """
    with _open_for_reading(settings.db) as store:
        document = digest_document(store, owner=owner)
    _deliver(document, output)


@export.command("table")
@click.argument("entity", type=click.Choice(sorted(ENTITIES)))
@output_option
@click.pass_obj
def export_table(settings: Settings, entity: str, output: Path | None) -> None:
    """Any entity as CSV, every field (in the shape `pmo import` reads back).

    \b
    Examples:
      pmo export table projects -o projects.csv
      pmo export table raid_items -o raid.csv
    """
    with _open_for_reading(settings.db) as store:
        document = table_document(store, entity)
    _deliver(document, output)


@export.command("json")
@output_option
@click.pass_obj
def export_json(settings: Settings, output: Path | None) -> None:
    """The whole portfolio as one JSON document (every table, every row, with codes)."""
    with _open_for_reading(settings.db) as store:
        document = portfolio_document(store)
    _deliver(document, output)


@export.command("raid")
@click.option("--project", default="", help="Only this project's items (a code like P-14).")
@click.option("--open", "open_only", is_flag=True, help="Only items not closed.")
@output_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True
)
@click.pass_obj
def export_raid(
    settings: Settings, project: str, open_only: bool, output: Path | None, fmt: str
) -> None:
    """The RAID register, highest score first.

    \b
    Examples:
      pmo export raid --open
      pmo export raid --project P-14 --format csv -o p14-raid.csv
    """
    with _open_for_reading(settings.db) as store:
        try:
            document = raid_document(store, Format(fmt), open_only=open_only, project=project)
        except StoreError as error:
            raise _fail(error) from None
    _deliver(document, output)


@export.command("changes")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([status.value for status in ChangeStatus], case_sensitive=False),
    help="Only requests in this state (repeatable).",
)
@output_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True
)
@click.pass_obj
def export_changes(
    settings: Settings, statuses: tuple[str, ...], output: Path | None, fmt: str
) -> None:
    """The change log: every request with its impact, tolerance check and decision.

    \b
    Examples:
      pmo export changes --status submitted
      pmo export changes --status approved --status "approved with conditions" --format csv
    """
    with _open_for_reading(settings.db) as store:
        document = changes_document(
            store, Format(fmt), statuses=[ChangeStatus(status.lower()) for status in statuses]
        )
    _deliver(document, output)


@export.command("ranking")
@output_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True
)
@click.pass_obj
def export_ranking(settings: Settings, output: Path | None, fmt: str) -> None:
    """The portfolio ranking: score, movement since the last adopted ranking, cost, the
    funding line and team over-allocation.

    \b
    Examples:
      pmo export ranking
      pmo export ranking --format csv -o ranking.csv
    """
    with _open_for_reading(settings.db) as store:
        document = ranking_document(store, Format(fmt))
    _deliver(document, output)


@export.command("lessons")
@click.option(
    "--search", default="", help='Only lessons matching these words ("a phrase", prefix*).'
)
@output_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True
)
@click.pass_obj
def export_lessons(settings: Settings, search: str, output: Path | None, fmt: str) -> None:
    """Lessons learned across every project: all of them newest first, or those matching
    --search best first.

    \b
    Examples:
      pmo export lessons --search supplier
      pmo export lessons --search '"change freeze"' --format csv -o freeze.csv
    """
    with _open_for_reading(settings.db) as store:
        document = lessons_document(store, Format(fmt), search=search)
    _deliver(document, output)


@cli.command("import")
@click.argument("kind", type=click.Choice([kind.value for kind in ImportKind]))
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option("--dry-run", is_flag=True, help="Say what would happen, row by row; change nothing.")
@click.option("--sheet", default="", help="The Excel sheet to read (else the first).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar='"COLUMN=field"',
    help="Read a column as a field when its name is not understood (repeatable).",
)
@click.option(
    "--dates",
    type=click.Choice([order.value for order in DateOrder]),
    default=DateOrder.AUTO.value,
    show_default=True,
    help="Numeric dates day first (dmy) or month first (mdy); auto reads them day first "
    "unless a column can only be month first (12/31/2026), and says so.",
)
@click.pass_obj
def import_command(
    settings: Settings,
    kind: str,
    file: Path,
    dry_run: bool,
    sheet: str,
    mapping: tuple[str, ...],
    dates: str,
) -> None:
    """Bring in a register from CSV or Excel (.xlsx): projects, raid, actions, changes,
    lessons or people. A problem anywhere imports nothing; running it again (or two runs at
    once) updates rather than duplicates. A file with a code column (R-12) may carry any
    columns: only those change.

    \b
    Examples:
      pmo import raid "RAID log.xlsx" --sheet Risks --dry-run
      pmo import actions actions.csv --map "Owner (AD login)=owner"
      pmo import raid rescored.csv --dates mdy
    """
    columns: dict[str, str] = {}
    for pair in mapping:
        column, _, field = pair.rpartition("=")
        if not column.strip() or not field.strip():
            raise click.BadParameter(f'{pair!r}: write it as "Column=field".', param_hint="--map")
        columns[column.strip()] = field.strip()
    try:
        with _store(settings.db, create=False, read_only=dry_run) as store:
            plan = store.importer.plan_import(
                ImportKind(kind), file, sheet=sheet, mapping=columns, dates=DateOrder(dates)
            )
            _say(describe_plan(plan))
            if plan.problems:
                raise click.ClickException(
                    f"{counted(len(plan.problems), 'problem')}: nothing was imported. Fix "
                    f"{'it' if len(plan.problems) == 1 else 'them'} and run again (--dry-run "
                    "checks without importing)."
                )
            if dry_run:
                _say("Dry run: nothing was changed.")
                return
            try:
                with _killed_as_interrupted():
                    created, updated = store.importer.run_import(plan, _progress)
            except KeyboardInterrupt:
                raise click.ClickException(
                    interrupted(store.importer.committed, len(plan.rows))
                ) from None
    except StoreError as error:
        raise _fail(error) from None
    _say(f"Imported into {settings.db}: {imported(created, updated, len(plan.rows))}.")


@contextmanager
def _killed_as_interrupted() -> Iterator[None]:
    """``kill`` (SIGTERM) stops a long import as ctrl-c does, so that it too rolls back
    the batch under way and says how many rows are in (it printed "Terminated" alone)."""

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _progress(done: int, total: int) -> None:
    _say(f"  {done:,} of {total:,} rows", err=True)


@cli.command()
@click.argument("meeting")
@click.option(
    "--wiki",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The wiki's git working copy (or the docs folder in one); remembered for next time.",
)
@click.option("--push", is_flag=True, help="Push the commit to the wiki's remote.")
@click.option(
    "--links",
    type=click.Choice(["auto", *(style.value for style in LinkStyle)]),
    default="auto",
    show_default=True,
    help="Link to pages by file name (files: MkDocs and other docs folders) or by page "
    "name (pages: GitHub, GitLab, Gitea and Azure DevOps wikis); auto: pages when the "
    "remote ends in .wiki.git or .wiki.",
)
@click.pass_obj
def publish(settings: Settings, meeting: str, wiki: Path | None, push: bool, links: str) -> None:
    """File a closed meeting's minutes into the team wiki: the minutes page, the index of
    meetings (newest first, state and approval stamp) and the open actions, in one git
    commit authored by you. Publishing again (after approval) commits only what changed.

    \b
    Examples:
      pmo publish M-12 --wiki ~/wikis/pmo.wiki --push
      pmo publish M-12            (to the wiki used last time)
    """
    from pmo_tui.publishing import PublishError
    from pmo_tui.publishing import publish as publish_minutes

    try:
        with _store(settings.db, create=False) as store:
            found = _meeting(store, meeting)
            folder = wiki or (
                Path(store.meetings.wiki_folder()) if store.meetings.wiki_folder() else None
            )
            if folder is None:
                raise click.ClickException(
                    "Name the wiki's working copy: --wiki DIR (it is remembered after)."
                )
            style = None if links == "auto" else LinkStyle(links)
            done = publish_minutes(store, found, folder, push=push, links=style)
    except PublishError as error:
        raise click.ClickException(str(error)) from None
    except StoreError as error:
        raise _fail(error) from None
    pages = ", ".join(done.pages)
    if not done.commit:
        _say(
            f"{done.folder}: {pages} already say this; nothing to commit"
            + ("; pushed." if done.pushed else ".")
        )
        return
    _say(
        f"Published {found.code} to {done.folder} ({pages}; {done.links.value} links): "
        f"commit {done.commit[:10]}" + (", pushed." if done.pushed else "; not pushed (--push).")
    )


@cli.group()
def report() -> None:
    """Reports for leadership and for the people who owe the actions."""


@report.command("highlight")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Start of the period (YYYY-MM-DD; default 30 days ago).",
)
@output_option
@click.pass_obj
def report_highlight(settings: Settings, since: datetime | None, output: Path | None) -> None:
    """A highlight report for senior leadership, in Markdown: portfolio summary, projects
    that changed RAG, top risks and escalations, decisions, change impact, priority
    changes, and trends as text sparklines. The same file and date give the same report.

    \b
    Examples:
      pmo report highlight --since 2026-10-01 -o highlight.md
    """
    with _open_for_reading(settings.db) as store:
        document = highlight_document(store, since.date() if since else None)
    _deliver(document, output)


@report.command("actions")
@click.option("--owner", required=True, help="The person whose actions to list.")
@output_option
@click.pass_obj
def report_actions(settings: Settings, owner: str, output: Path | None) -> None:
    """What one person owes: open actions (overdue first) and the RAID items they own."""
    with _open_for_reading(settings.db) as store:
        try:
            store.portfolio.person_named(owner)
        except StoreError as error:
            raise _fail(error) from None
        document = digest_document(store, owner=owner)
    _deliver(document, output)


@report.command("overdue")
@output_option
@click.pass_obj
def report_overdue(settings: Settings, output: Path | None) -> None:
    """Every overdue action, by owner."""
    with _open_for_reading(settings.db) as store:
        document = overdue_document(store)
    _deliver(document, output)


@cli.command()
@click.option("--scale", type=click.Choice(["3", "5"]), help="3x3 or 5x5 scoring.")
@click.option(
    "--band",
    "bands",
    multiple=True,
    metavar="NAME=FROM",
    help="A severity band and the score it starts at; repeat for each, lowest first.",
)
@click.option("--high", type=int, help="The score from which an item goes to triage.")
@click.pass_obj
def scoring(
    settings: Settings, scale: str | None, bands: tuple[str, ...], high: int | None
) -> None:
    """Show or change the portfolio's risk scoring (scale, severity bands, triage line).

    \b
    Examples:
      pmo scoring
      pmo scoring --scale 3 --band low=1 --band medium=3 --band high=6 --high 6
    """
    changes: dict[str, object] = {}
    if scale:
        changes["scale"] = int(scale)
    if bands:
        parsed = []
        for band in bands:
            name, _, start = band.partition("=")
            if not name.strip() or not start.strip().isdecimal():
                raise click.ClickException(f"--band {band!r}: write it as NAME=FROM, e.g. high=15.")
            parsed.append({"name": name.strip(), "at_least": int(start)})
        changes["bands"] = parsed
    if high is not None:
        changes["high"] = high
    try:
        store = _store(settings.db, read_only=not changes)
    except StoreError as error:
        raise _fail(error) from None
    with store:
        try:
            scheme = store.raid.set_scoring(**changes) if changes else store.raid.scoring()
        except StoreError as error:
            raise _fail(error) from None
    _say(f"Scoring: {scoring_summary(scheme)}")


def main() -> None:
    try:
        # Not standalone: click's own printing of an error would pass the data's control
        # sequences (a file or person named with an escape) straight to the terminal.
        code = cli.main(prog_name="pmo", standalone_mode=False)
    except click.exceptions.UsageError as error:
        error.show()
        sys.exit(error.exit_code)
    except click.ClickException as error:
        _say(f"Error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        _say("Aborted.", err=True)
        sys.exit(1)
    except DatabaseError as error:
        # A damaged page can surface on any read, mid-command: one sentence, never a
        # traceback (which would print local variables, user data among them).
        where = str(_opened[-1]) if _opened else "The portfolio file"
        _say(
            f"Error: {where} is damaged ({error}); nothing was written. Run `pmo check "
            f"{where}` and restore the last backup.",
            err=True,
        )
        sys.exit(1)
    if isinstance(code, int) and code:  # --help and --version end as click.exceptions.Exit
        sys.exit(code)
