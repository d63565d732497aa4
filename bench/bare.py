"""The floor for key figures: a bare Textual app with the widgets a step has (a header,
a 200-row table, a card, a footer of 20 keys, two panes switched by a key), timed the
same way as pmo (bench/common.py key_to_screen)."""

from __future__ import annotations

from common import key_to_screen
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Static

ROWS = 200


class Bare(App[None]):
    # The card below the table, 12 rows as pmo's RAID card (the table takes the rest).
    CSS = "ContentSwitcher { height: 1fr; } #card { height: 12; }"
    BINDINGS = [
        *(Binding(str(digit), f"card({digit})", f"Digit {digit}") for digit in range(1, 10)),
        *(Binding(key, "card(0)", f"Key {key}") for key in "abcdefghi"),
        Binding("right_square_bracket", "switch", "Next pane"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="one"):
            for name in ("one", "two"):
                yield DataTable(id=name)
        yield Static(id="card")
        yield Footer()

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.cursor_type = "row"
            table.add_columns(*"ABCDEF")
            for row in range(ROWS):
                table.add_row(*[f"cell {row}" for _ in range(6)])
        self.query_one("#one", DataTable).focus()

    shown = 0

    def action_card(self, digit: int) -> None:
        # A new text each time: a key that leaves the screen as it was is not timed.
        self.shown += 1
        self.query_one("#card", Static).update(f"The card after key {digit}, {self.shown}")

    def action_switch(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "two" if switcher.current == "one" else "one"
        self.query_one(f"#{switcher.current}", DataTable).focus()


async def key_floors(runs: int) -> dict[str, list[float]]:
    """Seconds per key in the bare app: cursor move, card redraw, pane switch, page down."""
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return {
            "cursor": [await key_to_screen(pilot, "down") for _ in range(runs)],
            "card": [await key_to_screen(pilot, "3") for _ in range(runs)],
            "screen": [await key_to_screen(pilot, "right_square_bracket") for _ in range(runs)],
            "page": [
                await key_to_screen(pilot, ("pagedown", "pageup")[run % 2]) for run in range(runs)
            ],
        }


if __name__ == "__main__":
    import asyncio
    import statistics

    for name, times in asyncio.run(key_floors(7)).items():
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        print(f"{name:<8} median {median:6.1f} ms  worst {worst:6.1f} ms")
