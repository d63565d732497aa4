"""How a count reads in a sentence, for every message and screen: "1 problem", "2,000
projects" ("1 problems" was in the command line's and the import screen's messages)."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun``, plural unless it is one (nouns that take an s)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
