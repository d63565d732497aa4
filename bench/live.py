"""A live meeting as a distributed team has it: N real `pmo` processes, each in its own
pseudo-terminal (or over `ssh HOST`, as the team does), one driving. Measures how long the
driver's step and cursor take to show on each follower's screen (from the key sent to
the follower's terminal receiving the new screen), and what an idle session costs in CPU
beside a bare Textual app idle in the same run (the floor).

    python bench/live.py [--sessions 5] [--rounds 12] [--idle 30] [--ssh localhost]

Over ssh, HOST must accept key login for this user and see this folder (localhost does);
each session runs `env USER=... pmo` there. Prints figures for the README / issue note.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pmo_tui.data.models import Meeting
from pmo_tui.data.store import Store
from tests.helpers.terminal import _ANSI, Terminal

PMO = shutil.which("pmo") or "pmo"
ENV = {
    **os.environ,
    "TERM": "xterm-256color",
    "TEXTUAL_ANIMATIONS": "none",
}
CARD = re.compile(r"(R-\d+)  (risk|issue|assumption|dependency|opportunity)  ")


def launch(folder: Path, user: str, ssh: str | None, argv: list[str] | None = None) -> Terminal:
    command = argv or [PMO, "--db", "team.db"]
    if ssh:
        remote = (
            f"cd {shlex.quote(str(folder))} && env USER={user} LOGNAME={user} "
            f"TERM=xterm-256color TEXTUAL_ANIMATIONS=none {shlex.join(command)}"
        )
        command = ["ssh", "-tt", "-o", "BatchMode=yes", ssh, remote]
    return Terminal(command, {**ENV, "USER": user, "LOGNAME": user}, str(folder))


def new_text(terminal: Terminal, mark: int) -> str:
    terminal.drain()
    return _ANSI.sub("", terminal.raw[mark:].decode("utf-8", "replace"))


def pump(terminals: list[Terminal], seconds: float) -> None:
    """Read every terminal for ``seconds`` (an app whose output nobody reads blocks)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([t.master for t in terminals], [], [], min(left, 0.05))
        for terminal in terminals:
            terminal.drain()


def until_shown(
    terminals: list[Terminal], marks: list[int], needle: str, sent: float
) -> list[float]:
    """Seconds from ``sent`` until each terminal received ``needle`` (after its mark)."""
    found: dict[int, float] = {}
    deadline = sent + 10
    while len(found) < len(terminals):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{needle!r} did not reach every follower in 10 s")
        select.select([t.master for t in terminals], [], [], 0.005)
        for index, terminal in enumerate(terminals):
            if index not in found and needle in new_text(terminal, marks[index]):
                found[index] = time.monotonic() - sent
    return [found[index] for index in range(len(terminals))]


def driver_card(driver: Terminal, mark: int, previous: str) -> str:
    """The RAID item the driver's card shows after a key: its code."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        select.select([driver.master], [], [], 0.005)
        codes = [m.group(1) for m in CARD.finditer(new_text(driver, mark))]
        if codes and codes[-1] != previous:
            return codes[-1]
    raise RuntimeError("the driver's card did not move")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def processes_in(folder: Path, name: str) -> list[int]:
    """The processes (here or, over ssh to localhost, started by sshd) running ``name``
    in ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if cwd == str(folder) and any(name.encode() in part for part in cmdline[:2]):
            found.append(int(entry.name))
    return found


def figure(name: str, values: list[float]) -> None:
    values = sorted(values)
    print(
        f"{name}: median {statistics.median(values) * 1000:.0f} ms, "
        f"90th {values[int(len(values) * 0.9) - 1] * 1000:.0f} ms, "
        f"worst {values[-1] * 1000:.0f} ms ({len(values)} samples)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--idle", type=float, default=30)
    parser.add_argument("--ssh", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pmo-live-")).resolve()
    folder.chmod(0o755)
    subprocess.run([PMO, "init", "--demo", "team.db"], cwd=folder, check=True)
    users = ["alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi"]
    terminals: list[Terminal] = []
    try:
        for user in users[: args.sessions]:
            terminal = launch(folder, user, args.ssh)
            terminals.append(terminal)
            terminal.wait_for("Online Onboarding")
            terminal.send("s")  # start the meeting (the first), join it (the others)
            terminal.wait_for("What changed since the last meeting")
            terminal.send("\r")
            terminal.wait_for("1. Previous actions")
        driver, followers = terminals[0], terminals[1:]
        pump(terminals, 2)
        with Store(folder / "team.db", read_only=True) as store:
            meeting = next(m for m in store.all(Meeting) if m.state.value == "live")
            agenda = store.meetings.agenda(meeting.id)
        where = "over ssh to " + args.ssh if args.ssh else "in local pseudo-terminals"
        print(f"{args.sessions} sessions {where}, one driving; {args.rounds} rounds")

        steps: list[float] = []
        for index in (1, 2):  # to Status, then to RAID triage
            marks = [len(t.raw) for t in followers]
            sent = time.monotonic()
            driver.send("]")
            steps += until_shown(followers, marks, f"{index + 1}. {agenda[index].title}", sent)
            pump(terminals, 1)
        figure("step change on every follower's screen", steps)

        cursor: list[float] = []
        shown = ""
        for _ in range(args.rounds):
            marks = [len(t.raw) for t in followers]
            mark = len(driver.raw)
            sent = time.monotonic()
            driver.send("j")
            shown = driver_card(driver, mark, shown)
            cursor += until_shown(followers, marks, f"{shown}  ", sent)
            pump(terminals, 0.5)
        figure("cursor (RAID card) on every follower's screen", cursor)

        pump(terminals, 3)
        pids = processes_in(folder, "pmo")
        bare = [sys.executable, str(Path(__file__).with_name("bare_idle.py"))]
        floor = launch(folder, "floor", None, bare)
        terminals.append(floor)
        floor.wait_for("cell 1")
        pump(terminals, 2)
        floor_pid = [floor.process.pid]
        before, floor_before = cpu_seconds(pids), cpu_seconds(floor_pid)
        pump(terminals, args.idle)
        after, floor_after = cpu_seconds(pids), cpu_seconds(floor_pid)
        shares = sorted((after[p] - before[p]) / args.idle * 100 for p in pids)
        floor_share = (floor_after[floor_pid[0]] - floor_before[floor_pid[0]]) / args.idle * 100
        print(
            f"idle CPU over {args.idle:.0f} s, {len(pids)} pmo processes: "
            + ", ".join(f"{share:.2f} %" for share in shares)
            + f" of a core (median {statistics.median(shares):.2f} %); "
            f"floor, a bare Textual app idle: {floor_share:.2f} %"
        )
    finally:
        for terminal in terminals:
            terminal.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
