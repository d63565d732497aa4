"""Regenerate docs/home.svg with the app's own screenshot feature (a deterministic demo).

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

DAY = date(2026, 11, 26)


async def main() -> None:
    out = Path(__file__).parent
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        build_demo(Path("demo.db"), DAY)
        app = make_app(Path("demo.db"), clock=lambda: datetime(2026, 11, 26, 9, tzinfo=UTC))
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            app.save_screenshot(filename="home.svg", path=str(out))
    print(out / "home.svg")


if __name__ == "__main__":
    asyncio.run(main())
