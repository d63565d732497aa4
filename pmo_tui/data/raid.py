"""RAID: risks, assumptions, issues and dependencies; scoring, triage and the heat map."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import ValidationError

from pmo_tui.data.core import Db, validated
from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.meetings import Meetings
from pmo_tui.data.models import (
    Meeting,
    Model,
    RaidChanges,
    RaidItem,
    RaidKind,
    RaidStatus,
    Rescore,
    ScoringScheme,
    SeverityBand,
)
from pmo_tui.data.portfolio import Portfolio
from pmo_tui.data.sqlite import fields

Sort = Literal["score", "review", "project", "code"]

OPEN_STATUSES = frozenset({RaidStatus.OPEN, RaidStatus.MONITORING, RaidStatus.ESCALATED})


class RaidFilter(Model):
    """Filters combine (AND); an empty field does not filter."""

    kinds: frozenset[RaidKind] = frozenset()
    project_id: int | None = None
    owner_id: int | None = None
    statuses: frozenset[RaidStatus] = OPEN_STATUSES
    band: str = ""
    cell: tuple[int, int] | None = None  # (probability, impact) from the heat map
    review_overdue_on: date | None = None
    changed_since: datetime | None = None
    text: str = ""
    sort: Sort = "score"


class TriageEntry(Model):
    item: RaidItem
    reasons: list[str]


class HeatMap(Model):
    scale: int
    counts: dict[str, int]  # "p,i" -> open risks in that cell
    moved: dict[int, tuple[int, int]] = {}  # item id -> its cell at the last meeting

    def count(self, probability: int, impact: int) -> int:
        return self.counts.get(f"{probability},{impact}", 0)


class DependencyRow(Model):
    item: RaidItem
    project: str
    on: str
    predecessor_end: date | None = None
    late: bool = False


def band_for(score: int | None, scheme: ScoringScheme) -> str:
    if score is None:
        return "unscored"
    name = scheme.bands[0].name
    for band in scheme.bands:
        if score >= band.at_least:
            name = band.name
    return name


def band_range(name: str, scheme: ScoringScheme) -> tuple[int, int]:
    """The scores a band covers, inclusive."""
    bands: list[SeverityBand] = scheme.bands
    for index, band in enumerate(bands):
        if band.name == name:
            top = bands[index + 1].at_least - 1 if index + 1 < len(bands) else scheme.scale**2
            return band.at_least, top
    raise InvalidInputError(
        f"There is no severity band {name!r}; the bands are {', '.join(b.name for b in bands)}."
    )


_SORTS: dict[str, str] = {
    "score": "coalesce(probability * impact, 0) desc, review_by is null, review_by, id",
    "review": "review_by is null, review_by, coalesce(probability * impact, 0) desc, id",
    "project": "project_id is null, project_id, coalesce(probability * impact, 0) desc, id",
    "code": "id",
}

# What the triage keys change, and what the details dialog may.
TRIAGE_FIELDS = frozenset({"probability", "impact", "response", "status"})

DETAIL_FIELDS = frozenset(
    {
        "title",
        "project_id",
        "proximity",
        "trigger",
        "priority",
        "resolution",
        "due_on",
        "validation",
        "depends_on_project_id",
        "party",
        "direction",
        "need_by",
        "dependency_state",
        "response_plan",
    }
)


class Raid:
    """The RAID register over the core, naming people and projects through the portfolio."""

    def __init__(self, db: Db, portfolio: Portfolio, meetings: Meetings) -> None:
        self.db = db
        self.portfolio = portfolio
        self.meetings = meetings

    def scoring(self) -> ScoringScheme:
        stored = self.db.setting("scoring")
        return ScoringScheme() if stored is None else ScoringScheme.model_validate_json(stored)

    def set_scoring(self, **values: Any) -> ScoringScheme:
        """Change the scale, the bands or the triage threshold (recorded like any edit)."""
        with self.db.transaction() as conn:
            before = self.scoring()
            try:
                after = ScoringScheme.model_validate({**before.model_dump(), **values})
            except ValidationError as error:
                problem = error.errors()[0]["msg"]
                raise InvalidInputError(f"Scoring not changed: {problem}.") from None
            top = after.scale**2
            too_big = conn.execute(
                "select count(*) from raid_items where probability > ? or impact > ?",
                (after.scale, after.scale),
            ).fetchone()[0]
            if too_big:
                raise InvalidInputError(
                    f"Scoring not changed: {too_big} items score above {after.scale} on "
                    f"probability or impact; re-score them first (scores go up to {top})."
                )
            self.db.set_setting("scoring", after.model_dump_json())
        return after

    def _where(self, wanted: RaidFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if wanted.kinds:
            clauses.append(f"kind in ({', '.join('?' for _ in wanted.kinds)})")
            params += sorted(kind.value for kind in wanted.kinds)
        if wanted.statuses:
            clauses.append(f"status in ({', '.join('?' for _ in wanted.statuses)})")
            params += sorted(status.value for status in wanted.statuses)
        if wanted.project_id is not None:
            clauses.append("project_id = ?")
            params.append(wanted.project_id)
        if wanted.owner_id is not None:
            clauses.append("owner_id = ?")
            params.append(wanted.owner_id)
        if wanted.band:
            low, high = band_range(wanted.band, self.scoring())
            clauses.append("probability * impact between ? and ?")
            params += [low, high]
        if wanted.cell is not None:
            clauses.append("probability = ? and impact = ?")
            params += list(wanted.cell)
        if wanted.review_overdue_on is not None:
            clauses.append("review_by < ?")
            params.append(wanted.review_overdue_on.isoformat())
        if wanted.changed_since is not None:
            clauses.append(
                "id in (select entity_id from events where entity = 'raid_items' and at > ?)"
            )
            params.append(wanted.changed_since.isoformat())
        if wanted.text.strip():
            clauses.append("(title like ? escape '\\' or description like ? escape '\\')")
            needle = "%" + wanted.text.strip().replace("\\", "\\\\").replace("%", "\\%")
            needle = needle.replace("_", "\\_") + "%"
            params += [needle, needle]
        return (" where " + " and ".join(clauses)) if clauses else "", params

    def raid_items(
        self, wanted: RaidFilter | None = None, *, limit: int = 500, offset: int = 0
    ) -> list[RaidItem]:
        """One page of the register, filtered and sorted in SQL."""
        wanted = wanted or RaidFilter()
        where, params = self._where(wanted)
        rows = self.db.conn.execute(
            f"select * from raid_items{where} order by {_SORTS[wanted.sort]} limit ? offset ?",
            [*params, limit, offset],
        )
        return [self.db.row_to(RaidItem, row) for row in rows]

    def raid_count(self, wanted: RaidFilter | None = None) -> int:
        where, params = self._where(wanted or RaidFilter())
        return int(
            self.db.conn.execute(f"select count(*) from raid_items{where}", params).fetchone()[0]
        )

    def add_raid_item(
        self, kind: RaidKind, title: str, project: str = "", **values: Any
    ) -> RaidItem:
        """A new item with the minimum (kind, title, optional project code); the rest later."""
        item = self._validated_raid(
            kind=kind,
            title=title.strip(),
            project_id=self.portfolio.project_id_for(project),
            raised_on=self.db.clock().date(),
            **values,
        )
        return self.db.add(item)

    def _validated_raid(self, **values: Any) -> RaidItem:
        # The scale first: "a probability of 7 is off the 5x5 scale" says more than a range.
        probability, impact = values.get("probability"), values.get("impact")
        if isinstance(probability, int) and isinstance(impact, int | None):
            self._check_scale(probability, impact)
        return validated(RaidItem, **values)

    def _check_scale(self, probability: int | None, impact: int | None) -> None:
        scale = self.scoring().scale
        for name, value in (("probability", probability), ("impact", impact)):
            if value is not None and not 1 <= value <= scale:
                raise InvalidInputError(
                    f"A {name} of {value} is off the {scale}x{scale} scale: use 1 to {scale}."
                )

    def rescore(self, item_id: int, version: int, probability: int, impact: int) -> RaidItem:
        self._check_scale(probability, impact)
        return self.db.update(RaidItem, item_id, version, probability=probability, impact=impact)

    def triage_raid_item(self, item_id: int, version: int, **changes: Any) -> RaidItem:
        """A triage key's edit: score, response or status (open, monitoring, escalated),
        and nothing else; a score must be on the scheme's scale."""
        unknown = set(changes) - TRIAGE_FIELDS
        if unknown:
            raise InvalidInputError(f"Triage does not change {', '.join(sorted(unknown))}.")
        if changes.get("status") == RaidStatus.CLOSED:
            raise InvalidInputError("Closing an item needs a reason: use close.")
        probability, impact = changes.get("probability"), changes.get("impact")
        if probability is not None and impact is not None:
            self._check_scale(probability, impact)
        return self.db.update(RaidItem, item_id, version, **changes)

    def edit_raid_details(self, item_id: int, version: int, **changes: Any) -> RaidItem:
        """The details dialog: title, project and the kind's own fields, never its score,
        status or owner (triage keys and their own operations do those)."""
        unknown = set(changes) - DETAIL_FIELDS
        if unknown:
            raise InvalidInputError(f"The details do not include {', '.join(sorted(unknown))}.")
        if "title" in changes and not str(changes["title"]).strip():
            raise InvalidInputError("An item needs a title; nothing was saved.")
        return self.db.update(RaidItem, item_id, version, **changes)

    def note_raid_item(self, item_id: int, version: int, note: str) -> RaidItem:
        """A dated note under the description: ``2026-11-26 alice: what was said``."""
        note = " ".join(note.split())
        if not note:
            raise InvalidInputError("A note needs some text; nothing was saved.")
        with self.db.write():
            item = self.db.get(RaidItem, item_id)
            stamp = f"{self.db.clock().date().isoformat()} {self.db.user}: {note}"
            described = f"{item.description}\n{stamp}".strip()
            return self.db.update(RaidItem, item_id, version, description=described)

    def assign_raid_owner(self, item_id: int, version: int, owner: str) -> RaidItem:
        """Give the item an owner by name (a new name becomes a person, as the user chose)."""
        with self.db.write():
            person = self.portfolio.person_named(owner, create=True)
            return self.db.update(RaidItem, item_id, version, owner_id=person.id)

    def set_review_date(self, item_id: int, version: int, review_by: date) -> RaidItem:
        """When the item is next reviewed: today or later."""
        today = self.db.clock().date()
        if review_by < today:
            raise InvalidInputError(
                f"{review_by.isoformat()} is in the past: a review date is ahead of today."
            )
        return self.db.update(RaidItem, item_id, version, review_by=review_by)

    def close_raid_item(self, item_id: int, version: int, reason: str) -> RaidItem:
        """Closed today, with the reason (required)."""
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInputError("Closing an item needs a reason; nothing was saved.")
        return self.db.update(
            RaidItem,
            item_id,
            version,
            status=RaidStatus.CLOSED,
            closed_on=self.db.clock().date(),
            close_reason=reason,
        )

    def triage_queue(self, meeting_id: int, limit: int = 500) -> list[TriageEntry]:
        """The items this forum must see, in the order to take them: escalated, then high
        scores (highest first), then overdue reviews, then new since the last meeting."""
        meeting = self.db.get(Meeting, meeting_id)
        previous = self.meetings.previous_meeting(meeting)
        since = None
        if previous is not None:
            since = previous.closed_at or datetime.combine(
                previous.scheduled_on, time(23, 59), tzinfo=self.db.clock().tzinfo
            )
        high = self.scoring().high
        today = meeting.scheduled_on
        # Which items qualify, and their order, is decided in SQL, one class at a time
        # (escalated; high score; review overdue; new since the last meeting), each class
        # read in the queue's order and cut at the limit, so a register of 50,000 items is
        # never ranked whole (38 ms a refresh on the large file when it was). A later class
        # is read only while the earlier ones leave room.
        params = {
            "escalated": RaidStatus.ESCALATED.value,
            "high": high,
            "today": today.isoformat(),
            # "~" sorts after every timestamp: with no earlier meeting nothing is new.
            "since": since.isoformat() if since is not None else "~",
            "limit": limit,
            **{f"s{n}": status.value for n, status in enumerate(sorted(OPEN_STATUSES))},
        }
        open_ = "status in (" + ", ".join(f":s{n}" for n in range(len(OPEN_STATUSES))) + ")"
        score = "coalesce(probability * impact, 0)"
        classes = (
            "status = :escalated",
            f"{open_} and status != :escalated and probability * impact >= :high",
            f"{open_} and status != :escalated and {score} < :high and review_by < :today",
            f"{open_} and status != :escalated and {score} < :high "
            "and (review_by is null or review_by >= :today) and id in (select entity_id "
            "from events where entity = 'raid_items' and field = 'created' and at > :since)",
        )
        rows: list[Any] = []
        for rank, where in enumerate(classes):
            if len(rows) >= limit:
                break
            rows += self.db.conn.execute(
                f"select *, {score} as score, {rank} as rank, id in (select entity_id from "
                "events where entity = 'raid_items' and field = 'created' and at > :since) "
                f"as is_new from raid_items where {where} "
                "order by score desc, review_by is null, review_by, id limit :limit",
                params,
            ).fetchall()
        rows = rows[:limit]
        entries = []
        for row in rows:
            data = fields(row)
            score, is_new = data.pop("score"), data.pop("is_new")
            data.pop("rank")
            item = RaidItem.model_validate(data)
            reasons = []
            if item.status is RaidStatus.ESCALATED:
                reasons.append("escalated to this forum")
            if score >= high:
                reasons.append(f"score {score}")
            if item.review_by is not None and item.review_by < today:
                reasons.append(f"review overdue since {item.review_by.isoformat()}")
            if is_new:
                reasons.append("new since the last meeting")
            entries.append(TriageEntry(item=item, reasons=reasons))
        return entries

    def heat_map(self, project_id: int | None = None, meeting_id: int | None = None) -> HeatMap:
        """Open risks per (probability, impact) cell; with a meeting, the risks whose cell
        moved since the previous meeting, with their old cell."""
        scheme = self.scoring()
        wanted = RaidFilter(kinds=frozenset({RaidKind.RISK}), project_id=project_id)
        where, params = self._where(wanted)
        counts = {
            f"{row[0]},{row[1]}": int(row[2])
            for row in self.db.conn.execute(
                f"select probability, impact, count(*) from raid_items{where} "
                "and probability is not null and impact is not null group by 1, 2",
                params,
            )
        }
        moved: dict[int, tuple[int, int]] = {}
        if meeting_id is not None:
            previous = self.meetings.previous_meeting(self.db.get(Meeting, meeting_id))
            if previous is not None and previous.closed_at is not None:
                # Only items re-scored since then can have moved: the audit trail says which,
                # and their score events since then are all _cell_from needs (one query for
                # all of them, where there were two per item: 50 ms a key on the large file).
                since: dict[int, list[Any]] = {}
                for row in self.db.conn.execute(
                    # "+entity": range over (field, at), never walk every RAID event.
                    "select entity_id, field, old, at from events where +entity = 'raid_items'"
                    " and field in ('probability', 'impact', 'created') and at > ? "
                    "order by id desc",
                    (previous.closed_at.isoformat(),),
                ):
                    since.setdefault(int(row["entity_id"]), []).append(row)
                rescored = [
                    item_id
                    for item_id, events in since.items()
                    if any(event["field"] != "created" for event in events)
                ]
                # Four columns, not whole items: ~500 validated items cost 25 ms a key.
                open_values = {status.value for status in OPEN_STATUSES}
                for row in self.db.conn.execute(
                    "select id, kind, status, probability, impact from raid_items "
                    "where id in (select value from json_each(?))",
                    (json.dumps(rescored),),
                ):
                    if row["kind"] != RaidKind.RISK.value or row["status"] not in open_values:
                        continue
                    now = (row["probability"], row["impact"])
                    old = _cell_from(*now, previous.closed_at, since[row["id"]])
                    if old is not None and old != now:
                        moved[row["id"]] = old
        return HeatMap(scale=scheme.scale, counts=counts, moved=moved)

    def _score_events(self, item_id: int) -> list[Any]:
        """The item's creation and score changes, newest first."""
        return self.db.conn.execute(
            "select field, old, at from events where entity = 'raid_items' and "
            "entity_id = ? and field in ('probability', 'impact', 'created') "
            "order by id desc",
            (item_id,),
        ).fetchall()

    def score_history(
        self, item_id: int, newest: int | None = None
    ) -> list[tuple[str, int | None]]:
        """The item's score at the close of each meeting since it was raised (only the
        ``newest`` of them when given), then now."""
        item = self.db.get(RaidItem, item_id)
        # One read of the item's events for every meeting (there was one per meeting:
        # 300 queries a cursor move on the large file).
        events = self._score_events(item.id)
        raised = next((row["at"] for row in events if row["field"] == "created"), "")
        # Only meetings closed since it was raised, newest first and as many as asked: a
        # card reads six, and reading every meeting made a cursor move slower each week.
        meetings = self.db.conn.execute(
            "select id, closed_at from meetings where closed_at is not null and closed_at >= ? "
            "order by scheduled_on desc, id desc limit ?",
            (raised, -1 if newest is None else newest),
        ).fetchall()
        history: list[tuple[str, int | None]] = []
        for row in reversed(meetings):
            closed_at = datetime.fromisoformat(row["closed_at"])
            cell = _cell_from(item.probability, item.impact, closed_at, events)
            if cell is not None:
                history.append((f"{Meeting.PREFIX}-{row['id']}", cell[0] * cell[1]))
        now = (item.probability * item.impact) if item.probability and item.impact else None
        history.append(("now", now))
        return history

    def heat_map_after(
        self, heat: HeatMap, before: RaidItem, after: RaidItem, meeting_id: int | None = None
    ) -> HeatMap:
        """The whole portfolio's ``heat`` (as heat_map read it for ``meeting_id``) after
        one item changed from ``before`` to ``after``: what heat_map would read afresh,
        without counting every open risk again (50 ms a re-score on the large file, and
        growing with the register)."""
        counts = dict(heat.counts)
        for item, step in ((before, -1), (after, 1)):
            if _on_heat_map(item):
                key = f"{item.probability},{item.impact}"
                counts[key] = counts.get(key, 0) + step
                if not counts[key]:
                    del counts[key]
        moved = {item_id: cell for item_id, cell in heat.moved.items() if item_id != after.id}
        if meeting_id is not None and _on_heat_map(after):
            previous = self.meetings.previous_meeting(self.db.get(Meeting, meeting_id))
            if previous is not None and previous.closed_at is not None:
                now = (after.probability or 0, after.impact or 0)
                old = _cell_from(*now, previous.closed_at, self._score_events(after.id))
                if old is not None and old != now:
                    moved[after.id] = old
        return HeatMap(scale=heat.scale, counts=counts, moved=moved)

    def convert(self, item_id: int, version: int, to: RaidKind, reason: str = "") -> RaidItem:
        """An invalidated assumption becomes a risk or an issue; a risk that happened
        becomes an issue. The old item is closed pointing at the new one, and the new one
        points back."""
        allowed = {
            RaidKind.ASSUMPTION: {RaidKind.RISK, RaidKind.ISSUE},
            RaidKind.RISK: {RaidKind.ISSUE},
        }
        with self.db.transaction():
            item = self.db.get(RaidItem, item_id)
            if item.version != version:
                raise self.db.conflict(item)
            if to not in allowed.get(item.kind, set()):
                raise InvalidInputError(
                    f"A {item.kind.value} cannot become a {to.value}: assumptions become risks "
                    "or issues, risks become issues."
                )
            successor = self.db.add(
                RaidItem(
                    kind=to,
                    project_id=item.project_id,
                    title=item.title,
                    description=item.description,
                    owner_id=item.owner_id,
                    raised_on=self.db.clock().date(),
                    review_by=item.review_by,
                    probability=5 if to is RaidKind.ISSUE else item.probability,
                    impact=item.impact,
                    source_id=item.id,
                )
            )
            why = reason.strip() or (
                "assumption invalidated" if item.kind is RaidKind.ASSUMPTION else "it happened"
            )
            self.db.update(
                RaidItem,
                item.id,
                item.version,
                status=RaidStatus.CLOSED,
                closed_on=self.db.clock().date(),
                became_id=successor.id,
                close_reason=f"{why}: became {successor.code}",
            )
            return successor

    def raid_changes(self, meeting_id: int) -> RaidChanges:
        rows = self.db.conn.execute(
            "select entity_id, field, old, new from events where meeting_id = ? and "
            "entity = 'raid_items' and field in ('created', 'probability', 'impact', 'status')"
            " order by id",
            (meeting_id,),
        ).fetchall()
        created: list[int] = []
        first: dict[int, dict[str, int | None]] = {}
        statuses: dict[int, str] = {}
        for row in rows:
            item_id, field = int(row["entity_id"]), row["field"]
            if field == "created":
                created.append(item_id)
            elif field in ("probability", "impact"):
                first.setdefault(item_id, {}).setdefault(
                    field, int(row["old"]) if row["old"] else None
                )
            else:
                statuses[item_id] = row["new"]
        items = self.db.get_many(RaidItem, {*created, *first, *statuses})
        changes = RaidChanges(new=[items[i] for i in created if i in items])
        for item_id, old in first.items():
            item = items.get(item_id)
            if item is None or item_id in created:
                continue
            probability = old.get("probability", item.probability)
            impact = old.get("impact", item.impact)
            before = probability * impact if probability and impact else None
            after = item.probability * item.impact if item.probability and item.impact else None
            if before != after:
                changes.rescored.append(Rescore(item=item, old=before, new=after))
        for item_id, status in statuses.items():
            if item_id not in items:
                continue
            if status == RaidStatus.ESCALATED.value:
                changes.escalated.append(items[item_id])
            elif status == RaidStatus.CLOSED.value:
                changes.closed.append(items[item_id])
        return changes

    def dependencies(self) -> list[DependencyRow]:
        """Who waits on whom: each open dependency with what it waits on, flagged when it is
        needed before the project it depends on is due to deliver."""
        names = {row.project.id: row.project for row in self.portfolio.portfolio()}
        result = []
        for item in self.raid_items(
            RaidFilter(kinds=frozenset({RaidKind.DEPENDENCY})), limit=100_000, offset=0
        ):
            project = names.get(item.project_id or 0)
            predecessor = names.get(item.depends_on_project_id or 0)
            end = predecessor.end_on if predecessor else None
            late = bool(item.need_by and end and item.need_by < end)
            on = (
                f"{predecessor.code} {predecessor.name}"
                if predecessor
                else item.party or "not said"
            )
            result.append(
                DependencyRow(
                    item=item,
                    project=f"{project.code} {project.name}" if project else "portfolio",
                    on=on,
                    predecessor_end=end,
                    late=late,
                )
            )
        return result

    def all_open_raid(self) -> list[RaidItem]:
        rows = self.db.conn.execute(
            "select * from raid_items where status != ? "
            "order by coalesce(probability * impact, 0) desc, id",
            (RaidStatus.CLOSED.value,),
        )
        return [self.db.row_to(RaidItem, row) for row in rows]


def scoring_summary(scheme: ScoringScheme) -> str:
    bands = ", ".join(f"{band.name} from {band.at_least}" for band in scheme.bands)
    return f"{scheme.scale}x{scheme.scale}; {bands}; triage from {scheme.high}"


def _on_heat_map(item: RaidItem) -> bool:
    """Counted on the heat map: an open risk with both scores (as heat_map's query)."""
    return (
        item.kind is RaidKind.RISK
        and item.status in OPEN_STATUSES
        and item.probability is not None
        and item.impact is not None
    )


def _cell_from(
    probability: int | None, impact: int | None, moment: datetime, events: list[Any]
) -> tuple[int, int] | None:
    """(probability, impact) at ``moment``, walking back from the values now through the
    item's score events (newest first) written after it."""
    values: dict[str, int | None] = {"probability": probability, "impact": impact}
    stamp = moment.isoformat()
    for row in events:
        if row["at"] <= stamp:
            break
        if row["field"] == "created":
            return None  # raised after the moment: it had no cell then
        values[row["field"]] = int(row["old"]) if row["old"] else None
    if values["probability"] is None or values["impact"] is None:
        return None
    return values["probability"], values["impact"]
