"""The pages `pmo publish` files into a team wiki: the index of meetings and the open
actions (the minutes page is the minutes document itself). Pure: records in, Markdown
out; links are relative and no HTML is written, so they work where wikis differ.

Two link styles, because wikis resolve a link differently: ``files`` links to the page's
file (``Minutes-M-3-2026-11-26.md``: MkDocs and other docs folders, a repository viewed
as files), ``pages`` to the page's name without the extension (``Minutes-M-3-2026-11-26``:
GitHub, GitLab, Gitea and Azure DevOps wikis, which serve a page by its name)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pmo_tui.data.models import Action, Meeting, MeetingState, MinutesState
from pmo_tui.export.escape import flat, table, text

INDEX_PAGE = "Meetings"
ACTIONS_PAGE = "Open-actions"


class LinkStyle(StrEnum):
    FILES = "files"
    PAGES = "pages"


def page_file(page: str) -> str:
    return f"{page}.md"


def minutes_page(meeting: Meeting) -> str:
    """A meeting's page name: stable (its code and date), sorting by date."""
    return f"Minutes-{meeting.code}-{meeting.scheduled_on.isoformat()}"


def link(label: str, page: str, style: LinkStyle) -> str:
    """A relative link to a page of the wiki (``label`` is user text: escaped)."""
    target = page_file(page) if style is LinkStyle.FILES else page
    return f"[{flat(label)}]({target})"


def _state(meeting: Meeting) -> str:
    if meeting.state is not MeetingState.CLOSED:
        return meeting.state.value
    if meeting.minutes_state is MinutesState.APPROVED and meeting.minutes_approved_at:
        return (
            f"minutes approved {meeting.minutes_approved_at:%Y-%m-%d} by "
            f"{meeting.minutes_approved_by} (document sha256 "
            f"{meeting.minutes_document_hash[:16]}, chain E-{meeting.minutes_event_id})"
        )
    return f"closed, minutes {meeting.minutes_state.value}"


def index_markdown(
    meetings: Sequence[Meeting], published: set[int], style: LinkStyle, forum: str = ""
) -> str:
    """Every meeting, newest first, with its state and approval stamp; those whose
    minutes are in the wiki link to them."""
    out = [f"# {text(forum or 'Meetings')}", ""]
    rows = []
    for meeting in sorted(meetings, key=lambda m: (m.scheduled_on, m.id), reverse=True):
        title = f"{meeting.code} {meeting.title}"
        named = (
            link(title, minutes_page(meeting), style) if meeting.id in published else flat(title)
        )
        rows.append([meeting.scheduled_on.isoformat(), named, flat(_state(meeting))])
    out += table(["Date", "Meeting", "State"], rows)
    out += ["", link("Open actions", ACTIONS_PAGE, style), ""]
    return "\n".join(out)


def open_actions_markdown(
    actions: Sequence[Action],
    names: dict[int, str],
    meetings: dict[int, Meeting],
    published: set[int],
    style: LinkStyle,
) -> str:
    """Every open action, soonest due first, each with the meeting that raised it (linked
    when its minutes are in the wiki)."""
    out = ["# Open actions", "", link("All meetings", INDEX_PAGE, style), ""]
    if not actions:
        return "\n".join([*out, "No open actions.", ""])
    rows = []
    for action in actions:
        meeting = meetings.get(action.meeting_id or 0)
        if meeting is None:
            raised = "—"
        elif meeting.id in published:
            raised = link(meeting.code, minutes_page(meeting), style)
        else:
            raised = text(meeting.code)
        rows.append(
            [
                action.code,
                flat(action.text),
                flat(names.get(action.owner_id or 0, "—")),
                action.due_on.isoformat() if action.due_on else "—",
                raised,
            ]
        )
    out += table(["Code", "Action", "Owner", "Due", "Raised in"], rows)
    return "\n".join([*out, ""])
