"""The notes box of a meeting step."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult


class NotesArea(TextArea):
    """A TextArea that tells its screen of an edit in the same turn as the edit: the
    label says "saving…" in the very frame that shows the new text. (TextArea's Changed
    message arrives a frame later; a kill in between lost text shown under "saved".)"""

    def __init__(self, on_edit: Callable[[], object], *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False)
        self._on_edit = on_edit

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        self._on_edit()
        return result

    def show_text(self, text: str) -> None:
        """Load ``text`` (another person's words, a new step) with the cursor at its end,
        where the next words typed belong (at its start, they glued onto the first word)."""
        with self.prevent(TextArea.Changed):
            self.load_text(text)
        self.move_cursor(self.document.end)
