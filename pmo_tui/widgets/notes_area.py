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
        self._quiet = False

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        if not self._quiet:
            self._on_edit()
        return result

    def mark_turn(self, user: str) -> None:
        """Others' words arrived while this person writes: their next words start on a
        line of their own, under their name (nothing is saved until they type)."""
        if not self.text.strip() or self.text.endswith(f"[{user}] "):
            return
        self._quiet = True
        try:
            with self.prevent(TextArea.Changed):
                self.move_cursor(self.document.end)
                self.insert(("" if self.text.endswith("\n") else "\n") + f"[{user}] ")
        finally:
            self._quiet = False

    def show_text(self, text: str) -> None:
        """Load ``text`` (another person's words, a new step) with the cursor at its end,
        where the next words typed belong (at its start, they glued onto the first word)."""
        with self.prevent(TextArea.Changed):
            self.load_text(text)
        self.move_cursor(self.document.end)
