"""Importing a register from the app: pick the file (a tree of the folder, showing CSV and
Excel files), check it (the dry run, row by row), then import it with a progress bar. The
reading and the writing run in a worker thread with its own connection."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    DirectoryTree,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)

from pmo_tui.data.errors import StoreError
from pmo_tui.data.importing import (
    ImportKind,
    ImportPlan,
    PartialImportError,
    describe_plan,
    imported,
)
from pmo_tui.data.store import Store
from pmo_tui.data.wording import counted
from pmo_tui.export.escape import terminal
from pmo_tui.widgets.footer import KeyFooter

READABLE = (".csv", ".xlsx", ".xlsm", ".txt")


class SpreadsheetTree(DirectoryTree):
    """Folders, and only the files an import can read."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".") and (path.is_dir() or path.suffix.lower() in READABLE)
        ]


class ImportScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+r", "check", "Check (dry run)", id="import.check", priority=True),
        Binding("ctrl+s", "run", "Import", id="import.run"),
        Binding("escape", "app.pop_screen", "Back", id="import.back"),
    ]

    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__()
        self.store = store
        self.folder = folder
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="import"):
            with Vertical(id="import-side"):
                yield Label("What it holds")
                yield Select(
                    [(kind.value, kind.value) for kind in ImportKind],
                    value=ImportKind.RAID.value,
                    allow_blank=False,
                    id="import-kind",
                )
                yield Label("File (type a path, or pick one below)")
                yield Input(id="import-path", placeholder="RAID log.xlsx")
                yield Label("Excel sheet (empty: the first)")
                yield Input(id="import-sheet")
                yield SpreadsheetTree(self.folder, id="import-tree")
            with Vertical(id="import-main"):
                yield Static(
                    "Check the file first (ctrl+r or enter): what would be created or updated, "
                    "row by row, and every problem. With any problem, import (ctrl+s) "
                    "imports nothing.",
                    id="import-status",
                )
                yield ProgressBar(id="import-progress", show_eta=False)
                with VerticalScroll(id="import-report-box"):
                    yield Static(id="import-report")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Check", id="import-check")
                    yield Button("Import", variant="primary", id="import-run")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Import a register"
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-path", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run":
            return not self.store.read_only and self.plan is not None and not self.plan.problems
        return True

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.action_check()

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.plan = None  # a new choice must be checked again before importing
        self.refresh_bindings()

    @on(Button.Pressed, "#import-check")
    @on(Input.Submitted)
    def action_check(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self._status("Choose a file first.", error=True)
            return
        self._status(f"Reading {path}…")
        self._plan(
            ImportKind(str(self.query_one("#import-kind", Select).value)),
            Path(path).expanduser(),
            self.query_one("#import-sheet", Input).value.strip(),
        )

    @on(Button.Pressed, "#import-run")
    def action_run(self) -> None:
        if self.plan is None:
            self._status("Check the file first (ctrl+r or enter).", error=True)
            return
        if self.plan.problems:
            self._status("Fix the problems in the file first: nothing can be imported.", True)
            return
        if self.store.read_only:
            self._status("This session is read-only: nothing can be imported.", error=True)
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=len(self.plan.rows), progress=0)
        self._status(f"Importing {len(self.plan.rows):,} rows…")
        self._import(self.plan)

    def _status(self, message: str, error: bool = False) -> None:
        # File contents reach these words (a bad value, a name): never a terminal escape.
        self.query_one("#import-status", Static).update(
            Text(terminal(message), style="bold" if error else "")
        )

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _plan(self, kind: ImportKind, path: Path, sheet: str) -> None:
        try:
            with Store(self.store.path, read_only=True, clock=self.store.clock) as store:
                plan = store.importer.plan_import(kind, path, sheet=sheet)
        except (StoreError, OSError) as error:
            self.app.call_from_thread(self._planned, None, str(error))
            return
        except Exception as error:
            self.app.call_from_thread(
                self._planned, None, f"{path.name} could not be read ({error!r})."
            )
            return
        self.app.call_from_thread(self._planned, plan, "")

    def _planned(self, plan: ImportPlan | None, error: str) -> None:
        self.plan = plan
        report = self.query_one("#import-report", Static)
        if plan is None:
            self._status(error, error=True)
            report.update("")
        else:
            created, updated = plan.counts()
            self._status(
                f"{counted(len(plan.problems), 'problem')}: fix the file, nothing can be imported."
                if plan.problems
                else f"Ready: {created} to create, {updated} to update. ctrl+s imports.",
                error=bool(plan.problems),
            )
            # The cells of the file, as the dry run quotes them: shown, never obeyed (an
            # escape in a cell cleared the screen and renamed the terminal).
            report.update(Text(terminal(describe_plan(plan))))
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, plan: ImportPlan) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(
                self.query_one("#import-progress", ProgressBar).update, progress=done
            )

        try:
            with Store(self.store.path, user=self.store.user, clock=self.store.clock) as store:
                created, updated = store.importer.run_import(plan, progress)
        except (StoreError, OSError) as error:
            said = (
                str(error)
                if isinstance(error, PartialImportError)
                else f"Nothing was imported: {error}"
            )
            self.app.call_from_thread(self._status, said, True)
            return
        self.app.call_from_thread(self._imported, created, updated, len(plan.rows))

    def _imported(self, created: int, updated: int, rows: int) -> None:
        self.plan = None
        self.refresh_bindings()
        self._status(f"Imported: {imported(created, updated, rows)}.")
        self.notify(f"Imported {counted(rows, 'row')}.", markup=False)
