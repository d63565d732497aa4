"""The scale benchmark of issue 11: a table of figures on the large portfolio.

    python bench/run.py [--scale 1.0] [--runs 5] [--file large.db]

``--file`` takes a file bench/make_large.py built (at scale 4 that takes a while) and
measures a copy of it; without it the file is built here.

Builds the large file (bench/make_large.py), then measures, each as median and worst of
several runs (key sent to screen refreshed, through Textual's test pilot, whose own wait
is part of every figure):
cold start to the home screen; opening the live meeting; each agenda step; a triage key;
a RAID register filter and a text search; paging a long list; re-ranking; exporting the
largest meeting's minutes; importing 50,000 RAID rows; a peer session's change reaching
the screen; an idle session's CPU; peak memory. Floors measured in the same run: a bare
Textual app with the same widgets and row counts, and the raw SQL for the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bare import key_floors
from common import clock, copy_settled, key_to_screen
from importing import sql_floor as import_floor
from importing import write_log
from make_large import build
from memory import peak_megabytes
from startup import one_run

from pmo_tui.app import make_app
from pmo_tui.collector import IDLE_SECONDS, settle_collector
from pmo_tui.data.importing import ImportKind
from pmo_tui.data.models import AgendaStep, Rag
from pmo_tui.data.presence import HEARTBEAT_SECONDS
from pmo_tui.data.store import Store
from pmo_tui.export import escape
from pmo_tui.export.files import minutes_document
from pmo_tui.screens.meeting import MeetingScreen
from pmo_tui.screens.register import RegisterScreen
from pmo_tui.steps.priorities import PrioritiesView
from pmo_tui.steps.status import StatusView

Row = tuple[str, list[float], list[float] | None]


def cold_start(kind: str, path: Path, rows: int) -> float:
    return one_run(kind, path, f"{rows},300")[0]


def sql_floor(path: Path, sql: str, runs: int) -> list[float]:
    with Store(path, read_only=True) as store:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.db.conn.execute(sql).fetchall()
            times.append(time.perf_counter() - started)
        return times


def replayed(path: Path, statements: list[list[str]]) -> list[float]:
    """Seconds each group of statements takes as raw SQL (a key's own queries, traced)."""
    with Store(path, read_only=True) as store:
        times = []
        for group in statements:
            started = time.perf_counter()
            for sql in group:
                store.db.conn.execute(sql).fetchall()
            times.append(time.perf_counter() - started)
        return times


async def in_app(path: Path, runs: int, rows: list[Row]) -> None:
    floors = await key_floors(runs)
    with Store(path, clock=clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        steps = store.meetings.agenda(meeting.id)
    settle_collector()  # as the pmo command does before it runs the app
    app = make_app(path, user="bench", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("m", "enter")
        while not isinstance(app.screen, MeetingScreen):
            if app.screen.__class__.__name__ == "SinceLastScreen":
                await pilot.press("enter")
            await pilot.pause()
        rows.append(("open the live meeting", [time.perf_counter() - started], None))
        # A new process resumes a meeting as a follower: take the drive, or every edit key
        # is refused (and the figures would time nothing).
        meeting_screen = app.screen
        await pilot.press("D")
        while not meeting_screen.driving:
            await pilot.pause()
        for index, step in enumerate(steps[1:], start=1):
            # The first visit builds the step (once per meeting); then back and forth.
            first = await key_to_screen(pilot, "right_square_bracket")
            times = []
            for _ in range(runs):
                await key_to_screen(pilot, "left_square_bracket")
                times.append(await key_to_screen(pilot, "right_square_bracket"))
            rows.append((f"step {index + 1}: {step.title} (first visit)", [first], None))
            rows.append((f"step {index + 1}: {step.title}", times, floors["screen"]))
            if step.step is AgendaStep.RAID:
                cursor = [await key_to_screen(pilot, "j") for _ in range(runs)]
                rows.append(("triage: cursor to next item", cursor, floors["cursor"]))
                # Alternating, so each pair changes the score (P3 x I4, then P2 x I5).
                pairs = (("3", "4"), ("2", "5"))
                scores = [await key_to_screen(pilot, *pairs[n % 2]) for n in range(runs)]
                rows.append(("triage: two digits re-score", scores, floors["card"]))
            if step.step is AgendaStep.PRIORITIES:
                # The ranking as the file had it (far from score order) is put back by a
                # peer, untimed; then one key sorts it by score and saves it.
                view = app.screen.query_one(PrioritiesView)
                with Store(path, user="peer", clock=clock) as other:
                    start = other.priorities.ranking_inputs(meeting.id)
                sorts = []
                for _ in range(runs):
                    with Store(path, user="peer", clock=clock) as other:
                        now = other.priorities.ranking_inputs(meeting.id)
                        other.priorities.save_ranking(
                            meeting.id, now.draft_version, start.order, {}
                        )
                    while view.inputs.order != start.order:
                        await pilot.pause()
                    await pilot.pause(0.3)
                    sorts.append(await key_to_screen(pilot, "S"))
                rows.append(("re-rank: sort by score (saved)", sorts, floors["card"]))
        # A peer's change reaching the status step.
        for _ in range(len(steps)):
            await pilot.press("left_square_bracket")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        peer = []
        with Store(path, user="peer", clock=clock) as other:
            for n in range(runs):
                board = other.portfolio.status_board(meeting.id)
                row = board[0]
                rag = (Rag.RED, Rag.GREEN)[n % 2]
                started = time.perf_counter()
                other.portfolio.set_status(meeting.id, row.project.id, row.current, overall=rag)
                while True:
                    await pilot.pause(0.005)
                    view_rows = app.screen.query_one(StatusView).rows
                    current = view_rows[row.project.id].current
                    if current is not None and current.overall is rag:
                        break
                peer.append(time.perf_counter() - started)
        rows.append(("a peer's change on screen", peer, None))
        # Once nobody types, the collector's pass that was coming due runs (collector.py,
        # collect_if_idle): a session left idle spends what it spends after that.
        await pilot.pause(2 * IDLE_SECONDS)
        # One heartbeat period exactly: a 5 s window held the beat's write one time in
        # two, and the figure swung with it (0.43-0.57 %).
        before = resource.getrusage(resource.RUSAGE_SELF)
        await pilot.pause(HEARTBEAT_SECONDS)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        rows.append(("idle live session, CPU share of a core", [cpu / HEARTBEAT_SECONDS], None))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("R")
        while not isinstance(app.screen, RegisterScreen):
            await pilot.pause()

        # Its floor is its own SQL: the statements each press ran on the register (the
        # page and its count, for the kind it reached: all, then each kind in turn),
        # traced with their values and run again as raw SQL on a connection of its own.
        ran: list[list[str]] = []
        register = app.screen
        assert isinstance(register, RegisterScreen)
        conn = register.store.db.conn
        conn.set_trace_callback(
            lambda sql: ran[-1].append(sql) if ran and "from raid_items" in sql else None
        )
        filtered = []
        for _ in range(runs):
            ran.append([])
            filtered.append(await key_to_screen(pilot, "K"))
        conn.set_trace_callback(None)
        rows.append(("RAID register: kind filter", filtered, replayed(path, ran)))

        # Down and back up: a page of the register holds a few screens, not `runs` of them.
        pages = [await key_to_screen(pilot, ("pagedown", "pageup")[run % 2]) for run in range(runs)]
        rows.append(("RAID register: page down", pages, floors["page"]))


def table(rows: list[Row]) -> str:
    out = [f"{'measure':<40}{'median':>10}{'worst':>10}{'floor':>10}{'ratio':>8}"]
    for name, times, floor in rows:
        median = statistics.median(times)
        unit = 100 if "share" in name else 1000  # a share of a core as a percentage
        suffix = " %" if "share" in name else " ms"
        line = f"{name:<40}{median * unit:>8.2f}{suffix:>3}{max(times) * unit:>8.2f}{suffix:>3}"
        if floor:
            base = statistics.median(floor)
            line += f"{base * 1000:>8.1f}ms{median / base if base else 0:>7.1f}x"
        out.append(line)
    # A worst case above three medians is shown run by run: which run it was (the first
    # after arriving, or one in the middle) says more than the figure.
    for name, times, floor in rows:
        if len(times) > 1 and floor and max(times) > 3 * statistics.median(times):
            runs = ", ".join(f"{time * 1000:.0f}" for time in times)
            out.append(f"  {name}: worst above 3x the median; runs in order (ms): {runs}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, help="a large file make_large.py built")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "large.db"
        started = time.perf_counter()
        if args.file:
            with Store(args.file, read_only=True) as store:
                store.db.conn.execute(f"vacuum into '{large}'")
            with Store(large, read_only=True) as store:
                counts = store.row_counts()
            made = "copied"
        else:
            counts = build(large, args.scale)
            made = "built"
        print(
            f"large file {made} in {time.perf_counter() - started:.0f} s: "
            f"{counts['projects']:,} projects, {counts['raid_items']:,} RAID items, "
            f"{counts['meetings']:,} meetings, {counts['events']:,} audit events"
        )
        work = Path(folder) / "work.db"
        copy_settled(large, work)
        starts = [cold_start("pmo", work, counts["projects"]) for _ in range(args.runs)]
        bare = [cold_start("bare", work, counts["projects"]) for _ in range(args.runs)]
        rows.append(("cold start to home screen", starts, bare))
        asyncio.run(in_app(work, args.runs, rows))
        app_peak = peak_megabytes(work)
        with Store(work, read_only=True) as store:
            largest = max(
                store.meetings.meetings(), key=lambda row: row.decisions + row.actions
            ).meeting
            exports = []
            for _ in range(args.runs):
                # Each run as a first export: the escaping remembers the values it saw.
                escape._escaped.cache_clear()
                began = time.perf_counter()
                minutes_document(store, largest.id)
                exports.append(time.perf_counter() - began)
        rows.append(
            (
                f"minutes of {largest.code} (largest)",
                exports,
                sql_floor(
                    work,
                    f"select text from decisions where meeting_id = {largest.id} union all "
                    f"select text from actions where meeting_id = {largest.id}",
                    args.runs,
                ),
            )
        )
        log = Path(folder) / "raid.csv"
        write_log(log, 50_000)
        imported = Path(folder) / "import.db"
        copy_settled(large, imported)
        with Store(imported, clock=clock) as store:
            began = time.perf_counter()
            store.importer.run_import(store.importer.plan_import(ImportKind.RAID, log))
            took = time.perf_counter() - began
        # Its floor: the same rows and events written as raw SQL (bench/importing.py).
        rows.append(("import 50,000 RAID rows (CSV)", [took], [import_floor(large, imported)]))
        print(table(rows))
    print(f"peak memory of the app alone (home, live meeting, every step): {app_peak:.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the benchmark process (app, store, 50k import plan): {peak:.0f} MB")


if __name__ == "__main__":
    main()
