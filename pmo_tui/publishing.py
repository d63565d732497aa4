"""`pmo publish`: the minutes of a closed meeting filed into the team's wiki, which is a git
working copy (GitHub, GitLab, Gitea/Forgejo and Azure DevOps wikis are git repositories; a
MkDocs or other docs folder is one too): the minutes page, the index of meetings and the
open actions, in one commit authored by the user, pushed on request. Publishing again
(after approval, say) commits only what changed."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pmo_tui.data.errors import StoreError
from pmo_tui.data.files import check_export_target
from pmo_tui.data.models import Meeting, MeetingState
from pmo_tui.data.store import Store
from pmo_tui.export.files import minutes_document, write_atomically
from pmo_tui.export.wiki import (
    ACTIONS_PAGE,
    INDEX_PAGE,
    LinkStyle,
    index_markdown,
    minutes_page,
    open_actions_markdown,
    page_file,
)

# A push or a commit that waits on a password prompt or a dead server must not hang pmo.
GIT_TIMEOUT = 60

# The portfolio setting that remembers the wiki a portfolio publishes to.
WIKI_SETTING = "wiki"


class PublishError(Exception):
    """One sentence: what stopped the publishing, and what was done before it."""


@dataclass
class Published:
    folder: Path
    pages: list[str] = field(default_factory=list)
    commit: str = ""  # empty: nothing had changed, nothing was committed
    pushed: bool = False
    links: LinkStyle = LinkStyle.FILES


def _git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
            check=False,
        )
    except FileNotFoundError:
        raise PublishError("git is not installed here: publishing needs it.") from None
    except subprocess.TimeoutExpired:
        raise PublishError(f"git {args[0]} did not finish in {GIT_TIMEOUT} s.") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        # The server's own reason ("remote: REJECTED by policy") and git's last word.
        said = [line for line in lines if line.startswith("remote:")][-2:] + lines[-1:]
        raise PublishError(f"git {args[0]}: {' '.join(said) if said else 'failed'}")
    return done.stdout.strip()


def guess_links(folder: Path) -> LinkStyle:
    """Page names for a wiki served by name (its remote ends in ``.wiki.git``: GitHub,
    GitLab and Gitea wikis; or ``.wiki``: Azure DevOps), file names otherwise (a docs
    folder)."""
    try:
        remotes = _git(folder, "config", "--get-regexp", r"^remote\..*\.url$")
    except PublishError:
        return LinkStyle.FILES  # no remote at all
    # "remote.origin.url <url>": the url is all after the first space (it may hold more).
    served_by_name = any(
        line.partition(" ")[2].strip().removesuffix("/").endswith((".wiki.git", ".wiki"))
        for line in remotes.splitlines()
    )
    return LinkStyle.PAGES if served_by_name else LinkStyle.FILES


def _identity(folder: Path, user: str) -> dict[str, str]:
    """The commit is the user's: their pmo name as author, with the email git knows for
    them (else a placeholder), and as committer too when git knows nobody."""
    try:
        email = _git(folder, "config", "user.email")
    except PublishError:
        email = ""
    identity = {"GIT_AUTHOR_NAME": user, "GIT_AUTHOR_EMAIL": email or f"{user}@pmo.invalid"}
    if not email:
        identity |= {"GIT_COMMITTER_NAME": user, "GIT_COMMITTER_EMAIL": f"{user}@pmo.invalid"}
    return identity


def publish(
    store: Store,
    meeting: Meeting,
    folder: Path,
    *,
    push: bool = False,
    links: LinkStyle | None = None,
) -> Published:
    """File ``meeting``'s minutes, the index and the open actions into ``folder`` (in a
    git working copy) and commit them; refuses a meeting that is not closed."""
    if meeting.state is not MeetingState.CLOSED:
        raise PublishError(
            f"{meeting.code} is {meeting.state.value}: its minutes are published once it is "
            "closed (C at wrap-up)."
        )
    if not folder.is_dir():
        raise PublishError(f"{folder} is not a folder: name the wiki's working copy.")
    folder = folder.resolve()
    try:
        _git(folder, "rev-parse", "--show-toplevel")
    except PublishError:
        raise PublishError(
            f"{folder} is not a git working copy: clone the wiki there first "
            "(git clone URL FOLDER); nothing was published."
        ) from None
    style = links or guess_links(folder)
    meetings = {m.meeting.id: m.meeting for m in store.meetings.meetings()}
    published = {
        m.id
        for m in meetings.values()
        if m.state is MeetingState.CLOSED and (folder / page_file(minutes_page(m))).exists()
    } | {meeting.id}
    documents = {
        page_file(minutes_page(meeting)): minutes_document(store, meeting.id),
        page_file(INDEX_PAGE): index_markdown(list(meetings.values()), published, style),
        page_file(ACTIONS_PAGE): open_actions_markdown(
            store.decisions.action_list(open_only=True),
            store.portfolio.names(),
            meetings,
            published,
            style,
        ),
    }
    result = Published(folder=folder, pages=list(documents), links=style)
    # Pages edited by hand and not committed are not overwritten: their words would go.
    edited = _git(folder, "status", "--porcelain", "--", *documents)
    if edited:
        names = ", ".join(line.split(maxsplit=1)[-1] for line in edited.splitlines())
        raise PublishError(
            f"{names} in {folder} changed since the last commit: commit or discard that "
            "first; nothing was published."
        )
    # Every page checked before any is written: a planted link refuses the lot.
    for name in documents:
        try:
            check_export_target(folder / name, store.path)  # never through a link
        except (StoreError, OSError) as error:
            raise PublishError(f"Nothing was published: {error}") from None
    for name, document in documents.items():
        try:
            write_atomically(folder / name, document)
        except OSError as error:
            raise PublishError(
                f"{folder / name} could not be written ({error.strerror or error}); "
                "nothing was committed."
            ) from None
    # Remembered before any push: "publish again with --push" after a failed push then
    # needs no --wiki.
    store.meetings.remember_wiki_folder(str(folder))
    _git(folder, "add", "--", *documents)
    staged = _git(folder, "diff", "--cached", "--name-only", "--", *documents)
    if not staged:
        # Published before, nothing changed since: no empty commit; but a commit whose
        # push failed is pushed now, as the failure said.
        if push:
            _push(folder, result)
        return result
    _git(
        folder,
        "commit",
        "--quiet",
        "-m",
        f"Minutes of {meeting.code} {meeting.title} ({meeting.minutes_state.value})",
        "--",
        *documents,
        env=_identity(folder, store.user),
    )
    result.commit = _git(folder, "rev-parse", "HEAD")
    if push:
        _push(folder, result)
    return result


def _push(folder: Path, result: Published) -> None:
    try:
        _git(folder, "push", "--quiet")
    except PublishError as error:
        committed = f"Committed {result.commit[:10]} in {folder}, but the" if result.commit else ""
        raise PublishError(
            f"{committed or 'The'} push failed ({error}); push it by hand, or publish "
            "again with --push."
        ) from None
    result.pushed = True
