"""Build a large portfolio deterministically, for the benchmarks of issue 11.

    python bench/make_large.py large.db [--scale 1.0]

At scale 1: 2,000 projects, 50,000 RAID items, 300 meetings (the newest one planned, to
be opened and run), 30,000 decisions, 60,000 actions, 5,000 change requests, 10,000
lessons and 1,000,000 audit events. The schema comes from `Store` (so migrations, FTS
triggers and indexes are the app's own); rows go in with sqlite-utils' bulk insert_all,
which is what a bulk load is for (the app itself writes one edit at a time).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import timedelta
from pathlib import Path

import sqlite_utils
from common import DAY, WORDS

from pmo_tui.data.audit import SEEDED, UNAUDITED
from pmo_tui.data.chain import backfill
from pmo_tui.data.models import RECORD_TYPES
from pmo_tui.data.store import Store


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(WORDS, k=count))


def build(path: Path, scale: float = 1.0) -> dict[str, int]:
    def n(count: int) -> int:
        return max(1, int(count * scale))

    rng = random.Random(11)
    with Store(path, create=True, user="bench") as store:
        # The agenda of each meeting is the file's own Portfolio review template.
        template = store.meetings.templates()[0]
        steps = [
            (s.step.value, s.title, s.timebox_minutes)
            for s in store.meetings.template_steps(template.id)
        ]
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA synchronous = OFF")  # a bulk load: the file is thrown away
    start = DAY - timedelta(days=7 * n(300))
    people = [{"id": i, "name": f"Person {i}", "team": f"Team {i % 12}"} for i in range(1, 201)]
    db["people"].insert_all(people)
    db["teams"].insert_all({"id": t + 1, "name": f"Team {t}", "fte": 40.0} for t in range(12))
    projects = n(2000)
    db["projects"].insert_all(
        {
            "id": p,
            "name": f"Project {p} {words(rng, 2)}",
            "programme": f"Programme {p % 20}",
            "phase": rng.choice(("initiation", "planning", "delivery", "closing")),
            "status": "active",
            "manager_id": 1 + p % 200,
            "budget": float(rng.randrange(100, 5000) * 1000),
            "period_cost": float(rng.randrange(50, 1500) * 1000),
            "rank": p,
            "start_on": (start + timedelta(days=p % 300)).isoformat(),
            "end_on": (DAY + timedelta(days=30 + p % 700)).isoformat(),
        }
        for p in range(1, projects + 1)
    )
    db["objectives"].insert_all(
        {"id": o, "name": f"Objective {o}", "weight": float(10 + o * 5)} for o in range(1, 6)
    )
    db["project_scores"].insert_all(
        {"project_id": p, "objective_id": o, "score": (p * o) % 6}
        for p in range(1, projects + 1)
        for o in range(1, 6)
    )
    db["project_demands"].insert_all(
        {"project_id": p, "team_id": 1 + p % 12, "fte": float(1 + p % 3)}
        for p in range(1, projects + 1)
    )
    meetings = n(300)
    meeting_rows, agenda = [], []
    for m in range(1, meetings + 1):
        day = start + timedelta(days=7 * m)
        planned = m == meetings
        meeting_rows.append(
            {
                "id": m,
                "title": f"Portfolio review {day.isoformat()}",
                "template": "Portfolio review",
                "scheduled_on": day.isoformat(),
                "state": "planned" if planned else "closed",
                "started_at": None if planned else f"{day.isoformat()}T14:00:00+00:00",
                "closed_at": None if planned else f"{day.isoformat()}T16:00:00+00:00",
                "current_step": 0,
            }
        )
        for position, (step, title, minutes) in enumerate(steps):
            agenda.append(
                {
                    "meeting_id": m,
                    "position": position,
                    "step": step,
                    "title": title,
                    "timebox_minutes": minutes,
                }
            )
    db["meetings"].insert_all(meeting_rows)
    db["agenda_items"].insert_all(agenda)
    db["attendees"].insert_all(
        {
            "meeting_id": m,
            "person_id": 1 + (m + k) % 200,
            "role": "chair" if k == 0 else "member",
            "attendance": "present",
        }
        for m in range(1, meetings + 1)
        for k in range(6)
    )
    db["status_reports"].insert_all(
        (
            {
                "project_id": 1 + (m * 200 + k) % projects,
                "meeting_id": m,
                "reported_on": (start + timedelta(days=7 * m)).isoformat(),
                "overall": rng.choice(("green", "amber", "red")),
                "schedule": "green",
                "budget": "amber",
                "scope": "green",
                "percent_complete": (m + k) % 100,
                "commentary": words(rng, 8),
            }
            for m in range(1, meetings)
            for k in range(200)
        ),
        batch_size=5000,
    )
    raid = n(50_000)
    kinds = ("risk", "issue", "assumption", "dependency")
    db["raid_items"].insert_all(
        (
            {
                "kind": kinds[i % 4],
                "project_id": 1 + i % projects,
                "title": f"{words(rng, 6)} {i}",
                "owner_id": 1 + i % 200,
                "status": "closed" if i % 5 == 0 else ("escalated" if i % 97 == 0 else "open"),
                "raised_on": (start + timedelta(days=i % (7 * meetings))).isoformat(),
                "review_by": (DAY + timedelta(days=(i % 60) - 30)).isoformat(),
                "probability": 1 + i % 5,
                "impact": 1 + (i * 7) % 5,
            }
            for i in range(raid)
        ),
        batch_size=5000,
    )
    per_meeting = n(30_000) // max(1, meetings - 1)
    db["decisions"].insert_all(
        (
            {
                "meeting_id": m,
                "text": f"Decision {k} {words(rng, 5)}",
                "decided_on": (start + timedelta(days=7 * m)).isoformat(),
                "project_id": 1 + (m + k) % projects,
            }
            for m in range(1, meetings)
            for k in range(per_meeting)
        ),
        batch_size=5000,
    )
    per_meeting = n(60_000) // max(1, meetings - 1)
    db["actions"].insert_all(
        (
            {
                "meeting_id": m,
                "text": f"Action {k} {words(rng, 5)}",
                "owner_id": 1 + (m * 7 + k) % 200,
                "due_on": (start + timedelta(days=7 * m + 14)).isoformat(),
                "status": "done" if m < meetings - 4 else "open",
                "closed_on": (start + timedelta(days=7 * m + 10)).isoformat()
                if m < meetings - 4
                else None,
                "project_id": 1 + (m + k) % projects,
            }
            for m in range(1, meetings)
            for k in range(per_meeting)
        ),
        batch_size=5000,
    )
    db["change_requests"].insert_all(
        (
            {
                "project_id": 1 + c % projects,
                "title": f"Change {c} {words(rng, 4)}",
                "raised_on": (DAY - timedelta(days=c % 400)).isoformat(),
                "cost_impact": float((c % 90) * 1000),
                "schedule_impact_days": c % 30,
                "status": "submitted" if c % 10 == 0 else "rejected",
            }
            for c in range(n(5000))
        ),
        batch_size=5000,
    )
    db["lessons"].insert_all(
        (
            {
                "project_id": 1 + k % projects,
                "category": ("planning", "supplier", "technical", "governance")[k % 4],
                "title": words(rng, 6),
                "what_happened": words(rng, 25),
                "next_time": words(rng, 12),
                "recorded_on": (DAY - timedelta(days=k % 900)).isoformat(),
            }
            for k in range(n(10_000))
        ),
        batch_size=5000,
    )
    db["rankings"].insert_all(
        {
            "meeting_id": meetings - 1,
            "project_id": p,
            "rank_before": p,
            "rank_after": p,
            "score": 2.0,
        }
        for p in range(1, projects + 1)
    )
    # Every row's "created" event first, as pmo writes it, so that `pmo verify` finds each
    # row where its audit trail says it is; then the score and owner changes, which the
    # RAID rows are brought in line with below.
    for model in RECORD_TYPES:
        if model.TABLE in UNAUDITED or model.TABLE in SEEDED:
            continue
        columns = [name for name in model.model_fields if name not in ("id", "version")]
        rows = db.conn.execute(f"select id, {', '.join(columns)} from {model.TABLE}")
        db["events"].insert_all(
            (
                {
                    "at": f"{start.isoformat()}T08:00:00+00:00",
                    "user": "bench",
                    "entity": model.TABLE,
                    "entity_id": row[0],
                    "code": f"{model.PREFIX}-{row[0]}",
                    "field": "created",
                    "new": json.dumps(dict(zip(columns, row[1:], strict=True)), ensure_ascii=False),
                }
                for row in rows
            ),
            batch_size=20_000,
        )
    db["events"].insert_all(
        (
            {
                "at": f"{(start + timedelta(days=e % (7 * meetings))).isoformat()}T12:00:00+00:00",
                "user": f"person{e % 200}",
                "entity": "raid_items",
                "entity_id": 1 + e % raid,
                "code": f"R-{1 + e % raid}",
                "field": ("probability", "impact", "owner_id")[e % 3],
                "old": str(1 + e % 5),
                "new": str(1 + (e + 1) % 5),
                "meeting_id": 1 + e % max(1, meetings - 1),
            }
            for e in range(n(1_000_000))
        ),
        batch_size=20_000,
    )
    with db.conn:
        for field in ("probability", "impact", "owner_id"):
            db.conn.execute(
                f"update raid_items set {field} = (select cast(new as integer) from events e "
                "where e.entity = 'raid_items' and e.entity_id = raid_items.id "
                f"and e.field = '{field}' order by e.id desc limit 1) where exists (select 1 "
                "from events e where e.entity = 'raid_items' and e.entity_id = raid_items.id "
                f"and e.field = '{field}')"
            )
    # The generated events join the audit chain as the v9 migration joins old ones.
    with db.conn:
        backfill(db.conn)
    db.conn.execute("PRAGMA synchronous = FULL")
    db.conn.execute("ANALYZE")
    db.close()
    with Store(path) as store:
        # The closed meetings' records, as their close would have written them.
        store.records.record_unrecorded()
        return store.row_counts()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path} exists: give a new file.")
    started = time.perf_counter()
    counts = build(args.path, args.scale)
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s")
    for table, count in sorted(counts.items()):
        print(f"  {table:<20} {count:>10,}")


if __name__ == "__main__":
    main()
