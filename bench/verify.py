"""What the trusted record costs on the large file: `pmo verify` (hash chain, rows against
the audit trail, records and approvals), the largest meeting's minutes read from its record
and composed afresh, and writing the records of every closed meeting (what the migration of
an older file does once). Each beside a floor measured in the same run: reading the same
rows with plain SQL.

    python bench/verify.py [large.db] [--runs 3] [--no-migration]
        (the file built with bench/make_large.py when not given; --no-migration skips
        rewriting every record, which takes most of an hour at scale 4)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from make_large import build

from pmo_tui.data.minutes import compose_minutes
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document
from pmo_tui.verification import verify_portfolio


def timed(work: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return times


def floor(path: Path, sql: str, runs: int) -> list[float]:
    def read() -> None:
        conn = sqlite3.connect(path)
        for _ in conn.execute(sql):
            pass
        conn.close()

    return timed(read, runs)


def line(name: str, times: list[float], base: list[float]) -> str:
    median, low = statistics.median(times), statistics.median(base)
    return (
        f"{name:<42} {median:8.3f} s (worst {max(times):.3f})   floor {low:.3f} s   "
        f"{median / low:6.1f}x"
    )


def show(name: str, times: list[float], base: list[float]) -> str:
    text = line(name, times, base)
    print(text, flush=True)
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-migration", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.path
        if path is None:
            path = Path(folder) / "large.db"
            build(path)
        with Store(path, read_only=True) as store:
            events = store.audit.verify_chain().events
            largest = max(
                store.meetings.meetings(), key=lambda row: row.decisions + row.actions
            ).meeting
            print(f"{path}: {events:,} events; largest meeting {largest.code}")
            rows = [
                show(
                    "pmo verify (everything, one snapshot)",
                    timed(lambda: verify_portfolio(store), args.runs),
                    floor(path, "select * from events", args.runs),
                ),
                show(
                    f"minutes of {largest.code} from its record",
                    timed(lambda: minutes_document(store, largest.id), args.runs),
                    floor(
                        path,
                        f"select text from decisions where meeting_id = {largest.id} union all "
                        f"select text from actions where meeting_id = {largest.id}",
                        args.runs,
                    ),
                ),
                show(
                    f"minutes of {largest.code} composed afresh",
                    timed(lambda: compose_minutes(store, largest.id), args.runs),
                    floor(path, "select * from status_reports", args.runs),
                ),
            ]
        if args.no_migration:
            return
        copy = Path(folder) / "copy.db"
        shutil.copy(path, copy)
        conn = sqlite3.connect(copy)
        conn.execute("drop trigger meeting_records_kept")  # a copy, to time the rewrite
        conn.execute("delete from meeting_records")
        conn.commit()
        conn.close()
        with Store(copy) as store:
            began = time.perf_counter()
            count = store.records.record_unrecorded()
            spent = time.perf_counter() - began
        show(
            f"records of {count} closed meetings (migration)",
            [spent],
            floor(path, "select * from status_reports", 1),
        )
        del rows


if __name__ == "__main__":
    main()
