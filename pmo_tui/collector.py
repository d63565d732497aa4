"""The garbage collector set for a long interactive session: its pauses kept off keys."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young objects are examined every this many allocations (Python's default is 700).
YOUNG_THRESHOLD = 10_000


def settle_collector() -> None:
    """Call once the modules are imported, before the app runs.

    A full collection walks every object the collector tracks: ~50,000 of them come with
    the modules Textual, Rich, pydantic and sqlite-utils bring, more with a large
    portfolio on screen. On the 2-core machine that is a 70-150 ms pause, landing on
    whichever key is being handled (40 re-scores in a row on the large file: four full
    passes of ~70 ms; with this, none, and the worst key 61 ms instead of 111).
    Objects alive now live as long as the process: frozen, the collector stops walking
    them. Nearly everything a key allocates is freed by reference counting as soon as it
    is dropped, so examining young objects less often leaves little more in memory."""
    gc.freeze()
    # The older generations keep Python's own thresholds: examined every 10 and 100 young
    # passes, a middle generation grown 50 passes (tried) took 87 ms to walk.
    gc.set_threshold(YOUNG_THRESHOLD, 10, 10)


@contextmanager
def paused() -> Iterator[None]:
    """No collector passes during bulk work, such as an import of 50,000 rows.

    A session holding a large portfolio makes every full pass walk all of it, and such an
    import allocates enough for dozens of passes: 19 s instead of 12 s in the benchmark's
    process. Reference counting still frees what the work drops as it goes; the few
    cycles it leaves wait for the first pass after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
