"""RAID at scale: key-to-screen times with 50,000 RAID items in the file.

    python bench/raid.py [--items 50000] [--runs 15]

Builds the demo, adds the items in one transaction, then drives the real app headlessly:
moving the cursor in the register and in the triage queue, applying a filter and a text
search in the register, re-scoring on the triage card. Each figure is the time from the
key being sent to the screen having processed and refreshed (Pilot.press + pause). Prints
median and worst, with the raw SQL for the same register page as a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot

from pmo_tui.app import make_app
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import RaidItem, RaidKind, RaidStatus
from pmo_tui.data.raid import RaidFilter
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)


def clock() -> datetime:
    return datetime(2026, 11, 26, 10, tzinfo=UTC)


def fill(path: Path, count: int) -> None:
    rng = random.Random(5)
    with Store(path, clock=clock) as store, store.db.transaction():
        projects = [row.project.id for row in store.portfolio.portfolio()]
        people = [person.id for person in store.portfolio.people()]
        for number in range(count):
            kind = rng.choice(list(RaidKind))
            scored = kind in (RaidKind.RISK, RaidKind.ISSUE)
            store.db.add(
                RaidItem(
                    kind=kind,
                    project_id=rng.choice(projects),
                    owner_id=rng.choice(people),
                    title=f"Generated {kind.value} {number}: supplier, data or people trouble",
                    status=rng.choice((RaidStatus.OPEN, RaidStatus.OPEN, RaidStatus.CLOSED)),
                    raised_on=DAY - timedelta(days=rng.randint(1, 700)),
                    review_by=DAY + timedelta(days=rng.randint(-60, 60)),
                    probability=rng.randint(1, 5) if scored else None,
                    impact=rng.randint(1, 5) if scored else None,
                )
            )
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 2)


async def timed(
    pilot: Pilot[None],
    keys: list[str],
    runs: int,
    between: Callable[[], Awaitable[None]] | None = None,
) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await pilot.press(*keys)
        await pilot.pause()
        times.append(time.perf_counter() - began)
        if between is not None:
            await between()
    return times


def line(name: str, times: list[float]) -> str:
    return (
        f"{name:<40} median {statistics.median(times) * 1000:6.1f} ms   "
        f"worst {max(times) * 1000:6.1f} ms"
    )


async def measure(path: Path, runs: int) -> list[str]:
    out = []
    with Store(path, read_only=True) as store:
        floor = []
        for _ in range(runs):
            began = time.perf_counter()
            store.raid.raid_items(RaidFilter(kinds=frozenset({RaidKind.RISK})), limit=200)
            floor.append(time.perf_counter() - began)
        out.append(line("floor: raw register page (SQL)", floor))
        queue_size = len(store.raid.triage_queue(store.meetings.meetings()[0].meeting.id))
    app = make_app(path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("R")
        await pilot.pause()
        out.append(line("open the register", [time.perf_counter() - began]))
        out.append(line("register: move down (j)", await timed(pilot, ["j"], runs)))
        out.append(line("register: cycle the kind filter (K)", await timed(pilot, ["K"], runs)))
        search = await timed(pilot, ["slash", *"supplier", "enter"], max(3, runs // 3))
        out.append(line("register: text search (/supplier⏎)", search))
        await pilot.press("escape")
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("m", "enter")
        await pilot.pause()
        out.append(
            line(
                f"open the meeting at triage ({queue_size:,} queued)", [time.perf_counter() - began]
            )
        )
        out.append(line("triage: move to the next item (j)", await timed(pilot, ["j"], runs)))
        out.append(line("triage: re-score (two digits)", await timed(pilot, ["3", "4"], runs)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "raid.db", DAY)
        began = time.perf_counter()
        fill(path, args.items)
        print(f"built {args.items:,} RAID items in {time.perf_counter() - began:.1f} s")
        for result in asyncio.run(measure(path, args.runs)):
            print(result)


if __name__ == "__main__":
    main()
