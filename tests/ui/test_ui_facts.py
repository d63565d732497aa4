"""Facts, the label-and-value rows of the step cards: drawn as Rich's Table.grid draws
them (it took 5.6 ms a RAID card against 2.1), at every width."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from pmo_tui.widgets.facts import Facts

ROWS: list[tuple[str, RenderableType]] = [
    ("Score", "P3 x I4 = 12 high   probability 3 typed: now the impact"),
    ("Project", Text("P-884 Project 884, a long name", no_wrap=True, overflow="ellipsis")),
    ("Why here", Text("escalated to this forum, score 12", no_wrap=True, overflow="ellipsis")),
    ("Owner", Text("[b]Ann[/b] 漢字 “quoted”")),
    ("Response", "none"),
    ("Review by", "2026-12-01 [not markup?] 12 3.5"),
    ("Status", ""),
    ("History", Text("2026-01-01 6 → 2026-02-01 12", no_wrap=True, overflow="ellipsis")),
    ("Lessons", Text("L-12 Supplier delays\nL-14 Contract terms", style="italic")),
    ("Notes", Text.assemble(("bold part ", "bold"), "then a long plain tail that wraps")),
]


def _cells(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


def test_facts_are_drawn_as_a_bold_labelled_grid_at_every_width() -> None:
    console = Console(width=120, color_system="truecolor", record=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    facts = Facts()
    for label, value in ROWS:
        grid.add_row(label, value)
        facts.add_row(label, value)
    for width in range(8, 100):
        options = console.options.update(width=width)
        theirs = console.render_lines(grid, options, pad=False)
        ours = console.render_lines(facts, options, pad=False)
        assert _cells(ours) == _cells(theirs), width


def test_a_score_breakdown_is_drawn_as_the_grid_draws_it_at_every_width() -> None:
    """The priority card's breakdown (criterion, score, share, part) without Table.grid:
    the same cells at every width, names with markup, wide characters and styles."""
    from pmo_tui.widgets.facts import Breakdown

    console = Console(width=120, color_system="truecolor", record=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    for _ in range(3):
        grid.add_column(justify="right")
    breakdown = Breakdown()
    rows = [
        (Text("Grow digital revenue"), "5/5", "x 27%", "= 1.36"),
        (Text("[b]Not markup[/b] 漢字 *"), "0/5", "x 9%", "= 0.00"),
        (Text("Urgency *", style="italic"), "3/5", "x 100%", "= 10.27"),
        (Text(""), "1/5", "x 0%", "= 0.00"),
    ]
    for name, *figures in rows:
        grid.add_row(name, *figures)
        breakdown.add_row(name, *figures)
    for width in range(8, 100):
        options = console.options.update(width=width)
        theirs = console.render_lines(grid, options, pad=False)
        ours = console.render_lines(breakdown, options, pad=False)
        assert _cells(ours) == _cells(theirs), width
