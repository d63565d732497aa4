"""Tables, indexes and the ordered migrations that build them.

``PRAGMA user_version`` holds the number of migrations applied. Migrations run inside the
caller's ``BEGIN IMMEDIATE`` transaction, so two processes opening a new file at once
cannot both migrate: the second waits, then sees the version already current.
"""

from __future__ import annotations

from collections.abc import Callable

from pmo_tui.data.chain import backfill
from pmo_tui.data.files import APPLICATION_ID
from pmo_tui.data.sqlite import Connection

# Every editable table carries id (AUTOINCREMENT: codes are never reused) and version.
_V1 = """
CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    team TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT ''
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL,
    programme TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL,
    status TEXT NOT NULL,
    manager_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    sponsor_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    description TEXT NOT NULL DEFAULT '',
    start_on TEXT,
    end_on TEXT,
    budget REAL NOT NULL DEFAULT 0,
    percent_complete INTEGER NOT NULL DEFAULT 0,
    rank INTEGER
);
CREATE INDEX projects_status ON projects(status, rank);

CREATE TABLE objectives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight REAL NOT NULL DEFAULT 1
);

CREATE TABLE project_scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    objective_id INTEGER NOT NULL REFERENCES objectives(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    UNIQUE (project_id, objective_id)
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    template TEXT NOT NULL DEFAULT '',
    scheduled_on TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT,
    closed_at TEXT,
    current_step INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meetings_scheduled ON meetings(scheduled_on);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    step TEXT NOT NULL,
    title TEXT NOT NULL,
    timebox_minutes INTEGER NOT NULL DEFAULT 10,
    started_at TEXT,
    ended_at TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE attendees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    attendance TEXT NOT NULL,
    UNIQUE (meeting_id, person_id)
);

CREATE TABLE status_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    reported_on TEXT NOT NULL,
    overall TEXT NOT NULL,
    schedule TEXT NOT NULL,
    budget TEXT NOT NULL,
    scope TEXT NOT NULL,
    percent_complete INTEGER NOT NULL DEFAULT 0,
    commentary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_reports_project ON status_reports(project_id, reported_on, id);

CREATE TABLE raid_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    review_by TEXT,
    closed_on TEXT,
    close_reason TEXT NOT NULL DEFAULT '',
    probability INTEGER,
    impact INTEGER,
    response TEXT,
    response_plan TEXT NOT NULL DEFAULT ''
);
CREATE INDEX raid_items_project ON raid_items(project_id, status);
CREATE INDEX raid_items_status ON raid_items(status, kind);

CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    raised_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    cost_impact REAL NOT NULL DEFAULT 0,
    schedule_impact_days INTEGER NOT NULL DEFAULT 0,
    scope_impact TEXT NOT NULL DEFAULT '',
    recommendation TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL
);
CREATE INDEX change_requests_project ON change_requests(project_id, status);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    decided_on TEXT NOT NULL,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    raid_item_id INTEGER REFERENCES raid_items(id) ON DELETE SET NULL,
    change_request_id INTEGER REFERENCES change_requests(id) ON DELETE SET NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT NOT NULL DEFAULT '',
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    raid_item_id INTEGER REFERENCES raid_items(id) ON DELETE SET NULL,
    change_request_id INTEGER REFERENCES change_requests(id) ON DELETE SET NULL,
    decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL
);
CREATE INDEX actions_meeting ON actions(meeting_id);
CREATE INDEX actions_status ON actions(status, due_on);
CREATE INDEX actions_project ON actions(project_id, status);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    what_happened TEXT NOT NULL DEFAULT '',
    impact TEXT NOT NULL DEFAULT '',
    next_time TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    recorded_on TEXT NOT NULL
);

CREATE TABLE rankings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    rank_before INTEGER,
    rank_after INTEGER NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    justification TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rankings_meeting ON rankings(meeting_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    meeting_id INTEGER
);
CREATE INDEX events_entity ON events(entity, entity_id, id);
CREATE INDEX events_meeting ON events(meeting_id, id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    meeting_id INTEGER,
    step INTEGER,
    driving INTEGER NOT NULL DEFAULT 0
);
"""


# Meeting templates in the file; agenda steps that can be parked, extended and timed across
# visits; topics proposed into a step; a quorum rule per meeting.
_V2 = """
CREATE TABLE meeting_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE template_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    template_id INTEGER NOT NULL REFERENCES meeting_templates(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    step TEXT NOT NULL,
    title TEXT NOT NULL,
    timebox_minutes INTEGER NOT NULL
);
CREATE INDEX template_steps_template ON template_steps(template_id, position);

ALTER TABLE meetings ADD COLUMN quorum_members INTEGER NOT NULL DEFAULT 3;
ALTER TABLE agenda_items ADD COLUMN spent_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agenda_items ADD COLUMN entered_at TEXT;
ALTER TABLE agenda_items ADD COLUMN parked_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE agenda_items ADD COLUMN carried_to INTEGER REFERENCES meetings(id) ON DELETE SET NULL;

CREATE TABLE agenda_topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ref_code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    timebox_minutes INTEGER NOT NULL DEFAULT 2
);
CREATE INDEX agenda_topics_item ON agenda_topics(agenda_item_id, position);

ALTER TABLE decisions ADD COLUMN agenda_item_id INTEGER
    REFERENCES agenda_items(id) ON DELETE SET NULL;
ALTER TABLE actions ADD COLUMN agenda_item_id INTEGER
    REFERENCES agenda_items(id) ON DELETE SET NULL;
"""

# The seed templates as they were when v2 was written: a migration never changes.
_V2_TEMPLATES = (
    (
        "Portfolio review",
        (
            ("previous actions", "Previous actions", 10),
            ("status", "Status", 25),
            ("raid", "RAID triage", 25),
            ("changes", "Change decisions", 15),
            ("priorities", "Priorities", 15),
            ("lessons", "Lessons", 10),
            ("wrap-up", "Wrap-up", 5),
        ),
    ),
    (
        "Steering committee",
        (
            ("previous actions", "Previous actions", 10),
            ("status", "Status", 20),
            ("raid", "Escalated RAID", 20),
            ("changes", "Change decisions", 20),
            ("aob", "Any other business", 10),
            ("wrap-up", "Wrap-up", 5),
        ),
    ),
)


def _run(conn: Connection, script: str) -> None:
    # executescript would COMMIT the caller's transaction: run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: Connection) -> None:
    _run(conn, _V1)


def _v2(conn: Connection) -> None:
    _run(conn, _V2)
    for name, steps in _V2_TEMPLATES:
        template_id = conn.execute(
            "insert into meeting_templates (name) values (?)", (name,)
        ).lastrowid
        for position, (step, title, minutes) in enumerate(steps):
            conn.execute(
                "insert into template_steps (template_id, position, step, title, "
                "timebox_minutes) values (?, ?, ?, ?, ?)",
                (template_id, position, step, title, minutes),
            )


# Many sessions on one meeting: one drives, the others follow the driver's step and
# selection; decisions captured by a follower are drafts until the driver confirms them.
_V3 = """
ALTER TABLE meetings ADD COLUMN driver_session INTEGER;
ALTER TABLE meetings ADD COLUMN driver TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN followers_capture INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN selection TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN draft_by TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_meeting ON sessions(meeting_id, heartbeat_at);
"""


def _v3(conn: Connection) -> None:
    _run(conn, _V3)


# The full RAID register (issue 5): per-kind fields, conversions linked both ways, and the
# portfolio's scoring scheme as configuration (one JSON value in `settings`).
_V4 = """
ALTER TABLE raid_items ADD COLUMN proximity TEXT;
ALTER TABLE raid_items ADD COLUMN trigger TEXT NOT NULL DEFAULT '';
ALTER TABLE raid_items ADD COLUMN priority TEXT;
ALTER TABLE raid_items ADD COLUMN due_on TEXT;
ALTER TABLE raid_items ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE raid_items ADD COLUMN validation TEXT;
ALTER TABLE raid_items ADD COLUMN depends_on_project_id INTEGER
    REFERENCES projects(id) ON DELETE SET NULL;
ALTER TABLE raid_items ADD COLUMN party TEXT NOT NULL DEFAULT '';
ALTER TABLE raid_items ADD COLUMN direction TEXT;
ALTER TABLE raid_items ADD COLUMN need_by TEXT;
ALTER TABLE raid_items ADD COLUMN dependency_state TEXT;
ALTER TABLE raid_items ADD COLUMN source_id INTEGER REFERENCES raid_items(id) ON DELETE SET NULL;
ALTER TABLE raid_items ADD COLUMN became_id INTEGER REFERENCES raid_items(id) ON DELETE SET NULL;
CREATE INDEX raid_items_owner ON raid_items(owner_id, status);
CREATE INDEX raid_items_review ON raid_items(status, review_by);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _v4(conn: Connection) -> None:
    _run(conn, _V4)


# Change control and stage gates (issue 6): the full change request, project baselines
# with tolerances and their history, forum decisions with who was present and the vote,
# and gate reviews with per-phase checklists.
_V5 = """
ALTER TABLE change_requests ADD COLUMN benefits TEXT NOT NULL DEFAULT '';
ALTER TABLE change_requests ADD COLUMN risk TEXT NOT NULL DEFAULT '';
ALTER TABLE change_requests ADD COLUMN options TEXT NOT NULL DEFAULT '';
ALTER TABLE change_requests ADD COLUMN meeting_id INTEGER
    REFERENCES meetings(id) ON DELETE SET NULL;
ALTER TABLE change_requests ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE change_requests ADD COLUMN deferred_to TEXT;
CREATE INDEX change_requests_status ON change_requests(status, raised_on);
CREATE INDEX change_requests_meeting ON change_requests(meeting_id);
ALTER TABLE projects ADD COLUMN scope_statement TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN cost_tolerance_pct REAL NOT NULL DEFAULT 10;
ALTER TABLE projects ADD COLUMN schedule_tolerance_days INTEGER NOT NULL DEFAULT 14;
CREATE TABLE baseline_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    changed_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    change_request_id INTEGER REFERENCES change_requests(id) ON DELETE SET NULL,
    decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL,
    budget_before REAL NOT NULL,
    budget_after REAL NOT NULL,
    end_before TEXT,
    end_after TEXT,
    scope_before TEXT NOT NULL DEFAULT '',
    scope_after TEXT NOT NULL DEFAULT ''
);
CREATE INDEX baseline_changes_project ON baseline_changes(project_id, id);
CREATE TABLE gate_criteria (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    phase TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX gate_criteria_phase ON gate_criteria(phase, position);
CREATE TABLE gate_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    from_phase TEXT NOT NULL,
    to_phase TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    requested_by TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL
);
CREATE INDEX gate_reviews_status ON gate_reviews(status, project_id);
CREATE INDEX gate_reviews_meeting ON gate_reviews(meeting_id);
CREATE TABLE gate_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    gate_id INTEGER NOT NULL REFERENCES gate_reviews(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    criterion TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gate_checks_gate ON gate_checks(gate_id, position);
ALTER TABLE decisions ADD COLUMN gate_id INTEGER REFERENCES gate_reviews(id) ON DELETE SET NULL;
ALTER TABLE decisions ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN present TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN votes_for INTEGER;
ALTER TABLE decisions ADD COLUMN votes_against INTEGER;
ALTER TABLE decisions ADD COLUMN votes_abstain INTEGER
"""

# The checklist each gate starts from, as v5 seeded it (editable in the app afterwards).
_V5_CRITERIA = {
    "planning": (
        "Business case approved",
        "Sponsor and project manager named",
        "Initial risks logged",
        "Funding for planning released",
    ),
    "delivery": (
        "Plan baselined: scope, schedule and budget",
        "Resources committed by their line managers",
        "Risks and issues assessed, owners named",
        "Benefits and their owners defined",
        "Key stakeholders engaged",
    ),
    "closing": (
        "Deliverables accepted by the business",
        "Handover to operations agreed",
        "Open risks and issues ready to transfer",
        "Benefits tracking owner named",
    ),
}


def _v5(conn: Connection) -> None:
    _run(conn, _V5)
    for phase, criteria in _V5_CRITERIA.items():
        for position, text in enumerate(criteria):
            conn.execute(
                "insert into gate_criteria (phase, position, text) values (?, ?, ?)",
                (phase, position, text),
            )


# Priorities and capacity (issue 7): criteria beside objectives, each project's demand in
# money for the period and in FTE per team, team capacity, the working ranking of a meeting
# (one row, saved at every move) and adopted rankings tied to their decision.
_V6 = """
ALTER TABLE objectives ADD COLUMN kind TEXT NOT NULL DEFAULT 'objective';
ALTER TABLE projects ADD COLUMN period_cost REAL NOT NULL DEFAULT 0;
CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    fte REAL NOT NULL DEFAULT 0
);
CREATE TABLE project_demands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    fte REAL NOT NULL DEFAULT 0,
    UNIQUE (project_id, team_id)
);
CREATE TABLE ranking_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    meeting_id INTEGER NOT NULL UNIQUE REFERENCES meetings(id) ON DELETE CASCADE,
    project_order TEXT NOT NULL,
    justifications TEXT NOT NULL DEFAULT '{}'
);
ALTER TABLE rankings ADD COLUMN decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL;
CREATE INDEX rankings_project ON rankings(project_id, meeting_id);
CREATE INDEX project_scores_objective ON project_scores(objective_id)
"""


def _v6(conn: Connection) -> None:
    _run(conn, _V6)


# Lessons and closure (issue 8): lessons searchable in full text (FTS5 with the Porter
# stemmer, an external-content index kept in step by triggers), adoption into standards,
# and the record of each project's closure.
# Statements one by one: trigger bodies hold semicolons of their own.
_V7: tuple[str, ...] = (
    """
ALTER TABLE lessons ADD COLUMN adopted_on TEXT
""",
    """
CREATE INDEX lessons_project ON lessons(project_id, recorded_on)
""",
    """
CREATE INDEX lessons_meeting ON lessons(meeting_id)
""",
    """
CREATE VIRTUAL TABLE lessons_fts USING fts5(
    title, what_happened, impact, next_time, tags,
    content='lessons', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)
""",
    """
CREATE TRIGGER lessons_fts_insert AFTER INSERT ON lessons BEGIN
    INSERT INTO lessons_fts(rowid, title, what_happened, impact, next_time, tags)
    VALUES (new.id, new.title, new.what_happened, new.impact, new.next_time, new.tags);
END;
""",
    """
CREATE TRIGGER lessons_fts_delete AFTER DELETE ON lessons BEGIN
    INSERT INTO lessons_fts(lessons_fts, rowid, title, what_happened, impact, next_time, tags)
    VALUES ('delete', old.id, old.title, old.what_happened, old.impact, old.next_time, old.tags);
END;
""",
    """
CREATE TRIGGER lessons_fts_update AFTER UPDATE ON lessons BEGIN
    INSERT INTO lessons_fts(lessons_fts, rowid, title, what_happened, impact, next_time, tags)
    VALUES ('delete', old.id, old.title, old.what_happened, old.impact, old.next_time, old.tags);
    INSERT INTO lessons_fts(rowid, title, what_happened, impact, next_time, tags)
    VALUES (new.id, new.title, new.what_happened, new.impact, new.next_time, new.tags);
END;
""",
    """
INSERT INTO lessons_fts(lessons_fts) VALUES ('rebuild')
""",
    """
CREATE TABLE closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL DEFAULT 1,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL,
    closed_on TEXT NOT NULL,
    handed_over_to TEXT NOT NULL DEFAULT '',
    benefits_owner TEXT NOT NULL DEFAULT '',
    checklist TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT ''
)
""",
    """
CREATE INDEX closures_meeting ON closures(meeting_id)
""",
)


def _v7(conn: Connection) -> None:
    for statement in _V7:
        conn.execute(statement)


# Portfolio scale (issue 11): "what changed since" reads the audit trail by entity, field
# and time; with a million events walking one entity's events took 250 ms a query
# (field first: every such query names its fields, and the time is a range).
_V8 = """
CREATE INDEX events_change ON events(field, at, entity);
CREATE INDEX status_reports_meeting ON status_reports(meeting_id)
"""


def _v8(conn: Connection) -> None:
    _run(conn, _V8)


# Minutes people can trust (issue 12): the audit trail becomes a hash chain that cannot
# be updated or deleted through SQL, and minutes go draft -> circulated -> approved, the
# approval stamping the chain's head. Events written before get their hashes here.
_V9 = """
ALTER TABLE events ADD COLUMN hash TEXT;
ALTER TABLE meetings ADD COLUMN minutes_state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE meetings ADD COLUMN minutes_circulated_at TEXT;
ALTER TABLE meetings ADD COLUMN minutes_approved_at TEXT;
ALTER TABLE meetings ADD COLUMN minutes_approved_by TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN minutes_event_id INTEGER;
ALTER TABLE meetings ADD COLUMN minutes_hash TEXT NOT NULL DEFAULT ''
"""
# Statements of their own: a trigger's body has a ";" that _run would split on.
_V9_TRIGGERS = (
    "CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events "
    "WHEN old.hash IS NOT NULL BEGIN "
    "SELECT RAISE(ABORT, 'the audit trail is append-only: an event cannot be changed'); END",
    "CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN "
    "SELECT RAISE(ABORT, 'the audit trail is append-only: an event cannot be deleted'); END",
)


def _v9(conn: Connection) -> None:
    _run(conn, _V9)
    backfill(conn)
    for statement in _V9_TRIGGERS:
        conn.execute(statement)


# Minutes that say what happened (issue 18): a closed meeting's record is written once, at
# its close, and its minutes are read from it; approval stamps the document's hash too.
# An adopted ranking keeps its whole board (cost, funding line, who crossed it): NULL in
# rows adopted before.
# Meetings already closed are recorded by the Store right after this migration.
_V10 = """
CREATE TABLE meeting_records (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id),
    minutes TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
ALTER TABLE meetings ADD COLUMN minutes_document_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE rankings ADD COLUMN score_rank INTEGER;
ALTER TABLE rankings ADD COLUMN cost REAL;
ALTER TABLE rankings ADD COLUMN funded INTEGER;
ALTER TABLE rankings ADD COLUMN over_teams TEXT NOT NULL DEFAULT '';
ALTER TABLE rankings ADD COLUMN crossed TEXT NOT NULL DEFAULT '';
ALTER TABLE rankings ADD COLUMN budget REAL
"""
_V10_TRIGGERS = (
    "CREATE TRIGGER meeting_records_written_once BEFORE UPDATE ON meeting_records BEGIN "
    "SELECT RAISE(ABORT, 'a meeting''s record is written once, when it closes'); END",
    # Reopening makes the meeting live before its record goes.
    "CREATE TRIGGER meeting_records_kept BEFORE DELETE ON meeting_records "
    "WHEN (SELECT state FROM meetings WHERE id = old.meeting_id) = 'closed' BEGIN "
    "SELECT RAISE(ABORT, 'a closed meeting''s record cannot be removed'); END",
)


def _v10(conn: Connection) -> None:
    _run(conn, _V10)
    for statement in _V10_TRIGGERS:
        conn.execute(statement)


# v11: the file is marked as pmo's (SQLite's application_id, "PMO1"): a database of
# another application is then told apart from ours by its header, before anything is
# written. Older files are marked as they migrate; `migrate` marks every file it touches.
def _v11(conn: Connection) -> None:
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# v12: two counters every content write moves, from pmo or from outside it (a script,
# the sqlite-utils command): open sessions poll them to learn that content changed, since
# a write from outside adds no audit event. ``changes`` moves on every insert, update and
# delete of a content table; ``shown`` leaves out a meeting moving between steps (its
# current step and each step's time), which a step's view does not show. The tables a
# later migration adds need the same triggers (``_count_changes``), and a column added to
# meetings or agenda_items needs their ``shown`` trigger made again.
# Not counted: sessions (presence heartbeats), events (every pmo write also changes a
# counted table), and the counters' own row.
UNCOUNTED = frozenset({"sessions", "events", "content_marks"})
STEP_MOVES = frozenset(
    {"version", "current_step", "started_at", "entered_at", "ended_at", "spent_seconds"}
)


def _count_changes(conn: Connection, table: str) -> None:
    bump_both = "UPDATE content_marks SET changes = changes + 1, shown = shown + 1"
    for event in ("INSERT", "DELETE"):
        conn.execute(
            f"CREATE TRIGGER {table}_counted_{event.lower()} AFTER {event} ON {table} "
            f"BEGIN {bump_both}; END"
        )
    if table in ("meetings", "agenda_items"):
        columns = [
            str(row[1])
            for row in conn.execute(f"PRAGMA table_info({table})")
            if str(row[1]) not in STEP_MOVES and str(row[1]) != "id"
        ]
        conn.execute(
            f"CREATE TRIGGER {table}_counted_update AFTER UPDATE ON {table} "
            "BEGIN UPDATE content_marks SET changes = changes + 1; END"
        )
        conn.execute(
            f"CREATE TRIGGER {table}_counted_shown AFTER UPDATE OF {', '.join(columns)} "
            f"ON {table} BEGIN UPDATE content_marks SET shown = shown + 1; END"
        )
    else:
        conn.execute(
            f"CREATE TRIGGER {table}_counted_update AFTER UPDATE ON {table} BEGIN {bump_both}; END"
        )


def _v12(conn: Connection) -> None:
    conn.execute(
        "CREATE TABLE content_marks (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "changes INTEGER NOT NULL, shown INTEGER NOT NULL)"
    )
    conn.execute("INSERT INTO content_marks VALUES (1, 0, 0)")
    for table in sorted(OUR_TABLES - UNCOUNTED):
        _count_changes(conn, table)


def _v13(conn: Connection) -> None:
    # A decision about an action ("drop A-6"): decisions linked to projects, RAID items
    # and change requests only.
    conn.execute(
        "ALTER TABLE decisions ADD COLUMN action_id INTEGER "
        "REFERENCES actions(id) ON DELETE SET NULL"
    )


Migration = Callable[[Connection], None]

# Append only: a released migration never changes, its position is its version number.
MIGRATIONS: tuple[Migration, ...] = (
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _v10,
    _v11,
    _v12,
    _v13,
)

SCHEMA_VERSION = len(MIGRATIONS)

OUR_TABLES = frozenset(
    {
        "people",
        "projects",
        "objectives",
        "project_scores",
        "meetings",
        "agenda_items",
        "attendees",
        "status_reports",
        "raid_items",
        "change_requests",
        "decisions",
        "actions",
        "lessons",
        "rankings",
        "events",
        "sessions",
        "meeting_templates",
        "template_steps",
        "agenda_topics",
        "settings",
        "baseline_changes",
        "gate_criteria",
        "gate_reviews",
        "gate_checks",
        "teams",
        "project_demands",
        "ranking_drafts",
        "closures",
        "meeting_records",
        "content_marks",
    }
)


def migrate(conn: Connection, from_version: int) -> int:
    """Apply the migrations after ``from_version``; the caller holds the write lock."""
    for number, step in enumerate(MIGRATIONS, start=1):
        if number > from_version:
            step(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return SCHEMA_VERSION
