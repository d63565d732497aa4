"""Several processes on one file is the normal case: no lost update, no "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pmo_tui.data.models import Objective
from pmo_tui.data.store import Store

WORKER = Path(__file__).parent.parent / "helpers" / "rmw_worker.py"


def test_two_processes_doing_1000_read_modify_writes_each_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Store(path, create=True) as store:
        counter = store.db.add(Objective(name="counter", weight=0))
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(path), str(counter.id), "1000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    reports = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], reports
    assert all("errors 0" in report for report in reports), reports
    with Store(path) as store:
        final = store.get(Objective, counter.id)
        assert final.weight == 2000
        assert final.version == 2001
        updates = [event for event in store.events(final, limit=5000) if event.field == "weight"]
        assert len(updates) == 2000
        assert store.integrity_problems() == []


def test_two_processes_creating_a_new_file_at_once_both_open_it(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    script = (
        "import sys; from pmo_tui.data.store import Store; "
        "s = Store(sys.argv[1], create=True); print(s.schema_version()); s.close()"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    with Store(path) as store:
        assert store.integrity_problems() == []
        assert store.row_counts()["projects"] == 0
