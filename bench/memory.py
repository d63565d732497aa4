"""Peak memory of the app alone on a portfolio file: a fresh process opens the home screen,
the live meeting and every agenda step, then prints its peak resident set.

    python bench/memory.py PATH
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
from pathlib import Path

from common import clock

from pmo_tui.app import make_app
from pmo_tui.collector import settle_collector
from pmo_tui.screens.meeting import MeetingScreen


async def visit_everything(path: Path) -> None:
    settle_collector()  # as the pmo command does before it runs the app
    app = make_app(path, user="memory", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(app.store.meetings.meetings()[0].meeting.id)
        while not isinstance(app.screen, MeetingScreen):
            if app.screen.__class__.__name__ == "SinceLastScreen":
                await pilot.press("enter")
            await pilot.pause()
        for _ in app.screen.agenda:
            await pilot.press("right_square_bracket")
            await pilot.pause()


def peak_megabytes(path: Path) -> float:
    """Run the visit in a child process (this one's own peak would count the builder)."""
    result = subprocess.run(
        [sys.executable, __file__, str(path)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.split()[-1])


if __name__ == "__main__":
    asyncio.run(visit_everything(Path(sys.argv[1])))
    print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
