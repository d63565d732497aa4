"""Importing from the app: pick a file in the tree, check it, import it with progress; a
file with problems cannot be imported, and a read-only session imports nothing."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static

from pmo_tui.app import make_app
from pmo_tui.data.models import RaidItem
from pmo_tui.data.store import Store
from pmo_tui.screens.import_screen import ImportScreen, SpreadsheetTree
from tests.conftest import fixed_clock
from tests.helpers.meeting import rendered

ROWS = "Type,Project,Title,Probability,Impact\n" + "".join(
    f"Risk,P-{1 + n % 5},Imported risk {n},{1 + n % 5},3\n" for n in range(1_200)
)


async def until(pilot: Pilot[None], ready: object) -> None:
    """Wait for the worker to report back (the screen's plan set or cleared)."""
    for _ in range(400):
        await pilot.pause(0.02)
        if callable(ready) and ready():
            return
    raise AssertionError("the import worker did not report back")


async def open_import(pilot: Pilot[None]) -> ImportScreen:
    await pilot.pause()
    await pilot.press("I")  # from the home screen
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def checked(pilot: Pilot[None], path: Path, key: str = "ctrl+r") -> ImportScreen:
    """The import screen, ``path`` in its file field, checked (its dry run back)."""
    screen = await open_import(pilot)
    screen.query_one("#import-path", Input).value = str(path)
    await pilot.press(key)
    await until(pilot, lambda: screen.plan is not None)
    return screen


async def test_check_then_import_with_progress(demo_path: Path, tmp_path: Path) -> None:
    (tmp_path / "risks.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "notes.txt.bak").write_text("not shown", encoding="utf-8")
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot)
        tree = screen.query_one(SpreadsheetTree)
        assert list(tree.filter_paths([tmp_path / "risks.csv", tmp_path / "notes.txt.bak"])) == [
            tmp_path / "risks.csv"
        ]
        screen.query_one("#import-path", Input).value = str(tmp_path / "risks.csv")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.plan is not None)
        assert "1200 to create" in rendered(screen.query_one("#import-status", Static))
        assert "row     2  create" in rendered(screen.query_one("#import-report", Static), 200)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.plan is None)
        bar = screen.query_one("#import-progress", ProgressBar)
        assert bar.progress == bar.total == 1_200
        assert "Imported: 1200 created" in rendered(screen.query_one("#import-status", Static))
    with Store(demo_path) as store:
        assert sum(item.title.startswith("Imported risk") for item in store.all(RaidItem)) == 1_200


async def test_a_file_with_problems_cannot_be_imported(demo_path: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("Type,Title,Probability\nRisk,X,very likely\n", "utf-8")
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await checked(pilot, tmp_path / "bad.csv", key="enter")
        assert "1 problem:" in rendered(screen.query_one("#import-status", Static))
        assert "“very likely” is not on the 1-5 scale" in rendered(
            screen.query_one("#import-report", Static), 200
        )
        assert not screen.check_action("run", ())
        screen.query_one("#import-path", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("enter")
        await until(
            pilot, lambda: "does not exist" in rendered(screen.query_one("#import-status", Static))
        )


async def test_escapes_in_a_files_cells_are_shown_never_obeyed(
    demo_path: Path, tmp_path: Path
) -> None:
    """A description holding "ESC]0;pwned BEL" renamed the terminal from the dry run's
    report; "ESC[2J" cleared the screen."""
    hostile = "ansi \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 title \x1b[2J"
    (tmp_path / "h.csv").write_text(
        f"Type,Project,Description\nRisk,P-1,{hostile}\n", encoding="utf-8"
    )
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await checked(pilot, tmp_path / "h.csv")
        for widget in ("#import-report", "#import-status"):
            shown = screen.query_one(widget, Static).render()
            assert "\x1b" not in str(shown) and "\x07" not in str(shown)
