"""Killed mid-meeting, nothing the app showed as done is lost (the long form, with many
kills, is bench/killloop.py)."""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from pmo_tui.data.models import MeetingState
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
from tests.helpers.crash import kill_round, shown_decisions_kept

ROUNDS = 3


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_a_meeting_killed_at_random_moments_keeps_every_shown_edit(
    demo_path: Path, sig: int
) -> None:
    with Store(demo_path, clock=fixed_clock) as store:
        meeting = store.meetings.meetings()[0].meeting
        store.meetings.start_meeting(meeting.id)
        store.meetings.go_to_step(meeting.id, 1)
    rng = random.Random(sig)
    rounds = [kill_round(demo_path, 1000 * n, sig, rng, within=0.8) for n in range(ROUNDS)]
    shown, missing = shown_decisions_kept(demo_path, rounds)
    assert shown >= ROUNDS and missing == []
    with Store(demo_path, clock=fixed_clock) as store:
        assert store.integrity_problems() == []
        assert store.audit.verify_chain().broken is None
        resumed = store.get(type(meeting), meeting.id)
        assert resumed.state is MeetingState.LIVE and resumed.current_step == 1
        if sig == signal.SIGHUP:
            # A hang-up is a clean exit: each session left the presence list.
            assert all(one.exit_code == 0 for one in rounds)
            assert store.presence.present(meeting.id) == []
        else:
            assert all(one.exit_code == -signal.SIGKILL for one in rounds)
