"""Pure domain rules: no IO, no SQL, no Textual. Tested without a database."""

from __future__ import annotations

from datetime import date

from pmo_tui.data.models import Action, ActionStatus, Rag, RaidItem, RaidStatus, Trend

_RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


def rag_severity(rag: Rag) -> int:
    """0 for green, 1 amber, 2 red: higher is worse."""
    return _RAG_ORDER[rag]


def trend(previous: Rag | None, current: Rag) -> Trend:
    if previous is None:
        return Trend.NEW
    before, now = rag_severity(previous), rag_severity(current)
    if now < before:
        return Trend.BETTER
    if now > before:
        return Trend.WORSE
    return Trend.SAME


def risk_score(item: RaidItem) -> int | None:
    if item.probability is None or item.impact is None:
        return None
    return item.probability * item.impact


def severity_band(score: int | None) -> str:
    """Band names for the default 5x5 scheme (issue 5 makes the scheme configurable)."""
    if score is None:
        return "unscored"
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def is_open(item: RaidItem) -> bool:
    return item.status is not RaidStatus.CLOSED


def action_overdue(action: Action, today: date) -> bool:
    return (
        action.status is ActionStatus.OPEN and action.due_on is not None and action.due_on < today
    )


def review_overdue(item: RaidItem, today: date) -> bool:
    return is_open(item) and item.review_by is not None and item.review_by < today


def weighted_score(scores: dict[int, int], weights: dict[int, float]) -> float:
    """Weighted mean of 0-5 scores against objectives; weights need not sum to 1."""
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(scores.get(objective, 0) * weight for objective, weight in weights.items()) / total
