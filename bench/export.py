"""Time the minutes export of a large meeting: 100 decisions and 300 actions.

    python bench/export.py [--runs 10]

Builds the demo, runs one meeting through the store with 100 decisions, 300 actions and
a status report for every project, then times building the Markdown (and the HTML) of its
minutes from the file, as `pmo export minutes` does. Prints the median and the worst.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import Rag
from pmo_tui.data.store import Store
from pmo_tui.export.files import Format, minutes_document

DAY = date(2026, 11, 26)


def big_meeting(path: Path) -> int:
    with Store(path) as store, store.db.transaction():
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meeting_id = meeting.id
        store.meetings.go_to_step(meeting.id, 1)
        for row in store.portfolio.status_board(meeting.id):
            store.portfolio.set_status(
                meeting.id,
                row.project.id,
                row.current,
                overall=Rag.AMBER,
                commentary="Re-planned | see D-codes",
            )
        people = [person.name for person in store.portfolio.people()]
        for number in range(100):
            store.decisions.record_decision(
                meeting.id,
                f"Decision {number}: approve | fund phase {number}",
                "Because the business case holds",
                f"P-{number % 24 + 1}",
            )
        for number in range(300):
            store.decisions.add_action(
                meeting.id,
                f"Action {number}: follow up on [item] #{number}",
                people[number % len(people)],
                DAY + timedelta(days=number % 40),
            )
        store.records.close_meeting(meeting.id)
        return meeting.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "big.db", DAY)
        meeting_id = big_meeting(path)
        with Store(path, read_only=True) as store:
            for fmt in (Format.MD, Format.HTML):
                times = []
                for _ in range(args.runs):
                    began = time.perf_counter()
                    document = minutes_document(store, meeting_id, fmt)
                    times.append(time.perf_counter() - began)
                print(
                    f"minutes {fmt.value:<4} 100 decisions, 300 actions: "
                    f"median {statistics.median(times) * 1000:.0f} ms, "
                    f"worst {max(times) * 1000:.0f} ms, {len(document):,} characters"
                )


if __name__ == "__main__":
    main()
