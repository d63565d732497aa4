"""What `pmo verify` checks, as findings a command can print: the audit chain, every row
against its audit trail, each closed meeting's record, each approval's document hash, and
a published copy of approved minutes against the file.

It joins the store (what the file holds) and the Markdown renderer (what the minutes say);
everything is read in one snapshot of the file, so a writer meanwhile cannot make the
counts, the walk and the head disagree."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pmo_tui.data.errors import NotFoundError, StoreError
from pmo_tui.data.models import Meeting, MinutesState
from pmo_tui.data.store import Store
from pmo_tui.export.escape import plain
from pmo_tui.export.markdown import minutes_body, split_minutes

# How many rows changed outside pmo are named before the rest are counted.
SHOWN = 20


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, line: str, problem: str) -> None:
        self.lines.append(line)
        self.problems.append(problem)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def verify_portfolio(store: Store) -> Report:
    report = Report()
    with store.snapshot():
        _chain(store, report)
        _rows(store, report)
        _meetings(store, report)
    return report


def _chain(store: Store, report: Report) -> None:
    chain = store.audit.verify_chain()
    if chain.broken is None:
        report.say(
            f"Audit trail: {chain.events:,} events, chain intact; "
            f"head E-{chain.head_id} {chain.head_hash[:16]}"
        )
        return
    event = chain.broken
    report.fail(
        f"Audit trail: BROKEN. {chain.problem}.\n"
        f"  E-{event.id} {event.at:%Y-%m-%d %H:%M} {plain(event.user)}: "
        f"{plain(event.code)} {plain(event.field)} {plain(repr(event.old))} -> "
        f"{plain(repr(event.new))}",
        f"the audit chain breaks at E-{event.id}",
    )


def _rows(store: Store, report: Report) -> None:
    edits = store.audit.outside_edits()
    if not edits:
        report.say("Records: every row and field is what its audit trail says pmo wrote")
        return
    lines = [f"Records: CHANGED OUTSIDE PMO ({len(edits):,} found)"]
    lines += [f"  {plain(edit.problem)}" for edit in edits[:SHOWN]]
    if len(edits) > SHOWN:
        lines.append(f"  ... and {len(edits) - SHOWN:,} more")
    first = edits[0]
    report.fail("\n".join(lines), f"{first.code} {first.field} was changed outside pmo")


def _meetings(store: Store, report: Report) -> None:
    for meeting in store.audit.closed_meetings():
        check = store.audit.check_minutes(meeting.id)
        if check.record_problem:
            report.fail(
                f"{meeting.code} {check.record_problem}",
                f"{meeting.code}'s record does not fit the audit trail",
            )
            continue
        if meeting.minutes_state is not MinutesState.APPROVED:
            report.say(
                f"{meeting.code} record fits the audit trail (minutes "
                f"{meeting.minutes_state.value})"
            )
            continue
        when = meeting.minutes_approved_at
        approved = f"approved {when:%Y-%m-%d} by {plain(meeting.minutes_approved_by)}"
        body = minutes_body(store.records.minutes(meeting.id))
        if sha256(body) != meeting.minutes_document_hash:
            report.fail(
                f"{meeting.code} minutes {approved}: the document NO LONGER MATCHES its "
                f"stamp sha256 {meeting.minutes_document_hash[:16]}",
                f"{meeting.code}'s minutes differ from what was approved",
            )
        elif not check.stamp_fits:
            report.fail(
                f"{meeting.code} minutes {approved}: audit chain stamp "
                f"E-{meeting.minutes_event_id} NO LONGER FITS",
                f"{meeting.code}'s approval stamp does not fit the audit chain",
            )
        else:
            report.say(
                f"{meeting.code} minutes {approved}: unchanged (document sha256 "
                f"{meeting.minutes_document_hash[:16]}, chain E-{meeting.minutes_event_id})"
            )


_STAMP = re.compile(
    r"approved (?P<day>\S+) by (?P<by>.*) · (?P<code>M-\d{1,18}) · sha256 of the minutes above "
    r"this line `(?P<document>[0-9a-f]*)` · audit chain at approval E-(?P<event>\d{1,18}) "
    r"`(?P<chain>[0-9a-f]*)`$"
)


def verify_published(store: Store, document: str) -> Report:
    """Everything ``verify_portfolio`` checks, then a copy of approved minutes (from the
    wiki, say) against the file: the copy still hashes to its own stamp, the stamp is the
    file's approval, the file's minutes read the same, and the audit chain still holds the
    stamped event with the stamped hash (which a rewritten and re-hashed chain, or a cut
    tail, no longer does)."""
    report = verify_portfolio(store)
    parts = split_minutes(document.replace("\r\n", "\n"))
    found = _STAMP.match(parts[1]) if parts else None
    if parts is None or found is None:
        report.fail(
            "The file is not approved pmo minutes: it has no approval stamp as its last line",
            "no approval stamp in the file",
        )
        return report
    body = parts[0]
    code = found["code"]
    with store.snapshot():
        try:
            meeting = store.get(Meeting, int(code[2:]))
        except NotFoundError:
            report.fail(f"{code}: no such meeting in this portfolio", f"{code} is not here")
            return report
        if sha256(body) == found["document"]:
            report.say(f"{code}: the copy hashes to its own stamp (not edited since)")
        else:
            report.fail(
                f"{code}: the copy was EDITED after approval (it no longer hashes to its stamp)",
                "the copy was edited",
            )
        stamp_here = meeting.minutes_document_hash
        if stamp_here == found["document"]:
            report.say(f"{code}: the portfolio's approval carries the same document hash")
        else:
            report.fail(
                f"{code}: the portfolio's approval stamp DIFFERS from the copy's "
                f"({stamp_here[:16] or 'none'} here, {found['document'][:16]} in the copy)",
                f"{code}'s approval in the file is not the published one",
            )
        try:
            ours = minutes_body(store.records.minutes(meeting.id))
        except StoreError as error:
            report.fail(f"{code}: {error}", f"{code}'s minutes cannot be rebuilt")
            return report
        if ours == body:
            report.say(f"{code}: the portfolio's minutes read exactly as the copy")
        else:
            line = _first_difference(ours, body)
            report.fail(
                f"{code}: the portfolio's minutes DIFFER from the copy from line {line}",
                f"{code}'s minutes in the file differ from the published copy",
            )
        event = store.audit.chain_event(int(found["event"]))
        if event is not None and event.hash == found["chain"]:
            report.say(f"{code}: the audit chain still holds E-{found['event']} as stamped")
        else:
            report.fail(
                f"{code}: the audit chain NO LONGER HOLDS E-{found['event']} as stamped: "
                "events up to it were rewritten, or the chain was cut",
                "the audit chain was rewritten or cut before the published stamp",
            )
    return report


def _first_difference(ours: str, theirs: str) -> int:
    for number, (a, b) in enumerate(zip(ours.split("\n"), theirs.split("\n"), strict=False), 1):
        if a != b:
            return number
    return min(ours.count("\n"), theirs.count("\n")) + 1
