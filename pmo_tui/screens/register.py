"""The RAID register: every item, filtered and sorted in SQL, a page at a time, with the
filters shown as one readable line; and the cross-project dependency view."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import MeetingState, Person, RaidItem, RaidKind, RaidStatus
from pmo_tui.data.raid import OPEN_STATUSES, RaidFilter, band_for
from pmo_tui.data.store import Store
from pmo_tui.widgets.cells import plain, safe
from pmo_tui.widgets.footer import KeyFooter
from pmo_tui.widgets.form import Field, FormDialog, Values
from pmo_tui.widgets.table import PAGE, PAGE_BINDINGS, Cell, KeyTable, RowCells

_KINDS: list[frozenset[RaidKind]] = [frozenset(), *(frozenset({k}) for k in RaidKind)]
_STATUSES: list[frozenset[RaidStatus]] = [
    OPEN_STATUSES,
    frozenset(),
    *(frozenset({s}) for s in RaidStatus),
]
_SORTS = ("score", "review", "project", "code")


def _plural(kind: str) -> str:
    """ "risks", "issues", "dependencies"."""
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def describe(wanted: RaidFilter, names: dict[int, str], projects: dict[int, str]) -> str:
    """The filters as one line a room can read: "risks · P-3 · open · high · ..."."""
    parts = []
    parts.append(", ".join(sorted(_plural(k.value) for k in wanted.kinds)) or "all kinds")
    if wanted.project_id is not None:
        parts.append(projects.get(wanted.project_id, f"P-{wanted.project_id}"))
    if wanted.owner_id is not None:
        parts.append(f"owned by {names.get(wanted.owner_id, '?')}")
    if wanted.statuses == OPEN_STATUSES:
        parts.append("not closed")
    elif wanted.statuses:
        parts.append(", ".join(sorted(s.value for s in wanted.statuses)))
    else:
        parts.append("any status")
    if wanted.band:
        parts.append(f"severity {wanted.band}")
    if wanted.cell:
        parts.append(f"probability {wanted.cell[0]}, impact {wanted.cell[1]}")
    if wanted.review_overdue_on:
        parts.append("review overdue")
    if wanted.changed_since:
        parts.append("changed since the last meeting")
    if wanted.text.strip():
        parts.append(f"matching “{wanted.text.strip()}”")
    parts.append(f"by {wanted.sort}")
    return " · ".join(parts)


def _register_cells(
    item: RaidItem, project: str, owner: str, band: str, review: str, flagged: bool
) -> list[Cell]:
    return [
        item.code,
        item.kind.value,
        plain(project),
        plain(item.title),
        plain(owner),
        item.status.value,
        band,
        Text(review, style="bold" if flagged else ""),
    ]


class RegisterScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="register.back"),
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            id="register.search",
            tooltip="Search titles and descriptions",
        ),
        Binding("K", "cycle_kind", "Kind", id="register.kind", tooltip="Cycle the kind filter"),
        Binding(
            "S",
            "cycle_status",
            "Status",
            id="register.status",
            tooltip="Cycle the status filter (not closed, any, each status)",
        ),
        Binding(
            "V",
            "cycle_band",
            "Severity",
            id="register.band",
            tooltip="Cycle the severity band filter",
        ),
        Binding(
            "P",
            "project",
            "Project",
            id="register.project",
            tooltip="Only one project's items (empty for all)",
        ),
        Binding(
            "O",
            "owner",
            "Owner",
            id="register.owner",
            tooltip="Only one owner's items (empty for all)",
        ),
        Binding(
            "R",
            "toggle_overdue",
            "Review overdue",
            id="register.overdue",
            tooltip="Only items whose review date has passed",
        ),
        Binding(
            "W",
            "toggle_changed",
            "Changed",
            id="register.changed",
            tooltip="Only items changed since the last meeting",
        ),
        Binding(
            "B",
            "cycle_sort",
            "Sort",
            id="register.sort",
            tooltip="Sort by score, review date, project or code",
        ),
        Binding("X", "clear", "Clear filters", id="register.clear"),
        # The list has the cursor and takes page down and page up itself (a screenful of
        # the rows loaded): pages of the register turn with > and <, as every long list's.
        *PAGE_BINDINGS,
        Binding(
            "D",
            "dependencies",
            "Dependencies",
            id="register.dependencies",
            tooltip="Who waits on whom, across projects",
        ),
    ]

    def __init__(self, store: Store, wanted: RaidFilter | None = None) -> None:
        super().__init__()
        self.store = store
        self.wanted = wanted or RaidFilter()
        self.first_row = 0
        # Rows met before (a filter toggled back, a page turned back) keep their cells.
        self.row_cells = RowCells()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="register"):
            yield Static(id="register-filters", classes="step-title")
            yield Input(placeholder="search: type, enter applies, esc closes", id="search")
            yield KeyTable(id="register-items")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        for label, width in (
            ("Code", None),
            ("Kind", None),
            ("Project", 18),
            ("Title", 44),
            ("Owner", 16),
            ("Status", None),
            ("Score", None),
            ("Review by", None),
        ):
            table.add_column(label, key=label.lower(), width=width)
        self.query_one("#search", Input).display = False
        self.refresh_data()
        table.focus()

    def refresh_data(self) -> None:
        names = self.store.portfolio.names()
        projects = self.store.portfolio.project_labels()
        scheme = self.store.raid.scoring()
        try:
            total = self.store.raid.raid_count(self.wanted)
            items = self.store.raid.raid_items(self.wanted, limit=PAGE, offset=self.first_row)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        today = self.store.clock().date()
        last = f"{self.first_row + 1}-{self.first_row + len(items)}" if items else "0"
        # One row high (.step-title): a repaint, not a layout of the screen.
        self.query_one("#register-filters", Static).update(
            Text(
                f"RAID register · {safe(describe(self.wanted, names, projects))} · "
                f"{last} of {total:,}{' (< >)' if total > PAGE else ''}"
            ),
            layout=False,
        )
        rows = []
        for item in items:
            score = (item.probability or 0) * (item.impact or 0) or None
            overdue = item.review_by is not None and item.review_by < today
            flag = ""
            if item.kind is RaidKind.ASSUMPTION and overdue and item.validation is None:
                flag = " NOT VALIDATED"
            elif overdue and item.status is not RaidStatus.CLOSED:
                flag = " overdue"
            project = projects.get(item.project_id or 0, "portfolio")
            owner = names.get(item.owner_id or 0, "-")
            band = f"{score or '-'} {band_for(score, scheme)}"
            review = (item.review_by.isoformat() if item.review_by else "-") + flag
            shown = (item.id, item.version, project, owner, band, review)
            make = partial(_register_cells, item, project, owner, band, review, bool(flag))
            rows.append((item.id, self.row_cells.cells(shown, make)))
        self.query_one(KeyTable).fill(rows)

    def _apply(self, **changes: object) -> None:
        self.wanted = self.wanted.model_copy(update=changes)
        self.first_row = 0
        self.refresh_data()

    # -- filters --------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = self.wanted.text
        search.focus()

    def action_back(self) -> None:
        """Escape closes the search box, the search as it was (it left the register, and
        every filter with it: cold try); with the box closed, it leaves."""
        if self.query_one("#search", Input).display:
            self._close_search()
            return
        self.app.pop_screen()

    def _close_search(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(KeyTable).focus()

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        self._close_search()
        self._apply(text=event.value)

    def action_cycle_kind(self) -> None:
        index = _KINDS.index(self.wanted.kinds) if self.wanted.kinds in _KINDS else 0
        self._apply(kinds=_KINDS[(index + 1) % len(_KINDS)])

    def action_cycle_status(self) -> None:
        index = _STATUSES.index(self.wanted.statuses) if self.wanted.statuses in _STATUSES else 0
        self._apply(statuses=_STATUSES[(index + 1) % len(_STATUSES)])

    def action_cycle_band(self) -> None:
        bands = ["", *(band.name for band in self.store.raid.scoring().bands)]
        index = bands.index(self.wanted.band) if self.wanted.band in bands else 0
        self._apply(band=bands[(index + 1) % len(bands)])

    def action_cycle_sort(self) -> None:
        self._apply(sort=_SORTS[(_SORTS.index(self.wanted.sort) + 1) % len(_SORTS)])

    def action_toggle_overdue(self) -> None:
        today = self.store.clock().date()
        self._apply(review_overdue_on=None if self.wanted.review_overdue_on else today)

    def action_toggle_changed(self) -> None:
        if self.wanted.changed_since is not None:
            self._apply(changed_since=None)
            return
        closed = [
            row.meeting.closed_at
            for row in self.store.meetings.meetings()
            if row.meeting.state is MeetingState.CLOSED and row.meeting.closed_at
        ]
        if not closed:
            self.notify("No meeting has closed yet: nothing to compare with.")
            return
        self._apply(changed_since=max(closed))

    def action_clear(self) -> None:
        self._apply(
            kinds=frozenset(),
            project_id=None,
            owner_id=None,
            statuses=OPEN_STATUSES,
            band="",
            cell=None,
            review_overdue_on=None,
            changed_since=None,
            text="",
        )

    def action_page(self, direction: int) -> None:
        total = self.store.raid.raid_count(self.wanted)
        offset = self.first_row + direction * PAGE
        if 0 <= offset < max(total, 1):
            self.first_row = offset
            self.refresh_data()

    def _ask(self, title: str, field: Field, choose: Callable[[str], None]) -> None:
        def submit(values: Values) -> str | None:
            try:
                choose(values[field.name].strip())
            except StoreError as error:
                return str(error)
            return None

        today = self.store.clock().date()
        self.app.push_screen(FormDialog(title, [field], submit, today=today))

    def action_project(self) -> None:
        def choose(code: str) -> None:
            self._apply(project_id=self.store.portfolio.project_id_for(code))

        self._ask(
            "Only one project's items",
            Field("code", "Project code (empty: all)", max_length=20),
            choose,
        )

    def action_owner(self) -> None:
        def choose(name: str) -> None:
            if not name:
                self._apply(owner_id=None)
                return
            person: Person = self.store.portfolio.person_named(name)
            self._apply(owner_id=person.id)

        people = [p.name for p in self.store.portfolio.people()]
        self._ask(
            "Only one owner's items",
            Field("name", "Owner (empty: all)", suggestions=people, max_length=200),
            choose,
        )

    def action_dependencies(self) -> None:
        self.app.push_screen(DependencyScreen(self.store))


class DependencyScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="dependencies.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Dependencies: who waits on whom", classes="step-title")
        yield KeyTable(id="dependencies")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        for label, width in (
            ("Code", None),
            ("Project", 24),
            ("Waits on", 24),
            ("Dependency", 36),
            ("Need by", None),
            ("They deliver", None),
            ("", None),
        ):
            table.add_column(label, key=label.lower() or "flag", width=width)
        self.refresh_data()
        table.focus()

    def refresh_data(self) -> None:
        rows = self.store.raid.dependencies()
        self.query_one(KeyTable).fill(
            (
                row.item.id,
                [
                    row.item.code,
                    plain(row.project),
                    plain(row.on),
                    plain(row.item.title),
                    row.item.need_by.isoformat() if row.item.need_by else "-",
                    row.predecessor_end.isoformat() if row.predecessor_end else "-",
                    Text("NEEDED BEFORE DELIVERY", style="bold reverse") if row.late else "",
                ],
            )
            for row in rows
        )
