"""Messages never hide the row being edited: toasts go to the screen's top while the
cursor is in its lower half (the notes box, the last rows of a list, a dialog's buttons)
and to the bottom, where Textual puts them, otherwise."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

TOP = "-top"  # the toast rack's class that docks it at the top (app.tcss)


def edit_row(widget: Widget) -> int:
    """The screen row where ``widget`` takes what is typed: a list's cursor row, a text
    box's cursor line, else the widget's first row."""
    region = widget.region
    if isinstance(widget, DataTable):
        header = widget.header_height if widget.show_header else 0
        return region.y + header + widget.cursor_row - round(widget.scroll_y)
    # A text box (not imported: the TextArea module is not needed to start the app).
    location = getattr(widget, "cursor_location", None)
    if isinstance(location, tuple):
        return region.y + int(location[0]) - round(widget.scroll_y)
    return region.y


def place_toasts(screen: Screen[Any]) -> None:
    focused = screen.focused
    # The rack only (a class on the screen restyles every widget in it); none in tests
    # that leave notifications out.
    rack = next(iter(screen.query_children("#textual-toastrack")), None)
    if focused is None or rack is None or not screen.size.height:
        return
    # Presentation mode: the item under discussion is in the band at the top.
    presenting = bool(getattr(screen, "presenting", False))
    rack.set_class(not presenting and edit_row(focused) >= screen.size.height // 2, TOP)
