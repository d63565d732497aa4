"""The dashboard at scale: 300 meetings and 50,000 RAID items.

    python bench/dashboard.py [--meetings 300] [--items 50000] [--runs 7]

Builds the demo, then adds closed meetings (each with status reports for every project,
decisions and actions) and RAID items in one transaction; times the store's dashboard
read, the highlight report, and opening the dashboard screen in the real app (key to
screen refreshed).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import DAY, clock, figure

from pmo_tui.app import make_app
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import (
    Action,
    Decision,
    Meeting,
    MeetingState,
    Project,
    Rag,
    RaidItem,
    RaidKind,
    StatusReport,
)
from pmo_tui.data.store import Store
from pmo_tui.export.files import highlight_document


def build(path: Path, meetings: int, items: int) -> None:
    build_demo(path, DAY)
    rng = random.Random(10)
    with Store(path, clock=clock) as store, store.db.transaction():
        projects = [p.id for p in store.all(Project)]
        first = DAY - timedelta(days=7 * meetings + 120)
        for n in range(meetings):
            day = first + timedelta(days=7 * n)
            meeting = store.db.add(
                Meeting(title=f"Board {n}", scheduled_on=day, state=MeetingState.CLOSED)
            )
            for project in projects:
                rag = rng.choice(list(Rag))
                store.db.add(
                    StatusReport(
                        project_id=project,
                        meeting_id=meeting.id,
                        reported_on=day,
                        overall=rag,
                        schedule=rag,
                        budget=rag,
                        scope=rag,
                    )
                )
            for d in range(100):
                store.db.add(Decision(meeting_id=meeting.id, text=f"Decision {d}", decided_on=day))
            for a in range(200):
                store.db.add(
                    Action(
                        meeting_id=meeting.id, text=f"Action {a}", due_on=day + timedelta(days=14)
                    )
                )
        kinds = list(RaidKind)
        for n in range(items):
            store.db.add(
                RaidItem(
                    kind=kinds[n % 4],
                    title=f"Item {n}",
                    project_id=rng.choice(projects),
                    raised_on=first + timedelta(days=rng.randrange(7 * meetings)),
                    probability=rng.randint(1, 5),
                    impact=rng.randint(1, 5),
                )
            )


async def open_screen(path: Path, runs: int) -> list[float]:
    times = []
    app = make_app(path, user="bench", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            started = time.perf_counter()
            await pilot.press("B")
            await pilot.pause()
            times.append(time.perf_counter() - started)
            await pilot.press("escape")
            await pilot.pause()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, args.meetings, args.items)
        with Store(path, clock=clock) as store:
            counts = store.row_counts()
            print(
                f"{counts['meetings']:,} meetings, {counts['raid_items']:,} RAID items, "
                f"{counts['status_reports']:,} status reports, {counts['actions']:,} actions"
            )
            reads, reports = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                store.dashboards.dashboard()
                reads.append(time.perf_counter() - started)
                started = time.perf_counter()
                highlight_document(store, DAY - timedelta(days=90))
                reports.append(time.perf_counter() - started)
        print(figure("store.dashboard (floor)", reads))
        print(figure("pmo report highlight (no process start)", reports))
        print(figure("open the dashboard screen (B)", asyncio.run(open_screen(path, args.runs))))


if __name__ == "__main__":
    main()
