"""Lessons and closures as Markdown and CSV: the minutes' two sections and `pmo export
lessons`."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pmo_tui.data.models import Closure, Lesson, LessonHit
from pmo_tui.export.csvfile import formula_safe
from pmo_tui.export.escape import cell, table, text

_FIELDS = (
    "code",
    "project",
    "programme",
    "category",
    "title",
    "what_happened",
    "impact",
    "next_time",
    "tags",
    "recorded_on",
    "adopted_on",
    "meeting",
)


def lessons_markdown(hits: Sequence[LessonHit], title: str) -> str:
    out = [f"# {text(title)}", ""]
    if not hits:
        return "\n".join([*out, "No lessons match.", ""])
    out += table(
        ["Code", "Project", "Category", "Lesson", "Next time", "Recorded", "Adopted"],
        (
            [
                hit.lesson.code,
                cell(hit.project),
                hit.lesson.category.value,
                cell(hit.lesson.title),
                cell(hit.lesson.next_time or "—"),
                hit.lesson.recorded_on.isoformat(),
                hit.lesson.adopted_on.isoformat() if hit.lesson.adopted_on else "—",
            ]
            for hit in hits
        ),
    )
    return "\n".join([*out, ""])


def lessons_csv(hits: Sequence[LessonHit]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_FIELDS)
    for hit in hits:
        lesson = hit.lesson
        writer.writerow(
            [
                lesson.code,
                formula_safe(hit.project),
                formula_safe(hit.programme),
                lesson.category.value,
                formula_safe(lesson.title),
                formula_safe(lesson.what_happened),
                formula_safe(lesson.impact),
                formula_safe(lesson.next_time),
                formula_safe(lesson.tags),
                lesson.recorded_on.isoformat(),
                lesson.adopted_on.isoformat() if lesson.adopted_on else "",
                f"M-{lesson.meeting_id}" if lesson.meeting_id else "",
            ]
        )
    return out.getvalue()


def lessons_minutes_section(
    lessons: Sequence[Lesson], closures: Sequence[Closure], projects: dict[int, str]
) -> list[str]:
    out: list[str] = []
    if lessons:
        out += ["## Lessons learned", ""]
        out += table(
            ["Code", "Project", "Category", "Lesson", "What happened", "Next time"],
            (
                [
                    lesson.code,
                    cell(projects.get(lesson.project_id or 0, "portfolio")),
                    lesson.category.value,
                    cell(lesson.title),
                    cell(lesson.what_happened or "—"),
                    cell(lesson.next_time or "—"),
                ]
                for lesson in lessons
            ),
        )
        out.append("")
    if closures:
        out += ["## Project closures", ""]
        out += table(
            ["Project", "Decision", "Handed over to", "Benefits owner", "Checklist", "Override"],
            (
                [
                    cell(projects.get(closure.project_id, f"P-{closure.project_id}")),
                    f"D-{closure.decision_id}" if closure.decision_id else "—",
                    cell(closure.handed_over_to or "—"),
                    cell(closure.benefits_owner or "—"),
                    cell(closure.checklist),
                    cell(closure.override_reason or "—"),
                ]
                for closure in closures
            ),
        )
        out.append("")
    return out
