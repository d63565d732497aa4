"""Management by exception: the topics a forum must see, proposed from the data and timeboxed."""

from __future__ import annotations

from datetime import date

from pmo_tui.data.core import Db
from pmo_tui.data.decisions import Decisions
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.models import (
    AgendaStep,
    AgendaTopic,
    ChangeRequest,
    ChangeStatus,
    Meeting,
    ProposedTopic,
    RaidKind,
    TopicOutcome,
)
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.raid import Raid
from pmo_tui.data.rules import rag_severity, risk_score
from pmo_tui.data.topic_outcomes import topic_outcome

# A risk this severe (probability x impact, out of 25) is a topic of its own.
HIGH_RISK_SCORE = 15


class Topics:
    """Proposed and kept agenda topics, read from the status board, RAID, actions and changes."""

    def __init__(
        self, db: Db, portfolio: Portfolio, meetings: Meetings, decisions: Decisions, raid: Raid
    ) -> None:
        self.db = db
        self.portfolio = portfolio
        self.meetings = meetings
        self.decisions = decisions
        self.raid = raid

    def propose_topics(self, meeting_id: int) -> list[ProposedTopic]:
        """What this forum must see, most severe first, each timeboxed by severity."""
        meeting = self.db.get(Meeting, meeting_id)
        today = meeting.scheduled_on
        proposals: list[ProposedTopic] = []
        for row in self.portfolio.status_board(meeting_id):
            current, previous = row.current, row.previous
            if current is None:
                continue
            worse = previous is not None and rag_severity(current.overall) > rag_severity(
                previous.overall
            )
            if current.overall.value == "red" or worse:
                reason = "red" if current.overall.value == "red" else "RAG worsened"
                if current.overall.value == "red" and worse:
                    reason = "turned red"
                severity = 3 if current.overall.value == "red" else 2
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.STATUS,
                        ref_code=row.project.code,
                        title=row.project.name,
                        reason=reason,
                        timebox_minutes=2 + severity,
                        severity=severity,
                    )
                )
        for item in self.raid.all_open_raid():
            score = risk_score(item)
            if item.kind is RaidKind.RISK and score is not None and score >= HIGH_RISK_SCORE:
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.RAID,
                        ref_code=item.code,
                        title=item.title,
                        reason=f"risk score {score}",
                        timebox_minutes=5 if score >= 20 else 3,
                        severity=3 if score >= 20 else 2,
                    )
                )
            elif (
                item.kind is RaidKind.ASSUMPTION
                and item.review_by is not None
                and item.review_by < today
            ):
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.RAID,
                        ref_code=item.code,
                        title=item.title,
                        reason=f"not validated by {item.review_by.isoformat()}",
                        timebox_minutes=2,
                        severity=1,
                    )
                )
        for action in self.decisions.open_actions_before(meeting_id):
            if action.due_on is not None and action.due_on < today:
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.PREVIOUS_ACTIONS,
                        ref_code=action.code,
                        title=action.text[:200],
                        reason=f"overdue since {action.due_on.isoformat()}",
                        timebox_minutes=2,
                        severity=2,
                    )
                )
        for change in self.db.all(ChangeRequest):
            if change.status in (ChangeStatus.SUBMITTED, ChangeStatus.MORE_INFORMATION):
                proposals.append(
                    ProposedTopic(
                        step=AgendaStep.CHANGES,
                        ref_code=change.code,
                        title=change.title,
                        reason=f"awaiting decision ({change.status})",
                        timebox_minutes=4,
                        severity=2,
                    )
                )
        order = list(AgendaStep)

        def code_order(code: str) -> tuple[str, int]:
            prefix, _, number = code.partition("-")
            return prefix, int(number) if number.isdecimal() else 0

        proposals.sort(key=lambda p: (order.index(p.step), -p.severity, code_order(p.ref_code)))
        return proposals

    def add_topics(self, meeting_id: int, proposals: list[ProposedTopic]) -> list[AgendaTopic]:
        """Put the kept proposals under the first step of their kind (others are skipped)."""
        added: list[AgendaTopic] = []
        with self.db.write():
            items = {item.step: item for item in reversed(self.meetings.agenda(meeting_id))}
            existing = {(t.agenda_item_id, t.ref_code) for t in self.meetings.topics(meeting_id)}
            for proposal in proposals:
                item = items.get(proposal.step)
                if item is None or (item.id, proposal.ref_code) in existing:
                    continue
                position = sum(1 for t in added if t.agenda_item_id == item.id) + sum(
                    1 for key in existing if key[0] == item.id
                )
                added.append(
                    self.db.add(
                        AgendaTopic(
                            meeting_id=meeting_id,
                            agenda_item_id=item.id,
                            position=position,
                            ref_code=proposal.ref_code,
                            title=proposal.title[:400],
                            reason=proposal.reason,
                            timebox_minutes=proposal.timebox_minutes,
                        )
                    )
                )
        return added

    def step_topics(self, meeting_id: int, agenda_item_id: int) -> list[TopicOutcome]:
        """The topics proposed into one step, each with what the meeting has recorded
        about it so far (nothing: not taken yet)."""
        topics = [t for t in self.meetings.topics(meeting_id) if t.agenda_item_id == agenda_item_id]
        if not topics:
            return []
        meeting = self.db.get(Meeting, meeting_id)
        # The status board is the costly read: only for a step with projects proposed.
        projects = any(t.ref_code.startswith("P-") for t in topics)
        decisions = self.decisions.decisions(meeting_id)
        raid = self.raid.raid_changes(meeting_id)
        carried = self.decisions.carried_over(meeting)
        status = self.portfolio.status_board(meeting_id) if projects else []
        return [
            TopicOutcome(
                topic=topic,
                done=topic_outcome(topic.ref_code, decisions, raid, carried, status),
            )
            for topic in topics
        ]

    def refresh_reasons(self, meeting_id: int, planned_for: date) -> int:
        """The meeting moved to another day (held today, not on ``planned_for``): each
        topic's reason is read again on the new date ("overdue since" a date not yet
        past said so). A topic the data no longer proposes keeps its reason, saying for
        which day it was proposed. Returns how many changed."""
        with self.db.write():
            now: dict[tuple[AgendaStep | None, str], str] = {
                (p.step, p.ref_code): p.reason for p in self.propose_topics(meeting_id)
            }
            items = {item.id: item.step for item in self.meetings.agenda(meeting_id)}
            changed = 0
            for topic in self.meetings.topics(meeting_id):
                reason = now.get((items.get(topic.agenda_item_id), topic.ref_code))
                if reason is None:
                    if topic.reason.startswith("proposed for "):
                        continue
                    reason = f"proposed for {planned_for:%d %b}: {topic.reason}"
                if reason != topic.reason:
                    self.db.update(AgendaTopic, topic.id, topic.version, reason=reason)
                    changed += 1
            return changed

    def move_topic(self, topic_id: int, delta: int) -> None:
        """Move a topic up or down within its step."""
        with self.db.write():
            topic = self.db.get(AgendaTopic, topic_id)
            siblings = [
                t
                for t in self.meetings.topics(topic.meeting_id)
                if t.agenda_item_id == topic.agenda_item_id
            ]
            self.meetings.move_within(AgendaTopic, siblings, topic_id, delta)

    def remove_topic(self, topic_id: int, version: int) -> AgendaTopic:
        """Take a proposed topic off a planned meeting's agenda (the trail keeps it)."""
        with self.db.write():
            topic = self.db.get(AgendaTopic, topic_id)
            self.meetings._editable_agenda(topic.meeting_id)
            return self.db.delete(AgendaTopic, topic_id, version)
