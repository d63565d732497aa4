"""The RAID triage step: the queue of items this forum must see, a card for the current
one, and the heat map of open risks. Triage of a risk is four keys: probability, impact,
response, enter (next)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from enum import StrEnum
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from pmo_tui.data.models import (
    AgendaItem,
    DependencyState,
    Direction,
    Meeting,
    MeetingState,
    Priority,
    Project,
    Proximity,
    RaidItem,
    RaidKind,
    RaidStatus,
    Response,
    ScoringScheme,
    Validation,
)
from pmo_tui.data.raid import HeatMap, RaidFilter, band_for
from pmo_tui.data.rules import seconds_spent
from pmo_tui.data.store import Store
from pmo_tui.steps.base import StepView
from pmo_tui.widgets.agenda_sidebar import clock_text
from pmo_tui.widgets.card import Card
from pmo_tui.widgets.cells import plain, safe
from pmo_tui.widgets.editing import try_edit, versioned
from pmo_tui.widgets.facts import Facts
from pmo_tui.widgets.form import Field, Values, owner_field
from pmo_tui.widgets.related import RelatedLessons
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import PAGE, Cell, KeyTable, RowCells

THREAT_KEYS = {
    "m": Response.MITIGATE,
    "v": Response.AVOID,
    "f": Response.TRANSFER,
    "c": Response.ACCEPT,
}
OPPORTUNITY_KEYS = {
    "x": Response.EXPLOIT,
    "h": Response.ENHANCE,
    "s": Response.SHARE,
    "c": Response.ACCEPT,
}


# What places an item on the heat map: an edit of anything else leaves the map as it is.
HEAT_FIELDS = frozenset({"kind", "status", "probability", "impact"})

# The most pressing items; a forum never gets through more in one sitting.
QUEUE_PAGE = PAGE
# The heat map's panel, as app.tcss sets #raid-right: wider only when the map needs it.
HEAT_PANEL_WIDTH = 36

# The least time a forum gives an item: the queue cut to what it reaches (K) counts this.
REACH_SECONDS = 60


def one_line(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis")


def _as_it_was(before: dict[str, object]) -> str:
    """The fields an undo put back, as the card words them: "P5 x I5, response none"."""
    said = []
    if "probability" in before or "impact" in before:
        said.append(f"P{before.get('probability') or '-'} x I{before.get('impact') or '-'}")
    for name, value in before.items():
        if name not in ("probability", "impact"):
            shown = value.value if isinstance(value, StrEnum) else value
            said.append(f"{name.replace('_', ' ')} {shown or 'none'}")
    return "back to " + ", ".join(said)


def _score(item: RaidItem) -> int | None:
    if item.probability is None or item.impact is None:
        return None
    return item.probability * item.impact


class RaidView(StepView):
    EDITS = frozenset(
        {
            "digit",
            "respond",
            "escalate",
            "owner",
            "review",
            "close",
            "undo",
            "new_item",
            "turn_into",
            "cycle_status",
            "note",
            "details",
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"digit({n})", str(n), show=False) for n in range(1, 10)),
        Binding(
            "m",
            "respond('m')",
            "Mitigate",
            id="raid.mitigate",
            tooltip="Response: mitigate (threat)",
        ),
        Binding("v", "respond('v')", "Avoid", show=False, tooltip="Response: avoid (threat)"),
        Binding("f", "respond('f')", "Transfer", show=False, tooltip="Response: transfer (threat)"),
        Binding("c", "respond('c')", "Accept", show=False, tooltip="Response: accept"),
        Binding(
            "x", "respond('x')", "Exploit", show=False, tooltip="Response: exploit (opportunity)"
        ),
        Binding(
            "h", "respond('h')", "Enhance", show=False, tooltip="Response: enhance (opportunity)"
        ),
        Binding("s", "respond('s')", "Share", show=False, tooltip="Response: share (opportunity)"),
        Binding(
            "e",
            "escalate",
            "Escalate",
            id="raid.escalate",
            tooltip="Escalate: response and status escalate",
        ),
        Binding("o", "owner", "Owner", id="raid.owner", tooltip="Set the item's owner"),
        Binding("r", "review", "Review by", id="raid.review", tooltip="Set the review date"),
        Binding("C", "close", "Close", id="raid.close", tooltip="Close the item, with a reason"),
        Binding("u", "undo", "Undo", id="raid.undo", tooltip="Undo your last change here"),
        Binding(
            "E",
            "details",
            "Details",
            id="raid.details",
            tooltip="Edit the item's details: title, project and its kind's own fields",
        ),
        Binding(
            "S",
            "cycle_status",
            "Status",
            id="raid.status",
            tooltip="Status: open, monitoring, open again",
        ),
        Binding(
            "N",
            "note",
            "Note",
            id="raid.note",
            tooltip="Add a dated note to the item (its last notes show on the card)",
        ),
        Binding(
            "enter",
            "next",
            "Next",
            id="raid.next",
            key_display="⏎",
            tooltip="Done with this item: next",
        ),
        Binding(
            "T",
            "turn_into",
            "Turn into",
            id="raid.turn",
            tooltip="An invalidated assumption becomes a risk or issue; a risk that happened "
            "becomes an issue (linked both ways)",
        ),
        Binding(
            "L",
            "register",
            "Register",
            id="raid.register",
            tooltip="The whole RAID register, with filters",
        ),
        Binding(
            "i",
            "new_item",
            "New item",
            id="raid.new",
            tooltip="Raise a RAID item with the minimum (kind, project, title)",
        ),
        Binding(
            "K",
            "cut_queue",
            "Reachable",
            id="raid.cut",
            tooltip="Cut the queue to the items the step's time left reaches at a minute each "
            "(again: the whole queue)",
        ),
        Binding(
            "H",
            "clear_cell",
            "All items",
            show=False,
            id="raid.all",
            tooltip="Back from a heat-map cell to the triage queue",
        ),
    ]

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(store, meeting, item, id=id, classes=classes)
        self.items: dict[int, RaidItem] = {}
        self.reasons: dict[int, list[str]] = {}
        self.pending: int | None = None  # a probability typed, waiting for the impact
        self.cell: tuple[int, int] | None = None  # heat-map filter
        self.reachable_only = False  # K: the queue cut to what the time left reaches
        self.undo_stack: list[tuple[int, dict[str, object]]] = []
        # (edited item, the item after it before the edit re-sorted the queue): enter's
        # next item while the cursor stays on the edited one.
        self._next_after: tuple[str, str] | None = None
        self._card_shown: tuple[object, ...] | None = None
        # Related lessons by title, kept while the step is shown (a full-text search a
        # cursor move otherwise); show() starts afresh, as a peer's lesson may be new.
        self.related = RelatedLessons(self, store.path)
        # Set by an edit of fields the heat map does not show: the next refresh keeps it.
        self._heat_holds = False
        # The heat map shown, and this session's edit of one item that moves it (before,
        # after): the next refresh moves that item instead of counting every risk again.
        self.heat: HeatMap | None = None
        self._heat_edit: tuple[RaidItem, RaidItem] | None = None
        self._heat_version = -1  # data_version when the map was last read whole
        self._heat_width = 0  # the width of every map cell: it only grows
        self._heat_panel = 0  # the map's panel width when the map needs more than usual
        self.projects: dict[int, str] = {}
        self._row_cells = RowCells()
        # The summary's title, the count of items the time left is shared by, its keys.
        self._summary: tuple[str, int | None, str] = ("", None, "")

    def compose(self) -> ComposeResult:
        yield StepSummary(id="raid-summary")
        with Horizontal(id="raid-top"):
            yield Card(id="raid-card")
            with Vertical(id="raid-right"):
                yield Static("Open risks: probability ↓ impact →", classes="section-title")
                heat = KeyTable(id="raid-heat")
                heat.cursor_type = "cell"
                heat.lists_items = False  # figures, not items: never "under discussion"
                yield heat
                yield Static(
                    "enter on a cell lists its risks; H goes back to the queue",
                    classes="field-hint",
                )
        yield KeyTable(id="raid-queue")

    def on_mount(self) -> None:
        queue = self.query_one("#raid-queue", KeyTable)
        for label, width in (
            ("Code", None),
            ("Kind", None),
            ("Project", None),
            # The score before the title: it is what the room decides on, and a long
            # title pushed it past the edge of a 100-column terminal (cold try).
            ("Score", None),
            ("Title", 40),
            ("Owner", 14),
            ("Why it is here", None),
        ):
            queue.add_column(label, key=label.lower(), width=width)
        # The card follows the cursor in the same frame: RowHighlighted reaches this view
        # after the table's own frame is drawn, and the card came a frame later (30-50 ms
        # a key on the large file).
        self.watch(queue, "cursor_coordinate", self._moved, init=False)
        self.refresh_data()

    def focus_body(self) -> None:
        self.query_one("#raid-queue", KeyTable).focus()

    def show(self, meeting: Meeting, item: AgendaItem) -> None:
        # Lessons found before are kept unless anything a step shows was written since
        # (a peer's lesson may be new; moving between steps is not such a write).
        self.related.renew(self.store.presence.view_mark())
        super().show(meeting, item)

    # -- showing --------------------------------------------------------------------

    def refresh_data(self) -> None:
        self._card_shown = None  # re-read: names or lessons may have changed too
        scheme = self.store.raid.scoring()
        names = self.store.portfolio.names()
        if self.cell is None:
            entries = self.store.raid.triage_queue(self.meeting.id, limit=QUEUE_PAGE)
            rows = [(entry.item, entry.reasons) for entry in entries]
            more = "+" if len(rows) == QUEUE_PAGE else ""
            reach = self._reach()
            if self.reachable_only and reach is not None and reach < len(rows):
                # The topics proposed into this step come first: the forum planned to
                # reach them (the cut dropped score-25 risks proposed here).
                proposed = {
                    topic.ref_code
                    for topic in self.store.meetings.topics(self.meeting.id)
                    if topic.agenda_item_id == self.item.id
                }
                rows.sort(key=lambda row: row[0].code not in proposed)  # stable: in order
                title = (
                    f"Triage queue cut to the {reach} of {len(rows)}{more} items the time left "
                    "reaches at a minute each (K: all)"
                )
                rows = rows[:reach]
            else:
                title = f"Triage queue: {len(rows)}{more} items need this forum"
            paced: int | None = len(rows)
        else:
            in_cell = RaidFilter(kinds=frozenset({RaidKind.RISK}), cell=self.cell)
            found = self.store.raid.raid_items(in_cell)
            rows = [(item, ["in the chosen cell"]) for item in found]
            # A page of the cell's risks: the count says how many it holds (a cell of
            # 2,500 read "500" when the count was the page's; cold try).
            total = len(rows) if len(rows) < 500 else self.store.raid.raid_count(in_cell)
            shown = f"{total:,}" if total == len(rows) else f"the first {len(rows)} of {total:,}"
            title = (
                f"Risks with probability {self.cell[0]} and impact {self.cell[1]}: "
                f"{shown} (H: back to the queue)"
            )
            paced = None
        self.items = {item.id: item for item, _ in rows}
        # "Which project is this?" is the room's first question: code in the queue, code
        # and name on the card (the labels of the rows shown, not of every project).
        self.projects = self.store.portfolio.labels_of(
            item.project_id for item, _ in rows if item.project_id is not None
        )
        self.reasons = {item.id: reasons for item, reasons in rows}
        self._summary = (
            title,
            paced,
            f"1-{scheme.scale} probability then impact, m/v/f/c response "
            "(x/h/s for opportunities), e escalate, o owner, r review, C close, u undo, "
            "enter next",
        )
        self._say_summary()
        self.query_one("#raid-queue", KeyTable).fill(
            (item.id, self._queue_cells(item, reasons, names, scheme)) for item, reasons in rows
        )
        edited, self._heat_edit = self._heat_edit, None
        # PRAGMA data_version moves with every other connection's commit, never with this
        # one's: the same as when the map was read, nobody else wrote since.
        version = self.store.presence.data_version()
        if edited is not None and self.heat is not None and version == self._heat_version:
            # This session's own edit of one item: the map it had, moved by that item.
            self._show_heat(self.store.raid.heat_map_after(self.heat, *edited, self.meeting.id))
        elif edited is not None or not self._heat_holds or version != self._heat_version:
            self._heat_version = version
            self._show_heat(self.store.raid.heat_map(meeting_id=self.meeting.id))
        self._heat_holds = False
        self._show_card()

    def _queue_cells(
        self, item: RaidItem, reasons: list[str], names: dict[int, str], scheme: ScoringScheme
    ) -> list[Cell]:
        """The queue's row for ``item``: the same cells as last time while nothing in it
        changed (an edit re-reads 100 rows and changes one)."""
        score = _score(item)
        project = self._project(item).split(" ", 1)[0]
        band = f"{score or '-'} {band_for(score, scheme)}"
        owner = names.get(item.owner_id or 0, "-")
        why = ", ".join(reasons)
        return self._row_cells.cells(
            (item.id, item.version, project, band, owner, why),
            lambda: [
                item.code,
                item.kind.value,
                project,
                band,
                plain(item.title),
                plain(owner),
                plain(why),
            ],
        )

    def _show_heat(self, heat: HeatMap) -> None:
        self.heat = heat
        table = self.query_one("#raid-heat", KeyTable)
        scale = heat.scale
        if not table.columns:
            table.add_column("P\\I", key="p")
            for impact in range(1, scale + 1):
                table.add_column(str(impact), key=str(impact))
        moved_from: dict[tuple[int, int], int] = {}
        for old in heat.moved.values():
            moved_from[old] = moved_from.get(old, 0) + 1
        texts = {
            (probability, impact): f"{heat.count(probability, impact) or '·'}"
            + (f"←{moved_from[probability, impact]}" if (probability, impact) in moved_from else "")
            for probability in range(1, scale + 1)
            for impact in range(1, scale + 1)
        }
        # One width for every cell, with room for a "←n" from the start: a re-score that
        # adds the first marker to a column neither widens it (the whole screen laid out
        # again, 25-35 ms, and a scroll bar under the map) nor leaves a ragged grid.
        widest = max(len(str(max(heat.counts.values(), default=0))) + 2, *map(len, texts.values()))
        self._heat_width = max(self._heat_width, widest)
        width = self._heat_width
        table.fill(
            (
                probability,
                [
                    Text(str(probability), style="bold"),
                    *[
                        Text(f"{texts[probability, impact]:^{width}}")
                        for impact in range(1, scale + 1)
                    ],
                ],
            )
            for probability in range(scale, 0, -1)
        )
        # The panel fits the map (cell padding 1 each side, the table's margin 1 each
        # side); at least its usual width, which the title and hint are written for.
        needed = len("P\\I") + 2 + scale * (width + 2) + 2
        if needed > HEAT_PANEL_WIDTH and needed != self._heat_panel:
            self._heat_panel = needed
            self.query_one("#raid-right").styles.width = needed

    def _seconds_left(self) -> int | None:
        item = self.item
        if self.meeting.state is not MeetingState.LIVE or item.entered_at is None:
            return None
        spent = seconds_spent(item.spent_seconds, item.entered_at, self.store.clock())
        return item.timebox_minutes * 60 - spent

    def _reach(self) -> int | None:
        """How many items the time left reaches at REACH_SECONDS each (at least the one
        under discussion); None when the step's clock is not running."""
        left = self._seconds_left()
        return None if left is None else max(1, left // REACH_SECONDS)

    def action_cut_queue(self) -> None:
        if self.cell is not None:
            self.notify("K cuts the triage queue: H goes back to it first.")
            return
        if self._reach() is None:
            self.notify("The step's clock is not running: there is no time left to cut to.")
            return
        self.reachable_only = not self.reachable_only
        self.refresh_data()
        self.notify(
            "The queue shows what the time left reaches (K again: all)."
            if self.reachable_only
            else "The whole triage queue is shown."
        )

    def _say_summary(self) -> None:
        title, paced, keys = self._summary
        pace = self._pace(paced) if paced is not None else ""
        self.query_one("#raid-summary", StepSummary).say(title + pace, keys)

    def clock_moved(self) -> None:
        # The time each item may take follows the step's time left, as the clock shows
        # it (it said "25 min left" beside a sidebar at 24 when only edits redrew it).
        self._say_summary()

    def _pace(self, count: int) -> str:
        """What the step's time left allows each item still queued: the room sees it has
        25 minutes for 93 items (16 s each), not only that time runs out."""
        left = self._seconds_left()
        if not count or left is None:
            return ""
        if left <= 0:
            return " (time is up)"
        each = left // count
        per = f"{each // 60} min {each % 60:02d} s" if each >= 60 else f"{each} s"
        return f" ({per} each in the {clock_text(left)} left)"

    def _project(self, item: RaidItem) -> str:
        if item.project_id is None:
            return "portfolio"
        return self.projects.get(item.project_id, f"P-{item.project_id}")

    def _selected(self) -> RaidItem | None:
        key = self.query_one("#raid-queue", KeyTable).selected_key
        return self.items.get(key) if key is not None else None

    def _show_card(self) -> None:
        card = self.query_one("#raid-card", Card)
        item = self._selected()
        # The same item in the same version, reasons and typed digit draws the same card:
        # a refill re-highlights the cursor row, and the card was drawn twice per edit.
        shown = (
            (item.id, item.version, self.pending, tuple(self.reasons.get(item.id, [])))
            if item is not None
            else None
        )
        if shown == self._card_shown and shown is not None:
            return
        self._card_shown = shown
        if item is None:
            card.show(Text("Nothing to triage: the queue is empty.", style="italic"))
            return
        names = self.store.portfolio.names()
        scheme = self.store.raid.scoring()
        grid = Facts()
        score = _score(item)
        pending = f"   probability {self.pending} typed: now the impact" if self.pending else ""
        grid.add_row(
            "Score",
            f"P{item.probability or '-'} x I{item.impact or '-'} = "
            f"{score or '-'} {band_for(score, scheme)}{pending}",
        )
        # The card has a fixed height (7 rows at 80x24): the rows a triage decision needs
        # come first, and long ones end in "…" on one line.
        grid.add_row("Project", one_line(safe(self._project(item))))
        grid.add_row("Why here", one_line(safe(", ".join(self.reasons.get(item.id, [])))))
        # Text, never a plain str: Rich would read "[/x]" in a name as markup.
        grid.add_row("Owner", Text(safe(names.get(item.owner_id or 0, "none"))))
        grid.add_row("Response", item.response.value if item.response else "none")
        grid.add_row("Review by", item.review_by.isoformat() if item.review_by else "none")
        grid.add_row("Status", item.status.value)
        # The newest scores matter most: the history keeps its end (one more than shown,
        # to know that older ones exist).
        steps = [
            f"{label} {value if value is not None else '-'}"
            for label, value in self.store.raid.score_history(item.id, newest=6)
        ]
        history = " → ".join(steps[-6:])
        grid.add_row("History", one_line(("… → " if len(steps) > 6 else "") + history))
        if item.description and item.description != item.title + ".":
            grid.add_row("Notes", one_line(safe(item.description[-300:])))
        # Found on a thread (RelatedLessons): the card comes now, its lessons when found;
        # the next item's are searched for while the room reads this one.
        self.related.ask(item.title)
        lessons = self.related.get(item.title)
        if lessons is not None:
            grid.add_row("Lessons", lessons)
        self._look_ahead()
        card.show(
            Group(
                Text.assemble(
                    (item.code, "bold"), f"  {item.kind.value}  ", (safe(item.title), "bold")
                ),
                grid,
            )
        )

    def _look_ahead(self) -> None:
        """Ask for the next items' related lessons: triage moves down the queue, and a
        search over 40,000 lessons takes longer than a quick key (three stay ahead)."""
        table = self.query_one("#raid-queue", KeyTable)
        for following in range(table.cursor_row + 1, min(table.cursor_row + 4, table.row_count)):
            key = table.coordinate_to_cell_key(Coordinate(following, 0)).row_key.value
            item = self.items.get(int(key or 0))
            if item is not None:
                self.related.ask(item.title)

    @on(RelatedLessons.Found)
    def _lessons_found(self, event: RelatedLessons.Found) -> None:
        item = self._selected()
        if item is not None and item.title == event.text:
            self._card_shown = None
            self._show_card()

    @on(DataTable.RowSelected, "#raid-queue")
    def _confirmed(self) -> None:
        self.action_next()  # enter on an item: done with it, on to the next

    @on(DataTable.RowHighlighted, "#raid-queue")
    def _moved(self) -> None:
        item = self._selected()
        if self._card_shown is None or item is None or self._card_shown[0] != item.id:
            self.pending = None  # a probability typed for another item
        self._show_card()

    # -- editing --------------------------------------------------------------------

    def _edit(self, item: RaidItem, **changes: object) -> None:
        before = {name: getattr(item, name) for name in changes}
        # A re-score re-sorts the queue and the cursor follows the item: "next" must still
        # go to the item that came after it when the room decided, not one further down.
        table = self.query_one("#raid-queue", KeyTable)
        following = table.cursor_row + 1
        self._next_after = None
        if following < table.row_count:
            key = table.coordinate_to_cell_key(Coordinate(following, 0)).row_key.value
            self._next_after = (str(item.id), str(key))

        def work() -> RaidItem:
            saved = self.store.raid.triage_raid_item(item.id, item.version, **changes)
            # Only once saved: a refused edit (another session's change) re-reads it all.
            self._heat_holds = not HEAT_FIELDS & changes.keys()
            if not self._heat_holds:
                self._heat_edit = (item, saved)
            return saved

        if self.attempt(work, item):
            self.undo_stack.append((item.id, before))
            if item.id not in self.items:
                # Re-scored below the queue's cut, closed...: the cursor is on the item
                # that came after it, and the room is told where this one went.
                change = (
                    f"now scores {_score(self.store.get(RaidItem, item.id)) or '-'}"
                    if {"probability", "impact"} & changes.keys()
                    else "was saved"
                )
                self.notify(
                    f"{item.code} {change} and leaves this list (the register, L, still "
                    "has it); u undoes.",
                    markup=False,
                )

    def action_digit(self, number: int) -> None:
        item = self._selected()
        if item is None:
            return
        scale = self.store.raid.scoring().scale
        if not 1 <= number <= scale:
            self.notify(
                f"{number} is off the {scale}x{scale} scale: use 1 to {scale}.", severity="warning"
            )
            return
        if self.pending is None:
            self.pending = number
            self._show_card()
            return
        probability, self.pending = self.pending, None
        self._edit(item, probability=probability, impact=number)

    def action_respond(self, key: str) -> None:
        item = self._selected()
        if item is None:
            return
        # Accept and escalate fit both; exploit, enhance and share mark an opportunity.
        opportunity = "(opportunity)" in item.title.lower() or item.response in (
            Response.EXPLOIT,
            Response.ENHANCE,
            Response.SHARE,
        )
        choices = OPPORTUNITY_KEYS if opportunity else THREAT_KEYS
        response = choices.get(key)
        if response is None:
            kind = "an opportunity" if opportunity else "a threat"
            self.notify(f"That response is not for {kind}.", severity="warning")
            return
        self._edit(item, response=response)

    def action_escalate(self) -> None:
        item = self._selected()
        if item is not None:
            self._edit(item, response=Response.ESCALATE, status=RaidStatus.ESCALATED)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo here.")
            return
        item_id, before = self.undo_stack.pop()
        current = self.store.get(RaidItem, item_id)
        if self.attempt(
            lambda: self.store.raid.triage_raid_item(item_id, current.version, **before), current
        ):
            # Back on the item undone, wherever it sorts now, and said: the undo may have
            # brought back an item that had left the list.
            table = self.query_one("#raid-queue", KeyTable)
            with suppress(RowDoesNotExist):
                table.move_cursor(row=table.get_row_index(str(item_id)))
            self.notify(f"Undone: {current.code} {_as_it_was(before)}.", markup=False)

    def action_details(self) -> None:
        item = self._selected()
        if item is None:
            return
        projects = {p.id: p.code for p in self.store.all(Project)}

        def choice(name: str, label: str, enum: type[StrEnum], value: StrEnum | None) -> Field:
            options = [("not set", ""), *((member.value, member.value) for member in enum)]
            return Field(name, label, value.value if value else "", kind="choice", choices=options)

        def day(value: date | None) -> str:
            return value.isoformat() if value else ""

        fields = [
            Field("title", "Title", item.title, required=True, max_length=300),
            Field(
                "project",
                "Project (code; empty for the portfolio)",
                projects.get(item.project_id or 0, ""),
                max_length=20,
            ),
        ]
        if item.kind is RaidKind.RISK:
            fields += [
                choice("proximity", "Proximity", Proximity, item.proximity),
                Field("trigger", "Trigger", item.trigger, max_length=500),
                Field("response_plan", "Response plan", item.response_plan, max_length=2_000),
            ]
        elif item.kind is RaidKind.ISSUE:
            fields += [
                choice("priority", "Priority", Priority, item.priority),
                Field("due_on", "Due", day(item.due_on), kind="date"),
                Field("resolution", "Resolution", item.resolution, max_length=2_000),
            ]
        elif item.kind is RaidKind.ASSUMPTION:
            fields += [choice("validation", "Validated?", Validation, item.validation)]
        else:
            fields += [
                Field(
                    "depends_on",
                    "Depends on project (code)",
                    projects.get(item.depends_on_project_id or 0, ""),
                    max_length=20,
                ),
                Field("party", "...or outside party", item.party, max_length=200),
                choice("direction", "Direction", Direction, item.direction),
                Field("need_by", "Needed by", day(item.need_by), kind="date"),
                choice("dependency_state", "State", DependencyState, item.dependency_state),
            ]

        def apply(seen: RaidItem, values: Values) -> object:
            changes: dict[str, object] = {
                "title": values["title"].strip(),
                "project_id": self.store.portfolio.project_id_for(values["project"]),
            }
            for name, value in values.items():
                if name in ("title", "project"):
                    continue
                if name == "depends_on":
                    changes["depends_on_project_id"] = self.store.portfolio.project_id_for(value)
                elif name in ("due_on", "need_by"):
                    changes[name] = date.fromisoformat(value) if value else None
                elif name in (
                    "proximity",
                    "priority",
                    "validation",
                    "direction",
                    "dependency_state",
                ):
                    changes[name] = value or None
                else:
                    changes[name] = value.strip()
            return self.store.raid.edit_raid_details(seen.id, seen.version, **changes)

        self.ask(f"{item.code} details", fields, versioned(item, apply))

    def action_cycle_status(self) -> None:
        item = self._selected()
        if item is None:
            return
        following = {RaidStatus.OPEN: RaidStatus.MONITORING}.get(item.status, RaidStatus.OPEN)
        self._edit(item, status=following)

    def action_note(self) -> None:
        item = self._selected()
        if item is None:
            return

        def apply(seen: RaidItem, values: Values) -> object:
            return self.store.raid.note_raid_item(seen.id, seen.version, values["note"])

        self.ask(
            f"Note on {item.code}",
            [Field("note", "Note", required=True, max_length=2_000)],
            versioned(item, apply),
            "Add",
        )

    def action_next(self) -> None:
        table = self.query_one("#raid-queue", KeyTable)
        planned, self._next_after = self._next_after, None
        if planned is not None and table.selected_value == planned[0]:
            with suppress(RowDoesNotExist):
                table.move_cursor(row=table.get_row_index(planned[1]))
                return
        if (
            planned is not None
            and table.selected_value == planned[1]
            and int(planned[0]) not in self.items
        ):
            # The item decided left the list and the cursor fell on the one after it:
            # that is the next item ("5 4 enter" typed ahead skipped it).
            return
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_owner(self) -> None:
        item = self._selected()
        if item is None:
            return

        def apply(seen: RaidItem, values: Values) -> object:
            return self.store.raid.assign_raid_owner(seen.id, seen.version, values["owner"])

        people = [person.name for person in self.store.portfolio.people()]
        current = self.store.portfolio.names().get(item.owner_id or 0, "")
        self.ask(
            f"Owner of {item.code}",
            [owner_field(people, current)],
            versioned(item, apply),
        )

    def action_review(self) -> None:
        item = self._selected()
        if item is None:
            return

        def apply(seen: RaidItem, values: Values) -> object:
            review_by = date.fromisoformat(values["due"])
            return self.store.raid.set_review_date(seen.id, seen.version, review_by)

        current = item.review_by.isoformat() if item.review_by else ""
        self.ask(
            f"Review {item.code} by",
            [Field("due", "Review by", current, kind="date", required=True)],
            versioned(item, apply),
        )

    def action_close(self) -> None:
        item = self._selected()
        if item is None:
            return

        def apply(seen: RaidItem, values: Values) -> object:
            return self.store.raid.close_raid_item(seen.id, seen.version, values["reason"])

        self.ask(
            f"Close {item.code}",
            [Field("reason", "Why is it closed?", required=True, max_length=500)],
            versioned(item, apply),
            "Close",
        )

    def action_new_item(self) -> None:
        def submit(values: Values) -> str | None:
            return try_edit(
                lambda: self.store.raid.add_raid_item(
                    RaidKind(values["kind"]), values["title"], values["project"]
                )
            )

        self.ask(
            "New RAID item (fill in the rest later)",
            [
                Field(
                    "kind",
                    "Kind",
                    kind="choice",
                    choices=[(kind.value, kind.value) for kind in RaidKind],
                ),
                Field(
                    "project", "Project (a code like P-3; empty for the portfolio)", max_length=20
                ),
                Field("title", "Title", required=True, max_length=300),
            ],
            submit,
            "Raise",
        )

    def action_turn_into(self) -> None:
        item = self._selected()
        if item is None:
            return
        targets = {
            RaidKind.ASSUMPTION: [RaidKind.RISK, RaidKind.ISSUE],
            RaidKind.RISK: [RaidKind.ISSUE],
        }.get(item.kind, [])
        if not targets:
            self.notify(f"A {item.kind.value} does not turn into another kind.", severity="warning")
            return

        def apply(seen: RaidItem, values: Values) -> object:
            return self.store.raid.convert(
                seen.id, seen.version, RaidKind(values["kind"]), values["reason"]
            )

        self.ask(
            f"Turn {item.code} into",
            [
                Field(
                    "kind",
                    "New kind",
                    kind="choice",
                    choices=[(kind.value, kind.value) for kind in targets],
                ),
                Field("reason", "Why (recorded on the old item)", max_length=300),
            ],
            versioned(item, apply),
            "Turn",
        )

    def action_register(self) -> None:
        self.post_message(self.OpenRegister())

    def action_clear_cell(self) -> None:
        self.cell = None
        self.refresh_data()
        self.focus_body()

    @on(DataTable.CellSelected, "#raid-heat")
    def _cell_chosen(self, event: DataTable.CellSelected) -> None:
        probability = int(event.cell_key.row_key.value or 0)
        column = event.coordinate.column
        if column == 0 or not probability:
            return
        self.cell = (probability, column)
        self.refresh_data()
        self.focus_body()

    def selected_code(self) -> str:
        item = self._selected()
        return item.code if item else ""
