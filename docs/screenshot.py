"""Regenerate docs/home.svg and docs/meeting.svg with the app's own screenshot feature,
on a deterministic demo.

python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from pmo_tui.app import make_app
from pmo_tui.data.demo import build_demo
from pmo_tui.data.models import Rag
from pmo_tui.data.store import Store

DAY = date(2026, 11, 26)


async def main() -> None:
    out = Path(__file__).parent
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        build_demo(Path("demo.db"), DAY)
        clock = lambda: datetime(2026, 11, 26, 14, 12, tzinfo=UTC)  # noqa: E731
        app = make_app(Path("demo.db"), clock=clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            app.save_screenshot(filename="home.svg", path=str(out))
        with Store(Path("demo.db"), clock=lambda: datetime(2026, 11, 26, 14, tzinfo=UTC)) as s:
            meeting = s.meetings.meetings()[0].meeting
            s.meetings.start_meeting(meeting.id)
            s.meetings.go_to_step(meeting.id, 1)
            board = s.portfolio.status_board(meeting.id)
            s.portfolio.set_status(
                meeting.id, board[2].project.id, board[2].current, overall=Rag.RED
            )
            s.decisions.record_decision(
                meeting.id, "Fund the recovery plan", "Keeps the date", "P-1"
            )
        app = make_app(Path("demo.db"), clock=clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("m", "enter")
            for _ in range(4):
                await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            app.save_screenshot(filename="meeting.svg", path=str(out))
    print(out / "home.svg", out / "meeting.svg")


if __name__ == "__main__":
    asyncio.run(main())
