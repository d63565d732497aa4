"""The agenda steps of a portfolio meeting: what each is for, and the standard templates."""

from __future__ import annotations

from typing import NamedTuple

from pmo_tui.data.models import AgendaStep


class StepGuide(NamedTuple):
    title: str
    purpose: str


STEP_GUIDE: dict[AgendaStep, StepGuide] = {
    AgendaStep.PREVIOUS_ACTIONS: StepGuide(
        "Previous actions",
        "Walk the open actions from earlier meetings, overdue first: mark each done, "
        "re-date it, reassign it or drop it with a reason. Nothing is forgotten between "
        "meetings.",
    ),
    AgendaStep.STATUS: StepGuide(
        "Status",
        "Each project's RAG for overall, schedule, budget and scope, with the trend since "
        "the last meeting and a one-line commentary. Management by exception: spend the "
        "time on red, amber and anything that got worse, and agree corrective actions.",
    ),
    AgendaStep.RAID: StepGuide(
        "RAID triage",
        "Risks, assumptions, issues and dependencies that need this forum: new ones, "
        "overdue reviews and high scores. Score probability x impact, set an owner, a "
        "response and a review date; escalate or close.",
    ),
    AgendaStep.CHANGES: StepGuide(
        "Change decisions",
        "Change requests with their cost, schedule and scope impact against the project's "
        "tolerances: approve, reject, defer or ask for more information, always with a "
        "rationale. Phase gates: go, conditional go, hold or stop.",
    ),
    AgendaStep.PRIORITIES: StepGuide(
        "Priorities",
        "Re-rank the portfolio against the weighted strategic objectives and see which "
        "projects fall above or below the capacity and funding line.",
    ),
    AgendaStep.LESSONS: StepGuide(
        "Lessons",
        "Capture what was learned so the next project does better, and search the "
        "lessons of earlier projects.",
    ),
    AgendaStep.AOB: StepGuide(
        "Any other business",
        "Points raised by members that are not on the agenda; park what needs more time.",
    ),
    AgendaStep.WRAP_UP: StepGuide(
        "Wrap-up",
        "Read back every decision and action, make sure each action has an owner and a "
        "due date, close the meeting and export the minutes.",
    ),
}


DEFAULT_TEMPLATE = "Portfolio review"
