"""Keys that open and close overlays, timed key-to-screen on the demo at 120x40.

    python bench/keys.py [--runs 7]

Drives the real app on the demo portfolio in its live meeting at wrap-up (where `E`
writes the minutes; in RAID triage, changes and lessons it edits the item), through
Textual's test pilot, headless, and times each key from reaching the app to the last
frame that changed the screen (bench/common.py): help `?` and its close; the minutes
preview `E`, to its first frame (the screen) and to its last (the minutes laid out in
it), and its close; the log panel `l`; presentation mode `p`. The floor, measured in the
same run: a bare Textual app pushing a modal screen with one Static over a 200-row table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from pathlib import Path

from common import clock, figure, key_to_frames, key_to_screen, live_at_step
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Static

from pmo_tui.app import make_app
from pmo_tui.collector import settle_collector
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import AgendaStep
from pmo_tui.data.store import Store
from pmo_tui.screens.meeting import MeetingScreen


class Overlay(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"line {n} of a long help text" for n in range(120)))


class BareOverlay(App[None]):
    BINDINGS = [Binding("question_mark", "overlay", "Overlay")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*"ABCDEF")
        for row in range(200):
            table.add_row(*[f"cell {row}" for _ in range(6)])
        table.focus()

    def action_overlay(self) -> None:
        self.push_screen(Overlay())


async def floor(runs: int) -> list[float]:
    app = BareOverlay()
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            times.append(await key_to_screen(pilot, "question_mark"))
            await key_to_screen(pilot, "escape")
    return times


async def overlays(path: Path, runs: int) -> dict[str, list[float]]:
    settle_collector()
    app = make_app(path, user="bench", clock=clock)
    figures: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        figures.setdefault(name, []).append(seconds)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        while not isinstance(app.screen, MeetingScreen):
            if app.screen.__class__.__name__ == "SinceLastScreen":
                await pilot.press("enter")
            await pilot.pause()
        await pilot.pause(0.5)
        for _ in range(runs):
            add("help ?", await key_to_screen(pilot, "question_mark"))
            add("help closed (esc)", await key_to_screen(pilot, "escape"))
            first, last = await key_to_frames(pilot, "E")
            add("minutes preview E (screen opens)", first)
            add("minutes preview E (minutes shown)", last)
            add("preview closed (esc)", await key_to_screen(pilot, "escape"))
            add("log panel l", await key_to_screen(pilot, "l"))
            add("log panel closed l", await key_to_screen(pilot, "l"))
            add("presentation mode p", await key_to_screen(pilot, "p"))
            add("presentation mode off p", await key_to_screen(pilot, "p"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.pmo"
        build_demo(path)
        with Store(path, clock=clock) as store:
            live_at_step(store, AgendaStep.WRAP_UP)
        os.chdir(folder)  # E writes the minutes into the working folder
        base = asyncio.run(floor(args.runs))
        figures = asyncio.run(overlays(path, args.runs))
    print(figure("floor: bare app opens a modal screen", base))
    floor_median = statistics.median(base)
    for name, times in figures.items():
        ratio = statistics.median(times) / floor_median
        print(f"{figure(name, times)}   {ratio:4.1f}x the floor")


if __name__ == "__main__":
    main()
