"""Importing at scale: a 50,000-row RAID log as CSV into the demo portfolio.

    python bench/importing.py [--rows 50000]

Writes the file (header styles and values as a real log has them: H/M/L, day-first
dates, owners by name), then times the dry run (reading and checking every row) and the
import (committed 1,000 rows at a time), each in a fresh process's terms, and prints the
peak memory of
the process (ru_maxrss) after each stage.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from common import DAY, clock, copy_settled

from pmo_tui.data.demo import build_demo
from pmo_tui.data.importing import ImportKind
from pmo_tui.data.store import Store

LEVELS = ("Low", "Medium", "High", "L", "M", "H", "1", "5")


def write_log(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "RAID Log\n\nRef,Type,Project,Risk Description,Likelihood,Impact,Owner,Date Raised\n"
        )
        for n in range(rows):
            out.write(
                f"EXT-{n},{('Risk', 'Issue', 'A', 'D')[n % 4]},P-{1 + n % 24},"
                f"Imported item {n} about the supplier,{LEVELS[n % 8]},{LEVELS[(n + 3) % 8]},"
                f"Owner {n % 40},{1 + n % 28:02d}/{1 + n % 12:02d}/2026\n"
            )


def sql_floor(large: Path, imported: Path, batch: int = 1_000) -> float:
    """Seconds to write what an import of ``large`` wrote into ``imported`` (its rows and
    events, the people it added) as raw SQL: the same statements on a fresh copy of
    ``large``, ``batch`` rows a transaction, through the store's own connection (its
    pragmas and the file's triggers), with every value made beforehand. The import's
    floor: what is left of an import's time is pmo's own work."""
    tables = ("people", "raid_items", "events")
    copy = imported.with_name("floor.db")
    copy_settled(large, copy)
    with Store(copy, clock=clock) as floor, Store(imported, read_only=True) as done:
        written = {}
        for table in tables:
            first = floor.db.conn.execute(f"select coalesce(max(id), 0) from {table}").fetchone()
            written[table] = [
                tuple(row)
                for row in done.db.conn.execute(
                    f"select * from {table} where id > ? order by id", (first[0],)
                )
            ]
        conn = floor.db.conn
        batches = max(1, -(-len(written["raid_items"]) // batch))
        started = time.perf_counter()
        for number in range(batches):
            conn.execute("begin immediate")
            for table, rows in written.items():
                # The people an import adds go in with the first rows that name them.
                size = len(rows) if table == "people" else -(-len(rows) // batches)
                part = rows[number * size : (number + 1) * size]
                if part:
                    marks = ", ".join("?" for _ in part[0])
                    conn.executemany(f"insert into {table} values ({marks})", part)
            conn.execute("commit")
        return time.perf_counter() - started


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        log = Path(folder) / "raid.csv"
        build_demo(path, DAY)
        write_log(log, args.rows)
        print(f"{args.rows:,} rows, {log.stat().st_size / 1e6:.1f} MB of CSV")
        print(f"before: peak memory {peak_mb():.0f} MB")
        with Store(path, clock=clock) as store:
            started = time.perf_counter()
            plan = store.importer.plan_import(ImportKind.RAID, log)
            checked = time.perf_counter() - started
            print(f"dry run (read and check every row): {checked:.2f} s; peak {peak_mb():.0f} MB")
            assert not plan.problems, plan.problems[:3]
            started = time.perf_counter()
            created, updated = store.importer.run_import(plan)
            imported = time.perf_counter() - started
            print(
                f"import (1,000-row batches, audit included): {imported:.2f} s "
                f"({created:,} created, {updated:,} updated); peak {peak_mb():.0f} MB"
            )
            print(f"total: {checked + imported:.2f} s")


if __name__ == "__main__":
    main()
