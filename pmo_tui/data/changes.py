"""Change requests and stage gates: raising, deciding, applying to the baseline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pmo_tui.data.core import Db, validated
from pmo_tui.data.decisions import Decisions, Tally
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.models import (
    APPROVED_CHANGES,
    DECIDABLE_CHANGES,
    Action,
    BaselineChange,
    ChangeRequest,
    ChangeRow,
    ChangeStatus,
    CheckState,
    Decision,
    GateCheck,
    GateCriterion,
    GateReview,
    GateRow,
    GateStatus,
    Meeting,
    Phase,
    Project,
    ProjectStatus,
)
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.rules import baseline_after, next_phase, tolerance_check

# The forum's verbs, as the decision's text says them.
CHANGE_OUTCOMES = {
    ChangeStatus.APPROVED: "approved",
    ChangeStatus.APPROVED_WITH_CONDITIONS: "approved with conditions",
    ChangeStatus.REJECTED: "rejected",
    ChangeStatus.DEFERRED: "deferred",
    ChangeStatus.MORE_INFORMATION: "returned for more information",
}

GATE_OUTCOMES = {
    GateStatus.GO: "go",
    GateStatus.CONDITIONAL_GO: "conditional go",
    GateStatus.HOLD: "hold",
    GateStatus.STOP: "stop",
}

_LINKED = {"change_request_id": "change_requests", "gate_id": "gate_reviews"}


class Changes:
    """Change requests and gates over the core; decisions go through the decisions store."""

    def __init__(
        self, db: Db, portfolio: Portfolio, meetings: Meetings, decisions: Decisions
    ) -> None:
        self.db = db
        self.portfolio = portfolio
        self.meetings = meetings
        self.decisions = decisions

    def change_requests(
        self, statuses: Iterable[ChangeStatus] = (), project_id: int | None = None
    ) -> list[ChangeRequest]:
        wanted = [status.value for status in statuses]
        sql = "select * from change_requests where 1"
        params: list[object] = []
        if wanted:
            sql += f" and status in ({', '.join('?' for _ in wanted)})"
            params += wanted
        if project_id is not None:
            sql += " and project_id = ?"
            params.append(project_id)
        rows = self.db.conn.execute(sql + " order by raised_on, id", params)
        return [self.db.row_to(ChangeRequest, row) for row in rows]

    def change_rows(
        self, requests: Sequence[ChangeRequest], decisions: dict[int, Decision] | None = None
    ) -> list[ChangeRow]:
        """Each request with its project's approved change so far (not counting itself)
        and the tolerance check; two queries whatever the number of requests."""
        project_ids = sorted({request.project_id for request in requests})
        if not project_ids:
            return []
        marks = ", ".join("?" for _ in project_ids)
        projects = {
            row["id"]: self.db.row_to(Project, row)
            for row in self.db.conn.execute(
                f"select * from projects where id in ({marks})", project_ids
            )
        }
        approved = {
            row["project_id"]: (row["cost"], row["days"], row["n"])
            for row in self.db.conn.execute(
                "select project_id, sum(cost_impact) as cost, "
                "sum(schedule_impact_days) as days, count(*) as n from change_requests "
                f"where project_id in ({marks}) and status in (?, ?) group by project_id",
                [*project_ids, *(status.value for status in APPROVED_CHANGES)],
            )
        }
        originals = self._original_budgets(project_ids)
        result = []
        for request in requests:
            project = projects[request.project_id]
            cost, days, count = approved.get(project.id, (0.0, 0, 0))
            if request.status in APPROVED_CHANGES:
                cost, days, count = (
                    cost - request.cost_impact,
                    days - request.schedule_impact_days,
                    count - 1,
                )
            result.append(
                ChangeRow(
                    request=request,
                    project=project,
                    approved_cost=cost,
                    approved_days=days,
                    approved_count=count,
                    tolerance=tolerance_check(
                        originals.get(project.id, project.budget),
                        project.cost_tolerance_pct,
                        project.schedule_tolerance_days,
                        cost,
                        days,
                        request.cost_impact,
                        request.schedule_impact_days,
                    ),
                    decision=(decisions or {}).get(request.id),
                )
            )
        return result

    def _original_budgets(self, project_ids: Sequence[int]) -> dict[int, float]:
        """The budget each project was first baselined at (before any recorded change)."""
        marks = ", ".join("?" for _ in project_ids)
        rows = self.db.conn.execute(
            "select project_id, budget_before from baseline_changes where id in "
            f"(select min(id) from baseline_changes where project_id in ({marks}) "
            "group by project_id)",
            list(project_ids),
        )
        return {row["project_id"]: row["budget_before"] for row in rows}

    def change_queue(
        self, meeting_id: int, *, everything: bool = False, limit: int = 200
    ) -> list[ChangeRow]:
        """What this forum decides: requests submitted to it, deferrals now due, and those
        it already decided in this meeting (with that decision). ``everything`` adds the
        drafts, those waiting for more information and deferrals not yet due."""
        meeting = self.db.get(Meeting, meeting_id)
        decided = self._decisions_on(meeting_id, "change_request_id")
        statuses = [ChangeStatus.SUBMITTED.value, ChangeStatus.DEFERRED.value]
        if everything:
            statuses += [ChangeStatus.DRAFT.value, ChangeStatus.MORE_INFORMATION.value]
        rows = self.db.conn.execute(
            f"select * from change_requests where (status in ({', '.join('?' for _ in statuses)})"
            " and (? or status != ? or deferred_to is null or deferred_to <= ?))"
            f" or id in ({', '.join('?' for _ in decided)}) order by raised_on, id",
            [
                *statuses,
                everything,
                ChangeStatus.DEFERRED.value,
                meeting.scheduled_on.isoformat(),
                *decided,
            ],
        )
        requests = [self.db.row_to(ChangeRequest, row) for row in rows]
        # Undecided first (what is left to do, the oldest first and no more than a forum
        # gets through in a sitting), then what this meeting already decided.
        waiting = [request for request in requests if request.id not in decided][:limit]
        done = [request for request in requests if request.id in decided]
        return self.change_rows(waiting + done, decided)

    def _decisions_on(self, meeting_id: int, link: str) -> dict[int, Decision]:
        """This meeting's forum decisions by the request or gate they decided (the last
        one when it was decided twice, as after a reopen)."""
        return {getattr(d, link): d for d in self._decisions_on_all(meeting_id, link)}

    def raise_change(self, **values: Any) -> ChangeRequest:
        """A new change request (submitted to the forum unless ``status`` says draft)."""
        with self.db.write():
            values.setdefault("raised_on", self.db.clock().date())
            request = validated(ChangeRequest, **values)
            self.db.get(Project, request.project_id)
            return self.db.add(request)

    def edit_change(self, request_id: int, version: int, **changes: Any) -> ChangeRequest:
        with self.db.write():
            request = self.db.get(ChangeRequest, request_id)
            self._undecided(request)
            return self.db.update(ChangeRequest, request_id, version, **changes)

    def submit_change(self, request_id: int, version: int) -> ChangeRequest:
        """A draft, a request back with more information, or a deferral: to the forum."""
        with self.db.write():
            self._undecided(self.db.get(ChangeRequest, request_id))
            return self.db.update(
                ChangeRequest, request_id, version, status=ChangeStatus.SUBMITTED, deferred_to=None
            )

    def withdraw_change(self, request_id: int, version: int) -> ChangeRequest:
        with self.db.write():
            self._undecided(self.db.get(ChangeRequest, request_id))
            return self.db.update(ChangeRequest, request_id, version, status=ChangeStatus.WITHDRAWN)

    def _undecided(self, request: ChangeRequest) -> None:
        if request.status in DECIDABLE_CHANGES or request.status is ChangeStatus.DRAFT:
            return
        where = f" in M-{request.meeting_id}" if request.meeting_id else ""
        decision = f" (D-{request.decision_id})" if request.decision_id else ""
        raise InvalidInputError(
            f"{request.code} was {request.status.value}{where}{decision}: "
            "its record stays as decided."
        )

    def decide_change(
        self,
        meeting_id: int,
        request_id: int,
        version: int,
        outcome: ChangeStatus,
        rationale: str,
        *,
        conditions: str = "",
        deferred_to: date | None = None,
        tally: Tally | None = None,
    ) -> Decision:
        """The forum's decision on a request read at ``version``: refused (ConflictError)
        when another session changed the request since, so a decision is never applied
        to a request the room did not see. Approval moves the project's baseline."""
        if outcome not in CHANGE_OUTCOMES:
            raise InvalidInputError(f"“{outcome.value}” is not a decision the forum takes.")
        rationale, conditions = rationale.strip(), conditions.strip()
        if not rationale:
            raise InvalidInputError("A decision needs its rationale: say why.")
        if outcome is ChangeStatus.APPROVED_WITH_CONDITIONS and not conditions:
            raise InvalidInputError("An approval with conditions needs the conditions.")
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            current = self.db.get(ChangeRequest, request_id)
            if current.version != version:
                raise self.db.conflict(current)
            if current.status is ChangeStatus.DRAFT:
                raise InvalidInputError(f"{current.code} is a draft: submit it to the forum first.")
            self._undecided(current)
            if deferred_to is not None and deferred_to <= meeting.scheduled_on:
                raise InvalidInputError(
                    f"Defer to a date after {meeting.scheduled_on.isoformat()}, or leave it "
                    "empty for the next meeting."
                )
            row = self.change_rows([current])[0]
            text = f"{current.code} {CHANGE_OUTCOMES[outcome]}: {current.title}"
            if outcome in APPROVED_CHANGES and row.tolerance.escalate:
                text += f" ({row.tolerance.describe()})"
            if outcome is ChangeStatus.DEFERRED:
                text += f" (to {deferred_to.isoformat() if deferred_to else 'the next meeting'})"
            decision = self.decisions.forum_decision(
                meeting,
                text=text,
                rationale=rationale,
                outcome=outcome.value,
                conditions=conditions,
                tally=tally,
                project_id=current.project_id,
                change_request_id=current.id,
            )
            request = self.db.update(
                ChangeRequest,
                request_id,
                version,
                status=outcome,
                decision_id=decision.id,
                meeting_id=meeting_id,
                conditions=conditions,
                deferred_to=deferred_to if outcome is ChangeStatus.DEFERRED else None,
            )
            if outcome in APPROVED_CHANGES:
                self._apply_change(request, decision)
            return decision

    def _apply_change(self, request: ChangeRequest, decision: Decision) -> None:
        project = self.db.get(Project, request.project_id)
        budget, end, scope = baseline_after(
            project.budget, project.end_on, project.scope_statement, request
        )
        if budget < 0:
            raise InvalidInputError(
                f"{request.code} would take {project.code}'s budget below zero "
                f"({project.budget:,.0f} {request.cost_impact:+,.0f}); correct its cost impact."
            )
        self._move_baseline(
            project,
            budget=budget,
            end_on=end,
            scope=scope,
            reason=f"{request.code} {request.title}",
            change_request_id=request.id,
            decision_id=decision.id,
            meeting_id=decision.meeting_id,
        )

    def _move_baseline(
        self, project: Project, *, budget: float, end_on: date | None, scope: str, **why: Any
    ) -> BaselineChange | None:
        if (budget, end_on, scope) == (project.budget, project.end_on, project.scope_statement):
            return None
        step = self.db.add(
            validated(
                BaselineChange,
                project_id=project.id,
                changed_on=self.db.clock().date(),
                budget_before=project.budget,
                budget_after=budget,
                end_before=project.end_on,
                end_after=end_on,
                scope_before=project.scope_statement,
                scope_after=scope,
                **why,
            )
        )
        self.db.update(
            Project,
            project.id,
            project.version,
            budget=budget,
            end_on=end_on,
            scope_statement=scope,
        )
        return step

    def rebaseline(
        self,
        project_id: int,
        version: int,
        *,
        budget: float,
        end_on: date | None,
        scope: str,
        cost_tolerance_pct: float,
        schedule_tolerance_days: int,
        reason: str,
    ) -> Project:
        """Set a project's baseline and tolerances by hand (kept in its history)."""
        if budget < 0:
            raise InvalidInputError("A budget cannot be negative.")
        with self.db.write():
            project = self.db.get(Project, project_id)
            if project.version != version:
                raise self.db.conflict(project)
            if (budget, end_on, scope) != (project.budget, project.end_on, project.scope_statement):
                if not reason.strip():
                    raise InvalidInputError("Moving a baseline needs a reason.")
                self._move_baseline(
                    project, budget=budget, end_on=end_on, scope=scope, reason=reason.strip()
                )
                project = self.db.get(Project, project_id)
            return self.db.update(
                Project,
                project_id,
                project.version,
                cost_tolerance_pct=cost_tolerance_pct,
                schedule_tolerance_days=schedule_tolerance_days,
            )

    def baseline_history(self, project_id: int) -> list[BaselineChange]:
        rows = self.db.conn.execute(
            "select * from baseline_changes where project_id = ? order by id", (project_id,)
        )
        return [self.db.row_to(BaselineChange, row) for row in rows]

    def gate_criteria(self, phase: Phase) -> list[GateCriterion]:
        rows = self.db.conn.execute(
            "select * from gate_criteria where phase = ? order by position, id", (phase.value,)
        )
        return [self.db.row_to(GateCriterion, row) for row in rows]

    def set_gate_criteria(self, phase: Phase, texts: Sequence[str]) -> list[GateCriterion]:
        """Replace the checklist for the gate into ``phase``; reviews already requested
        keep the checklist they were asked with."""
        wanted = [" ".join(text.split()) for text in texts if text.strip()]
        if not wanted:
            raise InvalidInputError(f"The gate into {phase.value} needs at least one criterion.")
        with self.db.write():
            for criterion in self.gate_criteria(phase):
                self.db.delete(GateCriterion, criterion.id, criterion.version)
            for position, text in enumerate(wanted):
                self.db.add(validated(GateCriterion, phase=phase, position=position, text=text))
            return self.gate_criteria(phase)

    def request_gate(
        self, project_id: int, summary: str = "", requested_by: str = ""
    ) -> GateReview:
        """A project asks to move to its next phase, with that gate's checklist."""
        with self.db.write():
            project = self.db.get(Project, project_id)
            target = next_phase(project.phase)
            if target is None:
                raise InvalidInputError(
                    f"{project.code} is in its last phase ({project.phase.value}): "
                    "what follows is closure, not a gate."
                )
            if project.status in (ProjectStatus.CLOSED, ProjectStatus.CANCELLED):
                raise InvalidInputError(f"{project.code} is {project.status.value}.")
            waiting = self.db.conn.execute(
                "select id from gate_reviews where project_id = ? and status in (?, ?)",
                (project_id, GateStatus.REQUESTED.value, GateStatus.HOLD.value),
            ).fetchone()
            if waiting:
                raise InvalidInputError(
                    f"{project.code} already has gate G-{waiting['id']} waiting for a decision."
                )
            gate = self.db.add(
                validated(
                    GateReview,
                    project_id=project_id,
                    from_phase=project.phase,
                    to_phase=target,
                    requested_on=self.db.clock().date(),
                    requested_by=requested_by.strip(),
                    summary=summary.strip(),
                )
            )
            for criterion in self.gate_criteria(target):
                self.db.add(
                    GateCheck(
                        gate_id=gate.id, position=criterion.position, criterion=criterion.text
                    )
                )
            return gate

    def set_check(
        self, check_id: int, version: int, state: CheckState, note: str | None = None
    ) -> GateCheck:
        with self.db.write():
            check = self.db.get(GateCheck, check_id)
            gate = self.db.get(GateReview, check.gate_id)
            if gate.status not in (GateStatus.REQUESTED, GateStatus.HOLD):
                raise InvalidInputError(f"{gate.code} was decided ({gate.status.value}).")
            changes: dict[str, Any] = {"state": state}
            if note is not None:
                changes["note"] = note.strip()
            return self.db.update(GateCheck, check_id, version, **changes)

    def gate_checks(self, gate_id: int) -> list[GateCheck]:
        rows = self.db.conn.execute(
            "select * from gate_checks where gate_id = ? order by position, id", (gate_id,)
        )
        return [self.db.row_to(GateCheck, row) for row in rows]

    def gate_rows(
        self, gates: Sequence[GateReview], decisions: dict[int, Decision] | None = None
    ) -> list[GateRow]:
        return [
            GateRow(
                gate=gate,
                project=self.db.get(Project, gate.project_id),
                checks=self.gate_checks(gate.id),
                decision=(decisions or {}).get(gate.id),
            )
            for gate in gates
        ]

    def gate_queue(self, meeting_id: int) -> list[GateRow]:
        """Gates waiting for a decision (held ones come back), then this meeting's."""
        decided = self._decisions_on(meeting_id, "gate_id")
        rows = self.db.conn.execute(
            "select * from gate_reviews where status in (?, ?) "
            f"or id in ({', '.join('?' for _ in decided)}) order by requested_on, id",
            [GateStatus.REQUESTED.value, GateStatus.HOLD.value, *decided],
        )
        gates = [self.db.row_to(GateReview, row) for row in rows]
        gates.sort(key=lambda gate: gate.id in decided)
        return self.gate_rows(gates, decided)

    def decide_gate(
        self,
        meeting_id: int,
        gate_id: int,
        version: int,
        outcome: GateStatus,
        rationale: str,
        *,
        conditions: Sequence[str] = (),
        owner: str = "",
        due_on: date | None = None,
        tally: Tally | None = None,
    ) -> Decision:
        """Go and conditional go move the project to the next phase (conditions become
        actions); hold puts it on hold; stop cancels it. A go needs every criterion met
        or not applicable."""
        if outcome not in GATE_OUTCOMES:
            raise InvalidInputError(f"“{outcome.value}” is not a gate decision.")
        rationale = rationale.strip()
        wanted = [" ".join(line.split()) for line in conditions if line.strip()]
        if not rationale:
            raise InvalidInputError("A decision needs its rationale: say why.")
        if outcome is GateStatus.CONDITIONAL_GO and not wanted:
            raise InvalidInputError("A conditional go needs its conditions (one a line).")
        with self.db.write():
            meeting = self.db.live_meeting(meeting_id)
            gate = self.db.get(GateReview, gate_id)
            if gate.version != version:
                raise self.db.conflict(gate)
            if gate.status not in (GateStatus.REQUESTED, GateStatus.HOLD):
                raise InvalidInputError(f"{gate.code} was already decided: {gate.status.value}.")
            row = self.gate_rows([gate])[0]
            refusal = gate_refusal(row, outcome)
            if refusal is not None:
                raise InvalidInputError(refusal)
            project = row.project
            text = (
                f"{gate.code} gate {project.code} {gate.from_phase.value} → "
                f"{gate.to_phase.value}: {GATE_OUTCOMES[outcome]}"
            )
            decision = self.decisions.forum_decision(
                meeting,
                text=text,
                rationale=rationale,
                outcome=outcome.value,
                conditions="\n".join(wanted),
                tally=tally,
                project_id=project.id,
                gate_id=gate.id,
            )
            self.db.update(
                GateReview,
                gate_id,
                version,
                status=outcome,
                meeting_id=meeting_id,
                decision_id=decision.id,
            )
            if outcome in (GateStatus.GO, GateStatus.CONDITIONAL_GO):
                changes: dict[str, Any] = {"phase": gate.to_phase}
                if project.status is ProjectStatus.ON_HOLD:
                    changes["status"] = ProjectStatus.ACTIVE
                self.db.update(Project, project.id, project.version, **changes)
            elif outcome is GateStatus.HOLD:
                self.db.update(Project, project.id, project.version, status=ProjectStatus.ON_HOLD)
            else:
                self.db.update(Project, project.id, project.version, status=ProjectStatus.CANCELLED)
            owner_id = (
                self.portfolio.person_named(owner, create=True).id
                if owner.strip()
                else (project.manager_id)
            )
            for condition in wanted:
                self.db.add(
                    validated(
                        Action,
                        meeting_id=meeting_id,
                        agenda_item_id=decision.agenda_item_id,
                        text=f"Gate condition ({gate.code}): {condition}",
                        owner_id=owner_id,
                        due_on=due_on,
                        project_id=project.id,
                        decision_id=decision.id,
                    )
                )
            return decision

    def decided_changes(self, meeting_id: int) -> list[ChangeRow]:
        """The change requests this meeting decided, each with its decision."""
        changes = self._decisions_on_all(meeting_id, "change_request_id")
        requests = [
            self.db.get(ChangeRequest, decision.change_request_id or 0) for decision in changes
        ]
        return [
            row.model_copy(update={"decision": decision})
            for row, decision in zip(self.change_rows(requests), changes, strict=True)
        ]

    def decided_gates(self, meeting_id: int) -> list[GateRow]:
        """The stage gates this meeting decided, each with its decision."""
        gates = self._decisions_on_all(meeting_id, "gate_id")
        return [
            row.model_copy(update={"decision": decision})
            for row, decision in zip(
                self.gate_rows([self.db.get(GateReview, d.gate_id or 0) for d in gates]),
                gates,
                strict=True,
            )
        ]

    def _decisions_on_all(self, meeting_id: int, link: str) -> list[Decision]:
        table = _LINKED[link]
        rows = self.db.conn.execute(
            f"select d.* from decisions d join {table} t on t.id = d.{link} "
            "where d.meeting_id = ? and d.outcome != '' order by d.id",
            (meeting_id,),
        )
        return [self.db.row_to(Decision, row) for row in rows]


__all__ = ["Changes", "Tally"]


def gate_refusal(row: GateRow, outcome: GateStatus) -> str | None:
    """Why ``outcome`` cannot be decided on the gate as it stands (None: it can). Asked
    before the decision dialog opens too: the room learnt that a go was refused only after
    typing its rationale."""
    if outcome is GateStatus.GO and row.unmet:
        return (
            f"{len(row.unmet)} criteria are not met yet, open or not met ("
            + "; ".join(check.criterion for check in row.unmet[:3])
            + "): tick them (digits), or decide a conditional go (they become its "
            "conditions) or hold."
        )
    return None
