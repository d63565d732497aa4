"""What the bench scripts share: the demo's day and clock, a live meeting at a step, and
the figure line each prints."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime

from pmo_tui.data.models import AgendaStep
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)

# The words generated titles and texts are made of (searches match many of them).
_VOCABULARY = (
    "supplier contract delay scope budget testing release freeze stakeholder sponsor "
    "migration data vendor estimate risk plan resource training handover benefits"
)
WORDS = _VOCABULARY.split()


def clock() -> datetime:
    return datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def live_at_step(store: Store, step: AgendaStep) -> int:
    """Start the demo's planned meeting at ``step``; returns the meeting id."""
    meeting = store.meetings()[0].meeting
    store.start_meeting(meeting.id)
    index = next(i for i, item in enumerate(store.agenda(meeting.id)) if item.step is step)
    store.go_to_step(meeting.id, index)
    return meeting.id


def figure(name: str, times: list[float]) -> str:
    return (
        f"{name:<40} median {statistics.median(times) * 1000:7.1f} ms   "
        f"worst {max(times) * 1000:7.1f} ms"
    )
