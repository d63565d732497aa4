"""Change decisions at scale: the step with thousands of change requests in the file.

    python bench/changes.py [--requests 5000] [--runs 15]

Builds the demo, adds the requests in one transaction (a fifth of them submitted, the rest
decided earlier), then drives the real app headlessly at the change step: moving the
cursor (the card re-renders) and deciding a request (dialog, commit, queue re-read).
Prints median and worst of each, and the store's queue read alone as a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from common import DAY, clock, figure, live_at_step
from textual.widgets import Input

from pmo_tui.app import make_app
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import AgendaStep, ChangeRequest, ChangeStatus, Project
from pmo_tui.data.store import Store


def build(path: Path, requests: int) -> int:
    build_demo(path, DAY)
    with Store(path, clock=clock) as store, store.db.transaction():
        projects = [p.id for p in store.all(Project)]
        for n in range(requests):
            status = ChangeStatus.SUBMITTED if n % 5 == 0 else ChangeStatus.REJECTED
            store.db.add(
                ChangeRequest(
                    project_id=projects[n % len(projects)],
                    title=f"Bench change {n}",
                    raised_on=DAY,
                    cost_impact=float(n % 50) * 1_000,
                    schedule_impact_days=n % 20,
                    status=status,
                )
            )
        return live_at_step(store, AgendaStep.CHANGES)


async def drive(path: Path, runs: int) -> list[str]:
    app = make_app(path, user="bench", clock=clock)
    lines = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        await pilot.pause()
        moves = []
        for _ in range(runs):
            started = time.perf_counter()
            await pilot.press("j")
            await pilot.pause()
            moves.append(time.perf_counter() - started)
        lines.append(figure("cursor move (card re-rendered)", moves))
        decides = []
        for _ in range(runs):
            started = time.perf_counter()
            await pilot.press("x")
            await pilot.pause()
            app.screen.query_one("#field-rationale", Input).value = "Bench"
            await pilot.press("ctrl+s")
            await pilot.pause()
            decides.append(time.perf_counter() - started)
        lines.append(figure("reject: dialog, commit, re-read", decides))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        meeting_id = build(path, args.requests)
        with Store(path) as store:
            reads = []
            for _ in range(args.runs):
                started = time.perf_counter()
                queue = store.changes.change_queue(meeting_id)
                reads.append(time.perf_counter() - started)
        print(f"{args.requests} change requests, {len(queue)} before the forum")
        print(figure("store.change_queue (floor)", reads))
        for line in asyncio.run(drive(path, args.runs)):
            print(line)


if __name__ == "__main__":
    main()
