"""The RAID register through the store: scoring configuration, filters, the triage queue,
the heat map, score history, conversions and dependencies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    Person,
    Project,
    RaidItem,
    RaidKind,
    RaidStatus,
    ScoringScheme,
)
from pmo_tui.data.raid import RaidFilter, band_for
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)


def test_bands_follow_the_scheme() -> None:
    scheme = ScoringScheme()
    assert [band_for(s, scheme) for s in (None, 1, 7, 8, 14, 15, 25)] == [
        "unscored",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    small = ScoringScheme.model_validate(
        {
            "scale": 3,
            "bands": [{"at_least": 1, "name": "minor"}, {"at_least": 6, "name": "major"}],
            "high": 6,
        }
    )
    assert band_for(6, small) == "major" and band_for(5, small) == "minor"


def test_scoring_is_configuration_and_changes_are_checked_and_recorded(store: Store) -> None:
    assert store.raid.scoring() == ScoringScheme()
    with pytest.raises(InvalidInputError, match="bands must start at 1"):
        store.raid.set_scoring(bands=[{"at_least": 3, "name": "low"}])
    risk = store.raid.add_raid_item(RaidKind.RISK, "Vendor late", probability=4, impact=2)
    with pytest.raises(InvalidInputError, match="1 items score above 3"):
        store.raid.set_scoring(scale=3, bands=[{"at_least": 1, "name": "low"}], high=6)
    store.raid.rescore(risk.id, risk.version, 3, 2)
    scheme = store.raid.set_scoring(
        scale=3, bands=[{"at_least": 1, "name": "low"}, {"at_least": 6, "name": "high"}], high=6
    )
    assert store.raid.scoring() == scheme and scheme.scale == 3
    with pytest.raises(InvalidInputError, match="off the 3x3 scale"):
        store.raid.add_raid_item(RaidKind.RISK, "Too likely", probability=4, impact=1)
    event = store.events()[0]
    assert event.entity == "settings" and event.field == "scoring"


def test_bad_input_is_refused_with_a_sentence(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="A probability of 7 is off the 5x5 scale"):
        store.raid.add_raid_item(RaidKind.RISK, "Risky", probability=7, impact=1)
    with pytest.raises(InvalidInputError, match="title"):
        store.raid.add_raid_item(RaidKind.ISSUE, "  ")
    store.db.add(Person(name="Ann"))
    with pytest.raises(InvalidInputError, match="not a project"):
        store.raid.add_raid_item(RaidKind.ISSUE, "x", project="U-1")
    long = store.raid.add_raid_item(RaidKind.ISSUE, "[bold]Long[/bold]", description="x" * 10_000)
    assert store.get(RaidItem, long.id).description == "x" * 10_000
    assert store.get(RaidItem, long.id).title == "[bold]Long[/bold]"
    with pytest.raises(InvalidInputError, match="description"):
        store.raid.add_raid_item(RaidKind.ISSUE, "Too long", description="x" * 20_001)


def test_filters_combine_and_page_in_sql(demo_store: Store) -> None:
    everything = demo_store.raid.raid_items(RaidFilter(statuses=frozenset()), limit=10_000)
    assert len(everything) == demo_store.raid.raid_count(RaidFilter(statuses=frozenset()))
    open_risks = demo_store.raid.raid_items(RaidFilter(kinds=frozenset({RaidKind.RISK})))
    assert open_risks and all(
        i.kind is RaidKind.RISK and i.status is not RaidStatus.CLOSED for i in open_risks
    )
    scores = [(i.probability or 0) * (i.impact or 0) for i in open_risks]
    assert scores == sorted(scores, reverse=True)
    project = open_risks[0].project_id
    owner = open_risks[0].owner_id
    combined = RaidFilter(kinds=frozenset({RaidKind.RISK}), project_id=project, owner_id=owner)
    assert all(
        i.project_id == project and i.owner_id == owner
        for i in demo_store.raid.raid_items(combined)
    )
    high = demo_store.raid.raid_items(RaidFilter(band="high"))
    assert high and all((i.probability or 0) * (i.impact or 0) >= 15 for i in high)
    cell = (open_risks[0].probability or 0, open_risks[0].impact or 0)
    in_cell = demo_store.raid.raid_items(RaidFilter(cell=cell))
    assert in_cell and all((i.probability, i.impact) == cell for i in in_cell)
    overdue = demo_store.raid.raid_items(RaidFilter(review_overdue_on=DAY, sort="review"))
    reviews = [i.review_by for i in overdue]
    assert overdue and all(r is not None and r < DAY for r in reviews)
    assert reviews == sorted(r for r in reviews if r is not None)
    found = demo_store.raid.raid_items(RaidFilter(text="supplier"))
    assert found and all("supplier" in (i.title + i.description).lower() for i in found)
    assert demo_store.raid.raid_items(RaidFilter(text="100%_")) == []  # wildcards are literal
    page = demo_store.raid.raid_items(RaidFilter(statuses=frozenset()), limit=10, offset=10)
    assert page == everything[10:20]
    with pytest.raises(InvalidInputError, match="no severity band"):
        demo_store.raid.raid_items(RaidFilter(band="catastrophic"))


def test_changed_since_uses_the_audit_trail(demo_store: Store) -> None:
    since = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert demo_store.raid.raid_items(RaidFilter(changed_since=since)) == []
    item = demo_store.raid.raid_items()[5]
    demo_store.raid.rescore(item.id, item.version, 1, 1)
    changed = demo_store.raid.raid_items(RaidFilter(changed_since=since))
    assert [i.id for i in changed] == [item.id]


def test_the_triage_queue_takes_escalated_then_high_then_overdue_then_new(
    demo_store: Store,
) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    queue = demo_store.raid.triage_queue(meeting.id)
    assert queue
    ranks = []
    for entry in queue:
        item, reasons = entry.item, entry.reasons
        score = (item.probability or 0) * (item.impact or 0)
        if item.status is RaidStatus.ESCALATED:
            ranks.append(0)
            assert "escalated to this forum" in reasons
        elif score >= 15:
            ranks.append(1)
        elif item.review_by is not None and item.review_by < meeting.scheduled_on:
            ranks.append(2)
        else:
            ranks.append(3)
            assert reasons == ["new since the last meeting"]
    assert ranks == sorted(ranks)
    assert {0, 1, 2, 3} <= set(ranks)


def test_the_heat_map_counts_open_risks_and_marks_moves(demo_store: Store) -> None:
    meeting = demo_store.meetings.meetings()[0].meeting
    heat = demo_store.raid.heat_map(meeting_id=meeting.id)
    risks = [
        i
        for i in demo_store.raid.raid_items(
            RaidFilter(kinds=frozenset({RaidKind.RISK})), limit=10_000
        )
        if i.probability and i.impact
    ]
    assert sum(heat.counts.values()) == len(risks) and heat.scale == 5
    assert heat.moved == {}
    risk = risks[0]
    demo_store.raid.rescore(risk.id, risk.version, 1, 1)
    moved = demo_store.raid.heat_map(meeting_id=meeting.id).moved
    assert moved == {risk.id: (risk.probability, risk.impact)}
    history = demo_store.raid.score_history(risk.id)
    assert history[-1] == ("now", 1)
    assert ("M-2", (risk.probability or 0) * (risk.impact or 0)) in history
    # The card shows the newest few: reading only those keeps a cursor move's cost flat as
    # meetings accumulate, and gives the same tail.
    assert len(history) > 2
    assert demo_store.raid.score_history(risk.id, newest=1) == history[-2:]


def test_conversions_keep_the_link_both_ways(store: Store) -> None:
    assumption = store.raid.add_raid_item(RaidKind.ASSUMPTION, "Vendor keeps the old API")
    risk = store.raid.convert(assumption.id, assumption.version, RaidKind.RISK)
    old = store.get(RaidItem, assumption.id)
    assert risk.kind is RaidKind.RISK and risk.source_id == assumption.id
    assert old.status is RaidStatus.CLOSED and old.became_id == risk.id
    assert risk.code in old.close_reason
    issue = store.raid.convert(risk.id, risk.version, RaidKind.ISSUE, "The API was switched off")
    assert issue.source_id == risk.id and issue.probability == 5
    assert "The API was switched off" in store.get(RaidItem, risk.id).close_reason
    with pytest.raises(InvalidInputError, match="cannot become"):
        store.raid.convert(issue.id, issue.version, RaidKind.RISK)


def test_dependencies_flag_a_need_before_the_predecessor_delivers(store: Store) -> None:
    platform = store.db.add(Project(name="Identity platform", end_on=DAY + timedelta(days=90)))
    portal = store.db.add(Project(name="Portal", rank=1))
    early = store.raid.add_raid_item(
        RaidKind.DEPENDENCY,
        "Needs single sign-on",
        project=portal.code,
        depends_on_project_id=platform.id,
        need_by=DAY + timedelta(days=30),
    )
    fine = store.raid.add_raid_item(
        RaidKind.DEPENDENCY,
        "Needs the vendor's feed",
        project=portal.code,
        party="Acme Ltd",
        need_by=DAY + timedelta(days=200),
    )
    rows = {row.item.id: row for row in store.raid.dependencies()}
    assert rows[early.id].late and rows[early.id].on == f"{platform.code} Identity platform"
    assert not rows[fine.id].late and rows[fine.id].on == "Acme Ltd"


def test_the_minutes_gain_a_raid_section_from_the_meetings_record(demo_store: Store) -> None:
    from pmo_tui.export.files import minutes_document
    from tests.data.test_export import tables

    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.meeting_id = meeting.id
    risk = demo_store.raid.raid_items(RaidFilter(kinds=frozenset({RaidKind.RISK})))[0]
    old = (risk.probability or 0) * (risk.impact or 0)
    demo_store.raid.rescore(risk.id, risk.version, 1, 2)
    new = demo_store.raid.add_raid_item(RaidKind.ISSUE, "Test lab | flooded", owner_id=1)
    other = next(
        i
        for i in demo_store.raid.raid_items(RaidFilter(kinds=frozenset({RaidKind.ISSUE})))
        if i.id != new.id and i.status is not RaidStatus.ESCALATED
    )
    demo_store.db.update(RaidItem, other.id, other.version, status=RaidStatus.ESCALATED)
    closing = demo_store.get(RaidItem, new.id)
    demo_store.db.update(
        RaidItem,
        closing.id,
        closing.version,
        status=RaidStatus.CLOSED,
        close_reason="Lab dried out",
    )
    changes = demo_store.raid.raid_changes(meeting.id)
    assert [i.id for i in changes.new] == [new.id]
    assert [(r.item.id, r.old, r.new) for r in changes.rescored] == [(risk.id, old, 2)]
    assert [i.id for i in changes.escalated] == [other.id]
    assert [i.id for i in changes.closed] == [new.id]
    markdown = minutes_document(demo_store, meeting.id)
    section = markdown[markdown.index("## RAID") : markdown.index("## Decisions")]
    assert f"{risk.code} " in section and f"{old} → 2" in section
    assert "Test lab \\| flooded" in section and "Lab dried out" in section
    heat = tables(section)[0]
    assert heat[0][1:] == ["1", "2", "3", "4", "5"] and len(heat) == 6
    counted = sum(int(c) for row in heat[1:] for c in row[1:] if c.isdigit())
    assert counted == sum(demo_store.raid.heat_map().counts.values())


def test_a_heat_map_after_one_edit_is_the_map_read_afresh(demo_store: Store) -> None:
    """A re-score updates the map it had (flat as the register grows) and must agree with
    counting every open risk again: for a re-score, a close, a kind change, a move back
    to the cell it had at the last meeting, and for an item that is no risk."""
    meeting = demo_store.meetings.meetings()[0].meeting
    demo_store.meetings.start_meeting(meeting.id)
    risks = [
        item
        for item in demo_store.raid.raid_items(
            RaidFilter(kinds=frozenset({RaidKind.RISK})), limit=10_000
        )
        if item.probability and item.impact
    ]
    issue = demo_store.raid.raid_items(RaidFilter(kinds=frozenset({RaidKind.ISSUE})))[0]
    first, second = risks[0], risks[1]
    p, i = first.probability or 1, first.impact or 1
    edits = [
        (first, {"probability": 1 if p != 1 else 2, "impact": 5}),
        (first, {"probability": p, "impact": i}),  # back where it was at the last meeting
        (second, {"status": RaidStatus.CLOSED}),
        (issue, {"probability": 4, "impact": 4}),
        (issue, {"kind": RaidKind.RISK}),
    ]
    heat = demo_store.raid.heat_map(meeting_id=meeting.id)
    for item, changes in edits:
        before = demo_store.get(RaidItem, item.id)
        after = demo_store.db.update(RaidItem, before.id, before.version, **changes)
        heat = demo_store.raid.heat_map_after(heat, before, after, meeting_id=meeting.id)
        assert heat == demo_store.raid.heat_map(meeting_id=meeting.id), changes
