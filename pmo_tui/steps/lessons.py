"""The lessons step: search every lesson of every project as you type (matches in bold),
filter, capture a lesson in seconds, mark one adopted into the PMO's standards, and close
a project through its closure checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Input

from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import (
    AgendaItem,
    Lesson,
    LessonCategory,
    LessonHit,
    Meeting,
    Project,
    ProjectStatus,
)
from pmo_tui.data.store import Store
from pmo_tui.steps.base import StepView
from pmo_tui.widgets.card import Card
from pmo_tui.widgets.cells import plain, safe
from pmo_tui.widgets.editing import ask, try_edit, versioned
from pmo_tui.widgets.form import Field, Values
from pmo_tui.widgets.related import marked
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import PAGE, KeyTable


def project_of(store: Store, code: str) -> str:
    """The project code a cursor's item belongs to (a project, RAID item, request...)."""
    if not code:
        return ""
    try:
        record = store.find(code)
    except StoreError:
        return ""
    if isinstance(record, Project):
        return record.code
    project_id = getattr(record, "project_id", None)
    return f"P-{project_id}" if project_id else ""


def lesson_fields(store: Store, lesson: Lesson | None = None, project: str = "") -> list[Field]:
    projects = list(store.portfolio.project_labels().values())
    current = f"P-{lesson.project_id}" if lesson and lesson.project_id else project
    return [
        Field(
            "project",
            "Project (code; empty for the portfolio)",
            current,
            suggestions=projects,
            max_length=200,
        ),
        Field(
            "category",
            "Category",
            lesson.category.value if lesson else LessonCategory.PLANNING.value,
            kind="choice",
            choices=[(c.value, c.value) for c in LessonCategory],
        ),
        Field(
            "title",
            "Lesson in a line",
            lesson.title if lesson else "",
            required=True,
            max_length=300,
        ),
        Field(
            "what_happened",
            "What happened",
            lesson.what_happened if lesson else "",
            max_length=5_000,
        ),
        Field("impact", "Impact", lesson.impact if lesson else "", max_length=2_000),
        Field(
            "next_time",
            "What to do next time",
            lesson.next_time if lesson else "",
            max_length=5_000,
        ),
        Field("tags", "Tags (comma separated)", lesson.tags if lesson else "", max_length=300),
    ]


def lesson_values(store: Store, values: Values) -> dict[str, object]:
    return {
        "project_id": store.portfolio.project_id_for(values["project"]),
        "category": LessonCategory(values["category"]),
        "title": values["title"].strip(),
        "what_happened": values["what_happened"].strip(),
        "impact": values["impact"].strip(),
        "next_time": values["next_time"].strip(),
        "tags": values["tags"].strip(),
    }


def ask_lesson(
    widget: Widget,
    store: Store,
    meeting_id: int | None,
    project: str,
    then: Callable[[Lesson], object],
) -> None:
    """The quick lesson capture, from the lessons step or from any step of a meeting."""
    made: list[Lesson] = []

    def submit(values: Values) -> str | None:
        return try_edit(
            lambda: made.append(
                store.lessons.add_lesson(meeting_id=meeting_id, **lesson_values(store, values))
            )
        )

    ask(
        widget,
        store,
        "Lesson learned",
        lesson_fields(store, project=project),
        submit,
        "Save",
        lambda: then(made[-1]),
    )


class LessonsView(StepView):
    EDITS = frozenset({"new_lesson", "edit_lesson", "adopt", "delete_lesson", "close_project"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="lessons.search", key_display="/"),
        Binding(
            "f",
            "filters",
            "Filters",
            id="lessons.filters",
            tooltip="Filter by category, project, programme and date",
        ),
        Binding("x", "clear", "Clear", id="lessons.clear", tooltip="Clear the search and filters"),
        Binding("N", "new_lesson", "New lesson", id="lessons.new"),
        Binding("E", "edit_lesson", "Edit", id="lessons.edit"),
        Binding(
            "A",
            "adopt",
            "Adopted",
            id="lessons.adopt",
            tooltip="Mark adopted into the PMO's standards today (again: not adopted)",
        ),
        Binding("delete", "delete_lesson", "Delete", id="lessons.delete"),
        Binding(
            "X",
            "close_project",
            "Close project",
            id="lessons.close",
            tooltip="Close a project through its closure checklist",
        ),
        Binding("enter", "project", "Project", id="lessons.project", key_display="⏎"),
        # Leaves the search box for the results (not the meeting, as esc does elsewhere).
        Binding("escape", "results", "Results", show=False, id="lessons.results"),
    ]

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(store, meeting, item, id=id, classes=classes)
        self.hits: dict[int, LessonHit] = {}
        self.category: LessonCategory | None = None
        self.project_id: int | None = None
        self.programme = ""
        self.since: date | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='Search all lessons: words, "a phrase", prefix*, -not (/ to search)',
            id="lesson-search",
        )
        yield StepSummary(id="lesson-summary")
        yield Card(id="lesson-card")
        yield KeyTable(id="lessons")

    def on_mount(self) -> None:
        table = self.query_one("#lessons", KeyTable)
        for label, width in (
            ("Code", None),
            ("Project", 18),
            ("Category", None),
            ("Lesson", 40),
            ("Recorded", None),
            ("Adopted", None),
        ):
            table.add_column(label, key=label.lower(), width=width)
        self.refresh_data()

    def focus_body(self) -> None:
        self.query_one("#lessons", KeyTable).focus()

    def selected_code(self) -> str:
        hit = self._selected()
        return hit.lesson.code if hit else ""

    # -- showing --------------------------------------------------------------------

    def refresh_data(self) -> None:
        words = self.query_one("#lesson-search", Input).value
        hits = self.store.lessons.search_lessons(
            words,
            category=self.category,
            project_id=self.project_id,
            programme=self.programme,
            since=self.since,
            limit=PAGE,
        )
        self.hits = {hit.lesson.id: hit for hit in hits}
        filters = [
            f"category {self.category.value}" if self.category else "",
            f"P-{self.project_id}" if self.project_id else "",
            f"programme {self.programme}" if self.programme else "",
            f"since {self.since.isoformat()}" if self.since else "",
        ]
        shown = ", ".join(f for f in filters if f)
        found = (
            f"{len(hits)}{'+' if len(hits) == PAGE else ''} lesson{'' if len(hits) == 1 else 's'}"
        )
        self.query_one("#lesson-summary", StepSummary).say(
            (f"{found} for “{words.strip()}”" if words.strip() else f"{found}, newest first")
            + (f" ({shown})" if shown else ""),
            "/ search · f filters · x clear · N new · A adopted · X close a project",
        )
        self.query_one("#lessons", KeyTable).fill(
            (
                hit.lesson.id,
                [
                    hit.lesson.code,
                    plain(hit.project),
                    hit.lesson.category.value,
                    marked(hit.marked_title),
                    hit.lesson.recorded_on.isoformat(),
                    hit.lesson.adopted_on.isoformat() if hit.lesson.adopted_on else "",
                ],
            )
            for hit in hits
        )
        self._show_card()

    def _selected(self) -> LessonHit | None:
        key = self.query_one("#lessons", KeyTable).selected_key
        return self.hits.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#lessons")
    def _moved(self) -> None:
        self._show_card()

    @on(DataTable.RowSelected, "#lessons")
    def _chosen(self) -> None:
        self.action_project()

    def _show_card(self) -> None:
        card = self.query_one("#lesson-card", Card)
        hit = self._selected()
        if hit is None:
            card.show(Text("No lessons match. N records one; x clears the search.", "italic"))
            return
        card.show(self._card(hit))

    def _card(self, hit: LessonHit) -> RenderableType:
        lesson = hit.lesson
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        if hit.snippet and hit.snippet != hit.marked_title:
            grid.add_row("Match", marked(hit.snippet))
        for label, value in (
            ("Happened", lesson.what_happened),
            ("Impact", lesson.impact),
            ("Next time", lesson.next_time),
            ("Tags", lesson.tags),
        ):
            if value:
                grid.add_row(label, Text(safe(value)))
        adopted = (
            f" · adopted into standards {lesson.adopted_on.isoformat()}"
            if lesson.adopted_on
            else ""
        )
        title = Text.assemble(
            (f"{lesson.code}  ", "bold"),
            marked(hit.marked_title),
            f"  {lesson.category.value} · {hit.project}{adopted}",
        )
        return Group(title, grid)

    # -- searching ------------------------------------------------------------------

    @on(Input.Changed, "#lesson-search")
    def _typed(self) -> None:
        self.refresh_data()

    @on(Input.Submitted, "#lesson-search")
    def _searched(self) -> None:
        self.focus_body()

    def action_search(self) -> None:
        self.query_one("#lesson-search", Input).focus()

    def action_results(self) -> None:
        self.focus_body()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "results":
            return self.query_one("#lesson-search", Input).has_focus
        return super().check_action(action, parameters)

    def action_clear(self) -> None:
        self.category, self.project_id, self.programme, self.since = None, None, "", None
        self.query_one("#lesson-search", Input).value = ""
        self.refresh_data()

    def action_filters(self) -> None:
        fields = [
            Field(
                "category",
                "Category",
                self.category.value if self.category else "",
                kind="choice",
                choices=[("any", ""), *((c.value, c.value) for c in LessonCategory)],
            ),
            Field(
                "project",
                "Project (code)",
                f"P-{self.project_id}" if self.project_id else "",
                max_length=200,
            ),
            Field(
                "programme",
                "Programme",
                self.programme,
                max_length=200,
                suggestions=sorted({p.programme for p in self.store.all(Project)}),
            ),
            Field(
                "since", "Recorded since", self.since.isoformat() if self.since else "", kind="date"
            ),
        ]

        def submit(values: Values) -> str | None:
            try:
                project_id = self.store.portfolio.project_id_for(values["project"])
            except StoreError as error:
                return str(error)
            self.category = LessonCategory(values["category"]) if values["category"] else None
            self.project_id = project_id
            self.programme = values["programme"].strip()
            self.since = date.fromisoformat(values["since"]) if values["since"] else None
            self.refresh_data()
            return None

        ask(self, self.store, "Filter the lessons", fields, submit, "Filter", lambda: None)

    # -- editing --------------------------------------------------------------------

    def action_new_lesson(self) -> None:
        project = f"P-{self.project_id}" if self.project_id else ""

        def shown(lesson: Lesson) -> None:
            self.refresh_data()
            self.query_one("#lessons", KeyTable).select_key(lesson.id)
            self.notify(f"Recorded {lesson.code}.", markup=False)

        ask_lesson(self, self.store, self.meeting.id, project, shown)

    def action_edit_lesson(self) -> None:
        hit = self._selected()
        if hit is None:
            return

        def apply(seen: Lesson, values: Values) -> object:
            return self.store.lessons.edit_lesson(
                seen.id, seen.version, **lesson_values(self.store, values)
            )

        self.ask(
            f"{hit.lesson.code} lesson",
            lesson_fields(self.store, hit.lesson),
            versioned(hit.lesson, apply),
        )

    def action_adopt(self) -> None:
        hit = self._selected()
        if hit is not None:
            lesson = hit.lesson
            self.attempt(
                lambda: self.store.lessons.adopt_lesson(
                    lesson.id, lesson.version, adopted=lesson.adopted_on is None
                ),
                lesson,
            )

    def action_delete_lesson(self) -> None:
        hit = self._selected()
        if hit is None:
            return
        lesson = hit.lesson

        def submit(_values: Values) -> str | None:
            return try_edit(lambda: self.store.lessons.delete_lesson(lesson.id, lesson.version))

        self.ask(
            f"Delete {lesson.code} “{lesson.title}”? (the audit trail keeps it)",
            [],
            submit,
            "Delete",
        )

    def action_close_project(self) -> None:
        hit = self._selected()
        default = f"P-{hit.lesson.project_id}" if hit and hit.lesson.project_id else ""
        active = [
            f"{p.code} {p.name}"
            for p in self.store.all(Project)
            if p.status is not ProjectStatus.CLOSED
        ]
        fields = [
            Field(
                "project",
                "Project to close (code)",
                default,
                required=True,
                suggestions=active,
                max_length=200,
            ),
            Field(
                "handed_over_to",
                "Deliverables handed over to",
                max_length=300,
                hint=self._checklist_hint(default),
            ),
            Field(
                "benefits_owner",
                "Benefits owner",
                kind="person",
                suggestions=self.people(),
                max_length=200,
            ),
            Field(
                "transfer",
                "Transfer open RAID items and actions to (a code, or portfolio)",
                max_length=200,
            ),
            Field("rationale", "Rationale", required=True, max_length=2_000),
            Field(
                "override", "Override: why close with open points (empty: refuse)", max_length=2_000
            ),
        ]

        def submit(values: Values) -> str | None:
            try:
                project = self.store.portfolio.project_called(values["project"])
                self.store.lessons.close_project(
                    self.meeting.id,
                    project.id,
                    self.store.get(Project, project.id).version,
                    handed_over_to=values["handed_over_to"],
                    benefits_owner=values["benefits_owner"],
                    rationale=values["rationale"],
                    override_reason=values["override"],
                    transfer_to=values["transfer"],
                )
            except (StoreError, ValueError) as error:
                return str(error)
            self.notify(f"{project.code} closed.", markup=False)
            return None

        self.ask("Close a project: the closure checklist", fields, submit, "Close")

    def _checklist_hint(self, code: str) -> str:
        """What the data says of the closure checklist for ``code``, before typing."""
        if not code:
            return "The checklist is checked when you press Close."
        check = self.store.lessons.closure_check(
            self.store.portfolio.project_called(code).id, self.meeting.id
        )
        return f"{code}: " + " · ".join(
            f"{'✓' if point.met else '✗'} {point.name.lower()}"
            for point in check.points[2:]  # the two typed here are checked on Close
        )

    def action_project(self) -> None:
        hit = self._selected()
        if hit is not None and hit.lesson.project_id:
            self.post_message(self.OpenProject(hit.lesson.project_id))
