"""The minutes of a meeting just run say what happened in it: the change requests decided
with their decisions, the risks with the scores the meeting gave them, the ranking exactly
as adopted, a closure's checklist with its transfers, and the whole RAG board reviewed."""

from __future__ import annotations

import re

from pmo_tui.data.models import (
    ChangeStatus,
    Meeting,
    MeetingState,
    Project,
    ProjectStatus,
    Rag,
    RaidItem,
    RaidStatus,
)
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document


def planned(store: Store) -> Meeting:
    return next(
        r.meeting for r in store.meetings.meetings() if r.meeting.state is MeetingState.PLANNED
    )


def close(store: Store, meeting: Meeting, project: Project) -> None:
    """The forum closes ``project``, its open items going to the portfolio."""
    store.lessons.close_project(
        meeting.id,
        project.id,
        project.version,
        handed_over_to="Operations",
        benefits_owner="Grace Okafor",
        rationale="Delivered",
        override_reason="Lessons to follow",
        transfer_to="portfolio",
    )


def section(document: str, title: str) -> str:
    """The lines of one ``## `` section of the minutes."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", document, re.M | re.S)
    assert found is not None, f"no section {title!r}"
    return found.group(1)


def test_proposed_topics_say_what_the_meeting_did_with_them(demo_store: Store) -> None:
    meeting = planned(demo_store)
    proposals = demo_store.topics.propose_topics(meeting.id)
    demo_store.topics.add_topics(meeting.id, proposals)
    topics = demo_store.meetings.topics(meeting.id)
    change = next(t for t in topics if t.ref_code.startswith("CR-"))
    risk = next(t for t in topics if t.ref_code.startswith("R-"))
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.meeting_id = meeting.id  # as the app does while the meeting is open
    request = demo_store.find(change.ref_code)
    decision = demo_store.changes.decide_change(
        meeting.id, request.id, request.version, ChangeStatus.APPROVED, "Within tolerance"
    )
    item = demo_store.find(risk.ref_code)
    assert isinstance(item, RaidItem)
    demo_store.raid.rescore(item.id, item.version, 1, 2)
    document = minutes_document(demo_store, meeting.id)
    changes = section(document, "4. Change decisions")
    (line,) = [x for x in changes.splitlines() if x.startswith(f"- {change.ref_code} ")]
    assert decision.code in line and "approved" in line
    assert "awaiting decision" not in line
    triage = section(document, "3. RAID triage")
    old = (item.probability or 0) * (item.impact or 0)
    assert f"{risk.ref_code} " in triage and f"re-scored {old} → 2" in triage


def test_the_status_section_shows_the_whole_board_with_the_updated_rows_marked(
    demo_store: Store,
) -> None:
    meeting = planned(demo_store)
    demo_store.meetings.start_meeting(meeting.id)
    board = demo_store.portfolio.status_board(meeting.id)
    row = board[0]
    demo_store.portfolio.set_status(meeting.id, row.project.id, row.current, overall=Rag.RED)
    document = minutes_document(demo_store, meeting.id)
    status = section(document, "2. Status")
    lines = [line for line in status.splitlines() if line.startswith("| P-")]
    assert len(lines) == len(board)
    updated = [line for line in lines if "updated" in line]
    assert len(updated) == 1 and updated[0].startswith(f"| {row.project.code} ")


def test_a_closures_checklist_counts_what_was_transferred_in_the_same_step(
    demo_store: Store,
) -> None:
    meeting = planned(demo_store)
    demo_store.meetings.start_meeting(meeting.id)
    project = next(
        p
        for p in demo_store.all(Project)
        if p.status is ProjectStatus.ACTIVE
        and sum(
            1
            for i in demo_store.all(RaidItem)
            if i.project_id == p.id and i.status is not RaidStatus.CLOSED
        )
        >= 2
    )
    open_items = [
        i
        for i in demo_store.all(RaidItem)
        if i.project_id == project.id and i.status is not RaidStatus.CLOSED
    ]
    close(demo_store, meeting, project)
    closures = section(minutes_document(demo_store, meeting.id), "Project closures")
    assert f"Open RAID items closed or transferred: {len(open_items)} transferred" in closures
    assert "none open" not in closures.split("Open RAID items")[1].split("<br>")[0]


def test_the_minutes_ranking_is_the_ranking_adopted_whatever_happens_after(
    demo_store: Store,
) -> None:
    meeting = planned(demo_store)
    demo_store.meetings.start_meeting(meeting.id)
    board = demo_store.priorities.ranking(meeting.id)
    order = [row.project.id for row in board.rows]
    order[0], order[1] = order[1], order[0]
    draft = demo_store.priorities.ranking_inputs(meeting.id)
    demo_store.priorities.save_ranking(
        meeting.id, draft.draft_version, order, {order[0]: "Sponsor ask"}
    )
    decision = demo_store.priorities.adopt_ranking(meeting.id, "Agreed")
    adopted = section(minutes_document(demo_store, meeting.id), "Priorities")
    # Later the same meeting: the weights change and a ranked project closes.
    demo_store.priorities.set_weights({o.id: 1 for o in demo_store.priorities.criteria()})
    gone = demo_store.get(Project, order[-1])
    demo_store.db.update(Project, gone.id, gone.version, status=ProjectStatus.CLOSED)
    demo_store.records.close_meeting(meeting.id)
    assert section(minutes_document(demo_store, meeting.id), "Priorities") == adopted
    rows = [line for line in adopted.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == len(order)
    assert rows[0].startswith(f"| 1 | {demo_store.get(Project, order[0]).code} ")
    crossed = decision.text.split("crossed the funding line: ")[-1]
    if "crossed the funding line" in decision.text:
        for part in crossed.split(", "):
            assert part.split(" ")[0] in adopted.split("Crossed the funding line:")[1]


def test_a_project_closed_later_in_the_meeting_stays_on_the_board_it_was_reviewed_on(
    demo_store: Store,
) -> None:
    meeting = planned(demo_store)
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.meeting_id = meeting.id
    board = demo_store.portfolio.status_board(meeting.id)
    project = demo_store.get(Project, board[0].project.id)
    close(demo_store, meeting, project)
    demo_store.records.close_meeting(meeting.id)
    status = section(minutes_document(demo_store, meeting.id), "2. Status")
    lines = [line for line in status.splitlines() if line.startswith("| P-")]
    assert len(lines) == len(board)
    assert any(line.startswith(f"| {project.code} ") for line in lines)


def test_adopting_a_ranking_leaves_no_two_projects_with_one_rank(demo_store: Store) -> None:
    meeting = planned(demo_store)
    demo_store.meetings.start_meeting(meeting.id)
    demo_store.priorities.adopt_ranking(meeting.id, "Agreed")
    ranks = [p.rank for p in demo_store.all(Project) if p.rank is not None]
    assert len(ranks) == len(set(ranks))
    assert all(
        p.status is ProjectStatus.ACTIVE for p in demo_store.all(Project) if p.rank is not None
    )
