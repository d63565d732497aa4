"""Soak: N sessions make random meeting edits on one file at once, then the file is checked.

    python bench/soak.py [--sessions 2 5 10] [--seconds 60]

Each session is its own process with its own Store, doing what the app does during a
meeting: RAG changes and commentary, decisions, actions, re-dated actions (versioned:
a stale one is a reported conflict, as in the app), step notes, heartbeats, and a
read-modify-write counter that must end exactly at the number of increments. Afterwards:
every edit a session saw succeed is in the file (its audit event is there), the counter
adds up, nobody saw "database is locked", PRAGMA integrity_check is ok and the
audit chain is intact. A watcher
polls PRAGMA data_version as the app does (every 0.25 s) and reports how long a peer's
commit takes to be noticed. Prints one line per N.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pmo_tui.data.demo import build_demo
from pmo_tui.data.errors import ConflictError, StoreError
from pmo_tui.data.models import Action, Objective, Rag
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)


def session(
    path: str,
    number: int,
    seconds: float,
    counter_id: int,
    meeting_id: int,
    out: multiprocessing.Queue,
) -> None:  # type: ignore[type-arg]
    rng = random.Random(number)
    user = f"soak-{number}"
    done: list[tuple[str, int]] = []  # (entity, id) of every edit that succeeded
    conflicts = locked = other = increments = 0
    latencies: list[float] = []
    with Store(path, user=user) as store:
        store.meeting_id = meeting_id
        me = store.presence.join(meeting_id).id
        projects = [row.project.id for row in store.portfolio.portfolio()]
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            kind = rng.choice(("rag", "decision", "action", "redate", "notes", "counter", "beat"))
            began = time.perf_counter()
            try:
                if kind == "rag":
                    project = rng.choice(projects)
                    row = next(
                        r
                        for r in store.portfolio.status_board(meeting_id)
                        if r.project.id == project
                    )
                    report = store.portfolio.set_status(
                        meeting_id, project, row.current, overall=rng.choice(list(Rag))
                    )
                    done.append(("status_reports", report.id))
                elif kind == "decision":
                    done.append(
                        (
                            "decisions",
                            store.decisions.record_decision(meeting_id, f"{user} decides").id,
                        )
                    )
                elif kind == "action":
                    action = store.decisions.add_action(
                        meeting_id, f"{user} acts", user, DAY + timedelta(days=rng.randint(1, 30))
                    )
                    done.append(("actions", action.id))
                elif kind == "redate":
                    actions = store.decisions.actions(meeting_id)
                    if actions:
                        target = rng.choice(actions)
                        due = DAY + timedelta(days=rng.randint(1, 60))
                        if target.due_on != due:
                            store.db.update(Action, target.id, target.version, due_on=due)
                            done.append(("actions", target.id))
                elif kind == "notes":
                    item = rng.choice(store.meetings.agenda(meeting_id))
                    store.meetings.set_notes(item.id, item.version, f"{item.notes}\n{user}".strip())
                    done.append(("agenda_items", item.id))
                elif kind == "counter":
                    with store.db.transaction():
                        counter = store.get(Objective, counter_id)
                        store.db.update(
                            Objective, counter_id, counter.version, weight=counter.weight + 1
                        )
                    increments += 1
                    done.append(("objectives", counter_id))
                else:
                    store.presence.beat(me, meeting_id, rng.randint(0, 6))
            except ConflictError:
                conflicts += 1  # the app shows these and lets the user re-apply
            except StoreError as error:
                if "locked" in str(error):
                    locked += 1
                else:
                    other += 1
            latencies.append(time.perf_counter() - began)
        store.presence.leave(me)
    out.put(
        json.dumps(
            {
                "user": user,
                "done": done,
                "conflicts": conflicts,
                "locked": locked,
                "other": other,
                "increments": increments,
                "latencies": latencies,
            }
        )
    )


def watcher(path: str, seconds: float, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """A peer that polls PRAGMA data_version every 0.25 s, as the app does, while a writer
    in another process commits at random moments: how long until a commit is noticed."""
    commits = multiprocessing.Manager().list()

    def write() -> None:
        rng = random.Random(99)
        with Store(path, user="writer") as writer:
            me = writer.presence.join().id
            end = time.monotonic() + seconds - 1
            while time.monotonic() < end:
                time.sleep(rng.uniform(0.3, 1.2))
                writer.presence.beat(me, None, None)
                commits.append(time.monotonic())

    writing = multiprocessing.Process(target=write)
    seen_at: list[float] = []
    with Store(path, user="watcher") as watch:
        writing.start()
        version = watch.presence.data_version()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.25)
            now_version = watch.presence.data_version()
            if now_version != version:
                version = now_version
                seen_at.append(time.monotonic())
        writing.join()
    delays = []
    for committed in commits:
        later = [t for t in seen_at if t >= committed]
        if later:
            delays.append(later[0] - committed)
    out.put(json.dumps({"delays": delays or [0.0]}))


def run(sessions: int, seconds: float) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "soak.db", DAY)
        with Store(path) as store:
            meeting = store.meetings.meetings()[0].meeting
            store.meetings.start_meeting(meeting.id)
            counter = store.db.add(Objective(name="soak counter", weight=0))
        queue: multiprocessing.Queue[str] = multiprocessing.Queue()
        workers = [
            multiprocessing.Process(
                target=session, args=(str(path), n, seconds, counter.id, meeting.id, queue)
            )
            for n in range(sessions)
        ]
        watching = multiprocessing.Process(target=watcher, args=(str(path), seconds, queue))
        for process in (*workers, watching):
            process.start()
        results = [json.loads(queue.get(timeout=seconds + 120)) for _ in range(sessions + 1)]
        for process in (*workers, watching):
            process.join()
        reports = [r for r in results if "user" in r]
        delays = next(r["delays"] for r in results if "delays" in r)
        with Store(path, read_only=True) as store:
            problems = store.integrity_problems()
            chain = store.audit.verify_chain()
            if chain.broken is not None:
                problems.append(chain.problem)
            final = store.get(Objective, counter.id).weight
            missing = 0
            for report in reports:
                for entity, record_id in report["done"]:
                    row = store.db.conn.execute(
                        "select 1 from events where user = ? and entity = ? and entity_id = ?"
                        " limit 1",
                        (report["user"], entity, record_id),
                    ).fetchone()
                    missing += row is None
        edits = sum(len(r["done"]) for r in reports)
        latencies = sorted(x for r in reports for x in r["latencies"])
        increments = sum(r["increments"] for r in reports)
        locked = sum(r["locked"] for r in reports)
        other = sum(r["other"] for r in reports)
        ok = not problems and not missing and final == increments and not locked and not other
        p99 = latencies[int(len(latencies) * 0.99)] if latencies else 0.0
        return (
            f"N={sessions:<3} {edits:>6} edits in {seconds:.0f} s ({edits / seconds:,.0f}/s), "
            f"{sum(r['conflicts'] for r in reports)} conflicts reported, {locked} locked, "
            f"{other} other errors, {missing} lost; counter {final:.0f}/{increments}; "
            f"edit p50 {statistics.median(latencies) * 1000:.1f} ms p99 {p99 * 1000:.1f} ms; "
            f"peer sees a commit after {statistics.median(delays) * 1000:.0f} ms median, "
            f"{max(delays) * 1000:.0f} ms worst; integrity and audit chain "
            f"{'ok' if not problems else problems[0]} -> {'PASS' if ok else 'FAIL'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, nargs="+", default=[2, 5, 10])
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    lines = [run(n, args.seconds) for n in args.sessions]
    for line in lines:
        print(line)
    return 0 if all(line.endswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
