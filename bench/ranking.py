"""The ranking at portfolio scale: the priorities step with 2,000 active projects.

    python bench/ranking.py [--projects 2000] [--runs 15]

Builds the demo, adds projects (scores against every criterion, a cost and a team demand)
in one transaction, then drives the real app headlessly at the priorities step: moving the
cursor (the card re-renders) and re-sorting by score (saved; the table re-drawn). Prints
median and worst of each (key sent to screen refreshed), with the store read and the pure
ranking computation alone as floors.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from common import DAY, clock, figure, live_at_step

from pmo_tui.app import make_app
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import AgendaStep, Project
from pmo_tui.data.rules import ranking_board
from pmo_tui.data.store import Store


def build(path: Path, projects: int) -> int:
    build_demo(path, DAY)
    with Store(path, clock=clock) as store, store.db.transaction():
        criteria = store.priorities.criteria()
        teams = [team.name for team in store.priorities.teams()]
        for n in range(projects):
            project = store.db.add(
                Project(name=f"Bench project {n}", rank=100 + n, period_cost=float(n % 90) * 10_000)
            )
            store.priorities.set_scores(
                project.id, {c.id: (n * (i + 3)) % 6 for i, c in enumerate(criteria)}
            )
            store.priorities.set_demand(project.id, teams[n % len(teams)], float(1 + n % 3))
        return live_at_step(store, AgendaStep.PRIORITIES)


async def timed(pilot, keys: list[str], runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await pilot.press(*keys)
        await pilot.pause()
        times.append(time.perf_counter() - started)
    return times


async def drive(path: Path, runs: int) -> list[str]:
    app = make_app(path, user="bench", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        await pilot.press("m", "enter")
        await pilot.pause()
        opened = time.perf_counter() - started
        lines = [figure("open the meeting at the step", [opened])]
        lines.append(figure("cursor move (card re-rendered)", await timed(pilot, ["j"], runs)))
        lines.append(figure("re-sort by score (saved, re-drawn)", await timed(pilot, ["S"], runs)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        meeting_id = build(path, args.projects)
        with Store(path) as store:
            reads, computes = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                inputs = store.priorities.ranking_inputs(meeting_id)
                reads.append(time.perf_counter() - started)
                started = time.perf_counter()
                board = ranking_board(inputs)
                computes.append(time.perf_counter() - started)
        print(f"{len(board.rows)} active projects")
        print(figure("store.ranking_inputs (floor)", reads))
        print(figure("rules.ranking_board (floor)", computes))
        for line in asyncio.run(drive(path, args.runs)):
            print(line)


if __name__ == "__main__":
    main()
