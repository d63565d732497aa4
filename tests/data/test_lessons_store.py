"""Lessons and closure in the store: full-text search by stem and phrase, ranked, kept in
step with edits and deletes, safe for any typed query; related lessons; adoption; the
closure checklist refusing, overriding and transferring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pmo_tui.data.errors import InvalidInputError
from pmo_tui.data.models import (
    Action,
    Closure,
    Lesson,
    LessonCategory,
    Meeting,
    Person,
    Project,
    ProjectStatus,
    Rag,
    RaidItem,
    RaidKind,
)
from pmo_tui.data.store import Store
from pmo_tui.export.markdown import minutes_markdown
from tests.conftest import DEMO_DAY, fixed_clock
from tests.helpers.old_file import file_at_version


def lesson(store: Store, title: str, **values: object) -> Lesson:
    fields: dict[str, object] = {"category": LessonCategory.PLANNING, "title": title}
    return store.lessons.add_lesson(**(fields | values))


def titles(store: Store, words: str, **filters: object) -> list[str]:
    return [hit.lesson.title for hit in store.lessons.search_lessons(words, **filters)]  # type: ignore[arg-type]


def test_search_finds_by_stem_and_by_phrase(store: Store) -> None:
    lesson(store, "Supplier deliveries were delayed twice")
    lesson(store, "The change freeze stopped the release")
    lesson(store, "A change of scope came before the freeze")
    assert titles(store, "delay") == ["Supplier deliveries were delayed twice"]
    assert titles(store, "suppliers delays") == ["Supplier deliveries were delayed twice"]
    assert titles(store, '"change freeze"') == ["The change freeze stopped the release"]
    assert sorted(titles(store, "change freeze")) == [
        "A change of scope came before the freeze",
        "The change freeze stopped the release",
    ]
    assert len(titles(store, "free*")) == 2
    assert titles(store, "change -scope") == ["The change freeze stopped the release"]


def test_matches_in_the_title_rank_first_and_are_marked(store: Store) -> None:
    lesson(store, "Budget reviews", tags="vendor")
    lesson(store, "Vendor lock-in hurt the exit", what_happened="The vendor would not help.")
    hits = store.lessons.search_lessons("vendor")
    assert [hit.lesson.title for hit in hits] == ["Vendor lock-in hurt the exit", "Budget reviews"]
    assert hits[0].marked_title == "\x01Vendor\x02 lock-in hurt the exit"


def test_the_index_keeps_step_with_edits_and_deletes(store: Store) -> None:
    kept = lesson(store, "Stakeholders were told late")
    gone = lesson(store, "Stakeholders ignored the pilot")
    store.db.update(Lesson, kept.id, kept.version, title="Sponsors were told late")
    assert titles(store, "sponsor") == ["Sponsors were told late"]
    assert titles(store, "stakeholders") == ["Stakeholders ignored the pilot"]
    store.db.delete(Lesson, gone.id, gone.version)
    assert titles(store, "stakeholders") == []
    assert titles(store, "pilot") == []


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"unbalanced quote',
        "*",
        "-",
        "--",
        "NEAR",
        "NEAR(a b, 2)",
        "a AND",
        "OR",
        "AND OR NOT",
        "title:supplier",
        "(supplier",
        "supplier)",
        "^start",
        "a + b",
        "'; drop table lessons; --",
        "\x00\x01\x02",
        "[bold]x[/]",
        "x" * 2_000,
    ],
)
def test_any_typed_query_is_searched_never_raised(store: Store, typed: str) -> None:
    lesson(store, "Supplier NEAR the start: title and drop table words")
    found = store.lessons.search_lessons(typed)
    assert isinstance(found, list)
    assert store.row_counts()["lessons"] == 1


def test_fts_syntax_words_are_searched_as_words(store: Store) -> None:
    lesson(store, "Meetings NEAR the deadline ran long")
    assert titles(store, "NEAR deadline") == ["Meetings NEAR the deadline ran long"]
    assert titles(store, '"deadline ran') == ["Meetings NEAR the deadline ran long"]


def test_filters_by_category_project_programme_and_date(store: Store) -> None:
    portal = store.db.add(Project(name="Portal", programme="Digital"))
    store.db.add(Project(name="Ledger", programme="Finance"))
    lesson(store, "Estimate with ranges", project_id=portal.id)
    lesson(store, "Estimate suppliers early", category=LessonCategory.SUPPLIER)
    lesson(store, "Estimate again", recorded_on=date(2025, 1, 1))
    assert titles(store, "estimate", category=LessonCategory.SUPPLIER) == [
        "Estimate suppliers early"
    ]
    assert titles(store, "estimate", project_id=portal.id) == ["Estimate with ranges"]
    assert titles(store, "", programme="digital") == ["Estimate with ranges"]
    assert "Estimate again" not in titles(store, "estimate", since=date(2026, 1, 1))


def test_related_lessons_come_from_an_items_words(store: Store) -> None:
    lesson(store, "Check the supplier's bench depth", next_time="Ask for named backups")
    lesson(store, "Plan for the peak season freeze")
    related = store.lessons.related_lessons("The supplier may not have the specialists we need")
    assert [hit.lesson.title for hit in related] == ["Check the supplier's bench depth"]
    assert store.lessons.related_lessons("the and of") == []


def test_a_lesson_is_adopted_into_standards_with_the_date(store: Store) -> None:
    made = lesson(store, "Use a RAID template")
    adopted = store.lessons.adopt_lesson(made.id, made.version)
    assert adopted.adopted_on == DEMO_DAY
    assert store.lessons.adopt_lesson(made.id, adopted.version, adopted=False).adopted_on is None


def test_lessons_written_before_the_index_existed_are_found(tmp_path: Path) -> None:
    path = file_at_version(
        tmp_path / "v6.db",
        6,
        "insert into lessons (category, title, recorded_on) values "
        "('planning', 'Baseline the plan before the gate', '2026-01-05')",
    )
    with Store(path, clock=fixed_clock) as store:
        assert titles(store, "baselined plans") == ["Baseline the plan before the gate"]


# -- closure -------------------------------------------------------------------------


def closing_project(store: Store) -> tuple[Meeting, Project]:
    meeting = store.meetings.start_meeting(store.meetings.plan_meeting("Board", DEMO_DAY).id)
    project = store.db.add(Project(name="Portal"))
    store.raid.add_raid_item(RaidKind.RISK, "Support contract lapses", project.code)
    store.decisions.add_action(meeting.id, "Archive the documents", link=project.code)
    return meeting, project


def test_closure_is_refused_with_the_open_points_named(store: Store) -> None:
    meeting, project = closing_project(store)
    with pytest.raises(InvalidInputError) as refused:
        store.lessons.close_project(
            meeting.id,
            project.id,
            project.version,
            handed_over_to="Operations",
            benefits_owner="",
            rationale="Done",
        )
    message = str(refused.value)
    assert "cannot close with 5 open points" in message
    for point in (
        "Benefits owner named: nobody named",
        "Open RAID items closed or transferred: 1 still open",
        "Open actions done, transferred or dropped: 1 still open",
        "Lessons captured: none yet",
        "Final status report: none",
    ):
        assert point in message
    assert store.get(Project, project.id).status is ProjectStatus.ACTIVE
    assert store.all(Closure) == []


def test_a_clean_closure_and_an_override_are_both_recorded(store: Store) -> None:
    meeting, project = closing_project(store)
    other = store.db.add(Project(name="Run"))
    lesson(store, "Hand over early", project_id=project.id, meeting_id=meeting.id)
    store.portfolio.set_status(meeting.id, project.id, None, overall=Rag.GREEN)
    decision = store.lessons.close_project(
        meeting.id,
        project.id,
        store.get(Project, project.id).version,
        handed_over_to="Service desk",
        benefits_owner="Grace",
        rationale="Delivered",
        transfer_to=other.code,
    )
    closed = store.get(Project, project.id)
    assert closed.status is ProjectStatus.CLOSED and closed.percent_complete == 100
    assert all(item.project_id == other.id for item in store.all(RaidItem))
    assert all(action.project_id == other.id for action in store.all(Action))
    [closure] = store.all(Closure)
    assert closure.decision_id == decision.id and closure.override_reason == ""
    moved = len(store.all(RaidItem))
    assert (
        f"✓ Open RAID items closed or transferred: {moved} transferred to {other.code} Run"
        in closure.checklist
    )
    assert any(person.name == "Grace" for person in store.all(Person))

    second = store.db.add(Project(name="Pilot"))
    overridden = store.lessons.close_project(
        meeting.id,
        second.id,
        second.version,
        handed_over_to="",
        benefits_owner="",
        rationale="Stopped early",
        override_reason="Cancelled by the sponsor; nothing to hand over",
    )
    assert "overridden: Cancelled by the sponsor" in overridden.text
    markdown = minutes_markdown(store.records.minutes(meeting.id))
    closures = markdown.split("## Project closures", 1)[1]
    assert "P-1 Portal" in closures and "Service desk" in closures
    assert "Cancelled by the sponsor; nothing to hand over" in closures
    assert "## Lessons learned" in markdown and "Hand over early" in markdown


def test_a_refused_closure_transfers_nothing(store: Store) -> None:
    meeting, project = closing_project(store)
    other = store.db.add(Project(name="Run"))
    with pytest.raises(InvalidInputError):
        store.lessons.close_project(
            meeting.id,
            project.id,
            project.version,
            handed_over_to="",
            benefits_owner="",
            rationale="Done",
            transfer_to=other.code,
        )
    assert all(item.project_id == project.id for item in store.all(RaidItem))
    with pytest.raises(InvalidInputError, match="P-99 does not exist"):
        store.lessons.close_project(
            meeting.id,
            project.id,
            project.version,
            handed_over_to="x",
            benefits_owner="y",
            rationale="Done",
            override_reason="z",
            transfer_to="P-99",
        )
