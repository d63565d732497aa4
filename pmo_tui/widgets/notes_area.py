"""The notes box of a meeting step."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult


def name_line(user: str) -> str:
    """What ``mark_turn`` puts ready for this person's next words."""
    return f"[{user}]"


def without_name_line(text: str, user: str) -> str:
    """The notes without a last line holding only this person's name: put ready by
    ``mark_turn`` for words never typed, it is not part of what they wrote."""
    name = name_line(user)
    body = text.rstrip()
    if body == name:
        return ""
    if body.endswith("\n" + name):
        return body[: -len(name)].rstrip("\n")
    return text


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
        if not self.text.strip() or self.text.endswith(f"{name_line(user)} "):
            return
        self._quiet = True
        try:
            with self.prevent(TextArea.Changed):
                self.move_cursor(self.document.end)
                self.insert(("" if self.text.endswith("\n") else "\n") + f"{name_line(user)} ")
        finally:
            self._quiet = False

    def start_line(self, user: str) -> None:
        """The cursor at the end, on a line of its own (not glued onto the last word,
        "medlarzulu"), under this person's name when the last line is someone else's
        ("[alice] ..."): their words follow hers. Layout, not words: nothing is saved
        for it until they type."""
        self.move_cursor(self.document.end)
        text = self.text
        if not text.strip() or text.endswith(f"{name_line(user)} "):
            return
        last = text.rstrip().rsplit("\n", 1)[-1]
        named = last.startswith("[") and "] " in last and not last.startswith(name_line(user))
        start = ("" if text.endswith("\n") else "\n") + (f"{name_line(user)} " if named else "")
        if not start:
            return
        self._quiet = True
        try:
            with self.prevent(TextArea.Changed):
                self.insert(start)
        finally:
            self._quiet = False

    def show_text(self, text: str) -> None:
        """Load ``text`` (another person's words, a new step) with the cursor at its end,
        where the next words typed belong (at its start, they glued onto the first word)."""
        with self.prevent(TextArea.Changed):
            self.load_text(text)
        self.move_cursor(self.document.end)
