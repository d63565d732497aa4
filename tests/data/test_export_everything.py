"""Everything out: entity CSV, the portfolio JSON, actions as iCalendar, the digest."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from pmo_tui.data.models import Action, ActionStatus, Project, RaidItem, RaidKind
from pmo_tui.data.store import Store
from pmo_tui.export.everything import ENTITIES, actions_ics, digest_markdown
from pmo_tui.export.files import digest_document, portfolio_document, table_document

STAMP = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def test_every_entity_exports_as_csv_with_codes_names_and_safe_cells(demo_store: Store) -> None:
    for entity in ENTITIES:
        rows = list(csv.reader(io.StringIO(table_document(demo_store, entity))))
        assert rows[0][0] == "code", entity
    demo_store.decisions.add_action(None, '=HYPERLINK("http://x")', owner="Priya Raman")
    actions = list(csv.DictReader(io.StringIO(table_document(demo_store, "actions"))))
    last = actions[-1]
    assert last["code"].startswith("A-") and last["owner"] == "Priya Raman"
    assert last["text"].startswith("'=")  # a spreadsheet shows it as text, never runs it
    projects = list(csv.DictReader(io.StringIO(table_document(demo_store, "raid_items"))))
    assert projects[0]["project"].startswith("P-")


def test_the_portfolio_json_holds_every_table(demo_store: Store) -> None:
    document = json.loads(portfolio_document(demo_store))
    assert document["format"] == "pmo-portfolio" and document["schema_version"] >= 7
    assert set(ENTITIES) <= set(document)
    assert len(document["projects"]) == len(demo_store.all(Project))
    first = document["raid_items"][0]
    assert first["code"] == f"R-{first['id']}" and "probability" in first


def test_ics_has_one_todo_per_dated_action_escaped_and_folded() -> None:
    actions = [
        Action(
            id=1, text="Call the vendor; agree dates, then report\nback", due_on=date(2026, 12, 3)
        ),
        Action(id=2, text="No date"),
        Action(id=3, text="x" * 120, due_on=date(2026, 12, 4), status=ActionStatus.DONE),
    ]
    ics = actions_ics(actions, {}, STAMP)
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert ics.count("BEGIN:VTODO") == 2 and "UID:A-2@pmo" not in ics
    assert "SUMMARY:A-1 Call the vendor\\; agree dates\\, then report\\nback" in ics
    assert "DUE;VALUE=DATE:20261203" in ics and "STATUS:COMPLETED" in ics
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" x") for line in lines)  # the long summary continues


def test_the_digest_lists_what_each_person_owes_overdue_first(demo_store: Store) -> None:
    digest = digest_document(demo_store)
    assert digest.startswith("# What each person owes")
    sections = [line for line in digest.splitlines() if line.startswith("## ")]
    assert sections == sorted(sections, key=lambda s: (s == "## No owner", s.lower()))
    one = digest_markdown(
        [
            Action(id=1, text="Late", owner_id=1, due_on=date(2026, 11, 1)),
            Action(id=2, text="Soon", owner_id=1, due_on=date(2026, 12, 1)),
        ],
        [
            RaidItem(
                id=4,
                kind=RaidKind.RISK,
                title="Vendor | risk",
                raised_on=date(2026, 1, 1),
                owner_id=1,
            )
        ],
        {1: "Ann"},
        date(2026, 11, 26),
        owner="ann",
    )
    assert "## Ann" in one and "**2026-11-01 overdue**" in one
    assert one.index("A-1") < one.index("A-2") and "Vendor \\| risk" in one
    assert "owes nothing" in digest_markdown([], [], {}, date(2026, 11, 26), owner="Bob")
