"""Before the meeting: edit the agenda, keep the topics the data proposes, set attendance."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from pmo_tui.data.agenda import STEP_GUIDE
from pmo_tui.data.models import (
    AgendaItem,
    AgendaStep,
    AgendaTopic,
    Attendance,
    AttendeeRole,
    AttendeeRow,
    Meeting,
    ProposedTopic,
)
from pmo_tui.data.store import Store
from pmo_tui.live import announce_edit
from pmo_tui.widgets.cells import plain, safe, update_static
from pmo_tui.widgets.editing import ask, run_edit, try_edit, versioned
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.form import Field, Submit, Values
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import KeyTable

_NEXT_ATTENDANCE = {
    Attendance.PRESENT: Attendance.APOLOGIES,
    Attendance.APOLOGIES: Attendance.ABSENT,
    Attendance.ABSENT: Attendance.PRESENT,
}


class ProposalsDialog(ModalScreen[list[ProposedTopic] | None]):
    """Keep or drop each topic the data proposes (all kept to start with)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="proposals.cancel"),
        Binding("enter", "keep", "Keep ticked", priority=True, id="proposals.keep"),
    ]

    def __init__(self, proposals: list[ProposedTopic], available_minutes: int) -> None:
        super().__init__()
        self.proposals = proposals
        # The minutes the agenda's steps plan: ticked topics are weighed against them.
        self.available = available_minutes
        self._warned = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(
                f"The data proposes {len(self.proposals)} topics: space keeps or drops one, "
                "enter adds the ticked ones to their steps.",
                classes="dialog-title",
            )
            yield Static(id="proposals-total")
            yield SelectionList[int](
                *(
                    Selection(self._prompt(p, kept=True), index, True)
                    for index, p in enumerate(self.proposals)
                ),
                id="proposals",
            )
        yield KeyFooter()

    @staticmethod
    def _prompt(proposal: ProposedTopic, kept: bool) -> Text:
        """A row says "kept" or "dropped" in words: the list's own tick differs by colour
        only, and read as ticked on every row."""
        return Text.assemble(
            ("kept     " if kept else "dropped  ", "bold" if kept else "dim"),
            (f"{STEP_GUIDE[proposal.step].title:<17}", "dim"),
            (f"{proposal.ref_code:<7}", "bold"),
            (safe(proposal.title[:60]), "" if kept else "dim strike"),
            (f"  {proposal.reason}, {proposal.timebox_minutes} min", "italic"),
        )

    def on_mount(self) -> None:
        self._show_total()

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        index = event.selection.value
        kept = index in event.selection_list.selected
        event.selection_list.replace_option_prompt_at_index(
            event.selection_index, self._prompt(self.proposals[index], kept)
        )

    @on(SelectionList.SelectedChanged)
    def _show_total(self) -> None:
        """The ticked topics' minutes against the agenda's, as each is ticked: 46 topics,
        about 200 minutes, went into a 105-minute meeting with no total shown."""
        chosen = self.query_one(SelectionList).selected
        minutes = sum(self.proposals[index].timebox_minutes for index in chosen)
        total = Text(
            f"Ticked: {len(chosen)} of {len(self.proposals)} topics, {minutes} min; "
            f"the agenda plans {self.available} min."
        )
        over = minutes - self.available
        if over > 0:
            total.append(f"  OVERBOOKED by {over} min: drop some (space).", style="bold reverse")
        self._warned = False
        self.query_one("#proposals-total", Static).update(total)

    def action_keep(self) -> None:
        chosen = self.query_one(SelectionList).selected
        minutes = sum(self.proposals[index].timebox_minutes for index in chosen)
        if minutes > self.available and not self._warned:
            # Asked once: the second enter adds them anyway.
            self._warned = True
            self.notify(
                f"The ticked topics take {minutes} min; the agenda plans {self.available}. "
                "Enter again adds them anyway.",
                severity="warning",
                timeout=8,
            )
            return
        self.dismiss([self.proposals[index] for index in sorted(chosen)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlanningView(Vertical):
    """Shown for a planned meeting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_step", "Add step", id="plan.add", tooltip="Add an agenda step"),
        Binding(
            "x", "remove", "Remove", id="plan.remove", tooltip="Remove the selected step or topic"
        ),
        Binding(
            "K", "move(-1)", "Move up", id="plan.up", tooltip="Move the selected step or topic up"
        ),
        Binding(
            "J",
            "move(1)",
            "Move down",
            id="plan.down",
            tooltip="Move the selected step or topic down",
        ),
        Binding("r", "rename", "Rename", id="plan.rename", tooltip="Rename the selected step"),
        Binding(
            "m", "timebox", "Minutes", id="plan.timebox", tooltip="Set the selected step's timebox"
        ),
        Binding(
            "e",
            "propose",
            "Propose from data",
            id="plan.propose",
            tooltip="Propose what this forum must see: red projects, high risks, overdue "
            "actions, change requests",
        ),
        Binding("i", "invite", "Invite", id="plan.invite", tooltip="Add an attendee"),
        Binding(
            "space",
            "attendance",
            "Attendance",
            id="plan.attendance",
            tooltip="Cycle the selected attendee: present, apologies, absent",
        ),
        Binding(
            "Q",
            "quorum",
            "Quorum rule",
            id="plan.quorum",
            tooltip="Set how many voting members make a quorum",
        ),
        Binding(
            "f",
            "followers",
            "Followers capture",
            id="plan.followers",
            tooltip="Whether sessions that follow may record actions, notes and draft decisions",
        ),
        Binding(
            "T",
            "save_template",
            "Save as template",
            id="plan.template",
            tooltip="Save this agenda as a meeting template",
        ),
    ]

    def action_followers(self) -> None:
        meeting = self.meeting
        self.attempt(
            lambda: self.store.meetings.set_followers_capture(
                meeting.id, meeting.version, not meeting.followers_capture
            )
        )

    def __init__(self, store: Store, meeting: Meeting) -> None:
        super().__init__(id="planning")
        self.store = store
        self.meeting = meeting
        self.items: dict[int, AgendaItem] = {}
        self.topics: dict[int, AgendaTopic] = {}
        self.attendees: dict[int, AttendeeRow] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.store.read_only

    def compose(self) -> ComposeResult:
        yield StepSummary(id="plan-summary")
        with Horizontal(id="plan-columns"):
            with Vertical(id="plan-agenda"):
                yield Static("Agenda", classes="section-title")
                yield KeyTable(id="plan-steps")
                yield Static("Topics proposed into the steps", classes="section-title")
                yield KeyTable(id="plan-topics")
            with Vertical(id="plan-people"):
                yield Static(id="quorum-line", classes="section-title")
                yield KeyTable(id="plan-attendees")

    def on_mount(self) -> None:
        steps = self.query_one("#plan-steps", KeyTable)
        for label in ("#", "Step", "Kind", "Timebox"):
            steps.add_column(label, key=label.lower())
        topics = self.query_one("#plan-topics", KeyTable)
        for label in ("Step", "Code", "Topic", "Why", "Min"):
            topics.add_column(label, key=label.lower())
        people = self.query_one("#plan-attendees", KeyTable)
        # Attendance before role, the name capped: at 80 and 120 columns the attendance
        # was cut to its first letter ("a": apologies or absent?).
        people.add_column("Name", key="name", width=16)
        for label in ("Attendance", "Role"):
            people.add_column(label, key=label.lower())
        self.refresh_data()
        steps.focus()

    def show(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.refresh_data()

    def refresh_data(self) -> None:
        agenda = self.store.meetings.agenda(self.meeting.id)
        self.items = {item.id: item for item in agenda}
        topics = self.store.meetings.topics(self.meeting.id)
        self.topics = {topic.id: topic for topic in topics}
        rows = self.store.meetings.attendees(self.meeting.id)
        self.attendees = {row.attendee.id: row for row in rows}
        planned = sum(item.timebox_minutes for item in agenda)
        self.query_one("#plan-summary", StepSummary).say(
            f"Planned meeting, {len(agenda)} steps, {planned} min, {len(topics)} topics. "
            "Followers " + ("may" if self.meeting.followers_capture else "may not") + " capture",
            "s starts it · e proposes topics from the data · a/x/K/J/r/m edit the agenda · "
            "i invites, space sets attendance · f followers capture or not",
        )
        self.query_one("#plan-steps", KeyTable).fill(
            (
                item.id,
                [
                    str(number),
                    plain(item.title),
                    STEP_GUIDE[item.step].title,
                    f"{item.timebox_minutes} min",
                ],
            )
            for number, item in enumerate(agenda, start=1)
        )
        titles = {item.id: item.title for item in agenda}
        self.query_one("#plan-topics", KeyTable).fill(
            (
                topic.id,
                [
                    plain(titles.get(topic.agenda_item_id, "")),
                    topic.ref_code,
                    plain(topic.title),
                    plain(topic.reason),
                    str(topic.timebox_minutes),
                ],
            )
            for topic in topics
        )
        _, why = self.store.meetings.quorum(self.meeting.id)
        update_static(self.query_one("#quorum-line", Static), f"Attendees · {why}")
        self.query_one("#plan-attendees", KeyTable).fill(
            (
                row.attendee.id,
                [
                    plain(row.name),
                    row.attendee.attendance.value,
                    row.attendee.role.value,
                ],
            )
            for row in rows
        )

    # -- helpers --------------------------------------------------------------------

    def _changed(self) -> None:
        announce_edit(self)

    def _focused_table(self) -> str:
        focused = self.screen.focused
        return focused.id or "" if isinstance(focused, KeyTable) else ""

    def _step(self) -> AgendaItem | None:
        key = self.query_one("#plan-steps", KeyTable).selected_key
        return self.items.get(key) if key is not None else None

    def ask(self, title: str, fields: list[Field], submit: Submit, label: str = "Save") -> None:
        ask(self, self.store, title, fields, submit, label, self._changed)

    def attempt(self, work: Callable[[], object]) -> None:
        run_edit(self, work, self._changed)

    # -- agenda ---------------------------------------------------------------------

    def action_add_step(self) -> None:
        def submit(values: Values) -> str | None:
            return try_edit(
                lambda: self.store.meetings.add_agenda_step(
                    self.meeting.id,
                    AgendaStep(values["kind"]),
                    values["title"],
                    int(values["minutes"] or 10),
                )
            )

        self.ask(
            "Add an agenda step",
            [
                Field(
                    "kind",
                    "Kind of step",
                    kind="choice",
                    required=True,
                    choices=[(guide.title, step.value) for step, guide in STEP_GUIDE.items()],
                ),
                Field("title", "Title (optional)", max_length=200),
                Field("minutes", "Timebox in minutes", "10", kind="number", max_length=3),
            ],
            submit,
            "Add",
        )

    def action_remove(self) -> None:
        """Removing asks first: enter removes, escape keeps it."""
        if self._focused_table() == "plan-topics":
            key = self.query_one("#plan-topics", KeyTable).selected_key
            topic = self.topics.get(key or 0)
            if topic is not None:
                self.ask(
                    f"Remove topic {topic.ref_code} “{topic.title}” from the agenda?",
                    [],
                    lambda _values: try_edit(
                        lambda: self.store.topics.remove_topic(topic.id, topic.version)
                    ),
                    "Remove",
                )
            return
        item = self._step()
        if item is not None:
            self.ask(
                f"Remove step “{item.title}” ({item.timebox_minutes} min) from the agenda?",
                [],
                lambda _values: try_edit(
                    lambda: self.store.meetings.remove_agenda_step(item.id, item.version)
                ),
                "Remove",
            )

    def action_move(self, delta: int) -> None:
        # The list is re-read in the order saved and the cursor follows the moved row.
        if self._focused_table() == "plan-topics":
            key = self.query_one("#plan-topics", KeyTable).selected_key
            if key is not None:
                self.attempt(lambda: self.store.topics.move_topic(key, delta))
            return
        item = self._step()
        if item is not None:
            self.attempt(lambda: self.store.meetings.move_agenda_step(item.id, delta))

    def action_rename(self) -> None:
        item = self._step()
        if item is None:
            return

        submit = versioned(
            item,
            lambda seen, values: self.store.meetings.rename_step(
                seen.id, seen.version, values["title"]
            ),
        )

        self.ask(
            "Rename the step",
            [Field("title", "Title", item.title, required=True, max_length=200)],
            submit,
        )

    def action_timebox(self) -> None:
        item = self._step()
        if item is None:
            return

        submit = versioned(
            item,
            lambda seen, values: self.store.meetings.timebox_step(
                seen.id, seen.version, int(values["minutes"] or 0)
            ),
        )

        self.ask(
            f"Timebox for {item.title}",
            [
                Field(
                    "minutes",
                    "Minutes",
                    str(item.timebox_minutes),
                    kind="number",
                    required=True,
                    max_length=3,
                )
            ],
            submit,
        )

    def action_propose(self) -> None:
        proposals = self.store.topics.propose_topics(self.meeting.id)
        if not proposals:
            self.notify(
                "Nothing in the data needs this forum: no red projects, high risks, "
                "overdue actions or pending changes."
            )
            return

        def keep(chosen: list[ProposedTopic] | None) -> None:
            if chosen:
                self.attempt(lambda: self.store.topics.add_topics(self.meeting.id, chosen))
                self.notify(f"Added {len(chosen)} topics to the agenda.")

        available = sum(
            item.timebox_minutes for item in self.store.meetings.agenda(self.meeting.id)
        )
        self.app.push_screen(ProposalsDialog(proposals, available), keep)

    def action_save_template(self) -> None:
        def submit(values: Values) -> str | None:
            return try_edit(
                lambda: self.store.meetings.save_agenda_as_template(self.meeting.id, values["name"])
            )

        self.ask(
            "Save this agenda as a template",
            [Field("name", "Template name", self.meeting.template, required=True, max_length=200)],
            submit,
        )

    # -- attendees ------------------------------------------------------------------

    def action_invite(self) -> None:
        people = self.store.portfolio.people()

        def submit(values: Values) -> str | None:
            def work() -> object:
                person = self.store.portfolio.person_named(values["person"], create=True)
                return self.store.meetings.set_attendance(
                    self.meeting.id,
                    person.id,
                    AttendeeRole(values["role"]),
                    Attendance(values["attendance"]),
                )

            return try_edit(work)

        self.ask(
            "Invite someone",
            [
                Field(
                    "person",
                    "Name (completes as you type)",
                    required=True,
                    kind="person",
                    suggestions=[p.name for p in people],
                    max_length=200,
                ),
                Field(
                    "role",
                    "Role",
                    kind="choice",
                    choices=[(r.value, r.value) for r in AttendeeRole],
                    value=AttendeeRole.MEMBER.value,
                ),
                Field(
                    "attendance",
                    "Attendance",
                    kind="choice",
                    choices=[(a.value, a.value) for a in Attendance],
                ),
            ],
            submit,
            "Invite",
        )

    def action_attendance(self) -> None:
        key = self.query_one("#plan-attendees", KeyTable).selected_key
        row = self.attendees.get(key or 0)
        if row is None or self._focused_table() != "plan-attendees":
            return
        attendee = row.attendee
        self.attempt(
            lambda: self.store.meetings.set_attendance(
                self.meeting.id,
                attendee.person_id,
                attendee.role,
                _NEXT_ATTENDANCE[attendee.attendance],
            )
        )

    def action_quorum(self) -> None:
        def submit(values: Values) -> str | None:
            return try_edit(
                lambda: self.store.meetings.set_quorum(
                    self.meeting.id, self.meeting.version, int(values["members"] or 0)
                )
            )

        self.ask(
            "Quorum: the chair and at least N voting members present",
            [
                Field(
                    "members",
                    "N (voting members, chair included)",
                    str(self.meeting.quorum_members),
                    kind="number",
                    required=True,
                    max_length=2,
                )
            ],
            submit,
        )
