"""Escaping user text for GitHub-flavoured Markdown, and tables built from escaped cells.

Markdown punctuation that could start markup is backslash-escaped (so a ``|`` cannot break a
table, a leading ``#`` cannot make a heading and ``<script>`` stays text), line breaks are
kept as hard breaks (``<br>`` in tables), and control characters (terminal escape
sequences) are replaced, never passed on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Characters that start markup anywhere in a line (emphasis, code, links, HTML, tables,
# entities, strikethrough, math and @mentions on GitHub). A backslash before any ASCII
# punctuation reads back as the character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|~$@]|&(?=#?[A-Za-z0-9]+;))")
# ...and those that only matter at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^([#>+=-])|^(\d+)([.)])")
# Control characters (terminal escapes), bidi overrides, isolates and marks (U+061C,
# U+200E/F), which can make a wiki page show text in an order other than the one stored
# ("Trojan source"), and the Unicode line and paragraph separators.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[ \t]+")


# What a terminal acts on, or a file format forbids: C0 controls but tab and newline (CR
# too: it rewrites the line), DEL, C1 (CSI, OSC...), and the bidi controls that reorder
# what is shown.
_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# In a CSV or iCalendar file line breaks are data (quoted, or escaped as \n).
_IN_FILES = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def terminal(value: str) -> str:
    """Text for a terminal: every control sequence from the data shown as U+FFFD, never
    obeyed (an OSC 52 sets the clipboard; an escape recolours or moves the cursor)."""
    return _TERMINAL.sub("\ufffd", value)


def file_text(value: str) -> str:
    """User text in a CSV cell or an iCalendar value: the control characters those
    formats forbid (and bidi controls) replaced; line breaks and tabs kept."""
    return _IN_FILES.sub("\ufffd", value)


def plain(value: str) -> str:
    """User text outside Markdown (an HTML page title): control and bidi characters
    replaced, nothing else touched."""
    return _CONTROL.sub("\ufffd", value)


def _clean(value: str) -> list[str]:
    value = _CONTROL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    return [_SPACES.sub(" ", line).strip() for line in value.split("\n")]


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    return _LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", line
    )


# Anything that _clean or _escape_line would change: text without any of it is its own
# Markdown. Most values in minutes are such (names, codes, words), and the largest
# minutes escape some 13,000 of them: a check each instead of five substitutions. The
# characters are one class, searched fast; two spaces and what matters only at an end are
# looked for apart (one pattern with all of it took 9 us a commentary, this 1.7 us: its
# anchors were tried at every place).
_CHANGED = re.compile(
    r"[\\`*_\[\]<>|~$@&\r\n\t\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    r"\u202a-\u202e\u2066-\u2069]"
)
_NUMBERED = re.compile(r"\d+[.)]")


def _unchanged(value: str) -> bool:
    """Whether escaping ``value`` would leave it as it is."""
    if not value:
        return True
    first = value[0]
    if first in "#>+=-" or first.isspace() or value[-1].isspace():
        return False
    if first.isdecimal() and _NUMBERED.match(value):
        return False
    return "  " not in value and _CHANGED.search(value) is None


@lru_cache(maxsize=16_384)
def _escaped(value: str, joiner: str) -> str:
    """``value`` escaped line by line, non-empty lines joined by ``joiner`` (the same
    names and words recur across a meeting's minutes: each is escaped once)."""
    if _unchanged(value):
        return value
    return joiner.join(line for line in map(_escape_line, _clean(value)) if line)


def text(value: str) -> str:
    """User text for a paragraph or list item: escaped, line breaks kept."""
    return _escaped(value, "\\\n")


def cell(value: str) -> str:
    """User text for a table cell: escaped, line breaks as ``<br>``, never empty."""
    return _escaped(value, "<br>") or " "


def flat(value: str) -> str:
    """User text on one line, for a table cell or a link's label where no HTML may go (a
    wiki page): escaped, line breaks as " / ", never empty."""
    return _escaped(value, " / ") or " "


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table; the cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
