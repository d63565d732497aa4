"""A project asked for by part of its name: the one project that has it, or one sentence
naming the candidates; never "type its code" when the name would do."""

from __future__ import annotations

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.store import Store


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
