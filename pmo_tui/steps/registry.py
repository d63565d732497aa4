"""Which view shows which kind of agenda step: the one place a new step is registered."""

from __future__ import annotations

from pmo_tui.data.models import AgendaItem, AgendaStep, Meeting
from pmo_tui.data.store import Store
from pmo_tui.steps.base import StepView
from pmo_tui.steps.changes import ChangeView
from pmo_tui.steps.lessons import LessonsView
from pmo_tui.steps.previous_actions import PreviousActionsView
from pmo_tui.steps.priorities import PrioritiesView
from pmo_tui.steps.raid import RaidView
from pmo_tui.steps.status import StatusView
from pmo_tui.steps.topics import TopicsView
from pmo_tui.steps.wrap_up import WrapUpView

VIEWS: dict[AgendaStep, type[StepView]] = {
    AgendaStep.PREVIOUS_ACTIONS: PreviousActionsView,
    AgendaStep.STATUS: StatusView,
    AgendaStep.RAID: RaidView,
    AgendaStep.CHANGES: ChangeView,
    AgendaStep.PRIORITIES: PrioritiesView,
    AgendaStep.LESSONS: LessonsView,
    AgendaStep.WRAP_UP: WrapUpView,
}


def view_for(store: Store, meeting: Meeting, item: AgendaItem) -> StepView:
    """The view for ``item``'s kind of step; a kind with no view of its own shows its guide
    and the topics proposed into it."""
    kind = VIEWS.get(item.step, TopicsView)
    return kind(store, meeting, item, id=f"step-{item.id}", classes="step-view")
