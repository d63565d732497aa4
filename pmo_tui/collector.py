"""The garbage collector set for a long interactive session: its pauses kept off keys."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young objects are examined every this many allocations (Python's default is 700).
YOUNG_THRESHOLD = 10_000
# Nobody has typed or clicked for this long: the collector's passes that are coming due
# run now, while nobody waits for them.
IDLE_SECONDS = 1.0
# How far towards its threshold (10 younger passes each) a generation's pass is due to
# be run early, when idle: a middle pass after 3 young ones, a full one after 5 middle.
MIDDLE_DUE = 3
OLD_DUE = 5
# Middle passes before a full one comes due while someone types (Python's default is 10).
OLD_THRESHOLD = 100


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
    # The middle generation keeps Python's own threshold (examined every 10 young passes:
    # grown 50 passes, tried, it took 87 ms to walk). A full pass comes after OLD_THRESHOLD
    # middle ones, not Python's 10: it walks everything not frozen, 80-100 ms once a
    # session has built its steps, and at 10 it landed on keys pressed in a quick run (a
    # page down of 114 ms among ones of 15 in the benchmark). The pass run when idle
    # (collect_if_idle, OLD_DUE) does that work while nobody waits.
    gc.set_threshold(YOUNG_THRESHOLD, 10, OLD_THRESHOLD)


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


def collect_if_idle(idle_for: float) -> int | None:
    """Run the collector pass coming due now, if nobody has typed for IDLE_SECONDS;
    returns the generation collected, or None.

    A middle pass walks every object that survived the young passes since the last one
    (35-80 ms on the large file while steps are built) and a full pass every object
    (200-370 ms): the benchmark's log caught them landing on keys, a register filter of
    440 ms once in 7. Run while the room reads the screen, the counts start again, and
    the next pass is far off when the next key comes. With nothing allocated since the
    last pass (an idle session) nothing is due and nothing runs.

    A full pass here also freezes what survives it, as ``settle_collector`` froze the
    modules: the steps built, the rows held. A full pass that still lands on a key walks
    only what came after; the next full pass here thaws them first and walks everything,
    so a cycle dropped meanwhile (a screen closed) is freed then, not kept for good."""
    if idle_for < IDLE_SECONDS or not gc.isenabled():
        return None
    _young, middle, old = gc.get_count()
    if old >= OLD_DUE:
        gc.unfreeze()
        gc.collect(2)
        gc.freeze()
        return 2
    if middle >= MIDDLE_DUE:
        gc.collect(1)
        return 1
    return None


def collect_closed() -> int | None:
    """A screen has closed: run the middle pass now; returns the generation collected,
    or None while the collector is paused.

    A screen lives in reference cycles (its widgets, their parents and message pumps),
    and with it everything its widgets kept: leaving a meeting left ~8,000 objects
    (drawn lines, the compositor's pieces) only the collector frees. Left to the middle
    pass that came due later, they landed on a key: a page down in the register of 58 ms
    among ones of 15. Run once the screen under it is shown (35-70 ms on the large file),
    the pass falls while the room reads that screen."""
    if not gc.isenabled():
        return None
    gc.collect(1)
    return 1
