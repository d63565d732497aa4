"""`pmo publish` into a git-backed wiki: a bare repository on local disk stands for the
server. Two meetings published, one approved, published again: the commits, the pages and
that every relative link resolves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pmo_tui.data.models import Meeting, MeetingState
from pmo_tui.data.store import Store
from tests.conftest import fixed_clock
from tests.helpers.cli import pmo


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    """A clone of an empty bare repository named like a docs wiki (links to files)."""
    server = tmp_path / "server" / "pmo-docs.git"
    server.parent.mkdir()
    subprocess.run(["git", "init", "--quiet", "--bare", str(server)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(server), str(tmp_path / "wiki")], check=True)
    git(tmp_path / "wiki", "config", "user.email", "pmo-lead@example.org")
    return tmp_path / "wiki"


def links_resolve(folder: Path, files: bool = True) -> list[str]:
    """Every relative link in every page, and whether its target is in the folder."""
    broken = []
    for page in folder.glob("*.md"):
        for target in re.findall(r"\]\(([^)]+)\)", page.read_text()):
            name = target if files else f"{target}.md"
            if not (folder / name).is_file():
                broken.append(f"{page.name} -> {target}")
    return broken


def closed_meetings(path: Path) -> list[Meeting]:
    with Store(path, clock=fixed_clock) as store:
        return sorted(
            (
                r.meeting
                for r in store.meetings.meetings()
                if r.meeting.state is MeetingState.CLOSED
            ),
            key=lambda m: m.id,
        )


def test_publish_two_meetings_approve_one_and_publish_again(tmp_path: Path, wiki: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first, second = closed_meetings(tmp_path / "d.db")[:2]

    done = pmo("--db", "d.db", "publish", first.code, "--wiki", str(wiki), "--push", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pushed" in done.stdout
    # Remembered: the second needs no --wiki.
    done = pmo("--db", "d.db", "publish", second.code, "--push", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pages = sorted(p.name for p in wiki.glob("*.md"))
    assert "Meetings.md" in pages and "Open-actions.md" in pages
    assert f"Minutes-{first.code}-{first.scheduled_on.isoformat()}.md" in pages
    index = (wiki / "Meetings.md").read_text()
    assert index.index(second.code) < index.index(first.code)  # newest first
    assert links_resolve(wiki) == []
    assert "<" not in index and "<br>" not in (wiki / "Open-actions.md").read_text()
    log = git(wiki, "log", "--format=%an|%ae|%s")
    assert len(log.splitlines()) == 2 and log.splitlines()[0].split("|")[0] != ""
    server = tmp_path / "server" / "pmo-docs.git"
    assert git(wiki, "rev-parse", "HEAD") == git(server, "rev-parse", "HEAD")  # pushed

    # Again, nothing changed: no commit.
    again = pmo("--db", "d.db", "publish", second.code, cwd=tmp_path)
    assert again.returncode == 0 and "nothing to commit" in again.stdout
    assert len(git(wiki, "log", "--oneline").splitlines()) == 2

    # Approved: the pages change (stamp, index state), one more commit, and the published
    # copy checks out against the portfolio.
    assert pmo("--db", "d.db", "minutes", "circulate", second.code, cwd=tmp_path).returncode == 0
    approved = pmo(
        "--db", "d.db", "minutes", "approve", second.code, "--by", "Grace Okafor", cwd=tmp_path
    )
    assert approved.returncode == 0, approved.stderr
    done = pmo("--db", "d.db", "publish", second.code, "--push", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(git(wiki, "log", "--oneline").splitlines()) == 3
    assert "minutes approved" in (wiki / "Meetings.md").read_text()
    page = wiki / f"Minutes-{second.code}-{second.scheduled_on.isoformat()}.md"
    checked = pmo("--db", "d.db", "verify", "--minutes", str(page), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert links_resolve(wiki) == []


def test_a_wiki_served_by_page_name_gets_links_without_the_extension(tmp_path: Path) -> None:
    server = tmp_path / "pmo.wiki.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(server)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(server), str(tmp_path / "w")], check=True)
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first = closed_meetings(tmp_path / "d.db")[0]
    done = pmo("--db", "d.db", "publish", first.code, "--wiki", "w", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pages links" in done.stdout
    assert links_resolve(tmp_path / "w", files=False) == []


def test_publishing_refuses_in_one_sentence_and_writes_nothing(tmp_path: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    first = closed_meetings(tmp_path / "d.db")[0]
    refused = pmo("--db", "d.db", "publish", first.code, "--wiki", str(plain), cwd=tmp_path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "is not a git working copy" in refused.stderr and list(plain.iterdir()) == []
    live = pmo("--db", "d.db", "publish", "M-3", "--wiki", str(plain), cwd=tmp_path)
    assert live.returncode == 1 and "closed" in live.stderr
    nowhere = pmo("--db", "d.db", "publish", first.code, cwd=tmp_path)
    assert nowhere.returncode == 1 and "--wiki DIR" in nowhere.stderr


async def test_wrap_up_offers_publishing_a_closed_meeting(tmp_path: Path, wiki: Path) -> None:
    from pmo_tui.app import make_app
    from pmo_tui.data.demo import build_demo
    from pmo_tui.data.models import AgendaStep
    from pmo_tui.widgets.form import FormDialog
    from tests.conftest import DEMO_DAY
    from tests.helpers.meeting import at_step, fill_form, wait_until
    from tests.ui.test_ui_live import open_meeting

    path = build_demo(tmp_path / "d.db", DEMO_DAY)
    meeting_id = at_step(path, AgendaStep.WRAP_UP)
    with Store(path, clock=fixed_clock) as store:
        store.records.close_meeting(meeting_id)
    app = make_app(path, user="pmo-lead", clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(pilot)
        await pilot.press("W")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
        await fill_form(pilot, wiki=str(wiki))  # and push, as offered
        await app.workers.wait_for_complete()
        await wait_until(
            pilot, lambda: any("Published to" in n.message for n in app._notifications), 20
        )
    assert git(wiki, "log", "--format=%an").splitlines() == ["pmo-lead"]
    with Store(path) as store:
        assert store.meetings.wiki_folder() == str(wiki.resolve())


def test_a_planted_link_in_the_wiki_is_never_followed(tmp_path: Path, wiki: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first = closed_meetings(tmp_path / "d.db")[0]
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("mine\n")
    (wiki / "Meetings.md").symlink_to(elsewhere)
    refused = pmo("--db", "d.db", "publish", first.code, "--wiki", str(wiki), cwd=tmp_path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert elsewhere.read_text() == "mine\n"
    assert sorted(p.name for p in wiki.iterdir() if p.name != ".git") == ["Meetings.md"]
    assert git(wiki, "log", "--oneline", "--all") == ""  # nothing committed


def test_a_failed_push_is_pushed_by_publishing_again(tmp_path: Path, wiki: Path) -> None:
    """The failure said "publish again with --push"; doing so said "nothing to commit"
    and left the commit unpushed."""
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first = closed_meetings(tmp_path / "d.db")[0]
    server = tmp_path / "server" / "pmo-docs.git"
    hook = server / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'REJECTED by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    failed = pmo("--db", "d.db", "publish", first.code, "--wiki", str(wiki), "--push", cwd=tmp_path)
    assert failed.returncode == 1 and "REJECTED by policy" in failed.stderr
    assert "publish again with --push" in failed.stderr
    hook.unlink()
    again = pmo("--db", "d.db", "publish", first.code, "--push", cwd=tmp_path)
    assert again.returncode == 0 and "pushed" in again.stdout, again.stdout + again.stderr
    assert git(wiki, "rev-parse", "HEAD") == git(server, "rev-parse", "HEAD")


def test_pages_edited_by_hand_are_not_overwritten(tmp_path: Path, wiki: Path) -> None:
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first = closed_meetings(tmp_path / "d.db")[0]
    assert (
        pmo("--db", "d.db", "publish", first.code, "--wiki", str(wiki), cwd=tmp_path).returncode
        == 0
    )
    page = wiki / "Open-actions.md"
    page.write_text(page.read_text() + "\nA note of mine\n")
    refused = pmo("--db", "d.db", "publish", first.code, cwd=tmp_path)
    assert refused.returncode == 1 and "Open-actions.md" in refused.stderr
    assert "A note of mine" in page.read_text()


def test_a_remote_with_spaces_in_its_path_is_still_recognised(tmp_path: Path) -> None:
    server = tmp_path / "server dir ✓" / "team wiki.wiki.git"
    server.parent.mkdir()
    subprocess.run(["git", "init", "--quiet", "--bare", str(server)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(server), str(tmp_path / "Équipe ✓")], check=True)
    assert pmo("init", "--demo", "d.db", cwd=tmp_path).returncode == 0
    first = closed_meetings(tmp_path / "d.db")[0]
    done = pmo("--db", "d.db", "publish", first.code, "--wiki", "Équipe ✓", cwd=tmp_path)
    assert done.returncode == 0 and "pages links" in done.stdout, done.stdout + done.stderr
