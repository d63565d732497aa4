"""Priorities in the store: weights and scores, capacity, the working ranking saved at
every move (and refused when stale), adoption as one decision, and the minutes."""

from __future__ import annotations

import pytest

from pmo_tui.data.errors import ConflictError, InvalidInputError
from pmo_tui.data.models import CriterionKind, Meeting, Project, Ranking
from pmo_tui.data.priorities import WhatIf
from pmo_tui.data.store import Store
from pmo_tui.export.markdown import minutes_markdown
from tests.conftest import DEMO_DAY


def portfolio(store: Store) -> tuple[Meeting, list[Project]]:
    value = store.priorities.add_criterion("Value", 60, CriterionKind.OBJECTIVE)
    urgency = store.priorities.add_criterion("Urgency", 40)
    projects = []
    for rank, (name, scores, cost) in enumerate(
        (("Alpha", (5, 1), 40.0), ("Beta", (3, 5), 30.0), ("Gamma", (2, 2), 50.0)), start=1
    ):
        project = store.db.add(Project(name=name, rank=rank, period_cost=cost))
        store.priorities.set_scores(project.id, {value.id: scores[0], urgency.id: scores[1]})
        projects.append(project)
    store.priorities.set_capacity(80.0, {"Data": 3.0})
    store.priorities.set_demand(projects[0].id, "Data", 2.0)
    store.priorities.set_demand(projects[1].id, "Data", 2.0)
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Board", DEMO_DAY).id)
    return meeting, projects


def test_the_ranking_reads_scores_capacity_and_team_load(store: Store) -> None:
    meeting, (alpha, beta, gamma) = portfolio(store)
    board = store.priorities.ranking(meeting.id)
    assert [row.project.id for row in board.rows] == [alpha.id, beta.id, gamma.id]
    # Alpha 5*.6 + 1*.4 = 3.4; Beta 3*.6 + 5*.4 = 3.8; Gamma 2.0.
    assert [round(row.score, 2) for row in board.rows] == [3.4, 3.8, 2.0]
    assert [row.score_rank for row in board.rows] == [2, 1, 3]
    assert board.funded == 2 and [row.funded for row in board.rows] == [True, True, False]
    assert board.rows[1].over_teams == ["Data"]
    assert [row.movement for row in board.rows] == ["new", "new", "new"]


def test_moves_are_saved_at_once_and_a_stale_move_is_refused(store: Store) -> None:
    meeting, (alpha, beta, gamma) = portfolio(store)
    draft = store.priorities.save_ranking(meeting.id, None, [beta.id, alpha.id, gamma.id], {})
    assert [row.project.id for row in store.priorities.ranking(meeting.id).rows] == [
        beta.id,
        alpha.id,
        gamma.id,
    ]
    store.priorities.save_ranking(
        meeting.id, draft.version, [gamma.id, beta.id, alpha.id], {gamma.id: "Law"}
    )
    with pytest.raises(ConflictError):
        store.priorities.save_ranking(meeting.id, draft.version, [alpha.id, beta.id, gamma.id], {})
    board = store.priorities.ranking(meeting.id)
    assert board.rows[0].project.id == gamma.id and board.rows[0].justification == "Law"
    # Gamma's 50 and Beta's 30 fit the 80 budget: Alpha falls below the line.
    assert [row.funded for row in board.rows] == [True, True, False]


def test_adopting_records_one_decision_with_before_and_after(store: Store) -> None:
    meeting, (alpha, beta, gamma) = portfolio(store)
    with pytest.raises(InvalidInputError, match="needs its rationale"):
        store.priorities.adopt_ranking(meeting.id, " ")
    store.priorities.save_ranking(meeting.id, None, [beta.id, alpha.id, gamma.id], {})
    decision = store.priorities.adopt_ranking(meeting.id, "Scores agreed")
    assert decision.outcome == "ranking" and decision in store.decisions.decisions(meeting.id)
    assert decision.text.startswith("Portfolio ranking adopted: 3 of 3 projects moved")
    rankings = store.priorities.adopted_ranking(meeting.id)
    assert [(r.project_id, r.rank_before, r.rank_after) for r in rankings] == [
        (beta.id, None, 1),
        (alpha.id, None, 2),
        (gamma.id, None, 3),
    ]
    assert all(r.decision_id == decision.id for r in rankings)
    assert store.get(Project, beta.id).rank == 1 and store.get(Project, alpha.id).rank == 2
    store.records.close_meeting(meeting.id)

    # The next meeting sees those ranks as "last", and a crossing of the line.
    later = store.meetings.start_meeting(
        store.meetings.plan_meeting("Next", DEMO_DAY.replace(day=28)).id
    )
    store.priorities.save_ranking(
        later.id, None, [gamma.id, beta.id, alpha.id], {gamma.id: "Regulator"}
    )
    board = store.priorities.ranking(later.id)
    assert [row.movement for row in board.rows] == ["▲ 2", "▼ 1", "▼ 1"]
    assert {row.project.id: row.crossed for row in board.rows if row.crossed} == {
        gamma.id: "into funding",
        alpha.id: "out of funding",
    }
    store.priorities.adopt_ranking(later.id, "Regulator's deadline")
    markdown = minutes_markdown(store.records.minutes(later.id))
    section = markdown.split("## Priorities", 1)[1]
    assert "| 1 | P-3 Gamma | 2.00 | ▲ 2 |" in section
    assert "into funding; Regulator" in section
    assert "**— funding line —**" in section
    assert "Crossed the funding line: P-3 Gamma (into funding), P-1 Alpha (out of funding)." in (
        section
    )


def test_adopting_a_what_if_saves_its_weights_and_order_in_one_go(store: Store) -> None:
    meeting, (alpha, beta, gamma) = portfolio(store)
    value, urgency = store.priorities.criteria()
    trial = WhatIf(weights={value.id: 10, urgency.id: 90}, order=[beta.id, gamma.id, alpha.id])
    store.priorities.adopt_ranking(meeting.id, "Urgency first this quarter", what_if=trial)
    assert {c.id: c.weight for c in store.priorities.criteria()} == {value.id: 10, urgency.id: 90}
    assert [r.project_id for r in store.priorities.adopted_ranking(meeting.id)] == [
        beta.id,
        gamma.id,
        alpha.id,
    ]
    # A what-if started before another session moved the working ranking is refused whole.
    stale = WhatIf(weights={value.id: 50}, order=[alpha.id], draft_version=99)
    with pytest.raises(ConflictError):
        store.priorities.adopt_ranking(meeting.id, "again", what_if=stale)
    assert store.priorities.criteria()[0].weight == 10  # the refused adoption changed nothing


def test_weights_and_capacity_refuse_nonsense(store: Store) -> None:
    meeting, _ = portfolio(store)
    value, urgency = store.priorities.criteria()
    with pytest.raises(InvalidInputError, match="cannot be negative"):
        store.priorities.set_weights({value.id: -1})
    with pytest.raises(InvalidInputError, match="above zero"):
        store.priorities.set_weights({value.id: 0, urgency.id: 0})
    with pytest.raises(InvalidInputError, match="cannot be negative"):
        store.priorities.set_capacity(-5, {})
    assert store.priorities.funding() == 80.0
    assert [r for r in store.all(Ranking) if r.meeting_id == meeting.id] == []
