"""A project asked for by part of its name: the one project that has it, or one sentence
naming the candidates; never "type its code" when the name would do."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import Person, Project
from pmo_tui.data.sqlite import sqlite3
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock


def test_part_of_a_name_finds_the_one_project_with_it(demo_store: Store) -> None:
    portal = demo_store.portfolio.project_called("P-1")
    assert demo_store.portfolio.project_called(portal.name.upper()) == portal
    assert demo_store.portfolio.project_called("portal relaunch") == portal
    assert demo_store.portfolio.project_id_for("  ") is None


def test_a_part_several_projects_have_names_them_and_nothing_matches_says_so(
    demo_store: Store,
) -> None:
    with pytest.raises(InvalidInputError, match=r"“e” is in P-\d+ .*and more: type more"):
        demo_store.portfolio.project_called("e")
    with pytest.raises(InvalidInputError, match="No project's code or name has “zzz”"):
        demo_store.portfolio.project_called("zzz")
    # Wildcards are letters here, not patterns.
    with pytest.raises(InvalidInputError, match="No project"):
        demo_store.portfolio.project_called("%_")


def test_names_and_labels_kept_between_reads_follow_every_write(demo_path: Path) -> None:
    """Project labels and people's names are kept between refreshes (2,000 projects cost
    5 ms a key to read again, 8,000 four times that) and read again after any content
    write: this session's, another session's, or a script's outside pmo; never a write
    that was rolled back."""
    with Store(demo_path, clock=fixed_clock) as store, Store(demo_path, clock=fixed_clock) as peer:
        project = store.portfolio.project_called("P-1")
        assert store.portfolio.project_labels()[project.id] == f"P-1 {project.name}"
        store.db.update(Project, project.id, project.version, name="Portal renamed here")
        assert store.portfolio.project_labels()[project.id] == "P-1 Portal renamed here"
        again = peer.get(Project, project.id)
        peer.db.update(Project, again.id, again.version, name="Portal renamed by a peer")
        assert store.portfolio.project_labels()[project.id] == "P-1 Portal renamed by a peer"
        outside = sqlite3.connect(demo_path)
        outside.execute(
            "update projects set name = 'Portal renamed by a script' where id = ?", (project.id,)
        )
        outside.commit()
        outside.close()
        assert store.portfolio.project_labels()[project.id] == "P-1 Portal renamed by a script"
        person = store.portfolio.people()[0]
        with pytest.raises(RuntimeError), store.db.transaction():
            store.db.update(Person, person.id, person.version, name="Never saved")
            assert store.portfolio.names()[person.id] == "Never saved"  # inside: as written
            raise RuntimeError("rolled back")
        assert store.portfolio.names()[person.id] == person.name


def test_labels_of_some_projects_are_those_of_all(demo_store: Store) -> None:
    """A list of 100 rows asks for its projects' labels only: the same labels, none
    more, and an id that is no project is simply absent."""
    every = demo_store.portfolio.project_labels()
    some = sorted(every)[:3]
    assert demo_store.portfolio.labels_of([*some, some[0], 10**9]) == {
        pid: every[pid] for pid in some
    }
    assert demo_store.portfolio.labels_of([]) == {}
