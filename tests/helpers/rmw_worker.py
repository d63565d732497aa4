"""Run N read-modify-write edits on one row from its own process; print a one-line report."""

from __future__ import annotations

import sys

from pmo_tui.data.errors import StoreError
from pmo_tui.data.models import Objective
from pmo_tui.data.store import Store


def main(path: str, objective_id: int, edits: int) -> int:
    errors: list[str] = []
    with Store(path, user=f"worker-{objective_id}-{edits}") as store:
        for _ in range(edits):
            try:
                with store.db.transaction():
                    current = store.get(Objective, objective_id)
                    store.db.update(
                        Objective, objective_id, current.version, weight=current.weight + 1
                    )
            except StoreError as error:
                errors.append(str(error))
    print(f"done {edits - len(errors)} errors {len(errors)}")
    for error in errors[:3]:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
