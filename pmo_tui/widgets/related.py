"""Lessons related to an item's title, for the cards of the RAID and change steps: the
PMO's memory offered without a search, looked up off the screen's thread."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import LessonHit
from pmo_tui.data.sqlite import DatabaseError
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import safe


def marked(text: str) -> Text:
    """Search output with the matching words (between \\x01 and \\x02) in bold."""
    result = Text()
    bold = False
    for part in text.replace("\x02", "\x01").split("\x01"):
        result.append(safe(part), style="bold reverse" if bold else "")
        bold = not bold
    return result


def hits_text(hits: list[LessonHit]) -> Text | None:
    """ "L-3 Check the supplier's bench; L-9 …", the words that matched in bold."""
    if not hits:
        return None
    text = Text()
    for index, hit in enumerate(hits):
        text.append(("; " if index else "") + f"{hit.lesson.code} ")
        text.append_text(marked(hit.marked_title))
    return text


class RelatedLessons:
    """Related lessons by title, found on worker threads and kept.

    A full-text search over every lesson takes 10-50 ms on 10,000 of them and grows with
    the register; on the screen's thread it held up the frame of every cursor move. Here
    a card asks, draws what is known at once, and ``owner`` receives ``Found`` when a
    search it asked for is done (the next item's search runs while the room reads this
    one's card). Each search reads with a connection of its own, opened read-only (about
    3 ms)."""

    class Found(Message):
        """Lessons for ``text`` are known now."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, owner: Widget, path: Path) -> None:
        self.owner = owner
        self.path = path
        self._found: dict[str, Text | None] = {}
        self._asked: set[str] = set()
        self._mark: int | None = None  # the content mark the lessons known were found at

    def known(self, text: str) -> bool:
        return text in self._found

    def get(self, text: str) -> Text | None:
        """The lessons found for ``text`` (None: none found, or not yet: see known)."""
        return self._found.get(text)

    def ask(self, text: str) -> None:
        """Search for ``text`` unless found or asked already; Found follows."""
        if text in self._found or text in self._asked:
            return
        self._asked.add(text)
        self.owner.run_worker(
            partial(self._search, text),
            thread=True,
            group="related-lessons",
            exit_on_error=False,
        )

    def renew(self, mark: int) -> None:
        """Search again from now on if anything was written since the lessons known were
        found (``mark``: the view mark, moved by any write a step can show, such as a
        lesson recorded). Kept otherwise: a step shown again found its next items' lessons
        already, and forgetting them made its first cursor move wait for a search (130 ms
        on the large file)."""
        if self._mark is not None and mark != self._mark:
            self._found.clear()
            self._asked.clear()
        # The first time: what is known was asked for as the step was built, just now. (A
        # step shown again with nothing changed does not draw its card again, so what is
        # forgotten here is not asked for again until the cursor moves.)
        self._mark = mark

    def _search(self, text: str) -> None:
        try:
            with Store(self.path, read_only=True) as store:
                found = hits_text(store.lessons.related_lessons(text, limit=2))
        except (StoreError, DatabaseError, OSError):
            found = None  # an offer, not a record: no lessons shown is the worst case
        with suppress(RuntimeError):  # the app has ended meanwhile: nobody to tell
            self.owner.app.call_from_thread(self._arrived, text, found)

    def _arrived(self, text: str, found: Text | None) -> None:
        if text in self._asked:  # not forgotten meanwhile (its answer may be old)
            self._found[text] = found
            self.owner.post_message(self.Found(text))
