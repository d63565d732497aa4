"""The audit trail's hash chain: each event carries the SHA-256 of the event before it
and its own content, so changing, removing or inserting an event anywhere breaks every
hash after it. Pure functions: the store appends, `pmo verify` walks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

# The hash "before" the first event.
GENESIS = ""
# The columns an event's hash covers, in this order (all of them but the hash itself).
COLUMNS = ("id", "at", "user", "entity", "entity_id", "code", "field", "old", "new", "meeting_id")


def json_encoder(separators: tuple[str, str] = (", ", ": ")) -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False, separators=...).encode``, the same text,
    through the C encoder json itself uses, made once: ``encode`` makes one a call and
    keeps a dict of the containers it is in (an import's 100,000 events spent 0.3 s of
    2 s there). Nothing encoded here holds itself, so the cycle check is left out; a
    Python without the C encoder gets ``encode``."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=separators)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return encoder.encode
    fast = make(
        None,  # no cycle check
        encoder.default,
        json.encoder.encode_basestring,  # what ensure_ascii=False writes strings with
        None,  # no indent
        encoder.key_separator,
        encoder.item_separator,
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    return lambda value: "".join(fast(value, 0))


# One encoder for every hash.
_CONTENT = json_encoder(separators=(",", ":"))


def event_hash(previous: str, values: Sequence[Any]) -> str:
    """The hash of an event whose COLUMNS hold ``values``, following ``previous``.

    JSON keeps None apart from "None" and a separator inside a value apart from a
    boundary between values, so two different events never hash the same text."""
    content = _CONTENT(list(values))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def first_break(rows: Iterable[Sequence[Any]]) -> tuple[int, int, str, str] | None:
    """Walk events (COLUMNS then the stored hash, in id order). None when every hash fits;
    else (events checked before the break, the id that breaks, its stored hash, what it
    should be). Nothing is loaded beyond the row in hand: a million events stream."""
    previous = GENESIS
    for checked, row in enumerate(rows):
        expected = event_hash(previous, row[:-1])
        stored = row[-1]
        if stored != expected:
            return checked, int(row[0]), stored or "", expected
        previous = stored
    return None


def backfill(conn: Any) -> int:
    """Hash the events that have none yet (written before the chain existed, or in bulk by
    the benchmark's generator), continuing from the last hashed one. Returns how many."""
    last = conn.execute(
        "select hash from events where hash is not null order by id desc limit 1"
    ).fetchone()
    previous = last[0] if last else GENESIS
    columns = ", ".join(COLUMNS)
    done, after = 0, 0
    # Pages by id, each read before it is written: no cursor stays open over the updates.
    while batch := conn.execute(
        f"select {columns} from events where hash is null and id > ? order by id limit 10000",
        (after,),
    ).fetchall():
        updates = []
        for row in batch:
            previous = event_hash(previous, tuple(row))
            updates.append((previous, row[0]))
        conn.executemany("update events set hash = ? where id = ?", updates)
        done += len(updates)
        after = batch[-1][0]
    return done
