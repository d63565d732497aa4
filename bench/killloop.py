"""The long form of the crash test: a scripted meeting killed many times at random
moments, alternately by SIGKILL and SIGHUP, on one file; then every decision the app had
shown is looked for in it, the file's integrity and audit chain are checked, and the
meeting must still be live. Prints the figures for the README / issue note.

    python bench/killloop.py [--kills 60] [--seed 12]
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import MeetingState
from pmo_tui.data.store import Store
from tests.helpers.crash import kill_round, shown_decisions_kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "kill.db", date(2026, 11, 26))
        with Store(path) as store:
            meeting = store.meetings.meetings()[0].meeting
            store.meetings.start_meeting(meeting.id)
        began = time.perf_counter()
        rounds = []
        for number in range(args.kills):
            sig = (signal.SIGKILL, signal.SIGHUP)[number % 2]
            rounds.append(kill_round(path, 1000 * number, sig, rng, within=1.5))
        shown, missing = shown_decisions_kept(path, rounds)
        with Store(path) as store:
            integrity = store.integrity_problems()
            chain = store.audit.verify_chain()
            live = store.get(type(meeting), meeting.id).state is MeetingState.LIVE
    hups = [one for one in rounds if one.signal == signal.SIGHUP]
    kills = len(rounds) - len(hups)
    print(f"kills survived:        {len(rounds)} ({kills} SIGKILL, {len(hups)} SIGHUP)")
    print(f"edits shown, checked:  {shown}")
    print(f"edits lost:            {len(missing)} {missing[:10]}")
    print(f"integrity check:       {'ok' if not integrity else integrity[:3]}")
    print(f"audit chain:           {'intact' if chain.broken is None else chain.problem}")
    print(f"events in the chain:   {chain.events:,}")
    print(f"meeting still live:    {live}")
    print(f"clean exits on SIGHUP: {sum(one.exit_code == 0 for one in hups)} of {len(hups)}")
    print(f"time:                  {time.perf_counter() - began:.0f} s")
    if missing or integrity or chain.broken is not None or not live:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
