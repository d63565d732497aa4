"""Lessons search at scale: full-text search over 10,000 lessons.

    python bench/lessons.py [--lessons 10000] [--runs 15]

Builds the demo, adds the lessons in one transaction (words drawn from a small
vocabulary so every query matches many), then times searches as typed in the app:
a word, two words, a phrase, a prefix, an exclusion, and related lessons for a title.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from common import DAY, WORDS, clock, figure

from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import LessonCategory
from pmo_tui.data.store import Store

QUERIES = ("supplier", "supplier delay", '"change freeze"', "migr*", "vendor -contract")


def build(path: Path, lessons: int) -> None:
    build_demo(path, DAY)
    rng = random.Random(8)
    categories = list(LessonCategory)
    with Store(path, clock=clock) as store, store.db.transaction():
        for n in range(lessons):
            store.lessons.add_lesson(
                category=categories[n % len(categories)],
                title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
                what_happened=" ".join(rng.choices(WORDS, k=25)),
                next_time=" ".join(rng.choices(WORDS, k=12)),
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, args.lessons)
        with Store(path) as store:
            print(f"{store.row_counts()['lessons']} lessons")
            for query in QUERIES:
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    found = store.lessons.search_lessons(query)
                    times.append(time.perf_counter() - started)
                print(figure(f"search {query} ({len(found)} shown)", times))
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                store.lessons.related_lessons(
                    "The supplier may not deliver the data migration in time"
                )
                times.append(time.perf_counter() - started)
            print(figure("related lessons for a RAID title", times))


if __name__ == "__main__":
    main()
