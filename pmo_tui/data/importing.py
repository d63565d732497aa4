"""Importing the PMO's existing registers: column names and values as real templates write
them, a dry run that says what would happen row by row, and a real run that is all or
nothing (one transaction) and updates rather than duplicates when run again."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from pmo_tui.collector import paused
from pmo_tui.data.core import Db
from pmo_tui.data.errors import InvalidInputError, NotFoundError, StoreError
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    ChangeRequest,
    ChangeStatus,
    DependencyState,
    Direction,
    Lesson,
    LessonCategory,
    Model,
    Person,
    Phase,
    Priority,
    Project,
    ProjectStatus,
    Proximity,
    RaidItem,
    RaidKind,
    RaidStatus,
    Record,
    Response,
    Validation,
)
from pmo_tui.data.names import known_as
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.raid import Raid
from pmo_tui.data.rules import parse_amount, parse_days
from pmo_tui.data.tabular import HEADER_SEARCH_ROWS, read_sheet
from pmo_tui.data.wording import counted


class ImportKind(StrEnum):
    PROJECTS = "projects"
    RAID = "raid"
    ACTIONS = "actions"
    CHANGES = "changes"
    LESSONS = "lessons"
    PEOPLE = "people"


@functools.lru_cache(maxsize=4096)  # a register's cells repeat ("High", "Open"): 350,000 a 50k file
def normalise(header: str) -> str:
    """``Risk Description``, ``risk_description`` and ``RISK-DESCRIPTION:`` are one."""
    return re.sub(r"[^0-9a-z]+", "", header.lower())


# Compared by identity: each spec's columns are distinct objects.
@dataclass(frozen=True, eq=False)
class Column:
    field: str
    kind: str  # text | date | scale | amount | days | int | project | person | code | choice
    names: tuple[str, ...]
    required: bool = False
    choices: dict[str, str] = dataclasses.field(default_factory=dict)


def _choices(enum: type[StrEnum], **extra: str) -> dict[str, str]:
    values = {normalise(member.value): member.value for member in enum}
    return values | {normalise(key): value for key, value in extra.items()}


_CODE = Column("code", "code", ("code", "id", "ref", "reference", "refno", "number", "no"))

_PROJECT = Column("project", "project", ("project", "projectcode", "projectname", "proj"))

_OWNER = Column(
    "owner", "person", ("owner", "actionowner", "riskowner", "assignedto", "responsible", "who")
)

SPECS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.PEOPLE: (
        _CODE,
        Column("name", "text", ("name", "person", "fullname", "employee"), required=True),
        Column("team", "text", ("team", "department", "skill", "function")),
        Column("role", "text", ("role", "jobtitle", "title", "position")),
    ),
    ImportKind.PROJECTS: (
        _CODE,
        Column("name", "text", ("name", "project", "projectname", "title"), required=True),
        Column("programme", "text", ("programme", "program", "portfolio", "workstream")),
        Column(
            "phase",
            "choice",
            ("phase", "stage"),
            choices=_choices(
                Phase,
                execution="delivery",
                build="delivery",
                close="closing",
                closure="closing",
                initiate="initiation",
                plan="planning",
            ),
        ),
        Column(
            "status",
            "choice",
            ("status", "state", "projectstatus"),
            choices=_choices(
                ProjectStatus,
                onhold="on hold",
                hold="on hold",
                paused="on hold",
                suspended="on hold",
                live="active",
                open="active",
                inprogress="active",
                ongoing="active",
                running="active",
                started="active",
                complete="closed",
                completed="closed",
                done="closed",
                finished="closed",
                delivered="closed",
                cancelled="cancelled",
                canceled="cancelled",
                stopped="cancelled",
                terminated="cancelled",
                abandoned="cancelled",
            ),
        ),
        Column("manager", "person", ("manager", "projectmanager", "pm", "lead")),
        Column("sponsor", "person", ("sponsor", "executivesponsor", "senioruser")),
        Column("description", "text", ("description", "summary", "objective", "notes")),
        Column("start_on", "date", ("start", "startdate", "starton", "begin")),
        Column("end_on", "date", ("end", "enddate", "endon", "finish", "finishdate", "golive")),
        Column("budget", "amount", ("budget", "approvedbudget", "cost", "totalbudget")),
        Column("percent_complete", "int", ("complete", "percentcomplete", "progress", "done")),
        Column("rank", "int", ("rank", "priority", "ranking")),
        Column("scope_statement", "text", ("scopestatement", "scope", "inscope")),
        Column("cost_tolerance_pct", "amount", ("costtolerancepct", "costtolerance")),
        Column("schedule_tolerance_days", "days", ("scheduletolerancedays", "scheduletolerance")),
        Column("period_cost", "amount", ("periodcost", "costthisperiod", "annualcost", "spend")),
    ),
    ImportKind.RAID: (
        _CODE,
        Column(
            "kind",
            "choice",
            ("type", "kind", "category", "raidtype", "itemtype"),
            required=True,
            choices=_choices(
                RaidKind,
                r="risk",
                a="assumption",
                i="issue",
                d="dependency",
                risks="risk",
                issues="issue",
                assumptions="assumption",
                dependencies="dependency",
                dep="dependency",
            ),
        ),
        _PROJECT,
        Column(
            "title",
            "text",
            (
                "title",
                "riskdescription",
                "issuedescription",
                "description",
                "summary",
                "risk",
                "issue",
                "item",
                "name",
            ),
            required=True,
        ),
        Column(
            "description",
            "text",
            ("details", "detail", "description", "notes", "comments", "cause", "consequence"),
        ),
        _OWNER,
        Column(
            "status",
            "choice",
            ("status", "state"),
            # The words real registers use, each read as the nearest state; the dry run
            # says which were read how.
            choices=_choices(
                RaidStatus,
                active="open",
                new="open",
                inprogress="open",
                ongoing="open",
                mitigating="open",
                underway="open",
                live="open",
                raised="open",
                identified="open",
                assigned="open",
                notstarted="open",
                pending="open",
                proposed="open",
                monitor="monitoring",
                watching="monitoring",
                watch="monitoring",
                onhold="monitoring",
                hold="monitoring",
                accepted="monitoring",
                transferred="monitoring",
                deferred="monitoring",
                dormant="monitoring",
                escalate="escalated",
                resolved="closed",
                done="closed",
                complete="closed",
                completed="closed",
                finished="closed",
                cancelled="closed",
                canceled="closed",
                withdrawn="closed",
                retired="closed",
                expired="closed",
                obsolete="closed",
                superseded="closed",
            ),
        ),
        Column(
            "raised_on",
            "date",
            (
                "raised",
                "raisedon",
                "dateraised",
                "identified",
                "dateidentified",
                "logged",
                "opened",
                "date",
            ),
        ),
        Column("review_by", "date", ("review", "reviewby", "reviewdate", "nextreview")),
        Column("due_on", "date", ("due", "dueon", "duedate", "targetdate", "target", "resolveby")),
        Column("probability", "scale", ("probability", "likelihood", "prob", "p", "chance")),
        Column("impact", "scale", ("impact", "severity", "consequencerating", "i")),
        Column(
            "response",
            "choice",
            ("response", "strategy", "responsestrategy", "treatment"),
            choices=_choices(
                Response,
                reduce="mitigate",
                mitigation="mitigate",
                transfer="transfer",
                tolerate="accept",
                accepted="accept",
                avoidance="avoid",
            ),
        ),
        Column(
            "response_plan",
            "text",
            ("responseplan", "mitigation", "mitigationplan", "actionplan", "actions", "plan"),
        ),
        # Each kind's own fields, so an export comes back whole.
        Column("proximity", "choice", ("proximity",), choices=_choices(Proximity)),
        Column("trigger", "text", ("trigger", "earlywarning")),
        Column("priority", "choice", ("priority",), choices=_choices(Priority)),
        Column("resolution", "text", ("resolution",)),
        Column("validation", "choice", ("validation", "validated"), choices=_choices(Validation)),
        Column("depends_on", "project", ("dependson", "dependsonproject", "predecessor")),
        Column("party", "text", ("party", "externalparty", "supplierparty")),
        Column("direction", "choice", ("direction",), choices=_choices(Direction)),
        Column("need_by", "date", ("needby", "neededby", "requiredby")),
        Column(
            "dependency_state",
            "choice",
            ("dependencystate", "dependencystatus"),
            choices=_choices(DependencyState),
        ),
        Column("closed_on", "date", ("closed", "closedon", "dateclosed")),
        Column("close_reason", "text", ("closereason", "closurereason", "reasonclosed")),
    ),
    ImportKind.ACTIONS: (
        _CODE,
        Column(
            "text",
            "text",
            ("action", "text", "description", "task", "actiondescription", "title"),
            required=True,
        ),
        _OWNER,
        Column(
            "due_on", "date", ("due", "dueon", "duedate", "targetdate", "target", "deadline", "by")
        ),
        Column(
            "status",
            "choice",
            ("status", "state"),
            choices=_choices(
                ActionStatus,
                closed="done",
                complete="done",
                completed="done",
                resolved="done",
                finished="done",
                delivered="done",
                inprogress="open",
                notstarted="open",
                new="open",
                active="open",
                ongoing="open",
                pending="open",
                started="open",
                onhold="open",
                overdue="open",
                late="open",
                cancelled="dropped",
                canceled="dropped",
                withdrawn="dropped",
                superseded="dropped",
                obsolete="dropped",
                notrequired="dropped",
                rejected="dropped",
            ),
        ),
        _PROJECT,
        Column("closed_on", "date", ("closed", "closedon", "completed", "datecompleted")),
        Column("close_reason", "text", ("closereason", "outcome", "reasondropped")),
    ),
    ImportKind.CHANGES: (
        _CODE,
        Column("project", "project", _PROJECT.names, required=True),
        Column(
            "title", "text", ("title", "change", "changetitle", "summary", "name"), required=True
        ),
        Column("description", "text", ("description", "details", "changedescription")),
        Column("requested_by", "text", ("requestedby", "requester", "raisedby", "originator")),
        Column(
            "raised_on",
            "date",
            ("raised", "raisedon", "dateraised", "requested", "daterequested", "date"),
        ),
        Column("reason", "text", ("reason", "justification", "why", "rationale")),
        Column("cost_impact", "amount", ("costimpact", "cost", "financialimpact", "budgetimpact")),
        Column(
            "schedule_impact_days",
            "days",
            ("scheduleimpact", "timeimpact", "delay", "scheduleimpactdays", "days"),
        ),
        Column("scope_impact", "text", ("scopeimpact", "scope")),
        Column("recommendation", "text", ("recommendation", "recommended")),
        Column(
            "status",
            "choice",
            ("status", "state", "decision"),
            choices=_choices(
                ChangeStatus,
                open="submitted",
                pending="submitted",
                new="submitted",
                raised="submitted",
                underreview="submitted",
                inreview="submitted",
                awaitingdecision="submitted",
                proposed="submitted",
                accepted="approved",
                agreed="approved",
                implemented="approved",
                declined="rejected",
                refused="rejected",
                approvedwithconditions="approved with conditions",
                conditional="approved with conditions",
                moreinfo="more information needed",
                moreinformation="more information needed",
                inforequested="more information needed",
                onhold="deferred",
                postponed="deferred",
                parked="deferred",
                cancelled="withdrawn",
                canceled="withdrawn",
                notsubmitted="draft",
            ),
        ),
        Column("benefits", "text", ("benefits", "benefit")),
        Column("risk", "text", ("risk", "risks", "riskofchange")),
        Column("options", "text", ("options", "optionsconsidered", "alternatives")),
        Column("conditions", "text", ("conditions",)),
        Column("deferred_to", "date", ("deferredto", "deferreduntil")),
    ),
    ImportKind.LESSONS: (
        _CODE,
        _PROJECT,
        Column(
            "category",
            "choice",
            ("category", "area", "theme", "type"),
            required=True,
            choices=_choices(
                LessonCategory,
                people="resourcing",
                resources="resourcing",
                vendor="supplier",
                procurement="supplier",
                tech="technical",
                technology="technical",
                stakeholders="stakeholder",
                communication="stakeholder",
                plan="planning",
                schedule="planning",
            ),
        ),
        Column("title", "text", ("title", "lesson", "lessonlearned", "summary"), required=True),
        Column(
            "what_happened",
            "text",
            ("whathappened", "description", "situation", "observation", "what"),
        ),
        Column("impact", "text", ("impact", "effect", "consequence")),
        Column(
            "next_time",
            "text",
            ("nexttime", "recommendation", "whattodonexttime", "action", "improvement"),
        ),
        Column("tags", "text", ("tags", "keywords", "labels")),
        Column("recorded_on", "date", ("recorded", "recordedon", "date", "dateraised", "captured")),
        Column("adopted_on", "date", ("adopted", "adoptedon", "dateadopted")),
    ),
}

MODELS: dict[ImportKind, type[Record]] = {
    ImportKind.PEOPLE: Person,
    ImportKind.PROJECTS: Project,
    ImportKind.RAID: RaidItem,
    ImportKind.ACTIONS: Action,
    ImportKind.CHANGES: ChangeRequest,
    ImportKind.LESSONS: Lesson,
}

# Words for the 1-5 (and 1-3) scales as templates write them, with what each reads as.
_SCALE_WORDS = {
    5: {
        "very high": 5,
        "vh": 5,
        "almost certain": 5,
        "critical": 5,
        "severe": 5,
        "high": 4,
        "h": 4,
        "likely": 4,
        "significant": 4,
        "major": 4,
        "medium": 3,
        "med": 3,
        "m": 3,
        "moderate": 3,
        "possible": 3,
        "low": 2,
        "l": 2,
        "unlikely": 2,
        "minor": 2,
        "very low": 1,
        "vl": 1,
        "rare": 1,
        "negligible": 1,
    },
    3: {"high": 3, "h": 3, "medium": 2, "med": 2, "m": 2, "low": 1, "l": 1},
}

_WORD_SCALE = {
    scale: {normalise(word): level for word, level in words.items()}
    for scale, words in _SCALE_WORDS.items()
}

_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}

_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ \-/.]([a-z]{3})[a-z]*[ \-/.,]+(\d{2,4})$")

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")

_EXCEL_EPOCH = date(1899, 12, 30)

# A project as pmo's exports label it: its code, then its name.
_PROJECT_LABEL = re.compile(r"^([A-Za-z]+-\d+)\s+(.+)$")

# An ISO date, alone or with the time a spreadsheet or export adds ("2026-12-01 00:00:00");
# nothing else after it ("2026-12-01garbage" is not a date).
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


# A register's dates repeat (a file of 50,000 rows has a few hundred): read once each.
@functools.lru_cache(maxsize=4096)
def parse_date(text: str, month_first: bool = False) -> date:
    """ISO, ``dd/mm/yyyy`` (the day first, as in the UK; ``mm/dd/yyyy`` when
    ``month_first``), ``5 Jan 2026``, ``05-Jan-26``, or an Excel serial day number."""
    value = text.strip().lower()
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    if value.isdecimal() and 20_000 <= int(value) <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    for pattern, named in ((_DAY_MONTH_YEAR, True), (_NUMERIC_DATE, False)):
        match = pattern.match(value)
        if match is None:
            continue
        day, month_text, year_text = match.groups()
        if month_first and not named:
            day, month_text = month_text, day
        month = _MONTHS.get(month_text[:3]) if named else int(month_text)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if month:
            try:
                return date(year, month, int(day))
            except ValueError:
                break
    order = "12/15/2026 (month first)" if month_first else "15/12/2026 (day first)"
    raise ValueError(f"“{text.strip()}” is not a date: use 2026-12-15, {order} or 15 Dec 2026")


class DateOrder(StrEnum):
    AUTO = "auto"  # day first, unless a column can only be month first
    DMY = "dmy"
    MDY = "mdy"


def month_first_columns(values: dict[int, list[str]]) -> set[int]:
    """The date columns (by index) to read month first: those where some date has a
    second number above 12 (12/31/2026) and none a first number above 12."""
    found = set()
    for index, texts in values.items():
        firsts, seconds = [], []
        for text in texts:
            match = _NUMERIC_DATE.match(text.strip())
            if match:
                firsts.append(int(match.group(1)))
                seconds.append(int(match.group(2)))
        if any(n > 12 for n in seconds) and not any(n > 12 for n in firsts):
            found.add(index)
    return found


def parse_scale(text: str, scale: int) -> int:
    value = normalise(text)
    if value.isdecimal() and 1 <= int(value) <= scale:
        return int(value)
    if value in _WORD_SCALE[scale]:
        return _WORD_SCALE[scale][value]
    words = ", ".join(word for word in _SCALE_WORDS[scale] if len(word) > 2)
    raise ValueError(f"“{text.strip()}” is not on the 1-{scale} scale: use 1-{scale} or {words}")


@dataclass(slots=True)  # not a Model: 50,000 of them cost a plan 1.5 s as Models
class RowPlan:
    row: int
    action: str = "create"  # create | update
    label: str = ""  # what the row is, for the dry run: "R-12 Supplier may..."
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    match_id: int | None = None
    problems: list[str] = dataclasses.field(default_factory=list)


class ImportPlan(Model):
    kind: ImportKind
    source: str
    encoding: str = ""
    header_row: int = 0
    mapped: dict[str, str] = {}  # column as written -> field
    ignored: list[str] = []  # columns not understood
    rows: list[RowPlan] = []
    notes: list[str] = []  # value mappings used, people to add, blank rows
    new_people: list[str] = []
    # The existing rows' keys the plan matched against, with the content mark read before
    # them and the newest id read: the import takes them over while nothing has changed
    # since (reading them again took 0.5 s at 200,000 items).
    _existing: tuple[int, int, dict[tuple[object, str], int]] | None = PrivateAttr(None)

    @property
    def problems(self) -> list[str]:
        return [f"row {row.row}: {problem}" for row in self.rows for problem in row.problems]

    def counts(self) -> tuple[int, int]:
        creates = sum(row.action == "create" for row in self.rows)
        return creates, len(self.rows) - creates


Progress = Callable[[int, int], None]


class PartialImportError(StoreError):
    """A long import stopped after some batches were in: running it again finishes it."""


def imported(created: int, updated: int, rows: int) -> str:
    """What a finished import did: "3 created, 2 updated, 7 unchanged"."""
    unchanged = rows - created - updated
    return f"{created} created, {updated} updated" + (
        f", {unchanged} unchanged (already as the file has them)" if unchanged else ""
    )


def interrupted(committed: int, total: int) -> str:
    """What an import stopped by its user (ctrl-c, kill) left: the batch under way was
    rolled back, the ones before it are in."""
    if not committed:
        return "The import was interrupted before its first batch was in: nothing was imported."
    # "the first N are in", not "N are in": a stop in the instant between a batch's
    # commit and its count leaves one batch more in than counted.
    return (
        f"The import was interrupted: the first {committed:,} of {total:,} rows are in; "
        "run it again to finish (the rows already in are updated, not duplicated)."
    )


# Rows a transaction of a long import writes (about 0.2 s of the write lock here).
BATCH = 1000


class Importer:
    """Registers brought in from CSV and Excel over the core, naming people and projects
    through the portfolio and scoring through RAID."""

    def __init__(self, db: Db, portfolio: Portfolio, raid: Raid) -> None:
        self.db = db
        self.portfolio = portfolio
        self.raid = raid
        # Rows of the last run_import committed so far: what is in if it is interrupted.
        self.committed = 0

    def plan_import(
        self,
        kind: ImportKind,
        path: Path,
        *,
        sheet: str = "",
        mapping: dict[str, str] | None = None,
        dates: DateOrder = DateOrder.AUTO,
    ) -> ImportPlan:
        """Read the file and say what importing it would do, row by row; writes nothing.
        Dates are read day first, unless ``dates`` says otherwise or (``auto``) a column
        can only be month first (the dry run says so)."""
        # The import that follows a plan writes, and a first write waits for the file's
        # check (0.9 s for 530 MB): on its own thread, it runs while the file is read. A
        # read-only session (a dry run) or a file already checked starts nothing.
        self.db.check_soon()
        with paused():  # bulk work: see collector.paused
            return self._plan_import(kind, path, sheet=sheet, mapping=mapping, dates=dates)

    def _plan_import(
        self,
        kind: ImportKind,
        path: Path,
        *,
        sheet: str,
        mapping: dict[str, str] | None,
        dates: DateOrder,
    ) -> ImportPlan:
        table = read_sheet(path, sheet)
        specs = SPECS[kind]
        overrides = {normalise(k): v for k, v in (mapping or {}).items()}
        unknown = set(overrides.values()) - {column.field for column in specs}
        if unknown:
            raise InvalidInputError(
                f"--map names no such {kind.value} field: {', '.join(sorted(unknown))}; the "
                f"fields are {', '.join(column.field for column in specs)}."
            )
        header_row, header, rows = _find_header(table.name, table.rows, specs, overrides)
        plan = ImportPlan(
            kind=kind, source=table.name, encoding=table.encoding, header_row=header_row
        )
        columns: dict[int, Column] = {}
        by_field = {column.field: column for column in specs}
        for index, name in enumerate(header):
            key = normalise(name)
            if not key:
                continue
            wanted = overrides.get(key) or next(
                (
                    c.field
                    for c in specs
                    if key in c.names and c.field not in {col.field for col in columns.values()}
                ),
                None,
            )
            if wanted is None:
                plan.ignored.append(name)
            else:
                columns[index] = by_field[wanted]
                plan.mapped[name] = wanted
        missing = [c.field for c in specs if c.required and c not in columns.values()]
        # A file naming its rows by code may carry any columns: its rows update those
        # items, and only what it carries changes (a row that names no item still needs
        # the required columns, and says so).
        if missing and _CODE not in columns.values():
            raise InvalidInputError(
                f"{table.name}: no column for {', '.join(missing)} (row {header_row} has "
                f"{', '.join(h for h in header if h) or 'nothing'}); name it in the file, "
                f'or give pmo import --map "Your column={missing[0]}".'
            )
        kept = list(rows)  # read twice: the date columns first, then the rows
        rows = iter(kept)
        date_columns = {i: c for i, c in columns.items() if c.kind == "date"}
        if dates is DateOrder.MDY:
            month_first = set(date_columns)
        elif dates is DateOrder.DMY:
            month_first = set()
        else:
            month_first = month_first_columns(
                {i: [cells[i] for _, cells in kept if i < len(cells)] for i in date_columns}
            )
            for index in sorted(month_first):
                plan.notes.append(
                    f"{header[index]} read month first (a date like 12/31 cannot be day "
                    "first); --dates dmy reads it day first"
                )
        context = _Context(self, kind, {date_columns[i] for i in month_first})
        people = [i for i, c in columns.items() if c.kind == "person"]
        context.expect_people([cells[i] for _, cells in kept for i in people if i < len(cells)])
        blank = 0
        single: list[bool] = []  # rows with one cell filled: notes, when they end the sheet
        for number, cells in rows:
            if not any(cells):
                blank += 1
                continue
            filled = {columns[i]: v for i, v in enumerate(cells) if i in columns and v}
            lone = len([v for v in cells if v]) <= 1
            if lone and not any(c.required for c in filled):
                plan.notes.append(f"row {number} ignored: a note below the table")
                continue
            plan.rows.append(context.row(number, filled))
            single.append(lone and len(columns) > 2)
        while plan.rows and single and single[-1] and len(plan.rows) > 1:
            # "Last updated by ..." under the table, in its first column.
            note = plan.rows.pop()
            single.pop()
            plan.notes.append(f"row {note.row} ignored: a note below the table")
        if blank:
            plan.notes.append(f"{blank} blank rows skipped")
        if not plan.rows:
            raise InvalidInputError(f"{table.name} has a header on row {header_row} but no rows.")
        plan.notes += context.notes()
        plan._existing = context.known
        plan.new_people = sorted(context.new_people)
        return plan

    def run_import(self, plan: ImportPlan, progress: Progress | None = None) -> tuple[int, int]:
        """Apply a plan without problems; returns (created, updated): a row that matched
        an item already as the file has it is neither (``unchanged`` says how many).

        A plan of up to ``BATCH`` rows is one transaction: all rows or none. A longer one
        commits every ``BATCH`` rows, so other sessions' edits interleave with it instead
        of waiting out the busy timeout (20,000 rows hold the lock about 4 s here). Each
        batch matches its rows against the file as it stands at that moment, by code or by
        key: a second import running at once, or the same file run again after an
        interruption, updates those rows rather than duplicating them."""
        with paused():  # bulk work: see collector.paused
            return self._run_import(plan, progress)

    def _run_import(self, plan: ImportPlan, progress: Progress | None) -> tuple[int, int]:
        if plan.problems:
            raise InvalidInputError(
                f"{counted(len(plan.problems), 'problem')} in the file; nothing was imported. "
                f"First: {plan.problems[0]}"
            )
        model = MODELS[plan.kind]
        total = len(plan.rows)
        created = updated = 0
        self.committed = 0
        existing: dict[tuple[object, str], int] = {}
        seen = 0  # the newest row id read into ``existing``
        # The ids the last batch added: in ``existing`` already, so not read back (1,000
        # rows a batch read again cost 50,000 rows' import 0.4 s). Nobody else writes
        # while a batch holds the lock, so they are one run of ids.
        ours = range(0)
        for start in range(0, max(total, 1), BATCH):
            batch = plan.rows[start : start + BATCH]
            with self._batch(start, total):
                if not start and plan._existing and plan._existing[0] == self.db.content_mark():
                    # Nothing written since the plan read the keys (the mark moves on any
                    # write, and it is read with the write lock held): they are the file's.
                    _, seen, held = plan._existing
                    existing.update(held)
                # The rows added since the last batch, by anyone (another import too).
                seen = read_keys(self.db, plan.kind, existing, seen, skip=ours)
                ours = range(0)
                # Names only: every person as a model, each batch, cost 50,000 rows 0.2 s.
                people = {name.lower(): pid for pid, name in self.portfolio.names().items()}
                # New rows go in together (Db.add_many), before any update that may be
                # to one of them: the file's order holds, in two statements, not two a row.
                new: dict[tuple[object, str] | int, Record] = {}

                def add_waiting(new: dict[tuple[object, str] | int, Record] = new) -> None:
                    nonlocal ours
                    added = self.db.add_many(list(new.values()))
                    if added:
                        ours = range(ours.start if ours else added[0], added[-1] + 1)
                    for key, row_id in zip(new, added, strict=True):
                        if isinstance(key, tuple):
                            existing[key] = row_id
                    new.clear()

                for index, row in enumerate(batch, start + 1):
                    values = dict(row.values)
                    key = _key(plan.kind, values)
                    if key[1] and key in new:
                        add_waiting()  # the same key twice in a batch: the second updates
                    match = row.match_id or (existing.get(key) if key[1] else None)
                    for name in PERSON_FIELDS:
                        if name in values:
                            person = values.pop(name)
                            if person.lower() not in people:
                                people[person.lower()] = self.portfolio.person_named(
                                    person, create=True
                                ).id
                            values[f"{name}_id"] = people[person.lower()]
                    if match is None:
                        # Keyed by the row's key, or its place when it has none (no title).
                        new[key if key[1] else index] = model.model_validate(values)
                        created += 1
                    else:
                        add_waiting()
                        current = self.db.get(model, match)
                        after = self.db.update(model, current.id, current.version, **values)
                        # Counted when it changed: a re-run of the same file said "12
                        # updated" and wrote nothing (cold try).
                        updated += after.version != current.version
                    if progress and (index % 500 == 0 or index == total):
                        add_waiting()  # what progress says is in, is in
                        progress(index, total)
                add_waiting()
            self.committed = start + len(batch)
        return created, updated

    @contextmanager
    def _batch(self, start: int, total: int) -> Iterator[None]:
        """One batch's transaction; a failure after earlier batches says what is in."""
        try:
            with self.db.transaction():
                yield
        except StoreError as error:
            if not start:
                raise  # the first batch: nothing was imported, as the error says
            raise PartialImportError(
                f"The import stopped after {start:,} of {total:,} rows ({error}); run it "
                "again: the rows already in are updated, not duplicated."
            ) from None


def read_keys(
    db: Db,
    kind: ImportKind,
    keys: dict[tuple[object, str], int],
    after: int,
    skip: range = range(0),
) -> int:
    """Add to ``keys`` the key (project and title, or name) of every row with an id above
    ``after`` and not in ``skip`` (rows the caller added and holds already), the first row
    a key names winning; returns the newest id. One narrow query (the rows read whole, as
    records, took a plan of 50,000 existing items 1.2 s)."""
    table = MODELS[kind].TABLE
    name = (
        "name"
        if kind in (ImportKind.PEOPLE, ImportKind.PROJECTS)
        else ("text" if kind is ImportKind.ACTIONS else "title")
    )
    project = "null" if name == "name" else "project_id"
    query = (
        f"select id, {project}, cast(coalesce({name}, '') as text) from {table} "
        "where id > ? and id not between ? and ? order by id desc"
    )
    skipped = (skip.start, skip.stop - 1) if skip else (1, 0)
    rows = db.conn.execute(query, (after, *skipped)).fetchall()
    if rows:
        # In C, not a Python loop a row: two reads of 200,000 items' keys (the plan's and
        # the import's first batch) took 2.1 s of an import at scale 4, this 0.6 s. Newest
        # first, so that in the dict the first row a key names is the one kept.
        ids, projects, texts = zip(*rows, strict=True)
        lowered = map(str.lower, map(str.strip, texts))
        found = dict(zip(zip(projects, lowered, strict=True), ids, strict=True))
        if keys:  # keys held already win over the rows read now (a batch's few)
            found = {key: row_id for key, row_id in found.items() if key not in keys}
        keys.update(found)
        after = int(ids[0])
    return max(after, skip.stop - 1) if skip else after


def _find_header(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    specs: tuple[Column, ...],
    overrides: dict[str, str],
) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """The first row among the first few that names two or more known columns (else one
    that names at least one): title rows and notes above the table are passed over."""
    known = {name for column in specs for name in column.names} | set(overrides)
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        seen.append((number, cells))
        if sum(normalise(cell) in known for cell in cells) >= 2:
            return number, cells, rows
        if number >= HEADER_SEARCH_ROWS:
            break
    for index, (number, cells) in enumerate(seen):
        if any(normalise(cell) in known for cell in cells):
            return number, cells, itertools.chain(seen[index + 1 :], rows)
    raise InvalidInputError(
        f"{name}: no header row in the first {HEADER_SEARCH_ROWS} rows: name the columns in "
        'the file (for example Title, Owner, Due), or give pmo import --map "Your column=field".'
    )


class _Context:
    """What a plan needs to know of the file already: projects, people, existing rows,
    the scoring scale; and what it has seen in the file so far (duplicates)."""

    def __init__(
        self, importer: Importer, kind: ImportKind, month_first: set[Column] | None = None
    ) -> None:
        self.db, self.kind = importer.db, kind
        # The day a row without a raised date (or a closing row without its date) gets:
        # the plan's day, read once rather than once a row.
        self.today = self.db.clock().date()
        self.month_first = month_first or set()
        self.model = MODELS[kind]
        self.scale = importer.raid.scoring().scale
        projects = self.db.all(Project)
        self.projects = {p.code.lower(): p.id for p in projects} | {
            p.name.lower(): p.id for p in projects
        }
        self.names = {p.name.lower(): p.name for p in importer.portfolio.people()}
        self.people = set(self.names)
        # Names written otherwise than pmo has them ("M. Oyelaran"), and whom they are.
        self.matched_people: dict[str, str] = {}
        # New people the file names in full, by lower-case name (``expect_people``).
        self.expected: dict[str, str] = {}
        self._all_names: dict[str, str] | None = None
        self.new_people: set[str] = set()
        self.codes: dict[str, int] = {}
        self.keys: dict[tuple[object, str], int] = {}
        self.used_words: set[str] = set()
        # Register words read as pmo's (status "In Progress" → open), by column.
        self.read_as: dict[str, dict[str, str]] = {}
        # Existing rows by (project, title) or name: re-running a file updates them.
        # The mark before the keys: a write between the two moves it, and the import then
        # reads the keys again rather than take these over (ImportPlan._existing).
        mark = self.db.content_mark()
        self.existing: dict[tuple[object, str], int] = {}
        newest = read_keys(self.db, kind, self.existing, 0)
        self.known = None if mark is None else (mark, newest, self.existing)
        # What a cell reads as, by column and text (or the sentence refusing it): a
        # register's cells repeat ("High", "Open", an owner, a date), and reading each
        # once took 15-25% off a 50,000-row plan (2.2 -> 1.9 s back to back). Codes are
        # not kept (each is checked against the others) and text is itself.
        self.read: dict[tuple[Column, str], Any] = {}
        # The required fields, labelled, a new row must have.
        self.required = [(_label(c), _target(c)) for c in SPECS[kind] if c.required]

    def cell(self, column: Column, text: str) -> Any:
        """What ``text`` in ``column`` reads as; ValueError saying why it reads as nothing."""
        if column.kind in ("text", "code"):
            return self._value(column, text)
        key = (column, text)
        if key not in self.read:
            try:
                self.read[key] = self._value(column, text)
            except ValueError as error:
                self.read[key] = _Refused(str(error))
        value = self.read[key]
        if isinstance(value, _Refused):
            raise ValueError(value.why)
        return value

    def row(self, number: int, cells: dict[Column, str]) -> RowPlan:
        plan = RowPlan(row=number)
        for column, text in cells.items():
            try:
                value = self.cell(column, text)
            except ValueError as error:
                plan.problems.append(f"{_label(column)}: {error}")
                continue
            if column.kind == "code":
                plan.match_id = value
                continue
            plan.values[_target(column)] = value
        self._match(plan, cells)
        if plan.action == "create":
            # Only a new row needs every required field, and takes the defaults: an
            # update changes what the file carries and nothing else (a file without a
            # date column reset every item's raised date to today).
            missing = [
                label
                for label, target in self.required
                if target not in plan.values and not any(p.startswith(label) for p in plan.problems)
            ]
            code = next((v for c, v in cells.items() if c.kind == "code"), "").strip()
            if missing and code:
                # A code-keyed row (new scores, say) naming no item here: say that, not
                # "kind is empty".
                plan.problems.append(
                    f"{code.upper()} is no {_what_kind(self.kind)} here to update (a new "
                    f"one would need {', '.join(missing)})"
                )
            else:
                plan.problems += [f"{label} is empty" for label in missing]
            self._defaults(plan)
        self._closing(plan)
        self._check(plan)
        return plan

    def _closing(self, plan: RowPlan) -> None:
        """A row that closes an item (status Closed, Resolved, Done...) and gives no
        closing date closes it on the day of the import, as closing it in the app does
        (it was left closed with no date); an item already closed keeps its date."""
        if plan.values.get("status") not in _CLOSING.get(self.kind, ()):
            return
        if "closed_on" in plan.values:
            return
        if plan.match_id is not None:
            current = self.db.get(self.model, plan.match_id)
            if getattr(current, "closed_on", None) is not None:
                return
        plan.values["closed_on"] = self.today

    def _value(self, column: Column, text: str) -> Any:
        kind = column.kind
        if kind == "text":
            return text
        if kind == "date":
            return parse_date(text, column in self.month_first)
        if kind == "scale":
            level = parse_scale(text, self.scale)
            if not normalise(text).isdecimal():
                self.used_words.add(f"{text.strip()}={level}")
            return level
        if kind == "amount":
            return parse_amount(text, _label(column))
        if kind == "days":
            return parse_days(text, _label(column))
        if kind == "int":
            digits = text.strip().rstrip("%").strip()
            if not digits.isdecimal():
                raise ValueError(f"“{text}” is not a whole number")
            return int(digits)
        if kind == "choice":
            value = column.choices.get(normalise(text))
            if value is None:
                options = ", ".join(dict.fromkeys(column.choices.values()))
                also = (
                    " (or a register's word for one, such as in progress, on hold, resolved)"
                    if column.field == "status"
                    else ""
                )
                raise ValueError(
                    f"“{text.strip()}” has no {_label(column)} it could mean: use one of "
                    f"{options}{also}"
                )
            if normalise(text) != normalise(value):
                # A register's own word: the dry run says what it was read as.
                self.read_as.setdefault(_label(column), {})[text.strip()] = value
            return value
        if kind == "project":
            found = self.projects.get(text.strip().lower())
            if found is None and (label := _PROJECT_LABEL.match(text.strip())):
                # "P-9 Field Service Scheduling", as pmo's own RAID and change exports
                # write the project: the code decides when the name matches too.
                code, name = label.groups()
                found = self.projects.get(code.lower())
                if found is not None and self.projects.get(name.strip().lower()) != found:
                    found = None
            if found is None:
                raise ValueError(f"“{text}” is not a project here (by code or name)")
            return found
        if kind == "person":
            name = " ".join(text.split())
            known = self._person(name) or name
            if known != name:
                self.matched_people[name] = known
            if known.lower() not in self.people:
                self.new_people.add(known)
            return known
        return self._code(text)

    def expect_people(self, written: list[str]) -> None:
        """The people the file names in full ("Marcus Oyelaran", "Oyelaran, Marcus"):
        its "M. Oyelaran" is one of them, not a third new person."""
        for text in written:
            name = " ".join(text.split())
            surname, comma, given = name.partition(",")
            if comma and given.strip():
                name = f"{given.strip()} {surname.strip()}"
            parts = name.replace(".", ". ").split()
            if len(parts) >= 2 and not all(len(p.rstrip(".")) == 1 for p in parts[:-1]):
                self.expected.setdefault(name.lower(), name)

    def _person(self, name: str) -> str | None:
        """The person pmo knows by ``name`` (``names.known_as``); people the file itself
        names in full count too (``expect_people``); None: someone new."""
        if self._all_names is None:  # once: expect_people ran before the rows
            self._all_names = self.expected | self.names
        return known_as(name, self._all_names)

    def _code(self, text: str) -> int | None:
        """A code in the file: one of this file's (``R-12``) updates that row; any other
        is only checked for duplicates, and the row is matched by its title."""
        value = text.strip().upper()
        if value in self.codes:
            raise ValueError(f"duplicate code {value} (also on row {self.codes[value]})")
        self.codes[value] = 0
        prefix, _, number = value.rpartition("-")
        if prefix == self.model.PREFIX and number.isdecimal():
            try:
                self.db.get(self.model, int(number))
            except NotFoundError:
                # Another file's code (an export from elsewhere): matched by its title.
                return None
            return int(number)
        return None

    def _defaults(self, plan: RowPlan) -> None:
        today = self.today
        if self.kind in (ImportKind.RAID, ImportKind.CHANGES) and "raised_on" not in plan.values:
            plan.values["raised_on"] = today
        if self.kind is ImportKind.LESSONS and "recorded_on" not in plan.values:
            plan.values["recorded_on"] = today
        if self.kind is ImportKind.PROJECTS:
            plan.values.setdefault("phase", Phase.INITIATION.value)
            plan.values.setdefault("status", ProjectStatus.ACTIVE.value)

    def _match(self, plan: RowPlan, cells: dict[Column, str]) -> None:
        code = next((v for c, v in cells.items() if c.kind == "code"), "")
        if code:
            self.codes[code.strip().upper()] = plan.row
        key = _key(self.kind, plan.values)
        if key[1]:
            # Twice in the file is refused unless the row names its pmo item by code (an
            # export of two items that share a title): a register's own refs (Q-1, Q-2)
            # are not kept, so the import would match the second to the first and
            # overwrite it (the dry run said "create, create"; cold try).
            if key in self.keys and plan.match_id is None:
                plan.problems.append(f"same {_what(self.kind)} as row {self.keys[key]}")
            self.keys.setdefault(key, plan.row)
            if plan.match_id is None:
                plan.match_id = self.existing.get(key)
        plan.action = "create" if plan.match_id is None else "update"

    def _check(self, plan: RowPlan) -> None:
        """Label the row for the dry run and check it as the record it would make: a
        new row alone, an update over the item as it stands."""
        values = _for_model(plan.values)
        current: dict[str, Any] = {}
        if plan.match_id is not None:
            current = self.db.get(self.model, plan.match_id).model_dump()
        merged = current | values
        title = str(merged.get("title") or merged.get("text") or merged.get("name", ""))
        where = f"{self.model.PREFIX}-{plan.match_id}" if plan.match_id else "new"
        plan.label = f"{where} {title[:60]}"
        if plan.match_id is not None and not plan.values:
            plan.problems.append("names an item but gives nothing to change")
        if not plan.problems:
            try:
                self.model.model_validate(merged)
            except Exception as error:  # pydantic's message, made short
                plan.problems.append(_short(error))

    def notes(self) -> list[str]:
        out = []
        if self.used_words:
            scale = {
                5: "very high 5, high 4, medium 3, low 2, very low 1",
                3: "high 3, medium 2, low 1",
            }
            out.append(
                f"words on the {self.scale}x{self.scale} scale read as {scale[self.scale]}: "
                + ", ".join(sorted(self.used_words))
            )
        for label, words in sorted(self.read_as.items()):
            out.append(
                f"{label} words read as: "
                + ", ".join(f"{word} → {value}" for word, value in sorted(words.items()))
            )
        if self.matched_people:
            out.append(
                "people matched: "
                + ", ".join(
                    f"{written} → {known}" for written, known in sorted(self.matched_people.items())
                )
            )
        if self.new_people:
            out.append("people to add: " + ", ".join(sorted(self.new_people)))
        return out


@dataclass(frozen=True)
class _Refused:
    """A cell's text that reads as nothing, and the sentence saying why."""

    why: str


# The statuses that close an item of a kind, as an import reads them.
_CLOSING = {ImportKind.RAID: ("closed",), ImportKind.ACTIONS: ("done", "dropped")}
# The model field a column fills when it is not the column's own name.
_TARGETS = {"project": "project_id", "depends_on": "depends_on_project_id"}


def _target(column: Column) -> str:
    return _TARGETS.get(column.field, column.field)


def _label(column: Column) -> str:
    return column.field.replace("_", " ")


def _what_kind(kind: ImportKind) -> str:
    return {
        ImportKind.RAID: "RAID item",
        ImportKind.ACTIONS: "action",
        ImportKind.CHANGES: "change request",
        ImportKind.LESSONS: "lesson",
        ImportKind.PROJECTS: "project",
        ImportKind.PEOPLE: "person",
    }[kind]


def _what(kind: ImportKind) -> str:
    return "name" if kind in (ImportKind.PEOPLE, ImportKind.PROJECTS) else "project and title"


def _key(kind: ImportKind, values: dict[str, Any]) -> tuple[object, str]:
    if kind in (ImportKind.PEOPLE, ImportKind.PROJECTS):
        return None, str(values.get("name") or "").strip().lower()
    title = values.get("text") if kind is ImportKind.ACTIONS else values.get("title")
    return values.get("project_id"), str(title or "").strip().lower()


PERSON_FIELDS = ("owner", "manager", "sponsor")


def _for_model(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values as the model takes them; people (added on import) checked apart."""
    return {k: v for k, v in values.items() if k not in PERSON_FIELDS}


def _short(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', error)}"
    return str(error)


def describe_plan(plan: ImportPlan) -> str:
    """The dry run's report: the columns understood, row by row what would happen, every
    problem with its row and column, and the value mappings used."""
    problems = sum(bool(row.problems) for row in plan.rows)
    created = sum(row.action == "create" and not row.problems for row in plan.rows)
    updated = len(plan.rows) - problems - created
    with_problems = f", {problems} with problems" if problems else ""
    lines = [
        f"{plan.source} ({plan.encoding}): header on row {plan.header_row}; "
        f"{counted(len(plan.rows), 'row')}: {created} to create, {updated} to update"
        f"{with_problems}.",
        "Columns: " + ", ".join(f"{column} → {field}" for column, field in plan.mapped.items()),
    ]
    if plan.ignored:
        lines.append(
            "Ignored (not understood; rename it in the file, or give pmo import "
            '--map "Column=field"): ' + ", ".join(plan.ignored)
        )
    lines += [f"Note: {note}" for note in plan.notes]
    for row in plan.rows:
        state = "PROBLEM" if row.problems else row.action
        lines.append(f"  row {row.row:>5}  {state:<7}  {row.label}")
        lines += [f"             ✗ {problem}" for problem in row.problems]
    return "\n".join(lines)
