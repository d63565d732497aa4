"""What changed in the portfolio since the previous meeting, read from the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pmo_tui.data.models import (
    ActionStatus,
    Change,
    Meeting,
    Rag,
    RagChange,
    RaidStatus,
    SinceLast,
)

if TYPE_CHECKING:
    from pmo_tui.data.core import Db


def since_last(
    store: Db,
    meeting: Meeting,
    previous: Meeting | None,
    since: datetime | None,
    until: datetime | None,
) -> SinceLast:
    """Changes recorded after ``since`` and before ``until`` (the meeting's start), or up to
    now for a planned meeting; never what this meeting itself wrote (its own minutes say
    that)."""
    conn = store.conn
    result = SinceLast(
        previous_code=previous.code if previous else None,
        since=since,
    )
    after = since.isoformat() if since else ""
    # "~" sorts after every ISO timestamp: no upper bound.
    before = until.isoformat() if until else "~"
    today = meeting.scheduled_on

    # RAG: each active project's overall RAG at `since` against its latest one now.
    rows = conn.execute(
        """
        select p.id, p.name,
            (select overall from status_reports s where s.project_id = p.id
                and s.id in (select entity_id from events where entity = 'status_reports'
                             and field = 'created' and at <= :after)
                order by s.reported_on desc, s.id desc limit 1) as before,
            (select overall from status_reports s where s.project_id = p.id
                and s.id in (select entity_id from events where entity = 'status_reports'
                             and field = 'created' and at < :before
                             and (meeting_id is null or meeting_id != :meeting))
                order by s.reported_on desc, s.id desc limit 1) as now
        from projects p where p.status in ('active', 'on hold') order by p.rank, p.id
        """,
        {"after": after, "before": before, "meeting": meeting.id},
    ).fetchall()
    for row in rows:
        if row["now"] and row["before"] != row["now"] and since is not None:
            result.rag_changes.append(
                RagChange(
                    code=f"P-{row['id']}",
                    name=row["name"],
                    before=Rag(row["before"]) if row["before"] else None,
                    after=Rag(row["now"]),
                )
            )

    def changes(sql: str, *params: object) -> list[tuple[int, str, str | None, str | None]]:
        # Each query's first placeholder is the lower bound; the upper one is added here,
        # and nothing this meeting itself wrote counts (its own minutes say that).
        sql = sql.replace(
            "e.at > ?", "e.at > ? and e.at < ? and (e.meeting_id is null or e.meeting_id != ?)"
        )
        rows = conn.execute(sql, (after, before, meeting.id, *params))
        return [(int(r[0]), str(r[1]), r[2], r[3]) for r in rows]

    if since is not None:
        for entity_id, title, _, _ in changes(
            "select e.entity_id, r.title, null, null from events e "
            "join raid_items r on r.id = e.entity_id where e.entity = 'raid_items' "
            "and e.field = 'created' and e.at > ? order by e.id"
        ):
            result.new_raid.append(Change(code=f"R-{entity_id}", title=title))
        for entity_id, title, _, new in changes(
            "select e.entity_id, r.title, e.old, e.new from events e "
            "join raid_items r on r.id = e.entity_id where e.entity = 'raid_items' "
            "and e.field = 'status' and e.at > ? and e.new = ? order by e.id",
            RaidStatus.CLOSED.value,
        ):
            result.closed_raid.append(Change(code=f"R-{entity_id}", title=title, detail=new or ""))
        for entity_id, text, old, new in changes(
            "select e.entity_id, a.text, e.old, e.new from events e "
            "join actions a on a.id = e.entity_id where e.entity = 'actions' "
            "and e.field = 'due_on' and e.at > ? and e.old is not null and e.new > e.old "
            "order by e.id"
        ):
            result.slipped.append(
                Change(code=f"A-{entity_id}", title=text, detail=f"due {old} → {new}")
            )
        for entity_id, name, old, new in changes(
            "select e.entity_id, p.name, e.old, e.new from events e "
            "join projects p on p.id = e.entity_id where e.entity = 'projects' "
            "and e.field = 'end_on' and e.at > ? and e.old is not null and e.new > e.old "
            "order by e.id"
        ):
            result.slipped.append(
                Change(code=f"P-{entity_id}", title=name, detail=f"end {old} → {new}")
            )
        for entity_id, name, old, new in changes(
            "select e.entity_id, p.name, e.old, e.new from events e "
            "join projects p on p.id = e.entity_id where e.entity = 'projects' "
            "and e.field = 'rank' and e.at > ? and e.old is not null order by e.id"
        ):
            result.rank_moves.append(
                Change(code=f"P-{entity_id}", title=name, detail=f"rank {old} → {new}")
            )
        for entity_id, text, _, _ in changes(
            "select e.entity_id, a.text, e.old, e.new from events e "
            "join actions a on a.id = e.entity_id where e.entity = 'actions' "
            "and e.field = 'status' and e.at > ? and e.new = ? order by e.id",
            ActionStatus.DONE.value,
        ):
            result.actions_done.append(Change(code=f"A-{entity_id}", title=text))
    for row in conn.execute(
        "select id, text, due_on from actions where status = ? and due_on < ? order by due_on, id",
        (ActionStatus.OPEN.value, today.isoformat()),
    ):
        result.actions_overdue.append(
            Change(code=f"A-{row['id']}", title=row["text"], detail=f"due {row['due_on']}")
        )
    return result
