"""Two dialogs of the priorities step: pairwise comparison of the criteria (AHP), and each
team's load down the ranking."""

from __future__ import annotations

from itertools import combinations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pmo_tui.data.models import Objective, RankingBoard
from pmo_tui.data.rules import ahp_weights
from pmo_tui.widgets.cells import safe

# Above this consistency ratio the answers contradict each other (Saaty).
CONSISTENT = 0.10


class PairwiseDialog(ModalScreen[dict[int, float] | None]):
    """ "A or B, and by how much?" for every pair of criteria; dismisses with the derived
    weights (as percentages, summing to 100) or None when cancelled."""

    BINDINGS = [
        Binding("a,left", "prefer(0)", "Left matters more", id="pair.left"),
        Binding("b,right", "prefer(1)", "Right matters more", id="pair.right"),
        Binding("equals_sign,e", "equal", "Equal", id="pair.equal"),
        *(Binding(str(n), f"strength({n})", "", show=False) for n in range(2, 10)),
        Binding("backspace", "back", "Back a pair", id="pair.back"),
        Binding("enter", "apply", "Use the weights", id="pair.apply"),
        Binding("escape", "dismiss(None)", "Cancel", id="pair.cancel"),
    ]

    def __init__(self, criteria: list[Objective]) -> None:
        super().__init__()
        self.criteria = criteria
        self.pairs = list(combinations(range(len(criteria)), 2))
        self.answers: list[float] = []  # how much the first of each pair beats the second
        self.side: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pairwise"):
            yield Static("Compare the criteria in pairs", classes="dialog-title")
            yield Static(id="pair-question")
            yield Static(id="pair-result")

    def on_mount(self) -> None:
        self._show()

    @property
    def done(self) -> bool:
        return len(self.answers) == len(self.pairs)

    def _show(self) -> None:
        question = self.query_one("#pair-question", Static)
        if self.done:
            question.update(Text("All pairs answered.", style="bold"))
        else:
            left, right = self.pairs[len(self.answers)]
            # The line break stays out of safe(), which shows a typed one as "⏎".
            chosen = (
                ""
                if self.side is None
                else "\n"
                + safe(self.criteria[(left, right)[self.side]].name)
                + " matters more: by how much? 2 a little … 9 overwhelmingly"
            )
            question.update(
                Text.assemble(
                    f"Pair {len(self.answers) + 1} of {len(self.pairs)}\n",
                    (safe(self.criteria[left].name), "bold"),
                    "  or  ",
                    (safe(self.criteria[right].name), "bold"),
                    "?\na left · b right · = equal · ⌫ back a pair",
                    chosen,
                )
            )
        self.query_one("#pair-result", Static).update(self._result())

    def matrix(self) -> list[list[float]]:
        size = len(self.criteria)
        matrix = [[1.0] * size for _ in range(size)]
        for (left, right), value in zip(self.pairs, self.answers, strict=False):
            matrix[left][right] = value
            matrix[right][left] = 1 / value
        return matrix

    def _result(self) -> Table | Text:
        if not self.done:
            return Text(f"{len(self.pairs) - len(self.answers)} pairs to go.")
        weights, ratio = ahp_weights(self.matrix())
        grid = Table.grid(padding=(0, 2))
        grid.add_column()
        grid.add_column(justify="right")
        grid.add_column(justify="right")
        for criterion, weight in zip(self.criteria, weights, strict=True):
            grid.add_row(Text(safe(criterion.name)), f"now {criterion.weight:g}", f"→ {weight:.1%}")
        verdict = (
            f"consistency ratio {ratio:.2f}: consistent"
            if ratio <= CONSISTENT
            else f"consistency ratio {ratio:.2f}: the answers contradict each other "
            f"(above {CONSISTENT:.2f}); ⌫ to revisit"
        )
        grid.add_row(Text(verdict, style="" if ratio <= CONSISTENT else "bold"), "", "")
        grid.add_row("enter uses these weights, esc keeps the old ones", "", "")
        return grid

    def action_prefer(self, side: int) -> None:
        if not self.done:
            self.side = side
            self._show()

    def action_equal(self) -> None:
        if not self.done:
            self._answer(1.0)

    def action_strength(self, strength: int) -> None:
        if self.side is not None and not self.done:
            self._answer(float(strength) if self.side == 0 else 1 / strength)

    def _answer(self, value: float) -> None:
        self.answers.append(value)
        self.side = None
        self._show()

    def action_back(self) -> None:
        if self.answers:
            self.answers.pop()
        self.side = None
        self._show()

    def action_apply(self) -> None:
        if not self.done:
            self.notify("Answer every pair first.", severity="warning")
            return
        weights, _ = ahp_weights(self.matrix())
        self.dismiss(
            {
                criterion.id: round(weight * 100, 1)
                for criterion, weight in zip(self.criteria, weights, strict=True)
            }
        )


class TeamLoadDialog(ModalScreen[None]):
    """Each team's FTE down the ranking: cumulative against capacity, over-allocation
    marked in words."""

    BINDINGS = [Binding("escape,L", "dismiss(None)", "Close", id="load.close")]

    def __init__(self, board: RankingBoard, demand: dict[int, dict[str, float]]) -> None:
        super().__init__()
        self.board = board
        self.demand = demand

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog team-load"):
            yield Static("Team load down the ranking", classes="dialog-title")
            yield Static(self._table())

    def _table(self) -> Table:
        teams = sorted(self.board.teams, key=lambda team: team.name.lower())
        table = Table(box=None, pad_edge=False)
        table.add_column("#", justify="right")
        table.add_column("Project")
        for team in teams:
            table.add_column(f"{team.name}\n(cap {team.fte:g})", justify="right")
        used = {team.name: 0.0 for team in teams}
        for row in self.board.rows:
            cells = []
            for team in teams:
                fte = self.demand.get(row.project.id, {}).get(team.name, 0.0)
                if not fte:
                    cells.append(Text("·"))
                    continue
                used[team.name] += fte
                over = used[team.name] > team.fte + 1e-9
                cells.append(
                    Text(
                        f"{fte:g} ({used[team.name]:g})" + (" OVER" if over else ""),
                        style="bold" if over else "",
                    )
                )
            table.add_row(
                str(row.rank), Text(f"{row.project.code} {safe(row.project.name)}"), *cells
            )
        table.add_row(
            "",
            Text("demand / capacity", style="bold"),
            *(
                Text(
                    f"{used[team.name]:g} / {team.fte:g}",
                    style="bold" if used[team.name] > team.fte else "",
                )
                for team in teams
            ),
        )
        return table
