"""The footer: one line of the keys that act now, which a click runs as the key would."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from pmo_tui.app import make_app
from pmo_tui.data.models import AgendaStep
from pmo_tui.screens.help import HelpScreen
from pmo_tui.screens.home import HomeScreen
from pmo_tui.steps.raid import RaidView
from pmo_tui.widgets.footer import KeyFooter
from tests.conftest import fixed_clock
from tests.helpers.meeting import at_step, open_newest_meeting


def footer_line(pilot: Pilot[None]) -> str:
    footer = pilot.app.screen.query_one(KeyFooter)
    return footer.render().plain


def column_of(pilot: Pilot[None], description: str) -> int:
    """The column where a key's item starts, found in the line as drawn."""
    line = footer_line(pilot)
    index = line.index(f" {description} ")
    return line.rindex(" ", 0, index - 1)


async def test_the_footer_shows_the_screens_keys_and_the_palette_on_the_right(
    demo_path: Path,
) -> None:
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
        footer = pilot.app.screen.query_one(KeyFooter)
        shown = {key.display: key.description for key in footer.keys}
        assert shown["?"] == "Help"
        line = footer_line(pilot)
        assert len(line) == 120
        assert line.rstrip().endswith("^p Commands")
        assert " ? Help " in line
        assert footer.region.y == 39


async def test_a_click_on_a_key_runs_it(demo_path: Path) -> None:
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await pilot.pause()
        assert await pilot.click(KeyFooter, offset=(column_of(pilot, "Help") + 1, 0))
        for _ in range(50):  # the key goes through the app's queue: a few turns at most
            if isinstance(pilot.app.screen, HelpScreen):
                break
            await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)


async def test_hovering_a_key_highlights_it_and_gives_its_tooltip(demo_path: Path) -> None:
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(120, 40)
    ) as pilot:
        await pilot.pause()
        footer = pilot.app.screen.query_one(KeyFooter)
        help_key = next(key for key in footer.keys if key.description == "Help")
        await pilot.hover(KeyFooter, offset=(column_of(pilot, "Help") + 2, 0))
        await pilot.pause()
        assert footer.tooltip == help_key.tooltip
        styled = footer.render()
        hover = footer.get_component_rich_style("footer-key--hover")
        start = column_of(pilot, "Help")
        assert any(
            span.start <= start + 1 < span.end and span.style == hover for span in styled.spans
        )


async def test_the_keys_follow_the_step_and_a_narrow_footer_drops_whole_keys(
    demo_path: Path,
) -> None:
    at_step(demo_path, AgendaStep.RAID)
    async with make_app(demo_path, user="tester", clock=fixed_clock).run_test(
        size=(80, 24)
    ) as pilot:
        screen = await open_newest_meeting(pilot)
        footer = screen.query_one(KeyFooter)
        assert screen.query_one(RaidView).display
        descriptions = [key.description for key in footer.keys]
        assert "Mitigate" in descriptions and "Escalate" in descriptions
        line = footer_line(pilot)
        assert len(line) == 80 and line.rstrip().endswith("^p Commands")
        # Every key drawn is drawn whole: its key and its description.
        drawn = [key for key in footer.keys if f" {key.display} {key.description} " in line]
        assert drawn and len(drawn) < len(footer.keys)
        assert line[: line.index("▏")].rstrip().endswith(drawn[-1].description)
        await pilot.press("right_square_bracket")
        while "Mitigate" in [key.description for key in footer.keys]:
            await pilot.pause()
        assert "Mitigate" not in footer_line(pilot)
