"""Two sessions on one file, their edits interleaved in every order Hypothesis finds:
no update is lost, a stale one is refused, versions only rise, the audit trail has one
event per change (and its chain holds), and codes never repeat."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pmo_tui.data.errors import ConflictError
from pmo_tui.data.models import Objective, Person
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock

SESSIONS = st.sampled_from([0, 1])


class TwoSessions(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        path = Path(self.folder.name) / "shared.db"
        self.stores = [
            Store(path, create=True, user="ann", clock=fixed_clock),
            Store(path, user="bo", clock=fixed_clock),
        ]
        # The model: what the file must hold, and what each session last read.
        self.weight: dict[int, int] = {}
        self.version: dict[int, int] = {}
        self.seen: list[dict[int, int]] = [{}, {}]  # id -> version each session read
        self.updates: dict[int, int] = {}
        self.codes: list[str] = []

    @rule(session=SESSIONS, name=st.text(min_size=1, max_size=12).filter(str.strip))
    def add_objective(self, session: int, name: str) -> None:
        number = len(self.weight)
        added = self.stores[session].db.add(Objective(name=f"{name.strip()} {number}", weight=0))
        self.weight[added.id] = 0
        self.version[added.id] = 1
        self.updates[added.id] = 0
        self.codes.append(added.code)

    @rule(session=SESSIONS, data=st.data())
    @precondition(lambda self: bool(self.weight))
    def read(self, session: int, data: st.DataObject) -> None:
        record_id = data.draw(st.sampled_from(sorted(self.weight)))
        current = self.stores[session].get(Objective, record_id)
        assert current.weight == self.weight[record_id]  # the other session's edit is seen
        self.seen[session][record_id] = current.version

    @rule(session=SESSIONS, data=st.data(), amount=st.integers(1, 5))
    @precondition(lambda self: any(self.seen))
    def add_to_weight(self, session: int, data: st.DataObject, amount: int) -> None:
        if not self.seen[session]:
            return
        record_id = data.draw(st.sampled_from(sorted(self.seen[session])))
        read_at = self.seen[session][record_id]
        store = self.stores[session]
        try:
            saved = store.db.update(
                Objective, record_id, read_at, weight=self.weight[record_id] + amount
            )
        except ConflictError:
            assert read_at != self.version[record_id]  # refused only when really stale
            return
        assert read_at == self.version[record_id]  # accepted only when current
        assert saved.version == read_at + 1
        self.weight[record_id] += amount
        self.version[record_id] = saved.version
        self.updates[record_id] += 1
        self.seen[session][record_id] = saved.version

    @rule(session=SESSIONS)
    def add_person(self, session: int) -> None:
        person = self.stores[session].db.add(Person(name=f"Person {len(self.codes)}"))
        self.codes.append(person.code)

    @invariant()
    def the_file_matches_the_model(self) -> None:
        store = self.stores[0]
        for record_id, weight in self.weight.items():
            current = store.get(Objective, record_id)
            assert (current.weight, current.version) == (weight, self.version[record_id])
            events = [e for e in store.events(current, limit=10_000) if e.field == "weight"]
            assert len(events) == self.updates[record_id]
        assert len(set(self.codes)) == len(self.codes)

    def teardown(self) -> None:
        try:
            assert self.stores[1].audit.verify_chain().broken is None
            assert self.stores[0].integrity_problems() == []
        finally:
            for store in self.stores:
                store.close()
            self.folder.cleanup()


TwoSessions.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
test_two_sessions_interleaved = TwoSessions.TestCase
