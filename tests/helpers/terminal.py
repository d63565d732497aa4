"""Run a command in a pseudo-terminal, as a user would, and read its screen output."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress

_ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>]")


class Terminal:
    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        cwd: str,
        size: tuple[int, int] = (120, 40),
    ) -> None:
        master, slave = os.openpty()
        columns, lines = size
        os.set_blocking(master, False)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.master = master
        # COLUMNS and LINES win over the terminal's own size in Textual; pytest-xdist's
        # workers have them set (80x24), which hid the sidebar the tests read.
        clean = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=clean,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.raw = b""

    @property
    def text(self) -> str:
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            with suppress(OSError):  # the child closed the terminal
                self.raw += os.read(self.master, 65536)

    def mark(self) -> int:
        """Where the output stands now: ``wait_for(..., since=mark)`` looks only after it."""
        self._read(0)
        return len(self.raw)

    def text_since(self, mark: int) -> str:
        return _ANSI.sub("", self.raw[mark:].decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 20.0, since: int = 0) -> str:
        """Read output until ``needle`` appears (after ``since``, a ``mark``), or fail
        after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while needle not in (self.text_since(since) if since else self.text):
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} did not appear; output:\n{self.text[-3000:]}")
            if self.process.poll() is not None:
                self._read(0)
                if needle in (self.text_since(since) if since else self.text):
                    break
                raise AssertionError(f"exited before {needle!r}; output:\n{self.text[-3000:]}")
            self._read(0.1)
        return self.text

    def drain(self) -> None:
        """Read what the app wrote: an app whose output nobody reads blocks on its writes."""
        self._read(0)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"did not exit; output:\n{self.text[-3000:]}")
            self._read(0.1)
        self._read(0)
        return self.process.returncode

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=20)

    def close(self) -> None:
        self.kill()
        os.close(self.master)
