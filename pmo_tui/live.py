"""How a screen learns that the data it shows changed: the one place to read.

There are three ways, and a screen or step view takes part by implementing small methods:

1. **Its own edit.** A step view runs the edit through ``StepView.attempt`` (or a dialog
   through ``widgets.editing.ask``), re-reads its own part at once, then calls
   ``announce_edit``: the screen, if it is ``EditAware``, refreshes the rest (sidebar, title,
   log) in the same turn, so an edit shows in one frame.
2. **Another session's commit.** ``PeerWatch.poll`` runs every 0.25 s on the app:
   ``PRAGMA data_version`` moves only when another connection committed; the newest event
   id (``content_mark``) then says whether content changed or only presence (heartbeats
   write no events). Content: the screen on top re-reads (``Live.refresh_data``), screens
   underneath catch up when shown again (``catch_up``); presence only: screens that show
   who is there refresh that (``Present.refresh_presence``). A screen not yet mounted, or
   of an app that is closing, is left alone: it reads its data as it mounts.
3. **Shown again.** A step view shown again re-reads only if anything was written since
   it last read (``StepView.show`` compares ``store.presence.view_mark()``).

A new screen that shows data implements ``Live.refresh_data``; one that shows presence,
``Present`` (``location()`` must answer at any moment, also before the screen is built);
one whose widgets write, ``EditAware.edited``. A new step view implements
``refresh_data`` (``StepView`` calls it on edits and when shown again)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable
from weakref import WeakSet

from textual.screen import Screen
from textual.widget import Widget

from pmo_tui.data.store import Store


@runtime_checkable
class Live(Protocol):
    """A screen showing data that another session may change."""

    def refresh_data(self) -> None: ...


@runtime_checkable
class Unsaved(Protocol):
    """A screen that holds typed text not yet written (notes are saved a moment after
    typing stops): the app has it written before it goes, however it goes."""

    def save_unsaved(self) -> None: ...


@runtime_checkable
class Present(Protocol):
    """A screen that says where this session is, and shows who else is there.

    The heartbeat asks location() at any moment, also before the screen is composed."""

    def location(self) -> tuple[int | None, int | None, str]: ...

    def refresh_presence(self) -> None: ...


@runtime_checkable
class EditAware(Protocol):
    """A screen that refreshes what it shows after one of its widgets wrote."""

    def edited(self, view_is_fresh: bool) -> None: ...


def announce_edit(widget: Widget, view_is_fresh: bool = False) -> None:
    """Something was written: the screen showing it refreshes now, in the same frame.
    ``view_is_fresh`` says the view that wrote has already re-read its own part.

    A message bubbling up to the screen arrived after the next frame had been drawn, so
    an edit reached the screen in two frames ~30 ms apart."""
    screen = widget.screen
    if isinstance(screen, EditAware):
        screen.edited(view_is_fresh)


def signal_edit(widget: Widget) -> Callable[[], object]:
    """A ``then`` for ``ask``: tell the screen that something was written."""
    return lambda: announce_edit(widget)


class PeerWatch:
    """Notices other sessions' commits cheaply and tells the screens (way 2 above)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen_version = store.presence.data_version()
        self.seen_mark = store.presence.content_mark()
        self.stale: WeakSet[Screen[object]] = WeakSet()

    def poll(self, stack: Iterable[Screen[object]], top: Screen[object]) -> None:
        version = self.store.presence.data_version()
        if version == self.seen_version:
            return
        self.seen_version = version
        mark = self.store.presence.content_mark()
        content = mark != self.seen_mark
        self.seen_mark = mark
        for screen in stack:
            if not (screen.is_mounted and screen.is_attached):
                continue  # being built (it reads as it mounts), or the app is closing
            if content and isinstance(screen, Live):
                # Only the screen on top re-reads now: re-reading those underneath (the
                # home screen's 2,000 projects) delayed it by a third of a second.
                if screen is top:
                    screen.refresh_data()
                elif not hasattr(screen, "on_screen_resume"):
                    self.stale.add(screen)
            elif isinstance(screen, Present):
                screen.refresh_presence()

    def catch_up(self, screen: Screen[object]) -> None:
        """A screen shown again that missed a peer's commit while underneath."""
        if screen in self.stale:
            self.stale.discard(screen)
            if isinstance(screen, Live):
                screen.refresh_data()
