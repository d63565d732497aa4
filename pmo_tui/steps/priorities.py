"""The priorities step: the ranking with scores, movement and the funding line; keys move
projects (a move away from the score order asks why), change weights, capacity and scores;
what-if tries without saving; adopting records the ranking as one decision."""

from __future__ import annotations

import operator
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from pmo_tui.data.models import (
    AgendaItem,
    Meeting,
    RankingBoard,
    RankingDraft,
    RankingInputs,
    RankRow,
)
from pmo_tui.data.priorities import WhatIf
from pmo_tui.data.rules import (
    RankingPlan,
    moved,
    parse_amount,
    ranking_plan,
    score_breakdown,
)
from pmo_tui.data.store import Store
from pmo_tui.data.wording import counted
from pmo_tui.steps.base import StepView
from pmo_tui.steps.priorities_dialogs import PairwiseDialog, TeamLoadDialog
from pmo_tui.widgets.card import Card
from pmo_tui.widgets.cells import AtMostLines, amount, plain, safe
from pmo_tui.widgets.editing import try_edit
from pmo_tui.widgets.facts import Breakdown
from pmo_tui.widgets.form import Field, Values
from pmo_tui.widgets.step_summary import StepSummary
from pmo_tui.widgets.table import PAGE, PAGE_BINDINGS, KeyTable, Pager

LINE_KEY = "funding-line"


def _money(value: float) -> str:
    """1.4M, 228k, 950. What would print as 1,000k is 1.0M (and 1,000 is 1k), so a
    larger amount is never a shorter text: the cost column is as wide as the largest."""
    if abs(value) >= 999_500:
        return f"{value / 1_000_000:,.1f}M"
    if abs(value) >= 999.5:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}"


# The lines the priority card gives a row's note (crossing, capacity, the reason).
NOTE_LINES = 3


def _note(row: RankRow, reason_label: str = "") -> str:
    """What the ranking says of a row: crossing the funding line, teams over capacity,
    then the reason given for its place (after ``reason_label``)."""
    notes = [row.crossed.upper()] if row.crossed else []
    if row.over_teams:
        notes.append("over capacity in " + ", ".join(row.over_teams))
    if row.justification:
        notes.append(reason_label + row.justification)
    return safe("; ".join(notes))


def _named_amount(typed: str, what: str) -> tuple[str, float] | None:
    """``Data=6`` as ("Data", 6.0); None when empty."""
    if not typed.strip():
        return None
    name, _, value = typed.partition("=")
    if not name.strip() or not value.strip():
        raise ValueError(f"Type it as name={what}, like Data=6.")
    return name.strip(), parse_amount(value, name.strip())


class PrioritiesView(StepView):
    EDITS = frozenset(
        {"move", "to_top", "to_bottom", "to_rank", "by_score", "undo", "weights", "pairwise"}
        | {"capacity", "scores", "adopt", "what_if"}
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "move(-1)", "Up", id="rank.up", tooltip="Move the project up one rank"),
        Binding("J", "move(1)", "Down", id="rank.down", tooltip="Move the project down one"),
        Binding("T", "to_top", "Top", id="rank.top", tooltip="Move the project to the top"),
        Binding("B", "to_bottom", "Bottom", id="rank.bottom", tooltip="Move it to the bottom"),
        Binding("m", "to_rank", "To rank", id="rank.to", tooltip="Move it to a rank you type"),
        Binding(
            "S", "by_score", "By score", id="rank.score", tooltip="Re-sort the ranking by score"
        ),
        Binding("u", "undo", "Undo S", id="rank.undo", tooltip="Put back the ranking before S"),
        Binding("W", "weights", "Weights", id="rank.weights", tooltip="Weights of the criteria"),
        Binding(
            "V",
            "pairwise",
            "Pairwise",
            id="rank.pairwise",
            tooltip="Derive the weights from pairwise comparisons (AHP)",
        ),
        Binding("e", "scores", "Scores", id="rank.scores", tooltip="Score the project 0-5"),
        Binding(
            "c",
            "capacity",
            "Capacity",
            id="rank.capacity",
            tooltip="The period's budget and each team's FTE",
        ),
        Binding("L", "team_load", "Team load", id="rank.load", tooltip="Each team's allocation"),
        Binding(
            "i",
            "what_if",
            "What-if",
            id="rank.whatif",
            tooltip="Try weights and moves without saving; i again discards them",
        ),
        Binding(
            "A",
            "adopt",
            "Adopt",
            id="rank.adopt",
            tooltip="Adopt this ranking: one decision with every project's before and after",
        ),
        Binding("enter", "project", "Project", id="rank.project", key_display="⏎"),
        *PAGE_BINDINGS,
    ]

    def __init__(
        self, store: Store, meeting: Meeting, item: AgendaItem, *, id: str, classes: str = ""
    ) -> None:
        super().__init__(store, meeting, item, id=id, classes=classes)
        self.inputs = RankingInputs()
        # The ranking shown: its facts for every project; rows are built for the page.
        self.plan: RankingPlan = ranking_plan(RankingInputs())
        self._board: RankingBoard | None = None
        self.rows: dict[str, RankRow] = {}
        self.what_if: WhatIf | None = None
        self.pager = Pager()
        # The order and reasons before the last S, which u puts back.
        self._before_sort: tuple[list[int], dict[int, str]] | None = None

    def compose(self) -> ComposeResult:
        yield StepSummary(id="rank-summary")
        yield Card(id="rank-card")
        yield KeyTable(id="ranking")

    def on_mount(self) -> None:
        table = self.query_one("#ranking", KeyTable)
        for label in ("#", "Move", "Project", "Score", "Cost", "Funding", "Why / note"):
            table.add_column(label, key=label.lower())
        self.refresh_data()

    @on(events.Resize)
    def _resized(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column's width from what does not change as the ranking does (how many
        projects, the largest cost, the table's width), never from the rows shown: the
        first sort by score at 8,000 projects widened Move, Funding and the note and
        brought in a horizontal scroll bar, a layout of the whole screen that made it
        2-4 times the later sorts (benchmark). The note takes the width left (the card
        gives it under its title)."""
        table = self.query_one("#ranking", KeyTable)
        plan = self.plan
        digits = len(f"{len(plan)}")
        # The funding line's row shows the spend in this column: the sum of every cost
        # is at least that, and its text at least as wide (see _money).
        largest = sum(plan.basis.cost.values())
        widths = {
            "#": digits,
            "move": max(len("Move"), digits + 2),  # "▼ 7412"
            "project": 22,
            "score": len("Score"),
            "cost": max(len("Cost"), len(_money(largest))),
            "funding": len("UNFUNDED"),
        }
        padding = 2 * table.cell_padding * (len(widths) + 1)
        left = table.scrollable_content_region.width - sum(widths.values()) - padding
        table.set_widths(widths | {"why / note": max(len("Why / note"), left)})

    def focus_body(self) -> None:
        self.query_one("#ranking", KeyTable).focus()

    def selected_code(self) -> str:
        row = self._selected()
        return row.project.code if row else ""

    # -- showing --------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.inputs = self.store.priorities.ranking_inputs(self.meeting.id)
        self._show()

    def _effective(self) -> RankingInputs:
        """The stored inputs, with the what-if's weights and order over them."""
        if self.what_if is None:
            return self.inputs
        criteria = [
            c.model_copy(update={"weight": self.what_if.weights.get(c.id, c.weight)})
            for c in self.inputs.criteria
        ]
        return self.inputs.model_copy(
            update={
                "criteria": criteria,
                "order": self.what_if.order,
                "justifications": self.what_if.justifications,
            }
        )

    @property
    def board(self) -> RankingBoard:
        """Every project's row (adopting, the team load): built when asked for, once per
        ranking shown."""
        if self._board is None:
            self._board = self.plan.board()
        return self._board

    def _show(self) -> None:
        self.plan = plan = ranking_plan(self._effective(), self.plan)
        self._board = None
        mode = (
            "WHAT-IF: nothing is saved; A adopts it, i discards it. "
            if self.what_if is not None
            else ""
        )
        window = self.pager.window(len(plan))
        page = plan.rows(window.start, window.stop)
        self.rows = {row.project.code: row for row in page}
        # "2,000 active projects · ranks 1-100 of 2,000 shown (< >); budget ...".
        paging = self.pager.label(len(plan), "· ranks").removesuffix(".")
        self.query_one("#rank-summary", StepSummary).say(
            Text(
                f"{mode}{counted(len(plan), 'active project')}{paging}; budget "
                f"{_money(plan.inputs.budget)}: "
                f"{plan.funded} funded ({_money(plan.spent)})",
                style="bold" if self.what_if else "",
            ),
            "K/J move, T/B top/bottom, m to a rank, S by score, W weights, V pairwise, "
            "e scores, c capacity, L team load, i what-if, A adopt",
        )
        cells: list[tuple[str, list[Text | str]]] = []
        for row in page:
            if row.rank == plan.funded + 1:
                cells.append((LINE_KEY, self._line_cells()))
            # Over capacity is the note's (its width is fixed: see _fit_columns).
            funding = "funded" if row.funded else "UNFUNDED"
            note = _note(row)  # cut to its column: the card gives more of it
            cells.append(
                (
                    row.project.code,
                    [
                        Text(str(row.rank), justify="right"),
                        Text(row.movement, style="bold" if row.movement != "=" else ""),
                        plain(f"{row.project.code} {row.project.name}"),
                        Text(f"{row.score:.2f}", justify="right"),
                        Text(_money(row.cost), justify="right"),
                        # Bold says unfunded; over capacity is said in the note (cold try:
                        # a bold "funded" said nothing).
                        Text(funding, style="" if row.funded else "bold"),
                        Text(
                            note,
                            style="bold" if row.crossed else "",
                            no_wrap=True,
                            overflow="ellipsis",
                        ),
                    ],
                )
            )
        # A fixed height (title, the note's lines, criteria, facts): the table below must
        # not jump as the cursor moves from a project with a justification to one without.
        card_height = 1 + NOTE_LINES + len(plan.inputs.criteria) + 1
        self.query_one("#rank-card", Card).styles.height = card_height
        self._fit_columns()
        self.query_one("#ranking", KeyTable).fill(cells)
        self._show_card()

    def _line_cells(self) -> list[Text | str]:
        funded = self.plan.spent
        return [
            "",
            "",
            Text("── funding line ──────", style="bold"),
            "",
            Text(_money(funded), justify="right", style="bold"),
            "",
            Text(f"of {_money(self.plan.inputs.budget)} budget", style="bold"),
        ]

    def _selected(self) -> RankRow | None:
        return self.rows.get(self.query_one("#ranking", KeyTable).selected_value or "")

    def _project_for_key(self) -> RankRow | None:
        """The project a key acts on; on the funding line, None and a sentence saying so
        (K, m or e there did nothing at all: the cold try took it for a broken key)."""
        row = self._selected()
        if row is None and self.query_one("#ranking", KeyTable).selected_value == LINE_KEY:
            self.notify(
                "The cursor is on the funding line, not a project: move it to a project first.",
                markup=False,
            )
        return row

    @on(DataTable.RowHighlighted, "#ranking")
    def _moved(self) -> None:
        self._show_card()

    @on(DataTable.RowSelected, "#ranking")
    def _chosen(self) -> None:
        self.action_project()

    def _show_card(self) -> None:
        card = self.query_one("#rank-card", Card)
        row = self._selected()
        if row is None:
            plan = self.plan
            card.show(
                Text(
                    f"The funding line: the projects above it cost {_money(plan.spent)} of "
                    f"the {_money(plan.inputs.budget)} budget (the figure on the line); "
                    "those below it are not funded this period."
                )
            )
            card.display = bool(len(self.plan))
            return
        card.display = True
        card.show(self._card(row))

    def _card(self, row: RankRow) -> RenderableType:
        total = sum(c.weight for c in self.plan.inputs.criteria) or 1
        why = Breakdown()
        scores = self.inputs.scores.get(row.project.id, {})
        parts = score_breakdown(scores, {c.id: c.weight for c in self.plan.inputs.criteria})
        for criterion in self.plan.inputs.criteria:
            why.add_row(
                Text(safe(criterion.name) + ("" if criterion.kind == "objective" else " *")),
                f"{scores.get(criterion.id, 0)}/5",
                f"x {criterion.weight / total:.0%}",
                f"= {parts.get(criterion.id, 0.0):.2f}",
            )
        demand = self.inputs.demand.get(row.project.id, {})
        facts = (
            f"score rank {row.score_rank} · cost {_money(row.cost)}, cumulative "
            f"{_money(row.cumulative_cost)} · "
            + (", ".join(f"{team} {fte:g} FTE" for team, fte in sorted(demand.items())) or "no FTE")
        )
        title = Text.assemble(
            # Said here too: at 80 columns the summary line is hidden, and a what-if must
            # never be mistaken for the saved ranking.
            ("WHAT-IF (not saved) · " if self.what_if is not None else "", "bold reverse"),
            (f"#{row.rank} {row.project.code} ", "bold"),
            (safe(row.project.name), "bold"),
            f"  score {row.score:.2f}; "
            + (
                f"#{row.last_rank} at the last ranking ({row.movement})" if row.last_rank else "new"
            ),
        )
        # The table's note (its column cuts it), under the title: when the card is cut to
        # its most at 80x24, the title and the note are what stay.
        note = AtMostLines(Text(_note(row, "Why here: ")), NOTE_LINES)
        return Group(title, note, why, Text(facts, overflow="ellipsis", no_wrap=True))

    # -- moving ---------------------------------------------------------------------

    def _order(self) -> list[int]:
        return list(self.plan.order)

    def _place(self, row: RankRow, to_rank: int) -> None:
        """Move a project; a place away from its score order asks why first."""
        order = moved(self._order(), row.project.id, to_rank)
        if order == self._order():
            return
        new_rank = order.index(row.project.id) + 1
        if new_rank == row.score_rank:
            self._save(order, {**self.board_justifications(), row.project.id: ""}, row)
            return

        def submit(values: Values) -> str | None:
            why = {**self.board_justifications(), row.project.id: values["why"].strip()}
            return self._save(order, why, row)

        self.ask(
            f"{row.project.code} to rank {new_rank} (the score puts it at {row.score_rank})",
            # The reason given for its place so far, to keep or edit: each further step
            # away (or back towards its score) asked for it again from nothing (cold try).
            [
                Field(
                    "why",
                    "Why (one line, for the minutes)",
                    row.justification,
                    required=True,
                    max_length=300,
                )
            ],
            submit,
            "Move",
        )

    def board_justifications(self) -> dict[int, str]:
        return self.plan.justifications()

    def _save(self, order: list[int], justifications: dict[int, str], row: RankRow) -> str | None:
        if self.what_if is not None:
            self.what_if.order, self.what_if.justifications = order, justifications
            self._show()
            self._follow(row)
            return None
        saved: list[RankingDraft] = []
        problem = try_edit(
            lambda: saved.append(
                self.store.priorities.save_ranking(
                    self.meeting.id, self.inputs.draft_version, order, justifications
                )
            )
        )
        if saved:
            # What was saved is known: re-reading 2,000 projects' inputs cost 30 ms a key.
            # A peer's changes arrive through the poll, as ever.
            self.inputs = self.inputs.model_copy(
                update={
                    "order": list(order),
                    "justifications": {pid: why for pid, why in justifications.items() if why},
                    "draft_version": saved[0].version,
                }
            )
            self._show()
            self._shown_mark = self.store.presence.view_mark()
        else:
            self.refresh_data()
        self._follow(row)
        return problem

    def _follow(self, row: RankRow) -> None:
        """Keep the cursor on the project just moved, turning the page if it left it."""
        rank = self.plan.rank_of(row.project.id) or row.rank
        if self.pager.follow(rank - 1):
            self._show()
        self.query_one("#ranking", KeyTable).select_key(row.project.code)

    def reveal(self, key: str) -> bool:
        found = next((p.id for p in self.plan.inputs.projects if p.code == key), None)
        rank = self.plan.rank_of(found) if found is not None else None
        if rank is None or not self.pager.follow(rank - 1):
            return False
        self._show()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # offered only when the ranking is longer than a page
            return len(self.plan) > PAGE
        return super().check_action(action, parameters)

    def action_page(self, direction: int) -> None:
        if self.pager.turn(direction, len(self.plan)):
            self._show()
            self.query_one("#ranking", KeyTable).move_cursor(row=0)

    def action_move(self, delta: int) -> None:
        row = self._project_for_key()
        if row is not None:
            self._place(row, row.rank + delta)

    def action_to_top(self) -> None:
        row = self._project_for_key()
        if row is not None:
            self._place(row, 1)

    def action_to_bottom(self) -> None:
        row = self._project_for_key()
        if row is not None:
            self._place(row, len(self.plan))

    def action_to_rank(self) -> None:
        row = self._project_for_key()
        if row is None:
            return

        def submit(values: Values) -> str | None:
            typed = values["rank"].strip()
            if not typed.isdecimal() or not 1 <= int(typed) <= len(self.plan):
                return f"A rank is a whole number from 1 to {len(self.plan)}."
            if int(typed) == row.rank:
                # The dialog closed and nothing said so (cold try).
                return f"{row.project.code} is at rank {row.rank} already: type another."
            self.call_after_refresh(self._place, row, int(typed))
            return None

        self.ask(
            f"Move {row.project.code} to rank",
            # The range in the label, and any text taken and checked here: an integer
            # field dropped what was not a digit, so "abc" said "Rank is needed." and
            # "1.5" became rank 15 (cold try).
            [Field("rank", f"Rank (1 to {len(self.plan):,})", required=True, max_length=6)],
            submit,
            "Move",
        )

    def action_by_score(self) -> None:
        plan = self.plan
        if not plan.order:
            return
        before = (list(plan.order), dict(plan.inputs.justifications))
        order = plan.by_score_order()
        moved = sum(map(operator.ne, before[0], order))  # in C: 8,000 places
        if self._save(order, {}, plan.rows(0, 1)[0]) is not None:
            return  # refused: said by the save
        self._before_sort = before
        # Sorted by score, no move goes against it: the reasons typed for such moves go
        # with them. Said, with the way back, not done silently (cold try).
        reasons = sum(1 for why in before[1].values() if why)
        cleared = (
            f"; {counted(reasons, 'reason')} for moves against the score cleared" if reasons else ""
        )
        self.notify(
            f"Ranked by score{' (not saved: what-if)' if self.what_if else ' and saved'}: "
            f"{counted(moved, 'project')} moved{cleared}. u puts the ranking back.",
            markup=False,
        )

    def action_undo(self) -> None:
        before, self._before_sort = self._before_sort, None
        if before is None:
            self.notify("Nothing to undo here: u puts back the ranking before S.")
            return
        order, justifications = before
        if self._save(order, justifications, self.plan.rows(0, 1)[0]) is None:
            reasons = sum(1 for why in justifications.values() if why)
            back = f", with {counted(reasons, 'reason')}" if reasons else ""
            self.notify(f"The ranking before S is back{back}.", markup=False)

    # -- weights, scores, capacity ----------------------------------------------------

    def action_weights(self) -> None:
        criteria = self.plan.inputs.criteria
        total = sum(c.weight for c in criteria) or 1
        fields = [
            *(
                Field(
                    str(c.id),
                    f"{c.name}{'' if c.kind == 'objective' else ' (criterion)'}",
                    f"{c.weight:g}",
                    max_length=10,
                    hint=f"now {c.weight / total:.0%} of the score",
                )
                for c in criteria
            ),
            Field(
                "new",
                "Add a criterion: name=weight",
                placeholder="Risk=10",
                max_length=200,
            ),
        ]

        def submit(values: Values) -> str | None:
            try:
                added = _named_amount(values.pop("new"), "weight")
                weights = {int(k): parse_amount(v, "Weight") for k, v in values.items()}
            except ValueError as error:
                return str(error)
            if added is not None:
                problem = try_edit(lambda: self.store.priorities.add_criterion(*added))
                if problem:
                    return problem
                self.refresh_data()
            return self._set_weights(weights)

        self.ask("Weights (shown as shares of 100 %)", fields, submit)

    def _set_weights(self, weights: dict[int, float]) -> str | None:
        if any(weight < 0 for weight in weights.values()) or not any(weights.values()):
            return "Weights are zero or more, and at least one is above zero."
        if self.what_if is not None:
            self.what_if.weights = weights
            self._show()
            return None
        problem = try_edit(lambda: self.store.priorities.set_weights(weights))
        self.refresh_data()
        return problem

    def action_pairwise(self) -> None:
        criteria = self.plan.inputs.criteria
        if len(criteria) < 2:
            self.notify("Pairwise comparison needs two criteria or more.", severity="warning")
            return

        def done(weights: dict[int, float] | None) -> None:
            if weights:
                problem = self._set_weights(weights)
                if problem:
                    self.notify(problem, severity="error", markup=False)

        self.app.push_screen(PairwiseDialog(criteria), done)

    def action_scores(self) -> None:
        row = self._project_for_key()
        if row is None:
            return
        project = row.project
        scores = self.inputs.scores.get(project.id, {})
        demand = self.inputs.demand.get(project.id, {})
        teams = sorted(self.plan.inputs.teams, key=lambda team: team.name.lower())
        fields = [
            *(
                Field(f"score-{c.id}", f"{c.name} (0-5)", str(scores.get(c.id, 0)), max_length=1)
                for c in self.plan.inputs.criteria
            ),
            Field("cost", "Cost this period", amount(project.period_cost), max_length=30),
            *(
                Field(f"team-{t.id}", f"{t.name} FTE", f"{demand.get(t.name, 0):g}", max_length=10)
                for t in teams
            ),
        ]

        def submit(values: Values) -> str | None:
            typed = {k.removeprefix("score-"): v.strip() for k, v in values.items()}
            picked = {int(k): v for k, v in typed.items() if k.isdecimal()}
            if not all(v.isdecimal() and int(v) <= 5 for v in picked.values()):
                return "Scores are whole numbers from 0 to 5."
            try:
                cost = parse_amount(values["cost"], "Cost")
                ftes = {t.name: parse_amount(values[f"team-{t.id}"], t.name) for t in teams}
            except ValueError as error:
                return str(error)
            return try_edit(
                lambda: self.store.priorities.set_project_inputs(
                    project.id,
                    project.version,
                    {criterion: int(score) for criterion, score in picked.items()},
                    cost,
                    ftes,
                )
            )

        self.ask(f"{project.code} scores, cost and people", fields, submit)

    def action_capacity(self) -> None:
        teams = sorted(self.plan.inputs.teams, key=lambda team: team.name.lower())
        fields = [
            Field(
                "budget", "Budget for the period", amount(self.plan.inputs.budget), max_length=30
            ),
            *(Field(f"team-{t.id}", f"{t.name} (FTE)", f"{t.fte:g}", max_length=10) for t in teams),
            Field("new", "Add a team: name=FTE", placeholder="Data=6", max_length=100),
        ]

        def submit(values: Values) -> str | None:
            try:
                budget = parse_amount(values["budget"], "Budget")
                ftes = {t.name: parse_amount(values[f"team-{t.id}"], t.name) for t in teams}
                added = _named_amount(values["new"], "FTE")
            except ValueError as error:
                return str(error)
            if added is not None:
                ftes[added[0]] = added[1]
            return try_edit(lambda: self.store.priorities.set_capacity(budget, ftes))

        self.ask("Capacity for the period", fields, submit)

    def action_team_load(self) -> None:
        self.app.push_screen(TeamLoadDialog(self.board, self.inputs.demand))

    # -- what-if and adoption -------------------------------------------------------

    def action_what_if(self) -> None:
        if self.what_if is None:
            self.what_if = WhatIf(
                order=self._order(),
                justifications=self.board_justifications(),
                draft_version=self.inputs.draft_version,
            )
            self.notify("What-if: moves and weights are not saved until you adopt (A).")
        else:
            self.what_if = None
            self.notify("What-if discarded: back to the saved ranking.")
        self._show()

    def action_adopt(self) -> None:
        what_if = self.what_if
        if what_if is not None:
            what_if.draft_version = self.inputs.draft_version

        def submit(values: Values) -> str | None:
            problem = try_edit(
                lambda: self.store.priorities.adopt_ranking(
                    self.meeting.id, values["why"], what_if=what_if
                )
            )
            if problem is None:
                self.what_if = None
            return problem

        crossed = [row for row in self.board.rows if row.crossed]
        self.ask(
            f"Adopt this ranking ({sum(r.movement != '=' for r in self.board.rows)} moved, "
            f"{len(crossed)} crossed the funding line)",
            [Field("why", "Rationale", required=True, max_length=2_000)],
            submit,
            "Adopt",
        )

    def action_project(self) -> None:
        row = self._project_for_key()
        if row is not None:
            self.post_message(self.OpenProject(row.project.id))
