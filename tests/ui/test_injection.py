"""Nothing injected: text from the file never acts on the terminal, the wiki or a
spreadsheet. Every free-text field of the demo portfolio is overwritten with markup,
escape sequences, bidi controls, HTML, Markdown and a formula (tests/helpers/hostile.py);
then every export and every screen is read back."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pmo_tui.data.store import Store
from pmo_tui.export.everything import ENTITIES
from pmo_tui.export.files import (
    Format,
    actions_document,
    changes_document,
    digest_document,
    highlight_document,
    lessons_document,
    minutes_document,
    overdue_document,
    raid_document,
    ranking_document,
    table_document,
)
from tests.conftest import fixed_clock
from tests.helpers.hostile import MARKUP, poison

PARSER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
BIDI = re.compile("[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LIVE_HTML = re.compile(r"<script|<img|href=\"javascript:|<iframe", re.IGNORECASE)


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    shutil.copy(demo_template, path)
    assert poison(path) > 40  # every free-text field of every table
    return path


@pytest.fixture
def store(poisoned: Path) -> Iterator[Store]:
    with Store(poisoned, read_only=True, clock=fixed_clock) as opened:
        yield opened


def markdown_documents(store: Store) -> dict[str, str]:
    docs = {
        f"minutes {row.meeting.code}": minutes_document(store, row.meeting.id)
        for row in store.meetings.meetings()
    }
    docs |= {
        "actions": actions_document(store),
        "raid": raid_document(store),
        "changes": changes_document(store),
        "ranking": ranking_document(store),
        "lessons": lessons_document(store),
        "digest": digest_document(store),
        "highlight": highlight_document(store),
        "overdue": overdue_document(store),
    }
    return docs


def test_markdown_exports_render_the_text_as_typed_and_nothing_live(store: Store) -> None:
    for name, document in markdown_documents(store).items():
        assert "\x1b" not in document and "\x07" not in document, name
        assert not BIDI.search(document), name
        html = PARSER.render(document)
        assert not LIVE_HTML.search(html), (name, LIVE_HTML.search(html))
        # The markup reads back as the characters typed (escaped, not interpreted).
        if "minutes" in name:
            assert "[bold]B[/]" in html, name


def test_html_exports_contain_no_live_html_from_user_text(store: Store) -> None:
    pages = [
        minutes_document(store, row.meeting.id, Format.HTML) for row in store.meetings.meetings()
    ]
    pages += [
        raid_document(store, Format.HTML),
        changes_document(store, Format.HTML),
        ranking_document(store, Format.HTML),
        lessons_document(store, Format.HTML),
        actions_document(store, Format.HTML),
    ]
    for page in pages:
        found = LIVE_HTML.search(page)
        assert found is None, page[max(0, found.start() - 200) : found.end() + 50]
        assert "&lt;script&gt;" in page
        assert "\x1b" not in page and not BIDI.search(page)


def csv_cells(document: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(document)) for cell in row]


def test_csv_exports_never_start_a_cell_with_a_formula(store: Store) -> None:
    documents = [table_document(store, entity) for entity in ENTITIES]
    documents += [
        raid_document(store, Format.CSV),
        changes_document(store, Format.CSV),
        ranking_document(store, Format.CSV),
        lessons_document(store, Format.CSV),
        actions_document(store, Format.CSV),
    ]
    poisoned_cells = 0
    for document in documents:
        for value in csv_cells(document):
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value[:40]
            if value.startswith("-"):  # a negative number is data; text is defused
                assert re.fullmatch(r"-[\d.,]+", value), value[:40]
            poisoned_cells += value.startswith("'=1+2")
    assert poisoned_cells > 40


def test_the_payload_itself_is_kept_exactly_in_the_file(store: Store) -> None:
    # Defusing happens on the way out: the stored text is what was typed.
    assert store.portfolio.portfolio()[0].project.name.startswith("=1+2 " + MARKUP)


# -- the screens -----------------------------------------------------------------------

SHOWN_AS_TEXT = "[bold]B[/]"


def assert_inert(screen_svg: str, where: str) -> None:
    assert "\x1b" not in screen_svg and "\x07" not in screen_svg, where
    assert not BIDI.search(screen_svg), where
    assert not [h for h in re.findall(r"href=\"([^\"]*)\"", screen_svg) if "evil" in h], where


async def test_every_screen_shows_hostile_text_as_text(poisoned: Path, tmp_path: Path) -> None:
    from pmo_tui.app import make_app
    from pmo_tui.data.models import MeetingState
    from pmo_tui.screens.meeting import MeetingScreen

    path = tmp_path / "screens.db"
    shutil.copy(poisoned, path)
    with Store(path, clock=fixed_clock) as writer:
        planned = next(
            row.meeting
            for row in writer.meetings.meetings()
            if row.meeting.state is MeetingState.PLANNED
        )
        writer.meetings.start_meeting(planned.id)
        item = writer.meetings.agenda(planned.id)[0]
        writer.meetings.set_notes(item.id, item.version, ("A very long note " * 600)[:10_000])
    app = make_app(path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
        assert_inert(svg, "home")
        assert SHOWN_AS_TEXT.replace("[", "&#91;") in svg or SHOWN_AS_TEXT in svg
        for key, name in (("R", "register"), ("B", "dashboard")):
            await pilot.press(key)
            await pilot.pause()
            assert_inert(app.export_screenshot(), name)
            await pilot.press("escape")
            await pilot.pause()
        app.open_project(1)
        await pilot.pause()
        assert_inert(app.export_screenshot(), "project")
        await pilot.press("escape")
        app.open_meeting(planned.id)
        while not isinstance(app.screen, MeetingScreen):
            if app.screen.__class__.__name__ == "SinceLastScreen":
                assert_inert(app.export_screenshot(), "since last")
                await pilot.press("enter")
            await pilot.pause()
        screen = app.screen
        for step in screen.agenda:
            await pilot.pause()
            svg = app.export_screenshot()
            assert_inert(svg, step.title)
            # Layout holds: the footer's keys are still on the last row, whatever the text.
            assert screen.query_one("KeyFooter").region.y == 29
            await pilot.press("right_square_bracket")
        assert app.is_running  # "[@click=app.quit]" was never an action


UNBALANCED = "Mallory [/x] [bold]"


async def test_a_name_with_an_unbalanced_tag_is_shown_as_typed_on_every_card(
    demo_path: Path,
) -> None:
    """Rich parses a plain string as markup: "[/x]" closing nothing raised MarkupError and
    closed the app, every time the cursor came back to the row."""
    from textual.widgets import Static

    from pmo_tui.app import make_app
    from pmo_tui.data.models import AgendaStep, Person, Project, RaidItem
    from pmo_tui.screens.project import ProjectScreen
    from pmo_tui.steps.raid import RaidView
    from tests.helpers.meeting import at_step, open_newest_meeting, rendered

    at_step(demo_path, AgendaStep.RAID)
    with Store(demo_path, clock=fixed_clock) as store:
        for person in store.all(Person):
            store.db.update(Person, person.id, person.version, name=f"{UNBALANCED} {person.id}")
        for item in store.all(RaidItem):
            store.db.update(RaidItem, item.id, item.version, description=UNBALANCED)
        project = store.all(Project)[0]
        store.db.update(Project, project.id, project.version, programme=UNBALANCED)
    app = make_app(demo_path, user="tester", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_newest_meeting(pilot)
        view = screen.query_one(RaidView)
        table = view.query_one("#raid-queue")
        for row in range(min(table.row_count, 15)):
            table.move_cursor(row=row)
            await pilot.pause()
            assert "[/x]" in rendered(view.query_one("#raid-card"))
        app.open_project(project.id)
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        assert UNBALANCED in rendered(app.screen.query_one("#project-facts", Static))
        assert app.is_running
