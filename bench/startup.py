"""Time from launching a process to the home screen being interactive, on the demo file.

    python bench/startup.py [--runs 10]

Each run is a fresh Python process (imports included, as a user pays them), headless, on
a copy of the demo portfolio. Prints the median and the worst, plus a bare Textual app
with one DataTable of the same size as the floor to compare against.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pmo_tui

CHILD = r"""
import sys, time
start = time.perf_counter()
kind, path = sys.argv[1], sys.argv[2]
rows = [int(count) for count in (sys.argv[3] if len(sys.argv) > 3 else "24").split(",")]
if kind == "pmo":
    import pmo_tui.cli  # what the `pmo` command imports before the app
    from pmo_tui.app import make_app
    app = make_app(path)
else:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self):
            yield Header()
            for _ in rows:
                yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            for table, count in zip(self.query(DataTable), rows):
                table.add_columns(*"ABCDEFGHI")
                for row in range(count):
                    table.add_row(*[f"cell {row}" for _ in range(9)])

    app = Bare()

async def ready(pilot):
    await pilot.pause()
    print(f"ready {time.perf_counter() - start:.4f}", flush=True)
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=ready)
"""


def one_run(kind: str, path: Path, rows: str = "24") -> tuple[float, float]:
    """(wall seconds from spawn to ready, seconds inside the process after start-up);
    ``rows`` sizes the bare app's tables ("2000,300": two tables)."""
    # An installed package has its bytecode compiled by pip; a checkout run with
    # PYTHONDONTWRITEBYTECODE (as this workplace sets) would compile every module on every
    # launch and add ~90 ms that no user pays.
    compileall.compile_dir(Path(pmo_tui.__file__).parent, quiet=1)
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, str(path), rows], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready"):
            wall = time.perf_counter() - began
            inside = float(line.split()[1])
            break
    else:
        raise SystemExit(f"{kind} never became ready")
    process.wait()
    return wall, inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from pmo_tui.data.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        path = build_demo(Path(folder) / "demo.db", date(2026, 11, 26))
        print(f"{'app':<12}{'median s':>10}{'worst s':>10}{'in-process median s':>22}")
        results = {}
        for kind in ("bare", "pmo"):
            runs = [one_run(kind, path) for _ in range(args.runs)]
            walls = [wall for wall, _ in runs]
            inside = [value for _, value in runs]
            results[kind] = statistics.median(walls)
            print(
                f"{kind:<12}{statistics.median(walls):>10.3f}{max(walls):>10.3f}"
                f"{statistics.median(inside):>22.3f}"
            )
        print(f"pmo / bare Textual app: {results['pmo'] / results['bare']:.2f}x")


if __name__ == "__main__":
    main()
