"""The garbage collector set for a long interactive session: its pauses kept off keys."""

from __future__ import annotations

import gc

# Young objects are examined every this many allocations (Python's default is 700).
YOUNG_THRESHOLD = 10_000


def settle_collector() -> None:
    """Call once the modules are imported, before the app runs.

    A full collection walks every object the collector tracks: ~50,000 of them come with
    the modules Textual, Rich, pydantic and sqlite-utils bring, more with a large
    portfolio on screen. On the 2-core machine that is a 100-150 ms pause, landing on
    whichever key is being handled (bench/run.py's re-rank: worst 208 ms, 63 ms with this).
    Objects alive now live as long as the process: frozen, the collector stops walking
    them. Nearly everything a key allocates is freed by reference counting as soon as it
    is dropped, so examining young objects less often leaves little more in memory."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 50, 50)
