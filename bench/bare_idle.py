"""The idle floor for bench/live.py: the bare app of bench/bare.py, run as a process."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare import Bare

if __name__ == "__main__":
    Bare().run()
