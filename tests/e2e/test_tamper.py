"""An insider with the sqlite3 shell against approved minutes: every edit outside pmo is
named by `pmo verify`, and a published copy of the minutes shows what the file alone cannot
(a chain rewritten and re-hashed to fit)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmo_tui.data.chain import COLUMNS, GENESIS, event_hash
from pmo_tui.data.models import Meeting, MeetingState, Person, Project
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
from tests.data.test_audit_chain import tamper
from tests.e2e.test_cli import pmo


class Approved:
    """M-2 closed, circulated, approved by the chair, and its minutes published."""

    def __init__(self, path: Path, folder: Path) -> None:
        self.path, self.folder = path, folder
        with Store(path, clock=fixed_clock) as store:
            meeting = next(
                r.meeting
                for r in store.meetings.meetings()
                if r.meeting.state is MeetingState.CLOSED
            )
            self.meeting_id = meeting.id
            self.code = meeting.code
            self.decision = store.decisions.decisions(meeting.id)[0]
            self.action = store.decisions.actions(meeting.id)[0]
            self.attendee = store.meetings.attendees(meeting.id)[0].attendee
        assert self.run("minutes", "circulate", self.code).returncode == 0
        approved = self.run("minutes", "approve", self.code, "--by", "Grace Okafor")
        assert approved.returncode == 0, approved.stderr
        self.published = folder / "wiki.md"
        exported = self.run("export", "minutes", self.code, "-o", str(self.published))
        assert exported.returncode == 0, exported.stderr

    def run(self, *args: str) -> object:
        return pmo("--db", str(self.path), *args, cwd=self.folder)

    def verify(self, *args: str) -> tuple[int, str]:
        done = pmo("--db", str(self.path), "verify", *args, cwd=self.folder)
        assert "Traceback" not in done.stderr
        return done.returncode, done.stdout + done.stderr


@pytest.fixture
def approved(demo_path: Path, tmp_path: Path) -> Iterator[Approved]:
    yield Approved(demo_path, tmp_path)


def test_untouched_minutes_verify_and_so_does_their_published_copy(approved: Approved) -> None:
    code, out = approved.verify()
    assert code == 0, out
    assert "chain intact" in out and "every row and field" in out
    assert f"{approved.code} minutes approved" in out and "unchanged" in out
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 0, out
    assert "read exactly as the copy" in out and "still holds" in out


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        (
            "update decisions set text = 'Quietly reworded' where id = {decision}",
            "D-{decision} (decisions) text",
        ),
        (
            "update actions set text = 'Quietly reworded' where id = {action}",
            "A-{action} (actions) text",
        ),
        (
            "update attendees set attendance = 'absent' where id = {attendee}",
            "AT-{attendee} (attendees) attendance",
        ),
        ("delete from decisions where id = {decision}", "D-{decision} (decisions) was deleted"),
        (
            "insert into decisions (meeting_id, text, rationale, decided_on) "
            "values ({meeting}, 'Slipped in', '', '2026-11-12')",
            "(decisions) has no event that created it",
        ),
    ],
)
def test_a_row_changed_with_the_sqlite_shell_is_named_and_the_minutes_keep_the_record(
    approved: Approved, statement: str, named: str
) -> None:
    values = {
        "decision": approved.decision.id,
        "action": approved.action.id,
        "attendee": approved.attendee.id,
        "meeting": approved.meeting_id,
    }
    before = approved.published.read_text()
    conn = sqlite3.connect(approved.path)
    conn.execute("pragma foreign_keys = off")
    conn.execute(statement.format(**values))
    conn.commit()
    conn.close()
    code, out = approved.verify()
    assert code == 1
    assert named.format(**values) in out and "CHANGED OUTSIDE PMO" in out
    # Checking a published copy checks the whole file too.
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 1 and named.format(**values) in out
    again = approved.folder / "again.md"
    assert approved.run("export", "minutes", approved.code, "-o", str(again)).returncode == 0
    assert again.read_text() == before  # the minutes are the record, not today's rows


def test_the_record_itself_edited_is_named(approved: Approved) -> None:
    conn = sqlite3.connect(approved.path)
    conn.execute("drop trigger meeting_records_written_once")
    [stored] = conn.execute(
        "select minutes from meeting_records where meeting_id = ?", (approved.meeting_id,)
    ).fetchone()
    text = zlib.decompress(stored).decode().replace(approved.decision.text, "Reworded")
    conn.execute(
        "update meeting_records set minutes = ? where meeting_id = ?",
        (zlib.compress(text.encode()), approved.meeting_id),
    )
    conn.commit()
    conn.close()
    code, out = approved.verify()
    assert code == 1 and f"{approved.code} record was changed outside pmo" in out
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 1 and "DIFFER from the copy" in out


def test_a_closed_meetings_record_cannot_be_removed_and_its_absence_is_never_papered_over(
    approved: Approved,
) -> None:
    conn = sqlite3.connect(approved.path)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be removed"):
        conn.execute("delete from meeting_records where meeting_id = ?", (approved.meeting_id,))
    conn.execute("drop trigger meeting_records_kept")
    conn.execute("delete from meeting_records where meeting_id = ?", (approved.meeting_id,))
    conn.commit()
    conn.close()
    exported = pmo(
        "--db", str(approved.path), "export", "minutes", approved.code, cwd=approved.folder
    )
    assert exported.returncode == 1 and "Traceback" not in exported.stderr
    assert "its record is missing" in exported.stderr and exported.stdout == ""
    code, out = approved.verify()
    assert code == 1 and f"{approved.code} has no record" in out
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 1 and "Traceback" not in out


def test_a_cut_tail_of_the_trail_is_named_by_the_rows_it_left_behind(
    approved: Approved,
) -> None:
    with Store(approved.path, clock=fixed_clock) as store:
        project = store.all(Project)[0]
        store.db.update(Project, project.id, project.version, name="Renamed later")
        head = store.audit.verify_chain().head_id
    tamper(approved.path, f"delete from events where id = {head}")
    code, out = approved.verify()
    assert code == 1 and f"{project.code} (projects) name is “Renamed later”" in out


def test_a_well_formed_event_appended_is_named_by_the_row_it_does_not_match(
    approved: Approved,
) -> None:
    conn = sqlite3.connect(approved.path)
    last_id, last_hash = conn.execute(
        "select id, hash from events order by id desc limit 1"
    ).fetchone()
    decision = approved.decision
    values = (
        last_id + 1,
        "2026-11-27T09:00:00+00:00",
        "mallory",
        "decisions",
        decision.id,
        decision.code,
        "text",
        decision.text,
        "What mallory wants it to say",
        approved.meeting_id,
    )
    conn.execute(
        f"insert into events ({', '.join(COLUMNS)}, hash) values "
        f"({', '.join('?' for _ in COLUMNS)}, ?)",
        (*values, event_hash(last_hash, values)),
    )
    conn.commit()
    conn.close()
    code, out = approved.verify()
    assert code == 1 and f"{decision.code} (decisions) text" in out


def rehash(conn: sqlite3.Connection) -> None:
    previous = GENESIS
    rows = conn.execute(f"select {', '.join(COLUMNS)} from events order by id").fetchall()
    for row in rows:
        previous = event_hash(previous, tuple(row))
        conn.execute("update events set hash = ? where id = ?", (previous, row[0]))


def test_a_rewritten_and_rehashed_chain_passes_the_file_but_not_the_published_copy(
    approved: Approved,
) -> None:
    """The strongest insider rewrites history consistently inside the file: an early
    event and its row, every hash after it, and the approval's stamp with its own event.
    Nothing in the file can show that; the copy published at approval does."""
    with Store(approved.path, read_only=True) as store:
        meeting = store.get(Meeting, approved.meeting_id)
    stamp = meeting.minutes_event_id
    conn = sqlite3.connect(approved.path)
    conn.execute("drop trigger events_append_only_update")
    conn.execute("drop trigger events_append_only_delete")
    first_person = conn.execute(
        "select id, new from events where entity = 'people' and field = 'created' "
        "order by id limit 1"
    ).fetchone()
    conn.execute(
        "update events set new = replace(new, 'Priya', 'Pria') where id = ?", (first_person[0],)
    )
    conn.execute("update people set name = replace(name, 'Priya', 'Pria')")
    rehash(conn)
    new_stamp = conn.execute("select hash from events where id = ?", (stamp,)).fetchone()[0]
    conn.execute(
        "update events set new = ? where entity = 'meetings' and entity_id = ? "
        "and field = 'minutes_hash'",
        (new_stamp, approved.meeting_id),
    )
    conn.execute(
        "update meetings set minutes_hash = ? where id = ?", (new_stamp, approved.meeting_id)
    )
    rehash(conn)
    conn.commit()
    conn.close()
    code, out = approved.verify()
    assert code == 0, out  # said plainly in the README: the file alone cannot show this
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 1 and f"NO LONGER HOLDS E-{stamp}" in out


def test_a_published_copy_edited_after_approval_is_named(approved: Approved) -> None:
    text = approved.published.read_text()
    approved.published.write_text(text.replace(approved.decision.text, "Something else", 1))
    code, out = approved.verify("--minutes", str(approved.published))
    assert code == 1 and "EDITED after approval" in out


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "is not a regular file"),
        ("folder", "is not a regular file"),
        (b"\xff\xfe\x00binary", "is not UTF-8 text"),
        (b"# Some page\n\nNot minutes at all.\n", "has no approval stamp"),
        (
            b"# M\n\n---\n\n**Minutes:** approved 2026-11-30 by X \xc2\xb7 M-99999999999999999999"
            b" \xc2\xb7 sha256 of the minutes above this line `ab` \xc2\xb7 audit chain at "
            b"approval E-99999999999999999999 `cd`\n",
            "has no approval stamp",
        ),
    ],
)
def test_a_file_that_is_not_approved_minutes_gets_one_sentence(
    approved: Approved, content: bytes | str | None, said: str
) -> None:
    target = approved.folder / "page.md"
    if content == "folder":
        target.mkdir()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    code, out = approved.verify("--minutes", str(target))
    assert code == 1 and said in out


def test_a_snapshot_does_not_see_a_commit_made_during_it(demo_path: Path) -> None:
    with Store(demo_path, read_only=True) as reader, Store(demo_path, clock=fixed_clock) as w:
        with reader.snapshot():
            before = reader.audit.verify_chain().events
            person = w.all(Person)[0]
            w.db.update(Person, person.id, person.version, name="Changed meanwhile")
            assert reader.audit.verify_chain().events == before
            assert reader.get(Person, person.id).name == person.name
        assert reader.audit.verify_chain().events > before
