"""The meeting shell: the agenda sidebar and clock, the current step's body and notes, the
decisions and actions panel; planning before the meeting and read-back after it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Static, TextArea

from pmo_tui.data.errors import StoreError
from pmo_tui.data.files import check_export_target
from pmo_tui.data.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MeetingState,
    MinutesState,
)
from pmo_tui.data.presence import STALE_SECONDS
from pmo_tui.data.rules import seconds_spent
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document, minutes_name, write_atomically
from pmo_tui.screens import meeting_capture as capture
from pmo_tui.screens.meeting_start import start_meeting
from pmo_tui.screens.minutes_preview import MinutesPreview
from pmo_tui.screens.since_last import SinceLastScreen
from pmo_tui.steps.base import StepView
from pmo_tui.steps.planning import PlanningView
from pmo_tui.steps.records import RecordsTable, meeting_records
from pmo_tui.steps.registry import view_for
from pmo_tui.widgets.agenda_sidebar import AgendaSidebar, clock_text, over_text
from pmo_tui.widgets.cells import STATE_MARK, safe, update_static
from pmo_tui.widgets.editing import ask, run_edit
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.form import Field, Submit
from pmo_tui.widgets.notes_area import NotesArea, without_name_line
from pmo_tui.widgets.presentation import PresentBar
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import KeyTable
from pmo_tui.widgets.toasts import place_toasts

if TYPE_CHECKING:
    from pmo_tui.app import PmoApp

# A widget kind looked up by id (MeetingScreen._find).
W = TypeVar("W", bound=Widget)

NOTES_SAVE_DELAY = 0.8  # seconds after the last keystroke

# Only the session that drives the meeting moves it on, times it and closes it...
DRIVER_ONLY = {"extend", "park", "close_meeting"}
# ...while followers may capture, when the meeting allows it (followers_capture).
CAPTURE = {"decision", "action", "edit_notes", "lesson"}
# Keys whose characters go into the notes while the box has the cursor (the footer
# offered them there: "+" typed a plus). Moving steps stays (F8 / F7 still move).
TYPED_IN_NOTES = {
    "extend",
    "park",
    "decision",
    "action",
    "edit_notes",
    "toggle_log",
    "since_last",
    "present",
    "start",
    "close_meeting",
    "reopen",
    "minutes",
    "export",
    "take_drive",
    "follow",
}
SELECTION_PUBLISH_DELAY = 0.1  # seconds after the driver's cursor stops (a key held: one beat)


_MINUTES_HINT = {
    MinutesState.DRAFT: "draft: M circulates, R reopens",
    MinutesState.CIRCULATED: "circulated: M records approval, R reopens",
    MinutesState.APPROVED: "approved and stamped",
}


# For how long after a meeting starts joining it opens on "what changed since the last
# meeting": long enough for the latecomers, not for someone reconnecting mid-meeting.
SINCE_LAST_WINDOW = timedelta(minutes=5)
MINUTES_PREVIEW = "minutes-preview"  # the installed preview screen's name


class MeetingScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "right_square_bracket,f8",
            "next_step",
            "Next step",
            key_display="]",
            id="meeting.next",
            tooltip="Go to the next agenda step",
        ),
        Binding(
            "left_square_bracket,f7",
            "previous_step",
            "Previous",
            key_display="[",
            id="meeting.previous",
            tooltip="Go to the previous agenda step",
        ),
        Binding(
            "d",
            "decision",
            "Decision",
            id="meeting.decision",
            tooltip="Record a decision (from any step)",
        ),
        Binding(
            "t",
            "action",
            "Action",
            id="meeting.action",
            tooltip="Record an action with owner and due date (from any step)",
        ),
        Binding(
            "ctrl+l",
            "lesson",
            "Lesson",
            id="meeting.lesson",
            tooltip="Capture a lesson learned (from any step; the project under the cursor)",
        ),
        Binding(
            "n",
            "edit_notes",
            "Notes",
            id="meeting.notes",
            tooltip="Write this step's notes (saved as you type; esc leaves them)",
        ),
        Binding(
            "l",
            "toggle_log",
            "Log",
            id="meeting.log",
            tooltip="Show or hide this meeting's decisions and actions",
        ),
        Binding(
            "plus",
            "extend",
            "+5 min",
            key_display="+",
            id="meeting.extend",
            tooltip="Extend the current step by five minutes",
        ),
        Binding(
            "P",
            "park",
            "Park",
            id="meeting.park",
            tooltip="Park the rest of this step for the next meeting, with a reason",
        ),
        Binding(
            "w",
            "since_last",
            "What changed",
            id="meeting.since",
            tooltip="What changed in the portfolio since the last meeting",
        ),
        Binding(
            "p",
            "present",
            "Present",
            id="meeting.present",
            tooltip="Presentation mode for the shared screen: hide everything else",
        ),
        Binding("s", "start", "Start", id="meeting.start", tooltip="Start the meeting"),
        Binding(
            "C",
            "close_meeting",
            "Close",
            id="meeting.close",
            tooltip="Close the meeting: it is frozen from then on",
        ),
        Binding(
            "R",
            "reopen",
            "Reopen",
            id="meeting.reopen",
            tooltip="Reopen a closed meeting (recorded, with a reason)",
        ),
        Binding(
            "M",
            "minutes",
            "Circulate/approve minutes",
            id="meeting.minutes",
            tooltip="Draft minutes go out for comment; circulated ones are approved (stamped)",
        ),
        Binding(
            "E",
            "export",
            "Export minutes",
            id="meeting.export",
            tooltip="Write the minutes as Markdown and preview them",
        ),
        Binding(
            "D",
            "take_drive",
            "Take the drive",
            id="meeting.drive",
            tooltip="Drive the meeting from this session (recorded); the others follow",
        ),
        Binding(
            "F",
            "follow",
            "Follow driver",
            id="meeting.follow",
            tooltip="Jump back to the driver's step and follow it again",
        ),
        Binding("escape", "leave", "Back", id="meeting.back"),
        Binding("backspace", "leave", "Back", show=False, id="meeting.back-alt"),
    ]

    def __init__(self, store: Store, meeting_id: int) -> None:
        super().__init__()
        self.store = store
        self.meeting_id = meeting_id
        self.meeting = store.get(Meeting, meeting_id)
        self.agenda: list[AgendaItem] = store.meetings.agenda(meeting_id)
        # A closed meeting can still be walked through: this is the step on screen.
        self.viewing = self.meeting.current_step
        self.notes_item: AgendaItem | None = None
        self._notes_timer: Timer | None = None
        self._mounted_shape: tuple[str, ...] = ()
        self._notes_text: str | None = None
        # The notes as this session last read or saved them: what a save merges over.
        self._notes_seen = ""
        # A follower who stepped away looks around without moving anyone else.
        self.away = False
        self._known_codes: set[str] | None = None
        # Codes this session recorded: the log announces only other sessions' records.
        self.mine: set[str] = set()
        self._publish_timer: Timer | None = None
        self._presence_shown: Text | None = None
        self._title_shown: Text | None = None
        self._notes_state = ""
        # A follower kept on their step while writing notes (see refresh_data).
        self._kept_for_notes = False
        # The notes box is open (n) until the cursor leaves it. An attribute, not a class
        # on the screen: a screen's class restyles every widget in it.
        self.notes_open = False
        # The sessions listed, and their locks as last looked at (``_tick``).
        self._pulse_ids: list[int] = []
        self._pulse: tuple[object, ...] = ()
        self._ticks = 0

    @property
    def session_id(self) -> int | None:
        return self.pmo.session_id

    @property
    def driving(self) -> bool:
        """No driver recorded (a meeting started outside the app) means anyone drives."""
        driver = self.meeting.driver_session
        return driver is None or driver == self.session_id

    @property
    def live(self) -> bool:
        return self.meeting.state is MeetingState.LIVE and not self.store.read_only

    @property
    def pmo(self) -> PmoApp:
        return cast("PmoApp", self.app)

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="shell"):
            with Vertical(id="sidebar"):
                yield Static(id="meeting-name", classes="screen-title")
                yield AgendaSidebar(id="agenda-sidebar")
                yield Static(id="presence")
            with Vertical(id="stage"):
                yield PresentBar(id="present-bar")
                yield Static(id="present-item")
                yield Static(id="step-title", classes="step-title")
                yield Static(id="step-topics")
                yield ContentSwitcher(id="steps")
                yield Static("Notes", id="notes-title", classes="section-title")
                yield NotesArea(self._notes_edited, id="notes")
        with Vertical(id="log"):
            yield Static("Decisions and actions of this meeting", classes="section-title")
            yield RecordsTable(self.store, id="log-records")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.store.meeting_id = self.meeting_id
        await self._build_body()
        if self.live and self.session_id is not None and self._seat_is_mine():
            self.attempt(
                lambda: self.store.meetings.take_drive(self.meeting_id, self.session_id or 0)
            )
        self.pmo.beat()  # say at once where this session is
        self.refresh_presence()
        self.set_interval(1.0, self._tick)
        if self._show_since_last() and self.pmo.once("what changed", self.meeting_id):
            self.app.push_screen(SinceLastScreen(self.store.meetings.since_last(self.meeting_id)))

    def _seat_is_mine(self) -> bool:
        """Nobody drives (started outside the app): the first session in claims the seat.
        The driver's own session is gone (a dropped connection, a crash) and this is the
        driver coming back: they drive again, not follow an empty seat."""
        meeting = self.meeting
        if meeting.driver_session is None:
            return True
        return meeting.driver == self.store.user and not self.store.presence.driver_present(meeting)

    def _show_since_last(self) -> bool:
        """ "What changed since the last meeting" opens the meeting: for whoever is there at
        its start, not again for someone coming back (w shows it at any time; a session
        that has seen it is not shown it again: ``PmoApp.once``)."""
        meeting = self.meeting
        if meeting.state is not MeetingState.LIVE or any(item.ended_at for item in self.agenda):
            return False
        if meeting.started_at is None:
            return True
        return self.store.clock() - meeting.started_at <= SINCE_LAST_WINDOW

    def _body_shape(self) -> tuple[str, ...]:
        """What the mounted body must match: planning, or one view per agenda step."""
        if self.meeting.state is MeetingState.PLANNED:
            return ("planning",)
        return tuple(f"step-{item.id}" for item in self.agenda)

    async def _build_body(self) -> None:
        self.meeting = self.store.get(Meeting, self.meeting_id)
        self.agenda = self.store.meetings.agenda(self.meeting_id)
        switcher = self.query_one("#steps", ContentSwitcher)
        await switcher.remove_children()
        self._mounted_shape = self._body_shape()
        if self.meeting.state is MeetingState.PLANNED:
            await switcher.mount(PlanningView(self.store, self.meeting))
            switcher.current = "planning"
        else:
            # Step views are built on their first visit: at portfolio scale building all
            # seven at once took most of the two seconds a meeting took to open.
            await self._mount_step(self.agenda[self.meeting.current_step], refresh=False)
        self.set_class(self.meeting.state is MeetingState.PLANNED, "-planned")
        self.set_class(self.meeting.state is MeetingState.CLOSED, "-closed")
        self.refresh_data()
        self._focus_body()

    async def _mount_step(self, item: AgendaItem, refresh: bool = True) -> None:
        """Build a step's view on its first visit (it reads its own data as it mounts)."""
        if self._find(f"step-{item.id}", StepView) is None:
            view = view_for(self.store, self.meeting, item)
            view.display = False  # the switcher shows one at a time
            await self.query_one("#steps", ContentSwitcher).mount(view)
        if refresh:
            self.refresh_data(view_is_fresh=True)
            self._focus_body()
            if (built := self._find(f"step-{item.id}", StepView)) is not None:
                built.refresh_bindings()  # may_edit was set after it drew its footer keys
        # A follower's view built after the driver's cursor was published: it goes to the
        # driver's row now, not when the driver next moves. The driver's new step and row
        # are told at once.
        self.refresh_presence()
        if self.live and self.driving and self.meeting.driver_session is not None:
            self.call_after_refresh(self.pmo.beat)

    @on(events.ScreenResume)
    def _seat_on_top(self) -> None:
        # On top again (a dialog or another screen closed over it): edits are in this
        # meeting again. The seat follows the screen on top (see HomeScreen). Not named
        # on_screen_resume: live.PeerWatch takes that name for a screen re-read on resume.
        self.store.meeting_id = self.meeting_id

    def on_unmount(self) -> None:
        self._save_notes()

    def save_unsaved(self) -> None:
        """Notes typed since the last save, written now (live.Unsaved)."""
        self._save_notes()
        if self.store.meeting_id == self.meeting_id:
            self.store.meeting_id = None

    # -- showing --------------------------------------------------------------------

    def refresh_data(self, view_is_fresh: bool = False) -> None:
        self.meeting = self.store.get(Meeting, self.meeting_id)
        self.agenda = self.store.meetings.agenda(self.meeting_id)
        meeting = self.meeting
        if self._body_shape() != self._mounted_shape:
            # Started, closed or re-planned (here or by another session): rebuild first.
            self.call_later(self._build_body)
            return
        if meeting.state is MeetingState.LIVE and (self.driving or not self.away):
            if not self.driving and meeting.current_step != self.viewing and self._writing_notes():
                # A follower writing notes is not pulled away mid-sentence (their words
                # went to the next step, and their keys to its commands): they stay, and
                # follow again when they close the notes.
                self.away = self._kept_for_notes = True
                self.notify(
                    f"The meeting moved on to step {meeting.current_step + 1}: you stay here "
                    "while you write; esc closes the notes and you follow.",
                    timeout=6,
                )
                self.call_after_refresh(self.pmo.beat)
            else:
                if self.viewing != meeting.current_step and not self.driving:
                    self.call_after_refresh(self.pmo.beat)  # the driver sees "following" now
                self.viewing = meeting.current_step
                self.away = False
        self.viewing = max(0, min(self.viewing, len(self.agenda) - 1))
        self.sub_title = f"{meeting.code} · {STATE_MARK[meeting.state]}"
        update_static(
            self.query_one("#meeting-name", Static),
            Text.assemble((meeting.code, "bold"), " ", safe(meeting.title)),
        )
        self.query_one(AgendaSidebar).show(meeting, self.agenda, self.store.clock())
        if meeting.state is MeetingState.PLANNED:
            self._title_shown = None
            self.query_one("#step-title", Static).update(
                Text(f"Planning {safe(meeting.title)} · {meeting.scheduled_on:%a %d %b %Y}")
            )
            self.query_one(PlanningView).show(meeting)
            self._load_notes(None)
            self._show_step_topics(None)
        else:
            item = self.agenda[self.viewing]
            self._show_step_topics(item)
            view = self._find(f"step-{item.id}", StepView)
            if view is None or not view.is_mounted:
                # The step left is hidden and loses the keys at once: a key pressed
                # before the new step is built (`]` then `j`, or a loaded machine) moved
                # the hidden step's cursor, and followers' cursors with it.
                self.query_one("#steps", ContentSwitcher).current = None
                if not isinstance(self.focused, NotesArea):
                    self.set_focus(None)
                self._show_step_title()  # said at once; the step's body follows
                if view is None:
                    self.call_later(self._mount_step, item)
                # Else it is being built (a peer's commit arrived meanwhile): it reads its
                # data as it mounts, and the build shows it then.
                return
            switcher = self.query_one("#steps", ContentSwitcher)
            if switcher.current != view.id and not isinstance(self.focused, NotesArea):
                self.set_focus(None)  # a follower moved: keys go nowhere until it is focused
            switcher.current = view.id
            view.may_edit = self.driving
            if view_is_fresh:
                view.meeting, view.item = meeting, item  # it re-read its data itself
            else:
                view.show(meeting, item)
            self._show_step_title()
            self._load_notes(item)
        log = self.query_one("#log-records", RecordsTable)
        log.editable = self.live and (self.driving or meeting.followers_capture)
        log.can_confirm = self.live and self.driving
        recorded = meeting_records(self.store, meeting)
        log.show(recorded.decisions, recorded.actions, recorded.steps, recorded.names)
        self._announce_new([*recorded.decisions, *recorded.actions])
        self.refresh_presence()
        self.refresh_bindings()

    def _announce_new(self, records: list[Decision | Action]) -> None:
        """Tell this session about decisions and actions another session just recorded."""
        codes = {record.code for record in records}
        if self._known_codes is not None:
            for record in records:
                if record.code not in self._known_codes and record.code not in self.mine:
                    draft_by = record.draft_by if isinstance(record, Decision) else ""
                    what = f"{record.code} " + (
                        f"drafted by {draft_by}" if draft_by else "recorded"
                    )
                    self.notify(f"{what}: {safe(record.text[:80])}", markup=False, timeout=8)
        self._known_codes = codes

    # -- presence and driving -------------------------------------------------------

    def location(self) -> tuple[int | None, int | None, str]:
        return self.meeting_id, self.viewing, self._selection()

    def _selection(self) -> str:
        """The row under the cursor in the step's own table (not the log): what followers'
        cursors follow."""
        focused = self.focused
        switcher = self._find("steps", ContentSwitcher)
        if switcher is None:
            return ""  # not composed yet, or already torn down
        current = switcher.current
        in_step = isinstance(focused, KeyTable) and any(
            ancestor.id == current for ancestor in focused.ancestors
        )
        if in_step and isinstance(focused, KeyTable):
            return focused.selected_value or ""
        return ""

    def refresh_presence(self) -> None:
        if self.meeting.state is not MeetingState.LIVE:
            self._presence_shown = None
            self.query_one("#presence", Static).update("")
            return
        sessions = self.store.presence.present(self.meeting_id)
        self._pulse_ids = [session.id for session in sessions]
        self._pulse = self.store.presence.pulse(self._pulse_ids, self.meeting_id)
        lines = Text("\nIn the meeting\n", style="bold")
        driver_here = False
        for session in sessions:
            me = session.id == self.session_id
            role = "driving" if session.driving else "following"
            driver_here = driver_here or session.driving
            # Mine is known before it is sent; the driver's is the meeting's step.
            step = self.viewing if me else session.step
            if session.driving and not me:
                step = self.meeting.current_step
            where = f"step {step + 1}" if step is not None else ""
            if not session.driving and step not in (None, self.meeting.current_step):
                role = "away"
            lines.append(f"{'▶' if session.driving else ' '} ", style="bold")
            lines.append(session.user + (" (you)" if me else ""))
            lines.append(f"  {role} {where}\n", style="italic")
        for observer in self.store.presence.watching(self.meeting_id):
            me = observer.mine and self.store.read_only
            lines.append(f"  {observer.user}" + (" (you)" if me else ""))
            lines.append("  watching (read-only)\n", style="italic")
        if self.meeting.driver_session is not None and not driver_here:
            lines.append(
                f"{self.meeting.driver or 'The driver'} has left: D takes the drive\n",
                style="bold reverse",
            )
        if lines != self._presence_shown:  # re-laying out the screen every 3 s costs
            self._presence_shown = lines
            self.query_one("#presence", Static).update(lines)
        if not self.driving and not self.away:
            driver = next((s for s in sessions if s.driving), None)
            # The driver's row belongs to the driver's step: a key of another step's table
            # (a project id on the status board) is another row here.
            if driver is not None and driver.selection and driver.step == self.viewing:
                current = self.query_one("#steps", ContentSwitcher).current
                if current:
                    self.query_one(f"#{current}", StepView).select(driver.selection)

    def action_take_drive(self) -> None:
        session = self.session_id
        if session is None:
            # D did nothing at all here (cold try): say why.
            self.notify(
                "Opened read-only: this session watches and cannot drive."
                if self.store.read_only
                else "Presence is off in this session, so it cannot take the drive.",
                markup=False,
            )
            return
        if self.attempt(lambda: self.store.meetings.take_drive(self.meeting_id, session)):
            self.away = False
            self.notify("You drive the meeting now; the others follow you.")
            self._go(self.viewing)

    def action_follow(self) -> None:
        self.away = False
        self.refresh_data()
        self._focus_body()
        self.call_after_refresh(self.pmo.beat)  # "following" again, said at once

    @on(KeyTable.RowHighlighted)
    @on(KeyTable.CellHighlighted)
    def _cursor_moved(self) -> None:
        if self.presenting:
            self._show_discussed()
        # The driver's cursor is published (debounced) so followers' cursors follow it.
        if not (self.live and self.driving and self.meeting.driver_session is not None):
            return
        if self._publish_timer is not None:
            self._publish_timer.stop()
        self._publish_timer = self.set_timer(SELECTION_PUBLISH_DELAY, self.pmo.beat)

    def _show_step_title(self) -> None:
        """The step's number and title, and (live) its time left: the sidebar may be hidden
        on a narrow terminal or in presentation mode, the clock never is."""
        if self.meeting.state is MeetingState.PLANNED or not self.agenda:
            return
        item = self.agenda[self.viewing]
        title = Text(f"{self.viewing + 1}. {safe(item.title)}")
        if self.meeting.state is MeetingState.CLOSED:
            title.append(
                f"   (closed: read-only · minutes {_MINUTES_HINT[self.meeting.minutes_state]})"
            )
        elif item.parked_reason:
            title.append(f"   (parked: {safe(item.parked_reason)})")
        elif (left := self._seconds_left()) is not None:
            if left >= 0:
                title.append(f"   · {clock_text(left)} left")
            else:
                title.append(f"   · TIME UP +{over_text(left)}", style="bold reverse")
        # Its height is fixed in the stylesheet: a repaint, not a re-layout of the whole
        # screen, and only when the text changed (the clock shows minutes: see
        # clock_text), not every second (idle CPU: see README).
        if title != self._title_shown:
            self._title_shown = title
            self.query_one("#step-title", Static).update(title, layout=False)
        self._show_presentation()

    def _show_step_topics(self, item: AgendaItem | None) -> None:
        """The topics proposed into this step, under its title, ticked as the meeting
        records something about each (the minutes say the same of each)."""
        box = self.query_one("#step-topics", Static)
        outcomes = self.store.topics.step_topics(self.meeting_id, item.id) if item else []
        box.display = bool(outcomes)
        if not outcomes:
            return
        taken = sum(outcome.taken for outcome in outcomes)
        line = Text.assemble(("Proposed here", "bold"), f" · {taken} of {len(outcomes)} taken: ")
        for number, outcome in enumerate(outcomes):
            if number:
                line.append("  ")
            topic = outcome.topic
            line.append("✓ " if outcome.taken else "○ ", style="bold" if outcome.taken else "")
            line.append(f"{topic.ref_code} {safe(topic.title)}")
            if not outcome.taken and topic.reason:
                line.append(f" ({safe(topic.reason)})", style="dim")
        update_static(box, line)

    def _seconds_left(self) -> int | None:
        """The viewed step's time left (negative: over), or None when its clock is not
        running (a closed meeting, a parked step, a step not entered)."""
        item = self.agenda[self.viewing]
        if (
            self.meeting.state is not MeetingState.LIVE
            or item.parked_reason
            or item.entered_at is None
        ):
            return None
        spent = seconds_spent(item.spent_seconds, item.entered_at, self.store.clock())
        return item.timebox_minutes * 60 - spent

    def on_resize(self) -> None:
        # Below 100 columns the agenda sidebar gives its room to the step.
        self.set_class(self.size.width < 100, "-narrow")

    def _tick(self) -> None:
        # A session killed, an observer come or gone, writes nothing the poll would
        # notice: the kernel's locks tell it, looked at every second (no SQL).
        # A session on another machine is known gone only when its beats stop: the whole
        # list is read again every STALE_SECONDS.
        self._ticks += 1
        if self.meeting.state is MeetingState.LIVE and (
            self._ticks % STALE_SECONDS == 0
            or self.store.presence.pulse(self._pulse_ids, self.meeting_id) != self._pulse
        ):
            self.refresh_presence()
        sidebar = self.query_one(AgendaSidebar)
        sidebar.tick(self.store.clock())
        self._show_step_title()
        switcher = self._find("steps", ContentSwitcher)
        if switcher is not None and switcher.current:
            view = self._find(switcher.current, StepView)
            if view is not None:
                view.clock_moved()
        item = sidebar.current_item()
        if item is not None and sidebar.current_overrun() and self.pmo.once("time is up", item.id):
            # + and P are the driver's: a follower or a watcher is told who can.
            what = (
                "+ adds 5 minutes, P parks the rest."
                if self.live and self.driving
                else "the driver can add 5 minutes (+) or park the rest (P)."
            )
            self.notify(
                f"Time is up for {item.title}: {what}",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def _find(self, widget_id: str, kind: type[W]) -> W | None:
        """The widget with this id when there is one of this kind (not built yet, or torn
        down: None). ``query_one`` by id is indexed and kept between DOM changes; a
        ``query`` walks every widget of every step built (1 ms a call on the large file,
        several calls an edit)."""
        try:
            found = self.query_one(f"#{widget_id}")
        except NoMatches:
            return None
        return found if isinstance(found, kind) else None

    def _focus_body(self) -> None:
        if self.meeting.state is MeetingState.PLANNED:
            self.query_one(PlanningView).query_one("#plan-steps").focus()
            return
        current = self.query_one("#steps", ContentSwitcher).current
        if current:
            self.query_one(f"#{current}", StepView).focus_body()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TYPED_IN_NOTES and self._writing_notes():
            # Typed into the notes while the box has the cursor: not offered as keys.
            return False
        state = self.meeting.state
        read_only = self.store.read_only
        if action in DRIVER_ONLY:
            return self.live and self.driving
        if action in CAPTURE:
            return self.live and (self.driving or self.meeting.followers_capture)
        if action == "take_drive":
            # Without a session (read-only, presence off) D says why it cannot drive: it
            # did nothing at all (cold try).
            return state is MeetingState.LIVE and (
                read_only or self.session_id is None or not self.driving
            )
        if action == "follow":
            return self.live and not self.driving and self.away
        if action == "start":
            return state is MeetingState.PLANNED and not read_only
        if action == "reopen":
            # Approved minutes stay as approved: a later meeting records what changed.
            approved = self.meeting.minutes_state is MinutesState.APPROVED
            return state is MeetingState.CLOSED and not read_only and not approved
        if action == "minutes":
            approved = self.meeting.minutes_state is MinutesState.APPROVED
            return state is MeetingState.CLOSED and not read_only and not approved
        if action in ("next_step", "previous_step", "present"):
            return state is not MeetingState.PLANNED
        return True

    # -- moving through the agenda --------------------------------------------------

    def _go(self, index: int) -> None:
        self._save_notes()
        if not isinstance(self.focused, NotesArea):
            # At once: focusing the new step's list is deferred by Textual, and keys that
            # came in the same burst as `]` acted on the step just left (an action marked
            # done on a step no longer shown).
            self.set_focus(None)
        if self.live and not self.driving:
            # A follower looks around on their own screen only; F comes back.
            self.away = index != self.meeting.current_step
            self.viewing = index
            self.call_after_refresh(self.pmo.beat)  # the others see "away" now, not in 3 s
        elif self.live:
            try:
                self.store.meetings.go_to_step(self.meeting_id, index)
            except StoreError as error:
                self.notify(str(error), severity="error", markup=False)
            else:
                # Followers take the driver's row only from the driver's step: say it now.
                self.call_after_refresh(self.pmo.beat)
        else:
            self.viewing = index
        self.refresh_data()
        self._focus_body()

    def action_next_step(self) -> None:
        if self.viewing < len(self.agenda) - 1:
            self._go(self.viewing + 1)

    def action_previous_step(self) -> None:
        if self.viewing > 0:
            self._go(self.viewing - 1)

    def action_start(self) -> None:
        def started(meeting: Meeting) -> None:
            self.refresh_data()  # started: the body is rebuilt for the live steps
            self.pmo.once("what changed", meeting.id)  # seen now: not again on a return
            self.app.push_screen(SinceLastScreen(self.store.meetings.since_last(meeting.id)))

        start_meeting(self, self.store, self.meeting_id, self.session_id, started)

    def action_since_last(self) -> None:
        self.app.push_screen(SinceLastScreen(self.store.meetings.since_last(self.meeting_id)))

    def action_leave(self) -> None:
        self._save_notes()
        if isinstance(self.focused, TextArea):
            # esc in the notes goes back to the step, not out of the meeting.
            self._focus_body()
            return
        if self.log_open:
            # esc in the log closes the log (it left the live meeting for home).
            self.action_toggle_log()
            return
        self.app.pop_screen()

    def action_present(self) -> None:
        """For a projector at the back of the room: the step and its time left large, the
        item under discussion in a band of its own, no key hints, notes or panels."""
        self.toggle_class("-presenting")
        for summary in self.query(StepSummary):
            summary.show_keys(not self.presenting)
        if self.presenting:
            self._show_presentation()
        self._focus_body()
        place_toasts(self)  # presenting: messages keep off the band at the top

    @property
    def log_open(self) -> bool:
        return self.query_one("#log").has_class("-open")

    @property
    def presenting(self) -> bool:
        return self.has_class("-presenting")

    def _show_presentation(self) -> None:
        if not self.presenting or self.meeting.state is MeetingState.PLANNED or not self.agenda:
            return
        item = self.agenda[self.viewing]
        # As every title on screen: an escape sequence in it never reaches the terminal.
        title = f"{self.viewing + 1}. {safe(item.title)}"
        self.query_one(PresentBar).show(title, self._seconds_left())
        self._show_discussed()

    def _show_discussed(self) -> None:
        """The band under the title: the row under the cursor in the step's list."""
        table = self._discussed_table()
        text = table.selected_row_text() if table is not None else Text("")
        self.query_one("#present-item", Static).update(text)

    def _discussed_table(self) -> KeyTable | None:
        current = self.query_one("#steps", ContentSwitcher).current
        if not current:
            return None
        view = self.query_one(f"#{current}", StepView)
        lists = [table for table in view.query(KeyTable) if table.lists_items]
        focused = self.focused
        if isinstance(focused, KeyTable) and focused in lists:
            return focused
        return next((table for table in lists if table.row_count), None)

    def action_toggle_log(self) -> None:
        # Opening the log puts the cursor in it (e edit, o owner, u date); closing returns.
        # A class on the panel, not on the screen: a screen's class restyles every
        # widget in it (50 ms of the 130 the key took).
        log_panel = self.query_one("#log")
        log_panel.toggle_class("-open")
        if self.log_open:
            # Focus once the style has shown it: a hidden widget cannot take focus. The
            # cursor goes to the newest record, scrolled into view.
            log = self.query_one("#log-records", RecordsTable)

            def newest() -> None:
                log.focus()
                if log.row_count:
                    log.move_cursor(row=log.row_count - 1)

            self.call_after_refresh(newest)
        else:
            self._focus_body()

    # -- capturing ------------------------------------------------------------------

    def attempt(self, work: Callable[[], object]) -> bool:
        """Run one edit; a refusal becomes a notification (widgets/editing.py)."""
        return run_edit(self, work, self.refresh_data)

    def ask(self, title: str, fields: list[Field], submit: Submit, label: str = "Save") -> None:
        """A form whose submit makes one edit, then the screen re-reads."""
        ask(self, self.store, title, fields, submit, label, self.refresh_data)

    # The meeting's own keys: their dialogs are in screens/meeting_capture.py.

    def action_decision(self) -> None:
        capture.ask_decision(self)

    def action_action(self) -> None:
        capture.ask_action(self)

    def action_lesson(self) -> None:
        capture.ask_lesson_here(self)

    def action_extend(self) -> None:
        capture.extend_step(self)

    def action_park(self) -> None:
        capture.ask_park(self)

    def action_close_meeting(self) -> None:
        capture.ask_close(self)

    def action_reopen(self) -> None:
        capture.ask_reopen(self)

    def action_minutes(self) -> None:
        capture.advance_minutes(self)

    def edited(self, view_is_fresh: bool) -> None:
        """One of this screen's widgets wrote (widgets/editing.py announce_edit)."""
        self.refresh_data(view_is_fresh=view_is_fresh)

    @on(StepView.OpenProject)
    def _open_project(self, event: StepView.OpenProject) -> None:
        self.pmo.open_project(event.project_id)

    @on(StepView.OpenDashboard)
    def _open_dashboard(self) -> None:
        from pmo_tui.screens.dashboard import DashboardScreen  # opened rarely: imported then

        self.app.push_screen(DashboardScreen(self.store))

    @on(StepView.OpenRegister)
    def _open_register(self) -> None:
        from pmo_tui.screens.register import RegisterScreen

        self.app.push_screen(RegisterScreen(self.store))

    # -- notes ----------------------------------------------------------------------

    def _load_notes(self, item: AgendaItem | None) -> None:
        notes = self.query_one("#notes", NotesArea)
        if item is None:
            self.notes_item = None
            self.notes_open = False
            notes.display = False
            # A class on the line, not an inline style: presentation mode hides it too.
            self.query_one("#notes-title").add_class("-none")
            return
        self.query_one("#notes-title").remove_class("-none")
        notes.read_only = (
            self.meeting.state is not MeetingState.LIVE
            or self.store.read_only
            # "Followers may not capture" covers the notes too (tabbing into the box).
            or not (self.driving or self.meeting.followers_capture)
        )
        same = self.notes_item is not None and self.notes_item.id == item.id
        if same and self._notes_timer is not None:
            return  # typing in progress: keep what is on screen
        if not same and self._notes_text is not None:
            # Typed in the step just left (the driver moved on): written there first.
            self._save_notes()
        if not same:
            self._notes_state = ""  # "(saved)" was the step left's, not this one's
        self.notes_item = item
        self._notes_seen = item.notes
        self._notes_text = None
        if notes.text != item.notes:
            notes.show_text(item.notes)
            if same and self._writing_notes():
                # Others' words arrived between two of this person's keys (the poll's
                # reload): their next words go on a line of their own, under their name,
                # as when a save brings them (they glued onto the other person's line).
                notes.mark_turn(self.store.user)
        self._show_notes_title()

    def action_edit_notes(self) -> None:
        """The notes box opens on `n` and closes when the cursor leaves it: the rest of
        the time the step's lists get its rows (a line says what the notes hold)."""
        # The log drawer lies over the notes box: it closes, or the words typed would go
        # into a box nobody sees.
        self.query_one("#log").remove_class("-open")
        self.notes_open = True
        notes = self.query_one("#notes", NotesArea)
        notes.start_line(self.store.user)  # the next words go after the last ones
        self._show_notes_title()
        # Shown and focused at once (an inline style applies now; the class's style only
        # at the next refresh): what is typed right after `n` goes into the notes.
        notes.display = True
        notes.focus()
        # The footer drops the keys that now type into the box, once it has the cursor.
        self.call_after_refresh(self.refresh_bindings)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "notes" and self.notes_open:
            self._save_notes()
            self.notes_open = False
            event.widget.display = False
            self._show_notes_title()
            self.call_after_refresh(self.refresh_bindings)  # the step's keys again
            if self._kept_for_notes:
                # Held on this step while writing: follow the driver again.
                self._kept_for_notes = False
                self.call_later(self.action_follow)

    def _writing_notes(self) -> bool:
        return self.notes_open and isinstance(self.focused, NotesArea)

    def _notes_edited(self) -> None:
        """Called by the notes box in the turn of the edit (before the frame that shows
        it): the text is kept and "saving…" shows with it."""
        box = self.query_one("#notes", NotesArea)
        self._notes_text = without_name_line(box.text, self.store.user)
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(NOTES_SAVE_DELAY, self._save_notes)
        self._notes_status("saving…")

    def _save_notes(self) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        item = self.notes_item
        # Kept from the last keystroke: this also runs while the screen is being torn down.
        text = self._notes_text
        if item is None or text is None or self.store.read_only:
            return
        try:
            # Merged with whatever others saved meanwhile: no one's words are lost.
            saved = self.store.meetings.save_notes(item.id, self._notes_seen, text)
        except StoreError as error:
            self._notes_status("NOT SAVED")
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._notes_text = None
        self._notes_seen = saved.notes
        if self.notes_item is not None and self.notes_item.id == saved.id:
            self.notes_item = saved
            box = self._find("notes", NotesArea)
            if box is not None and box.text.rstrip() != saved.notes and self._notes_timer is None:
                box.show_text(saved.notes)  # others' words, added to this person's
                if self._writing_notes() and saved.notes.rstrip() != text.rstrip():
                    box.mark_turn(self.store.user)
        self._notes_status("saved")

    def _notes_status(self, state: str) -> None:
        self._notes_state = state
        self._show_notes_title()

    def _show_notes_title(self) -> None:
        """Open: "Notes (saved) · esc closes". Closed: one line of what they hold."""
        state = f" ({self._notes_state})" if self._notes_state else ""
        if self.notes_open:
            title = Text(f"Notes{state} · esc closes")
        else:
            box = self._find("notes", TextArea)
            text = without_name_line(box.text, self.store.user) if box is not None else ""
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            held = (
                f"{len(lines)} line{'s' if len(lines) != 1 else ''}: {lines[-1]}"
                if lines
                else "none yet"
            )
            # "n writes" only where n does (not read-only, nor a follower barred).
            writes = " · n writes" if self.check_action("edit_notes", ()) else ""
            title = Text(f"Notes{state}{writes} · {held}", no_wrap=True, overflow="ellipsis")
        # One row high: a repaint. Static.update lays the whole screen out by default
        # (about 40 ms on the large file), and every edit re-reads the notes.
        widget = self._find("notes-title", Static)
        if widget is not None and widget.content != title:
            widget.update(title, layout=False)

    # -- minutes --------------------------------------------------------------------

    def action_export(self) -> None:
        self._save_notes()
        # The preview opens at once and says the minutes are being written; they fill it
        # when written. One preview screen, kept: building it anew cost more than showing.
        if self.app.is_screen_installed(MINUTES_PREVIEW):
            preview = self.app.get_screen(MINUTES_PREVIEW)
            assert isinstance(preview, MinutesPreview)
            preview.writing()
        else:
            preview = MinutesPreview()
            self.app.install_screen(preview, MINUTES_PREVIEW)
        self.app.push_screen(MINUTES_PREVIEW)
        self._export(self.store.path, self.meeting_id, Path.cwd(), preview)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, path: Path, meeting_id: int, folder: Path, preview: MinutesPreview) -> None:
        # A connection belongs to its thread: the worker opens its own.
        try:
            with Store(path, read_only=True) as store:
                meeting = store.get(Meeting, meeting_id)
                markdown = minutes_document(store, meeting_id)
            target = folder / minutes_name(meeting)
            check_export_target(target, path)  # never a link, a device or the portfolio
            write_atomically(target, markdown)
        except (StoreError, OSError) as error:
            self.app.call_from_thread(self._export_failed, preview, str(error))
            return
        self.app.call_from_thread(preview.show, markdown, target)

    def _export_failed(self, preview: MinutesPreview, error: str) -> None:
        if self.app.screen is preview:
            self.app.pop_screen()
        self.notify(f"The minutes were not written: {error}", severity="error", markup=False)
