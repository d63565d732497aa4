"""Change requests and gates in the store: every decision kind, the tolerance check, the
baseline moving with its history and audit, stale requests refused, and the gate flow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pmo_tui.data.changes import Tally
from pmo_tui.data.errors import ConflictError, InvalidInputError
from pmo_tui.data.models import (
    Attendance,
    Attendee,
    ChangeRequest,
    ChangeStatus,
    CheckState,
    GateStatus,
    Meeting,
    Person,
    Phase,
    Project,
    ProjectStatus,
)
from pmo_tui.data.store import Store
from pmo_tui.export.markdown import minutes_markdown
from tests.conftest import DEMO_DAY

END = date(2027, 6, 30)


def live_meeting(store: Store) -> Meeting:
    meeting = store.meetings.plan_meeting("Board", DEMO_DAY)
    for name in ("Ann", "Bob", "Cy"):
        person = store.db.add(Person(name=name))
        store.db.add(Attendee(meeting_id=meeting.id, person_id=person.id))
    absent = store.db.add(Person(name="Dee"))
    store.db.add(
        Attendee(meeting_id=meeting.id, person_id=absent.id, attendance=Attendance.APOLOGIES)
    )
    return store.meetings.start_meeting(meeting.id)


def project(store: Store, **values: object) -> Project:
    fields: dict[str, object] = {
        "name": "Portal",
        "budget": 100_000.0,
        "end_on": END,
        "scope_statement": "Two sites",
        "cost_tolerance_pct": 10.0,
        "schedule_tolerance_days": 14,
    }
    return store.db.add(Project.model_validate(fields | values))


def request(store: Store, project_id: int, **values: object) -> ChangeRequest:
    fields: dict[str, object] = {"project_id": project_id, "title": "Add a site"}
    return store.changes.raise_change(**(fields | values))


@pytest.mark.parametrize(
    "outcome",
    [
        ChangeStatus.APPROVED,
        ChangeStatus.APPROVED_WITH_CONDITIONS,
        ChangeStatus.REJECTED,
        ChangeStatus.DEFERRED,
        ChangeStatus.MORE_INFORMATION,
    ],
)
def test_every_decision_kind_is_recorded_with_who_was_present(
    store: Store, outcome: ChangeStatus
) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    change = request(store, portal.id, cost_impact=5_000.0, schedule_impact_days=7)
    decision = store.changes.decide_change(
        meeting.id,
        change.id,
        change.version,
        outcome,
        "Because",
        conditions="Finance signs off" if outcome is ChangeStatus.APPROVED_WITH_CONDITIONS else "",
        tally=Tally(2, 1, 0),
    )
    stored = store.get(ChangeRequest, change.id)
    assert stored.status is outcome
    assert stored.decision_id == decision.id and stored.meeting_id == meeting.id
    assert decision.code.startswith("D-") and decision in store.decisions.decisions(meeting.id)
    assert decision.outcome == outcome.value and decision.change_request_id == change.id
    assert decision.present == "Ann, Bob, Cy"  # Dee sent apologies
    assert decision.tally == "2 for, 1 against, 0 abstain"
    moved = store.get(Project, portal.id)
    if outcome in (ChangeStatus.APPROVED, ChangeStatus.APPROVED_WITH_CONDITIONS):
        assert (moved.budget, moved.end_on) == (105_000.0, END + timedelta(days=7))
    else:
        assert (moved.budget, moved.end_on) == (100_000.0, END)


def test_approval_moves_the_baseline_with_history_and_audit(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    change = request(
        store, portal.id, cost_impact=8_000.0, schedule_impact_days=-3, scope_impact="A third site"
    )
    decision = store.changes.decide_change(
        meeting.id, change.id, change.version, ChangeStatus.APPROVED, "Worth it"
    )
    moved = store.get(Project, portal.id)
    assert moved.scope_statement == f"Two sites\n{change.code}: A third site"
    [step] = store.changes.baseline_history(portal.id)
    assert (step.budget_before, step.budget_after) == (100_000.0, 108_000.0)
    assert (step.end_before, step.end_after) == (END, END - timedelta(days=3))
    assert step.decision_id == decision.id and step.change_request_id == change.id
    audit = {(e.field, e.old, e.new) for e in store.events(moved)}
    assert ("budget", "100000.0", "108000.0") in audit
    assert ("end_on", END.isoformat(), (END - timedelta(days=3)).isoformat()) in audit


def test_tolerance_counts_approved_changes_and_says_by_how_much(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    first = request(store, portal.id, cost_impact=6_000.0, schedule_impact_days=10)
    second = request(store, portal.id, cost_impact=7_000.0, schedule_impact_days=2)
    [row] = store.changes.change_rows([first])
    assert not row.tolerance.escalate and row.tolerance.describe() == "within tolerance"
    store.changes.decide_change(meeting.id, first.id, first.version, ChangeStatus.APPROVED, "ok")
    [row] = store.changes.change_rows([store.get(ChangeRequest, second.id)])
    assert (row.approved_cost, row.approved_days, row.approved_count) == (6_000.0, 10, 1)
    # Measured against the original 100,000 (not the moved 106,000): 13,000 against ±10,000.
    assert row.tolerance.escalate
    assert row.tolerance.cost_over == 3_000.0 and row.tolerance.days_over == 0
    assert "cost by 3,000 (+13,000 against ±10,000)" in row.tolerance.describe()
    decision = store.changes.decide_change(
        meeting.id, second.id, second.version, ChangeStatus.APPROVED, "Board accepts"
    )
    assert "beyond tolerance, escalate: cost by 3,000" in decision.text


def test_a_saving_beyond_tolerance_is_flagged_too(store: Store) -> None:
    portal = project(store)
    saving = request(store, portal.id, cost_impact=-15_000.0)
    [row] = store.changes.change_rows([saving])
    assert row.tolerance.escalate and row.tolerance.cost_over == 5_000.0


def test_a_request_changed_by_another_session_is_not_decided(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    seen = request(store, portal.id, cost_impact=1_000.0)
    store.changes.edit_change(seen.id, seen.version, cost_impact=90_000.0)
    with pytest.raises(ConflictError) as refused:
        store.changes.decide_change(meeting.id, seen.id, seen.version, ChangeStatus.APPROVED, "ok")
    assert refused.value.current.cost_impact == 90_000.0
    assert store.get(ChangeRequest, seen.id).status is ChangeStatus.SUBMITTED
    assert store.get(Project, portal.id).budget == 100_000.0
    assert store.decisions.decisions(meeting.id) == []


def test_bad_decisions_are_refused_and_change_nothing(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store, budget=1_000.0)
    change = request(store, portal.id, cost_impact=-5_000.0)

    def decide(outcome: ChangeStatus, rationale: str = "why", **extra: object) -> None:
        current = store.get(ChangeRequest, change.id)
        store.changes.decide_change(
            meeting.id, change.id, current.version, outcome, rationale, **extra
        )  # type: ignore[arg-type]

    with pytest.raises(InvalidInputError, match="needs its rationale"):
        decide(ChangeStatus.APPROVED, "  ")
    with pytest.raises(InvalidInputError, match="needs the conditions"):
        decide(ChangeStatus.APPROVED_WITH_CONDITIONS)
    with pytest.raises(InvalidInputError, match="Defer to a date after 2026-11-26"):
        decide(ChangeStatus.DEFERRED, deferred_to=DEMO_DAY)
    with pytest.raises(InvalidInputError, match="tally counts 5 votes but 3 people"):
        decide(ChangeStatus.REJECTED, tally=Tally(3, 2, 0))
    with pytest.raises(InvalidInputError, match="below zero"):
        decide(ChangeStatus.APPROVED)
    with pytest.raises(InvalidInputError, match="not a decision the forum takes"):
        decide(ChangeStatus.WITHDRAWN)
    assert store.get(ChangeRequest, change.id).status is ChangeStatus.SUBMITTED
    assert store.decisions.decisions(meeting.id) == []
    assert store.get(Project, portal.id).budget == 1_000.0


def test_drafts_wait_for_submission_and_decided_requests_stay_decided(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    draft = request(store, portal.id, status=ChangeStatus.DRAFT)
    with pytest.raises(InvalidInputError, match="is a draft: submit it"):
        store.changes.decide_change(
            meeting.id, draft.id, draft.version, ChangeStatus.APPROVED, "ok"
        )
    assert draft.id not in {row.request.id for row in store.changes.change_queue(meeting.id)}
    assert draft.id in {
        row.request.id for row in store.changes.change_queue(meeting.id, everything=True)
    }
    submitted = store.changes.submit_change(draft.id, draft.version)
    store.changes.decide_change(
        meeting.id, draft.id, submitted.version, ChangeStatus.REJECTED, "No"
    )
    current = store.get(ChangeRequest, draft.id)
    with pytest.raises(InvalidInputError, match="was rejected in M-1"):
        store.changes.decide_change(
            meeting.id, draft.id, current.version, ChangeStatus.APPROVED, "ok"
        )
    with pytest.raises(InvalidInputError, match="stays as decided"):
        store.changes.edit_change(draft.id, current.version, title="Sneaky")


def test_deferrals_come_back_when_due(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store)
    later = request(store, portal.id, title="Later")
    nextone = request(store, portal.id, title="Next")
    store.changes.decide_change(
        meeting.id,
        later.id,
        later.version,
        ChangeStatus.DEFERRED,
        "Wait for the audit",
        deferred_to=date(2027, 2, 1),
    )
    store.changes.decide_change(
        meeting.id, nextone.id, nextone.version, ChangeStatus.DEFERRED, "Wait"
    )
    store.records.close_meeting(meeting.id)
    december = store.meetings.start_meeting(
        store.meetings.plan_meeting("December", date(2026, 12, 10)).id
    )
    queued = {row.request.title for row in store.changes.change_queue(december.id)}
    assert queued == {"Next"}
    february = store.meetings.plan_meeting("February", date(2027, 2, 4))
    assert {row.request.title for row in store.changes.change_queue(february.id)} == {
        "Next",
        "Later",
    }


def test_rebaselining_by_hand_needs_a_reason_and_is_kept(store: Store) -> None:
    portal = project(store)
    with pytest.raises(InvalidInputError, match="needs a reason"):
        store.changes.rebaseline(
            portal.id,
            portal.version,
            budget=120_000.0,
            end_on=END,
            scope="Two sites",
            cost_tolerance_pct=10,
            schedule_tolerance_days=14,
            reason="",
        )
    with pytest.raises(InvalidInputError, match="cannot be negative"):
        store.changes.rebaseline(
            portal.id,
            portal.version,
            budget=-1.0,
            end_on=END,
            scope="",
            cost_tolerance_pct=10,
            schedule_tolerance_days=14,
            reason="x",
        )
    moved = store.changes.rebaseline(
        portal.id,
        portal.version,
        budget=120_000.0,
        end_on=END,
        scope="Two sites",
        cost_tolerance_pct=5,
        schedule_tolerance_days=7,
        reason="Re-plan after the restructure",
    )
    assert (moved.budget, moved.cost_tolerance_pct, moved.schedule_tolerance_days) == (
        120_000.0,
        5,
        7,
    )
    [step] = store.changes.baseline_history(portal.id)
    assert step.reason == "Re-plan after the restructure" and step.decision_id is None


# -- gates --------------------------------------------------------------------------


def test_a_gate_comes_with_its_phase_checklist_which_is_configurable(store: Store) -> None:
    portal = project(store, phase=Phase.PLANNING)
    store.changes.set_gate_criteria(Phase.DELIVERY, ["Plan baselined", "  ", "Team   named"])
    gate = store.changes.request_gate(portal.id, "Ready to build", "Ann")
    assert (gate.from_phase, gate.to_phase) == (Phase.PLANNING, Phase.DELIVERY)
    assert [c.criterion for c in store.changes.gate_checks(gate.id)] == [
        "Plan baselined",
        "Team named",
    ]
    with pytest.raises(InvalidInputError, match="already has gate G-1 waiting"):
        store.changes.request_gate(portal.id)
    with pytest.raises(InvalidInputError, match="at least one criterion"):
        store.changes.set_gate_criteria(Phase.DELIVERY, ["", " "])
    last = project(store, name="Old", phase=Phase.CLOSING)
    with pytest.raises(InvalidInputError, match="last phase"):
        store.changes.request_gate(last.id)


def test_go_needs_every_criterion_met_and_moves_the_phase(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store, phase=Phase.PLANNING)
    gate = store.changes.request_gate(portal.id)
    checks = store.changes.gate_checks(gate.id)
    with pytest.raises(InvalidInputError, match=f"{len(checks)} criteria are not met"):
        store.changes.decide_gate(meeting.id, gate.id, gate.version, GateStatus.GO, "Ready")
    assert store.get(Project, portal.id).phase is Phase.PLANNING
    for check in checks:
        state = CheckState.NOT_APPLICABLE if check.position == 0 else CheckState.MET
        store.changes.set_check(check.id, check.version, state)
    decision = store.changes.decide_gate(meeting.id, gate.id, gate.version, GateStatus.GO, "Ready")
    assert store.get(Project, portal.id).phase is Phase.DELIVERY
    assert decision.gate_id == gate.id and decision.outcome == "go"
    assert "planning → delivery: go" in decision.text


def test_conditional_go_turns_conditions_into_actions(store: Store) -> None:
    meeting = live_meeting(store)
    manager = store.db.add(Person(name="Maya"))
    portal = project(store, phase=Phase.INITIATION, manager_id=manager.id)
    gate = store.changes.request_gate(portal.id)
    decision = store.changes.decide_gate(
        meeting.id,
        gate.id,
        gate.version,
        GateStatus.CONDITIONAL_GO,
        "Good enough to plan",
        conditions=["Funding released", " ", "Risks logged"],
        due_on=date(2026, 12, 31),
    )
    assert store.get(Project, portal.id).phase is Phase.PLANNING
    actions = [a for a in store.decisions.actions(meeting.id) if a.decision_id == decision.id]
    assert [a.text for a in actions] == [
        f"Gate condition ({gate.code}): Funding released",
        f"Gate condition ({gate.code}): Risks logged",
    ]
    assert all(a.owner_id == manager.id and a.due_on == date(2026, 12, 31) for a in actions)
    with pytest.raises(InvalidInputError, match="needs its conditions"):
        other = store.changes.request_gate(project(store, name="Two").id)
        store.changes.decide_gate(
            meeting.id, other.id, other.version, GateStatus.CONDITIONAL_GO, "x"
        )


def test_hold_and_stop_leave_the_phase_and_set_the_status(store: Store) -> None:
    meeting = live_meeting(store)
    held = project(store, name="Held")
    stopped = project(store, name="Stopped")
    for target, outcome, status in (
        (held, GateStatus.HOLD, ProjectStatus.ON_HOLD),
        (stopped, GateStatus.STOP, ProjectStatus.CANCELLED),
    ):
        gate = store.changes.request_gate(target.id)
        store.changes.decide_gate(meeting.id, gate.id, gate.version, outcome, "Not now")
        after = store.get(Project, target.id)
        assert (after.phase, after.status) == (Phase.INITIATION, status)
    # A held gate comes back to the forum; the same review is decided again later.
    [waiting] = [
        row for row in store.changes.gate_queue(meeting.id) if row.gate.status is GateStatus.HOLD
    ]
    assert waiting.project.id == held.id


def test_the_minutes_carry_change_and_gate_tables(store: Store) -> None:
    meeting = live_meeting(store)
    portal = project(store, name="Portal | web")
    change = request(store, portal.id, title="Add <b>Welsh</b>", cost_impact=50_000.0)
    store.changes.decide_change(
        meeting.id,
        change.id,
        change.version,
        ChangeStatus.APPROVED_WITH_CONDITIONS,
        "Legal duty",
        conditions="Quote from two suppliers",
        tally=Tally(3, 0, 0),
    )
    gate = store.changes.request_gate(portal.id)
    store.changes.decide_gate(
        meeting.id, gate.id, gate.version, GateStatus.HOLD, "Business case thin"
    )
    markdown = minutes_markdown(store.records.minutes(meeting.id))
    changes = markdown.split("## Change decisions", 1)[1].split("## Gate decisions", 1)
    assert "Portal \\| web" in changes[0] and "Add \\<b\\>Welsh\\</b\\>" in changes[0]
    assert "approved with conditions" in changes[0] and "Quote from two suppliers" in changes[0]
    assert "beyond tolerance, escalate: cost by 40,000" in changes[0]
    assert "Ann, Bob, Cy; vote 3 for, 0 against, 0 abstain" in changes[0]
    assert "initiation → planning" in changes[1] and "Business case thin" in changes[1]
