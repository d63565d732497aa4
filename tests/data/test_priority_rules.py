"""Scores, moves, the funding line, team capacity and AHP: hand-worked examples and
properties (ranks stay a permutation, the line is monotone in capacity, equal scores keep
their order whatever the weights)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo_tui.data.models import Objective, Project, RankingInputs, Team
from pmo_tui.data.rules import (
    ahp_weights,
    funding_line,
    moved,
    over_capacity,
    ranking_board,
    ranking_plan,
    score_breakdown,
    score_order,
    weighted_score,
)


def test_breakdown_explains_the_weighted_score() -> None:
    # Weights 30/20/50; scores 4, 5, 1: 4*.3 + 5*.2 + 1*.5 = 1.2 + 1.0 + 0.5 = 2.7.
    scores, weights = {1: 4, 2: 5, 3: 1}, {1: 30.0, 2: 20.0, 3: 50.0}
    parts = score_breakdown(scores, weights)
    assert parts == pytest.approx({1: 1.2, 2: 1.0, 3: 0.5})
    assert sum(parts.values()) == pytest.approx(weighted_score(scores, weights)) == 2.7


def test_moves_worked_example() -> None:
    assert moved([1, 2, 3, 4], 4, 1) == [4, 1, 2, 3]
    assert moved([1, 2, 3, 4], 1, 3) == [2, 3, 1, 4]
    assert moved([1, 2, 3, 4], 2, 99) == [1, 3, 4, 2]
    assert moved([1, 2, 3, 4], 3, 0) == [3, 1, 2, 4]


def test_funding_line_worked_example() -> None:
    # Costs 5, 5, 1 against a budget of 10: the first two fit, the third crosses.
    assert funding_line([1, 2, 3], {1: 5, 2: 5, 3: 1}, 10) == 2
    assert funding_line([3, 1, 2], {1: 5, 2: 5, 3: 1}, 10) == 2  # 1 + 5 fits, + 5 does not
    assert funding_line([1, 3, 2], {1: 5, 2: 5, 3: 1}, 10) == 2  # 5 + 1 fits, + 5 does not
    assert funding_line([1, 2], {1: 5, 2: 5}, 100) == 2
    assert funding_line([1], {1: 5}, 0) == 0


def test_team_capacity_worked_example() -> None:
    demand = {1: {"Data": 2.0}, 2: {"Data": 2.0, "Ops": 1.0}, 3: {"Ops": 1.0}}
    assert over_capacity([1, 2, 3], demand, {"Data": 3.0, "Ops": 1.0}) == {
        2: ["Data"],
        3: ["Ops"],
    }
    assert over_capacity([3, 1, 2], demand, {"Data": 4.0, "Ops": 2.0}) == {}


def test_ahp_worked_example_and_a_contradiction() -> None:
    weights, ratio = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert weights == pytest.approx([0.637, 0.258, 0.105], abs=1e-3)
    assert ratio == pytest.approx(0.033, abs=1e-3)
    # A beats B, B beats C, C beats A, strongly: circular, so inconsistent.
    _, circular = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert circular > 0.1
    assert ahp_weights([[1, 1], [1, 1]]) == ([0.5, 0.5], 0.0)


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=40, unique=True), st.data())
def test_a_move_keeps_the_ranks_a_permutation(order: list[int], data: st.DataObject) -> None:
    project = data.draw(st.sampled_from(order))
    to_rank = data.draw(st.integers(-5, len(order) + 5))
    after = moved(order, project, to_rank)
    assert sorted(after) == sorted(order)
    assert after.index(project) == min(max(to_rank, 1), len(order)) - 1


@given(
    st.lists(st.floats(0, 1e6), min_size=0, max_size=30),
    st.floats(0, 3e7),
    st.floats(0, 3e7),
)
def test_the_funding_line_is_monotone_in_capacity(
    costs: list[float], budget: float, more: float
) -> None:
    order = list(range(len(costs)))
    cost = dict(enumerate(costs))
    assert funding_line(order, cost, budget) <= funding_line(order, cost, budget + more)


@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=4),
    st.lists(st.floats(0.1, 100), min_size=4, max_size=4),
    st.integers(2, 8),
)
def test_equal_scores_keep_their_order_whatever_the_weights(
    scores: list[int], weights: list[float], count: int
) -> None:
    # Every project has the same scores, so they tie under any weights: order unchanged.
    criteria = dict(enumerate(weights[: len(scores)]))
    projects = list(range(100, 100 + count))
    totals = {p: weighted_score(dict(enumerate(scores)), criteria) for p in projects}
    assert score_order(projects, totals) == projects


def test_the_board_marks_movement_the_line_and_crossings() -> None:
    projects = [Project(id=n, name=f"P{n}", period_cost=10.0) for n in (1, 2, 3)]
    inputs = RankingInputs(
        projects=projects,
        criteria=[Objective(id=1, name="Value", weight=1)],
        scores={1: {1: 5}, 2: {1: 3}, 3: {1: 4}},
        budget=20.0,
        teams=[Team(id=1, name="Data", fte=1)],
        demand={3: {"Data": 2.0}},
        last_ranks={1: 1, 2: 2, 3: 3},
        order=[1, 3, 2],
        justifications={3: "Regulator"},
    )
    board = ranking_board(inputs)
    assert [(r.project.id, r.rank, r.movement, r.funded) for r in board.rows] == [
        (1, 1, "=", True),
        (3, 2, "▲ 1", True),
        (2, 3, "▼ 1", False),
    ]
    assert board.funded == 2
    assert [r.crossed for r in board.rows] == ["", "into funding", "out of funding"]
    assert board.rows[1].over_teams == ["Data"] and board.rows[1].justification == "Regulator"
    assert [r.score_rank for r in board.rows] == [1, 2, 3]


def _portfolio(count: int, budget: float, demand: dict[str, float]) -> RankingInputs:
    """Projects 1..count with costs, two criteria, every other project scored and ranked
    last time, every third demanding ``demand`` of teams Data (3 FTE) and Ops (1)."""
    return RankingInputs(
        projects=[
            Project(id=n, name=f"P{n}", period_cost=float(n * 7 % 23)) for n in range(1, count + 1)
        ],
        criteria=[Objective(id=1, name="Value", weight=2), Objective(id=2, name="Risk", weight=1)],
        scores={n: {1: n % 6, 2: (n * 3) % 6} for n in range(1, count + 1, 2)},
        budget=budget,
        teams=[Team(id=1, name="Data", fte=3), Team(id=2, name="Ops", fte=1)],
        demand={n: dict(demand) for n in range(1, count + 1, 3)},
        last_ranks={n: count + 1 - n for n in range(1, count + 1, 2)},
    )


@given(
    # Ids past 30 are projects no longer ranked (closed, on hold); an id twice, a bad save.
    st.lists(st.integers(1, 40), max_size=40),
    st.integers(0, 35),
    st.integers(0, 35),
    st.floats(0, 400),
)
def test_a_page_of_the_plan_is_that_page_of_the_whole_board(
    order: list[int], start: int, length: int, budget: float
) -> None:
    """The step builds the rows of the page shown only: they must be the whole board's
    rows there, and the plan's ranks, justifications and spend the board's."""
    inputs = _portfolio(30, budget, {"Data": 1.0}).model_copy(
        update={"order": order, "justifications": {n: f"why {n}" for n in order[:3] if n <= 30}}
    )
    plan = ranking_plan(inputs)
    board = ranking_board(inputs)
    assert plan.rows(start, start + length) == board.rows[start : start + length]
    assert plan.justifications() == {
        row.project.id: row.justification for row in board.rows if row.justification
    }
    assert all(plan.rank_of(row.project.id) == row.rank for row in board.rows)
    assert plan.spent == (board.rows[board.funded - 1].cumulative_cost if board.funded else 0.0)
    assert len(plan) == len(board.rows) == 30 and plan.funded == board.funded


@given(
    st.lists(st.permutations(list(range(1, 21))), min_size=1, max_size=4),
    st.floats(0, 300),
    st.booleans(),
)
def test_a_plan_kept_across_re_orders_is_the_plan_made_afresh(
    orders: list[list[int]], budget: float, what_if: bool
) -> None:
    """A re-rank keeps what does not depend on the order (scores, costs, last ranks)
    from the plan shown before; every order after it must give the plan made from
    nothing. A what-if's weights (criteria copied, values changed) must not be kept."""
    inputs = _portfolio(20, budget, {"Ops": 0.5, "Data": 1.0})
    shown = ranking_plan(inputs)
    for number, order in enumerate(orders):
        update: dict[str, object] = {"order": order}
        if what_if and number % 2:
            update["criteria"] = [
                c.model_copy(update={"weight": 5 - c.id}) for c in inputs.criteria
            ]
        changed = inputs.model_copy(update=update)
        kept, afresh = ranking_plan(changed, shown), ranking_plan(changed)
        assert kept.rows() == afresh.rows()
        assert (kept.order, kept.funded) == (afresh.order, afresh.funded)
        assert kept.by_score_order() == score_order(kept.order, afresh.scores)
        # The rules, walked: the plan finds the line by halving and sorts demand once.
        assert kept.funded == funding_line(kept.order, afresh.cost, budget)
        capacity = {team.name: team.fte for team in inputs.teams}
        assert kept.over() == over_capacity(kept.order, inputs.demand, capacity)
        assert kept.over(7) == over_capacity(kept.order[:7], inputs.demand, capacity)
        shown = kept


@pytest.mark.parametrize("budget", [0.0, 7.0, 7.0 - 5e-10, 7.0 + 5e-10, 6.999, 1e12])
def test_the_plan_draws_the_funding_line_where_the_walk_does(budget: float) -> None:
    """A budget a hair under a running total still funds it (the walk allows 1e-9)."""
    projects = [Project(id=n, name=f"P{n}", period_cost=c) for n, c in ((1, 7.0), (2, 0.0))]
    inputs = RankingInputs(projects=projects, budget=budget, order=[1, 2])
    assert ranking_plan(inputs).funded == funding_line([1, 2], {1: 7.0, 2: 0.0}, budget)
