"""PmoApp: global keys, the screens, the command palette."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import Notify
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable
from textual.worker import get_current_worker

from pmo_tui.collector import collect_closed, collect_if_idle
from pmo_tui.commands import PortfolioProvider
from pmo_tui.data.errors import BadFileError, ReadOnlyError, StoreError
from pmo_tui.data.presence import HEARTBEAT_SECONDS
from pmo_tui.data.sqlite import DatabaseError
from pmo_tui.data.store import Clock, Store, utc_now
from pmo_tui.live import PeerWatch, Present, Unsaved
from pmo_tui.screens.home import HomeScreen
from pmo_tui.widgets.toasts import place_toasts

if TYPE_CHECKING:
    from pmo_tui.screens.help import KeySection

LIGHT, DARK = "textual-light", "textual-dark"
HANG_UPS = (signal.SIGHUP, signal.SIGTERM)
# After a hang-up, the most the process may take to end. Textual's shutdown can wait for
# ever on its terminal writer once the terminal is gone; a process left behind holds the
# portfolio and its -wal open on a shared server.
EXIT_GRACE_SECONDS = 2.0
# How often the app asks SQLite whether another session committed (about 1.5 us a time).
POLL_SECONDS = 0.25
# The longest keys wait for a dialog that is opening (hold_keys): it takes a few frames.
HOLD_KEYS_SECONDS = 1.0
# Keys sent round the queue behind the released ones at most, whatever happens.
REQUEUE_LIMIT = 10_000
# What counts as someone at the keyboard (the collector waits for a quiet moment).
_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)


# Messages shown at once; older ones make way (widgets/toasts.py keeps them off the row
# being edited, and two fit in half of an 80x24 screen).
MAX_TOASTS = 2


# The poll copies the write-ahead log into the file once no key has come for this long: a
# few ms for the pages of a few edits, between keys. Waiting for a whole idle second
# left quick runs of keys to SQLite, which copies the log inside the commit that takes it
# past 1,000 pages (a re-rank of 203 ms among ones of 39 in the benchmark's run).
CHECKPOINT_QUIET_SECONDS = 0.2


class PmoApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pmo"
    COMMANDS = App.COMMANDS | {PortfolioProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit pmo (everything is saved)"),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            id="app.help",
            tooltip="Every key, and what each agenda step is for",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.palette",
            tooltip="Search commands, projects and meetings",
        ),
        Binding(
            "f2",
            "toggle_theme",
            "Light/dark",
            id="app.theme",
            tooltip="Switch between the light and dark theme",
        ),
        # Screen's own tab bindings reach the focused field after the keys already queued
        # for it: "abc", tab, "xyz" typed in one burst (a paste, a fast typist, a slow
        # link) put "abcxyz" in the first field (cold try). Taken by the app first, the
        # focus moves before the next key is handed on. No widget here uses tab itself.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, store: Store, *, notice: str = "") -> None:
        super().__init__()
        self.store = store
        self.notice = notice
        self.sub_title = store.path.name + (" (read-only)" if store.read_only else "")
        self.session_id: int | None = None
        # Why the app stopped before anything was written (a damaged file): for `pmo`.
        self.refused: str | None = None
        self._hung_up = False
        self.peers: PeerWatch | None = None
        self._last_input = monotonic()  # when a key, click or paste last came
        self._held: list[events.Key] | None = None  # keys held while a dialog opens
        self._hold_timer: Timer | None = None  # releases them at the latest
        # Held keys posted again and not yet taken, in order; keys typed after them wait.
        self._replaying: deque[events.Key] = deque()
        self._requeued = 0  # keys sent round the queue since the last release
        # The meeting this session last told the others it is in.
        self._told_meeting: int | None = None
        # What this session has said once and not again on a return to the meeting (the
        # cold try: "Time is up" and "What changed" came back on every return): see once.
        self._said: set[tuple[str, int]] = set()

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen(self.store)

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, markup=False, timeout=8)
        if self.store.read_only:
            # A read-only connection cannot write a presence row: it holds an observer's
            # lock instead, and the others list it as watching.
            self.notify("Opened read-only: nothing can be changed in this session.", timeout=8)
            self.store.presence.watch(None)
        else:
            # Joining writes: it waits for the file's check (on a thread for a large file,
            # while the home screen is already shown and read).
            self.run_worker(self._wait_for_check, thread=True, name="quick check")
        # A dropped SSH connection sends SIGHUP; a shutdown, SIGTERM. Leave as on `q`: notes
        # typed since the last save are saved and this session leaves the presence list.
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for hang_up in HANG_UPS:
                loop.add_signal_handler(hang_up, self.hang_up, hang_up)
        self.peers = PeerWatch(self.store)
        self.set_interval(POLL_SECONDS, self.poll)
        self.screen_change_signal.subscribe(self, self._screen_changed)

    def _wait_for_check(self) -> None:
        worker = get_current_worker()
        while not self.store.wait_for_check(0.1):
            if worker.is_cancelled:
                # The app is closing (a quit during the check): the process waits for this
                # thread, and closing the store stops the check.
                return
        self.call_from_thread(self._checked)

    def _checked(self) -> None:
        problem = self.store.verdict()
        if problem is not None:
            # A damaged file found while the app started: nothing was written; the pmo
            # command says why, in one sentence, as for a small file before it starts.
            self.refused = problem
            # After the screen has been drawn: an exit while its widgets still mount
            # trips Textual's Header (a small file's check can end that soon).
            self.call_after_refresh(self.exit, return_code=2)
            return
        try:
            self.session_id = self.store.presence.join().id
        except StoreError as error:
            self.notify(f"Presence is off: {error}", severity="warning", markup=False)
        else:
            self.set_interval(HEARTBEAT_SECONDS, self._beat)

    def _on_notify(self, event: Notify) -> None:
        # At most MAX_TOASTS at once, the newest: five stacked reached down over the row
        # being edited at 80x24. (Textual's own handler, and its private collection: there
        # is no public limit.)
        super()._on_notify(event)
        shown = list(self._notifications)
        for old in shown[:-MAX_TOASTS]:
            self._unnotify(old, refresh=False)
        if len(shown) > MAX_TOASTS:
            self._refresh_notifications()

    @on(events.DescendantFocus)
    @on(DataTable.RowHighlighted)
    @on(DataTable.CellHighlighted)
    def _cursor_moved(self) -> None:
        if self.screen_stack:  # not while the app starts or closes
            place_toasts(self.screen)

    def _screen_changed(self, screen: Screen[object]) -> None:
        if self.peers is not None:
            self.peers.catch_up(screen)
        if self._location()[0] != self._told_meeting:
            # Into or out of a meeting: the others see it now, not with the next beat.
            self.beat()

    def hang_up(self, signum: int) -> None:
        """The terminal went (SIGHUP) or the system stops (SIGTERM): write what was typed
        and leave the presence list first, then exit as on `q`; if the exit is not done
        within EXIT_GRACE_SECONDS (the terminal writer waits on a dead terminal), end the
        process regardless. A second signal ends it at once."""
        if self._hung_up:
            os._exit(128 + signum)
        self._hung_up = True
        for screen in self.screen_stack:
            if isinstance(screen, Unsaved):
                with suppress(StoreError):
                    screen.save_unsaved()
        if self.session_id is not None:
            with suppress(StoreError):
                self.store.presence.leave(self.session_id)
            self.session_id = None
        watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        # A damaged file can surface on any read. Textual has no public hook for an
        # unhandled error and would print a traceback with local variables (user data):
        # say what is wrong in one sentence instead, and exit without writing.
        if isinstance(error, DatabaseError | BadFileError):
            detail = str(error)
            if isinstance(error, DatabaseError):
                detail = (
                    f"{self.store.path} is damaged ({error}); nothing more was written. "
                    f"Run `pmo check {self.store.path}` and restore the last backup."
                )
            self._return_code = 1
            self.panic(Text(detail))
            return
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        with suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for hang_up in HANG_UPS:
                loop.remove_signal_handler(hang_up)
        if self.session_id is not None:
            with suppress(StoreError):
                self.store.presence.leave(self.session_id)

    def poll(self) -> None:
        """Another session committed? The screens learn it (live.py, PeerWatch)."""
        # Not while the app closes: the poll's timer can fire with the screens gone, or
        # still stacked with their widgets pruned (clean CI runs failed so, once in a
        # few). Textual stops the app running before it prunes the screens.
        if not self.is_running:
            return
        if self.peers is not None and self.screen_stack:
            self.peers.poll(self.screen_stack, self.screen)
        gone = self.store.gone()
        if gone is not None and self.once("file gone", 0):
            # Said at once, not at the next edit (which says it too, and is refused).
            self.notify(gone, severity="error", timeout=24 * 3600, markup=False)
        idle_for = monotonic() - self._last_input
        collect_if_idle(idle_for)
        if idle_for >= CHECKPOINT_QUIET_SECONDS:
            # The log's pages go into the file now, not inside the commit of a key.
            self.store.checkpoint_quietly()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _INPUT):
            self._last_input = monotonic()  # collector passes wait for a quiet moment
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._replaying:
                if event is self._replaying[0]:
                    self._replaying.popleft()
                elif self._requeue(event):
                    return
            if self._held is not None:
                self._held.append(event)  # a dialog is opening: see hold_keys
                return
        await super().on_event(event)

    def _requeue(self, event: events.Key) -> bool:
        """A key that reached the queue before the held keys were posted again goes
        behind them (a clean-clone CI run typed "-plan before the killApprove the re").
        False when it cannot wait: the app is closing, or the keys it waits for never
        came (a guard: it would go round the queue for ever)."""
        self._requeued += 1
        if self._requeued > REQUEUE_LIMIT or not self.post_message(event):
            self._replaying.clear()
            return False
        self._replaying.append(event)
        return True

    async def _on_key(self, event: events.Key) -> None:
        # A key typed ahead for the screen a dialog now covers reaches the app here, after
        # the widget it was sent to let it pass: the dialog takes it once it has the focus
        # (it went nowhere; the covered screen's keys never run under a dialog).
        # (Textual runs App._on_key after this one, unless the default is prevented.)
        if self._held is not None and event.is_forwarded:
            self._held.append(event)
            event.prevent_default()

    def hold_keys(self) -> None:
        """Keys typed from now wait until ``release_keys``: a dialog opening takes them in
        its first field once that has the focus, in the order typed. Before, they went to
        a screen with nothing focused, and were lost. Released at the latest after
        HOLD_KEYS_SECONDS, whatever happens to the dialog."""
        if self._held is None:
            self._held = []
            self._hold_timer = self.set_timer(HOLD_KEYS_SECONDS, self.release_keys)

    def release_keys(self) -> None:
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if not held or not self.screen_stack:
            # Nothing held, or the app is closing (its timer fired with the screens gone:
            # reading the focus raised, and a clean exit exited 1).
            return
        # Sent as from the field they go to: a key the app sends itself stops bubbling
        # below the app (Textual stops a message at its sender), and its binding (enter
        # saves) never ran.
        sender = self.focused or self.screen
        self._requeued = 0
        for key in held:
            again = events.Key(key.key, key.character)
            again.set_sender(sender)
            if self.post_message(again):
                # Keys already queued are posted again behind these: see _requeue.
                self._replaying.append(again)

    async def _replace_screen(self, screen: Screen[Any]) -> Screen[Any]:
        # Every screen that closes (popped, switched, dismissed) goes through here, and is
        # removed by it unless installed. A dialog's leavings are small and come after
        # every save: only a screen's are collected at once (see collect_closed).
        # Private method of textual 8's App; tests/ui/test_collector_idle.py sees the
        # pass run when a screen closes.
        replaced = await super()._replace_screen(screen)
        if not isinstance(replaced, ModalScreen) and not replaced.is_attached:
            self.call_after_refresh(collect_closed)
        return replaced

    def once(self, what: str, record_id: int) -> bool:
        """True the first time this session asks about ``what`` of ``record_id``."""
        if (what, record_id) in self._said:
            return False
        self._said.add((what, record_id))
        return True

    def beat(self) -> None:
        """Write this session's heartbeat and whereabouts now."""
        self._beat()

    def _location(self) -> tuple[int | None, int | None, str]:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, Present):
                # location() answers from the screen's state, built or not.
                return screen.location()
        return None, None, ""

    def _beat(self) -> None:
        meeting_id, step, selection = self._location()
        self._told_meeting = meeting_id
        # Presence is best effort; edits report their own failures.
        with suppress(StoreError):
            if self.session_id is not None:
                self.store.presence.beat(self.session_id, meeting_id, step, selection)
            elif self.store.read_only:
                self.store.presence.watch(meeting_id)

    # The screens beyond home are imported when first opened: start-up pays for home only.

    def open_project(self, project_id: int) -> None:
        from pmo_tui.screens.project import ProjectScreen

        self.push_screen(ProjectScreen(self.store, project_id))

    def open_meeting(self, meeting_id: int) -> None:
        from pmo_tui.screens.meeting import MeetingScreen

        self.push_screen(MeetingScreen(self.store, meeting_id))

    def action_help(self) -> None:
        from pmo_tui.screens.help import HelpScreen, help_text

        if isinstance(self.screen, HelpScreen):
            return
        # The help for the keys in force, built once and kept: building and laying out the
        # screen costs several times what showing a built one does.
        text = help_text(self.key_sections())
        name = f"help-{hash(text.plain)}"
        if not self.is_screen_installed(name):
            self.install_screen(HelpScreen(text), name)
        self.push_screen(name)

    def key_sections(self) -> list[KeySection]:
        from pmo_tui.screens.meeting import MeetingScreen
        from pmo_tui.screens.minutes_preview import MinutesPreview
        from pmo_tui.screens.project import ProjectScreen
        from pmo_tui.screens.register import RegisterScreen
        from pmo_tui.steps.changes import ChangeView
        from pmo_tui.steps.lessons import LessonsView
        from pmo_tui.steps.planning import PlanningView
        from pmo_tui.steps.previous_actions import PreviousActionsView
        from pmo_tui.steps.priorities import PrioritiesView
        from pmo_tui.steps.priorities_dialogs import PairwiseDialog
        from pmo_tui.steps.raid import RaidView
        from pmo_tui.steps.records import RecordsTable
        from pmo_tui.steps.status import StatusView

        return [
            ("Everywhere", self.BINDINGS),
            ("Home", HomeScreen.BINDINGS),
            ("Project detail", ProjectScreen.BINDINGS),
            ("Meeting (from any step)", MeetingScreen.BINDINGS),
            ("Before the meeting", PlanningView.BINDINGS),
            ("Previous actions step", PreviousActionsView.BINDINGS),
            ("Status step", StatusView.BINDINGS),
            ("RAID triage step (digits: probability then impact)", RaidView.BINDINGS),
            ("RAID register", RegisterScreen.BINDINGS),
            (
                "Change decisions step (a gate's digits 1-9 tick its checklist)",
                ChangeView.BINDINGS,
            ),
            ("Priorities step", PrioritiesView.BINDINGS),
            ("Lessons step", LessonsView.BINDINGS),
            ("Pairwise comparison (digits 2-9: by how much)", PairwiseDialog.BINDINGS),
            ("Decisions and actions (wrap-up, log panel)", RecordsTable.BINDINGS),
            ("Minutes preview", MinutesPreview.BINDINGS),
            (
                "Lists",
                [
                    Binding("j,down", "", "Next row"),
                    Binding("k,up", "", "Previous row"),
                    Binding("home", "", "First row"),
                    Binding("end", "", "Last row"),
                    Binding("tab", "", "Next panel"),
                ],
            ),
        ]

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every key shown in the footer is also a palette command, named the same way.
        seen = {"quit", "command_palette"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )


def make_app(
    path: str | Path,
    *,
    read_only: bool = False,
    create: bool = True,
    user: str | None = None,
    clock: Clock = utc_now,
) -> PmoApp:
    """Open the portfolio (raising StoreError with one clear sentence) and build the app."""
    store = Store(path, create=create, read_only=read_only, user=user, clock=clock)
    if store.snapshot_only:
        store.close()
        raise ReadOnlyError(
            f"{store.path} can only be read as a snapshot here: its folder "
            f"{store.path.parent} is not writable for you and no session has it open, so "
            "the app could not follow edits. Use `pmo export`, or ask for write access to "
            "the folder."
        )
    if not read_only:
        try:
            # A damaged file is named before the app starts, not at its first edit; a
            # large one's check runs while the app starts, and nothing is written until
            # it is done (PmoApp._checked).
            store.check_at_start()
        except BaseException:
            store.close()
            raise
    notice = f"Created a new, empty portfolio at {store.path}." if store.created else ""
    return PmoApp(store, notice=notice)
