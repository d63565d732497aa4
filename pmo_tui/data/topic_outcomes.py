"""What a meeting did about a proposed topic, read from what it recorded: its decisions,
its re-scores, escalations and closures, its handling of an action, its status report.

One rule for the live step (which topics are taken so far) and for the minutes (what each
topic came to): pure, over records already read."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pmo_tui.data.models import Action, CarriedAction, Decision, RaidChanges, StatusRow


def linked_codes(record: Decision | Action) -> set[str]:
    """Every code a decision or action is linked to."""
    linked = {
        "CR": record.change_request_id,
        "R": record.raid_item_id,
        "P": record.project_id,
        "G": record.gate_id if isinstance(record, Decision) else None,
        "D": record.decision_id if isinstance(record, Action) else None,
        "A": record.action_id if isinstance(record, Decision) else None,
    }
    return {f"{prefix}-{number}" for prefix, number in linked.items() if number}


def topic_outcome(
    code: str,
    decisions: Sequence[Decision],
    raid: RaidChanges,
    carried: Sequence[CarriedAction],
    status: Sequence[StatusRow],
    escape: Callable[[str], str] = str,
) -> list[str]:
    """What was recorded about the record ``code`` in the meeting, a phrase each; empty:
    nothing (the topic was not taken). ``escape`` makes user text safe for where it goes
    (the minutes' Markdown)."""
    done = [f"{d.code} {escape(d.text)}" for d in decisions if code in linked_codes(d)]
    done += [
        f"re-scored {r.old or '—'} → {r.new or '—'}" for r in raid.rescored if r.item.code == code
    ]
    done += ["escalated" for i in raid.escalated if i.code == code]
    done += [f"closed: {escape(i.close_reason or 'closed')}" for i in raid.closed if i.code == code]
    done += [escape(c.outcome) for c in carried if c.action.code == code]
    done += [
        f"status updated: overall {row.current.overall.word}"
        for row in status
        if row.project.code == code and row.reported_this_meeting and row.current
    ]
    return done
