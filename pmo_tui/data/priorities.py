"""Priorities and capacity: criteria and their weights, project scores, the period's budget
and team capacity, a meeting's working ranking (saved at every move) and its adoption as
one decision with before and after ranks for every project."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from pmo_tui.data.core import Db, validated
from pmo_tui.data.decisions import Decisions
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    CriterionKind,
    Decision,
    Model,
    Objective,
    Project,
    ProjectDemand,
    ProjectScore,
    ProjectStatus,
    Ranking,
    RankingBoard,
    RankingDraft,
    RankingInputs,
    RankRow,
    Team,
)
from pmo_tui.data.rules import ranking_board


class WhatIf(Model):
    """Weights and an order tried without saving; adopting saves them."""

    weights: dict[int, float] = {}
    order: list[int] = []
    justifications: dict[int, str] = {}
    draft_version: int | None = None


class Priorities:
    """Objectives, criteria and the ranking over the core; adoption is a forum decision."""

    def __init__(self, db: Db, decisions: Decisions) -> None:
        self.db = db
        self.decisions = decisions

    def criteria(self) -> list[Objective]:
        rows = self.db.conn.execute("select * from objectives order by kind desc, id")
        return [self.db.row_to(Objective, row) for row in rows]

    def add_criterion(
        self, name: str, weight: float, kind: CriterionKind = CriterionKind.CRITERION
    ) -> Objective:
        with self.db.write():
            return self.db.add(validated(Objective, name=name.strip(), weight=weight, kind=kind))

    def set_weights(self, weights: Mapping[int, float]) -> list[Objective]:
        """New weights for several criteria at once (all or none)."""
        if any(weight < 0 for weight in weights.values()):
            raise InvalidInputError("A weight cannot be negative.")
        with self.db.write():
            current = {criterion.id: criterion for criterion in self.criteria()}
            if not any(weights.get(cid, c.weight) > 0 for cid, c in current.items()):
                raise InvalidInputError("At least one weight must be above zero.")
            for criterion_id, weight in weights.items():
                criterion = current[criterion_id]
                self.db.update(Objective, criterion.id, criterion.version, weight=weight)
            return self.criteria()

    def set_scores(self, project_id: int, scores: Mapping[int, int]) -> None:
        """A project's 0-5 score against each criterion given."""
        with self.db.write():
            existing = {
                row["objective_id"]: self.db.row_to(ProjectScore, row)
                for row in self.db.conn.execute(
                    "select * from project_scores where project_id = ?", (project_id,)
                )
            }
            for criterion_id, score in scores.items():
                if criterion_id in existing:
                    old = existing[criterion_id]
                    self.db.update(ProjectScore, old.id, old.version, score=score)
                else:
                    self.db.add(
                        validated(
                            ProjectScore,
                            project_id=project_id,
                            objective_id=criterion_id,
                            score=score,
                        )
                    )

    def set_project_inputs(
        self,
        project_id: int,
        version: int,
        scores: Mapping[int, int],
        period_cost: float,
        ftes: Mapping[str, float],
    ) -> None:
        """A project's scores, its cost this period and its FTE per team, in one edit
        (refused when another session changed the project since ``version``)."""
        if period_cost < 0 or any(fte < 0 for fte in ftes.values()):
            raise InvalidInputError("A cost or an FTE cannot be negative.")
        with self.db.write():
            self.db.update(Project, project_id, version, period_cost=period_cost)
            self.set_scores(project_id, scores)
            for team, fte in ftes.items():
                self.set_demand(project_id, team, fte)

    def funding(self) -> float:
        return float(self.db.setting("funding") or 0)

    def set_capacity(self, budget: float, teams: Mapping[str, float]) -> None:
        """The period's portfolio budget and each team's FTE (a new team is added)."""
        if budget < 0 or any(fte < 0 for fte in teams.values()):
            raise InvalidInputError("Capacity cannot be negative.")
        with self.db.write():
            self.db.set_setting("funding", str(float(budget)))
            current = {team.name.lower(): team for team in self.teams()}
            for name, fte in teams.items():
                team = current.get(name.strip().lower())
                if team is None:
                    self.db.add(validated(Team, name=name.strip(), fte=fte))
                else:
                    self.db.update(Team, team.id, team.version, fte=fte)

    def teams(self) -> list[Team]:
        return [self.db.row_to(Team, row) for row in self.db.conn.execute("select * from teams")]

    def set_demand(self, project_id: int, team: str, fte: float) -> None:
        with self.db.write():
            found = [t for t in self.teams() if t.name.lower() == team.strip().lower()]
            target = found[0] if found else self.db.add(validated(Team, name=team.strip()))
            row = self.db.conn.execute(
                "select * from project_demands where project_id = ? and team_id = ?",
                (project_id, target.id),
            ).fetchone()
            if row is None:
                self.db.add(
                    validated(ProjectDemand, project_id=project_id, team_id=target.id, fte=fte)
                )
            else:
                demand = self.db.row_to(ProjectDemand, row)
                self.db.update(ProjectDemand, demand.id, demand.version, fte=fte)

    def ranking_inputs(self, meeting_id: int | None = None) -> RankingInputs:
        """Active projects with their scores, costs and demands, the capacity, the ranks
        at the last adopted ranking, and this meeting's working order (if any)."""
        projects = [
            self.db.row_to(Project, row)
            for row in self.db.conn.execute(
                "select * from projects where status = ? order by rank is null, rank, id",
                (ProjectStatus.ACTIVE.value,),
            )
        ]
        scores: dict[int, dict[int, int]] = {}
        for row in self.db.conn.execute(
            "select project_id, objective_id, score from project_scores"
        ):
            scores.setdefault(row[0], {})[row[1]] = row[2]
        demand: dict[int, dict[str, float]] = {}
        for row in self.db.conn.execute(
            "select d.project_id, t.name, d.fte from project_demands d "
            "join teams t on t.id = d.team_id"
        ):
            demand.setdefault(row[0], {})[row[1]] = row[2]
        draft = self._draft(meeting_id) if meeting_id is not None else None
        order = [project.id for project in projects if project.rank is not None]
        justifications: dict[int, str] = {}
        if draft is not None:
            order = [int(pid) for pid in json.loads(draft.project_order)]
            justifications = {int(k): v for k, v in json.loads(draft.justifications).items()}
        return RankingInputs(
            projects=projects,
            criteria=self.criteria(),
            scores=scores,
            budget=self.funding(),
            teams=self.teams(),
            demand=demand,
            last_ranks=self._last_ranks(meeting_id),
            order=order,
            justifications=justifications,
            draft_version=draft.version if draft else None,
        )

    def ranking(self, meeting_id: int | None = None) -> RankingBoard:
        return ranking_board(self.ranking_inputs(meeting_id))

    def portfolio_ranking(self) -> RankingBoard:
        """The ranking as it stands between meetings, for export: each active project at
        its adopted rank (as stored, gaps left by projects that closed or went on hold
        included) against its rank at the last adoption, not renumbered."""
        board = self.ranking()
        last = self._last_ranks(None)
        board.rows = [
            row.model_copy(
                update={
                    "rank": row.project.rank if row.project.rank is not None else row.rank,
                    "last_rank": last.get(row.project.id),
                }
            )
            for row in board.rows
        ]
        return board

    def _draft(self, meeting_id: int) -> RankingDraft | None:
        row = self.db.conn.execute(
            "select * from ranking_drafts where meeting_id = ?", (meeting_id,)
        ).fetchone()
        return self.db.row_to(RankingDraft, row) if row else None

    def _last_ranks(self, meeting_id: int | None) -> dict[int, int]:
        """Ranks adopted by the latest meeting before this one that adopted a ranking."""
        params: tuple[int, ...] = ()
        if meeting_id is None:
            where = ""
        else:
            where = (
                "where r.meeting_id != ? and m.scheduled_on <= "
                "(select scheduled_on from meetings where id = ?)"
            )
            params = (meeting_id, meeting_id)
        last = self.db.conn.execute(
            "select r.meeting_id from rankings r join meetings m on m.id = r.meeting_id "
            f"{where} order by m.scheduled_on desc, r.meeting_id desc limit 1",
            params,
        ).fetchone()
        if last is None:
            return {}
        rows = self.db.conn.execute(
            "select project_id, rank_after from rankings where meeting_id = ?", (last[0],)
        )
        return {row[0]: row[1] for row in rows}

    def save_ranking(
        self,
        meeting_id: int,
        version: int | None,
        order: Sequence[int],
        justifications: Mapping[int, str],
    ) -> RankingDraft:
        """Save the working order (read at ``version``; None when there was no draft)."""
        with self.db.write():
            self.db.live_meeting(meeting_id)
            draft = self._draft(meeting_id)
            values = {
                "project_order": json.dumps(list(order)),
                "justifications": json.dumps(
                    {str(pid): why for pid, why in justifications.items() if why}
                ),
            }
            if draft is None:
                if version is not None:
                    raise InvalidInputError("The working ranking was discarded meanwhile.")
                return self.db.add(validated(RankingDraft, meeting_id=meeting_id, **values))
            if draft.version != version:
                raise self.db.conflict(draft)
            return self.db.update(RankingDraft, draft.id, version, **values)

    def discard_ranking(self, meeting_id: int) -> None:
        with self.db.write():
            draft = self._draft(meeting_id)
            if draft is not None:
                self.db.delete(RankingDraft, draft.id, draft.version)

    def adopt_ranking(
        self,
        meeting_id: int,
        rationale: str,
        *,
        what_if: WhatIf | None = None,
    ) -> Decision:
        """The working ranking becomes the portfolio's: one decision, a ranking row per
        project (before and after), and each project's rank. A what-if's weights and
        order are saved with it, all in one transaction."""
        if not rationale.strip():
            raise InvalidInputError("A decision needs its rationale: say why.")
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            if what_if is not None:
                if what_if.weights:
                    self.set_weights(what_if.weights)
                self.save_ranking(
                    meeting_id, what_if.draft_version, what_if.order, what_if.justifications
                )
            board = self.ranking(meeting_id)
            moved = [row for row in board.rows if row.last_rank != row.rank]
            crossed = [row for row in board.rows if row.crossed]
            text = (
                f"Portfolio ranking adopted: {len(moved)} of {len(board.rows)} projects moved"
                + (
                    "; crossed the funding line: "
                    + ", ".join(f"{row.project.code} {row.crossed}" for row in crossed)
                    if crossed
                    else ""
                )
            )
            decision = self.decisions.forum_decision(
                meeting, text=text, rationale=rationale.strip(), outcome="ranking", tally=None
            )
            self.db.conn.execute("delete from rankings where meeting_id = ?", (meeting_id,))
            for row in board.rows:
                self.db.conn.execute(
                    "insert into rankings (meeting_id, project_id, rank_before, rank_after, "
                    "score, justification, decision_id, score_rank, cost, funded, over_teams, "
                    "crossed, budget) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        meeting_id,
                        row.project.id,
                        row.last_rank,
                        row.rank,
                        round(row.score, 4),
                        row.justification,
                        decision.id,
                        row.score_rank,
                        row.cost,
                        int(row.funded),
                        "\n".join(row.over_teams),
                        row.crossed,
                        board.budget,
                    ),
                )
                if row.project.rank != row.rank:
                    self.db.update(Project, row.project.id, row.project.version, rank=row.rank)
            # The ranking covers active projects: one on hold or closed leaves it (it is
            # ranked again by score when it resumes), so no two projects share a rank.
            for row in self.db.conn.execute(
                "select * from projects where rank is not null and status != ?",
                (ProjectStatus.ACTIVE.value,),
            ).fetchall():
                project = self.db.row_to(Project, row)
                self.db.update(Project, project.id, project.version, rank=None)
            return decision

    def adopted_ranking(self, meeting_id: int) -> list[Ranking]:
        rows = self.db.conn.execute(
            "select * from rankings where meeting_id = ? order by rank_after", (meeting_id,)
        )
        return [self.db.row_to(Ranking, row) for row in rows]

    def adopted_board(self, meeting_id: int) -> tuple[list[RankRow], float]:
        """The ranking this meeting adopted, as adopted, and the funding it was drawn
        against (nothing adopted: no rows)."""
        adopted = self.adopted_ranking(meeting_id)
        if adopted and all(row.budget is not None for row in adopted):
            # The board exactly as adopted: ranks, scores, costs and the funding line.
            projects = self.db.get_many(Project, [row.project_id for row in adopted])
            cumulative = 0.0
            rows: list[RankRow] = []
            for row in adopted:
                cumulative += row.cost or 0.0
                rows.append(
                    RankRow(
                        project=projects[row.project_id],
                        rank=row.rank_after,
                        last_rank=row.rank_before,
                        score=row.score,
                        score_rank=row.score_rank or 0,
                        justification=row.justification,
                        cost=row.cost or 0.0,
                        cumulative_cost=cumulative,
                        funded=bool(row.funded),
                        over_teams=[t for t in row.over_teams.split("\n") if t],
                        crossed=row.crossed,
                    )
                )
            return rows, adopted[0].budget or 0.0
        elif adopted:
            # Adopted before pmo kept the board: recomputed around the adopted order.
            inputs = self.ranking_inputs(meeting_id)
            inputs.order = [ranking.project_id for ranking in adopted]
            inputs.justifications = {r.project_id: r.justification for r in adopted}
            inputs.last_ranks = {
                r.project_id: r.rank_before for r in adopted if r.rank_before is not None
            }
            board = ranking_board(inputs)
            return board.rows, board.budget
        return [], 0.0
