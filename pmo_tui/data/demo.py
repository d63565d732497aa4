"""A deterministic demo portfolio: the same seed and the same day give the same file.

Dates are laid out relative to ``today`` so that the demo always has overdue actions and
reviews to show; pass a fixed ``today`` (as the tests do) for a byte-for-byte repeatable
portfolio.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pmo_tui.data.meetings import series_title
from pmo_tui.data.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaStep,
    Attendance,
    Attendee,
    AttendeeRole,
    BaselineChange,
    ChangeRequest,
    ChangeStatus,
    CheckState,
    Decision,
    Lesson,
    LessonCategory,
    Meeting,
    MeetingState,
    Objective,
    Person,
    Phase,
    Project,
    ProjectScore,
    ProjectStatus,
    Rag,
    RaidItem,
    RaidKind,
    RaidStatus,
    Ranking,
    Response,
    StatusReport,
)
from pmo_tui.data.rules import weighted_score
from pmo_tui.data.store import Store

DEFAULT_SEED = 2026

PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Priya Raman", "PMO", "Head of PMO"),
    ("Tom Whitaker", "PMO", "Portfolio analyst"),
    ("Grace Okafor", "Executive", "Chief Operating Officer"),
    ("Martin Keller", "Finance", "Finance business partner"),
    ("Sofia Marques", "Digital", "Programme manager"),
    ("Daniel Brooks", "Digital", "Project manager"),
    ("Aisha Rahman", "Digital", "Project manager"),
    ("Lukas Novak", "Operations", "Programme manager"),
    ("Hannah Lee", "Operations", "Project manager"),
    ("Oliver Grant", "Operations", "Project manager"),
    ("Mei Chen", "Technology", "Programme manager"),
    ("Rafael Ortiz", "Technology", "Project manager"),
    ("Fatima Zahra", "Technology", "Project manager"),
    ("James O'Connor", "Risk & Compliance", "Programme manager"),
    ("Elena Petrova", "Risk & Compliance", "Project manager"),
    ("Kwame Mensah", "Technology", "Enterprise architect"),
    ("Isabel Fischer", "Procurement", "Category manager"),
    ("Noah Williams", "Security", "Security lead"),
    ("Chloe Dubois", "HR", "HR business partner"),
    ("Samir Haddad", "Data", "Data protection officer"),
)

PROGRAMMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Digital Customer": (
        "Sofia Marques",
        (
            "Customer Portal Relaunch",
            "Mobile App v3",
            "CRM Consolidation",
            "Self-Service Chatbot",
            "Loyalty Platform",
            "Online Onboarding",
        ),
    ),
    "Operations Excellence": (
        "Lukas Novak",
        (
            "Warehouse Management System",
            "Procure-to-Pay Automation",
            "Field Service Scheduling",
            "Finance Close Acceleration",
            "HR Core Replacement",
            "Contact Centre Telephony",
        ),
    ),
    "Infrastructure Modernisation": (
        "Mei Chen",
        (
            "Data Centre Exit",
            "Cloud Landing Zone",
            "Branch Network Refresh",
            "Identity & Access Management",
            "Backup & DR Modernisation",
            "Laptop Refresh 2026",
        ),
    ),
    "Regulatory & Compliance": (
        "James O'Connor",
        (
            "Records Retention (GDPR)",
            "Payment Services Directive 3",
            "ESG Reporting",
            "Operational Resilience (DORA)",
            "Sanctions Screening Upgrade",
            "Accessibility (WCAG 2.2)",
        ),
    ),
}

MANAGERS: dict[str, tuple[str, ...]] = {
    "Digital Customer": ("Daniel Brooks", "Aisha Rahman"),
    "Operations Excellence": ("Hannah Lee", "Oliver Grant"),
    "Infrastructure Modernisation": ("Rafael Ortiz", "Fatima Zahra"),
    "Regulatory & Compliance": ("Elena Petrova", "Tom Whitaker"),
}

OBJECTIVES: tuple[tuple[str, str, float, str], ...] = (
    ("Grow digital revenue", "Digital sales to 40 % of revenue by 2028", 30, "Digital Customer"),
    (
        "Reduce cost to serve",
        "Cost per customer down 15 % in three years",
        25,
        "Operations Excellence",
    ),
    (
        "Meet regulatory obligations",
        "No regulatory findings rated high",
        20,
        "Regulatory & Compliance",
    ),
    (
        "Improve operational resilience",
        "Critical services recover within 4 hours",
        15,
        "Infrastructure Modernisation",
    ),
    ("Improve customer experience", "Net promoter score above +35", 10, "Digital Customer"),
)

COMMENTARY: dict[Rag, tuple[str, ...]] = {
    Rag.GREEN: (
        "On track; sprint goals met and the next milestone is on schedule.",
        "User acceptance testing passed with no severity-1 defects.",
        "Design authority approved the solution design; build started as planned.",
        "Pilot went live at two sites; feedback positive and adoption above target.",
        "Spend in line with forecast; benefits profile confirmed with the sponsor.",
    ),
    Rag.AMBER: (
        "Supplier delivery two weeks late; recovery plan agreed, float now used up.",
        "Two key developers leaving in December; backfill being recruited.",
        "Integration testing found data quality problems in the legacy extract.",
        "Forecast over budget by 6 % after the licensing change; options being costed.",
        "Scope of phase 2 not yet signed off by the business owner.",
    ),
    Rag.RED: (
        "Go-live missed; cut-over rehearsal failed on data migration volumes.",
        "Vendor has not delivered the API; contractual escalation under way.",
        "Forecast 18 % over budget; change request for funding to follow.",
        "Regulator's deadline at risk: critical path has no remaining float.",
        "Sponsor has left the business; decisions stalled until a new one is named.",
    ),
}

RISKS: tuple[str, ...] = (
    "Key supplier may not deliver the integration API by the agreed milestone",
    "Legacy data quality may be too poor for automated migration",
    "Business users may not be released for user acceptance testing",
    "Licence costs may rise at renewal beyond the approved budget",
    "Single point of knowledge on the legacy platform could leave",
    "Regulatory guidance may change before the solution goes live",
    "Performance may degrade under peak season volumes",
    "Change fatigue in operations could slow adoption",
    "Security review may find critical vulnerabilities late in the project",
    "Cloud consumption costs may exceed the forecast once live",
    "Parallel running may overload the support team",
    "Contract negotiation with the preferred bidder may overrun",
    "Third-party penetration test slots may not be available in time",
    "Benefits may not be realised if process owners are not appointed",
    "Exchange-rate movements could increase the cost of offshore work",
    "Early adopters could promote the new service across regions (opportunity)",
    "Reusing the shared integration layer could cut build effort (opportunity)",
)

ISSUES: tuple[str, ...] = (
    "Test environment unavailable for nine days after a failed upgrade",
    "Vendor resource on the critical path replaced without notice",
    "Requirements for the reporting module still disputed between departments",
    "Data migration rehearsal exceeded the cut-over window by six hours",
    "Budget code not yet opened by finance; purchase orders blocked",
    "Accessibility audit found 40 failures in the customer journeys",
    "Production incident traced to the new interface; hotfix deployed",
    "Two workstreams using different versions of the customer data model",
)

ASSUMPTIONS: tuple[str, ...] = (
    "The current platform remains supported until the end of next year",
    "Business change team has capacity from February",
    "Existing network bandwidth is sufficient for the new service",
    "The regulator accepts a phased implementation",
    "Finance approves the capital reclassification this quarter",
    "Users can be trained online without classroom sessions",
    "Master data ownership sits with the business, not IT",
)

DEPENDENCIES: tuple[str, ...] = (
    "Needs the identity platform's single sign-on before go-live",
    "Needs the cloud landing zone's production subscription",
    "Needs the CRM consolidation's single customer record",
    "Provides the retention rules used by the ESG reporting project",
    "Needs the new contact-centre telephony for call routing",
    "Needs the finance chart of accounts redesign from group finance",
)

CHANGES: tuple[tuple[str, str], ...] = (
    ("Add Welsh language support", "Legal advice: public-facing services must be bilingual."),
    ("Extend pilot to two more regions", "Pilot results strong; sponsor wants wider evidence."),
    ("Replace on-premise reporting with the cloud service", "Licence end-of-life brought forward."),
    ("Defer phase 2 analytics by one quarter", "Data platform not ready; frees budget."),
    ("Add multi-factor authentication for all users", "Security review finding SR-114."),
    ("Increase contingency after supplier re-plan", "Supplier re-plan adds 6 weeks of effort."),
    ("Descope legacy archive migration", "Archive can be read in place until decommissioning."),
    ("Bring forward go-live for the peak season", "Business wants the benefits before peak."),
    ("Add integration with the new payroll provider", "Payroll supplier changes in April."),
    ("Switch to a fixed-price contract for the build", "Reduce cost uncertainty."),
    ("Add a hyper-care period of six weeks", "Operations asked for longer support after go-live."),
    ("Move data hosting to the EU region", "Data protection officer's recommendation."),
    ("Add offline mode for field engineers", "Coverage gaps found in rural areas."),
)

ACTIONS: tuple[str, ...] = (
    "Produce a recovery plan with a re-baselined schedule",
    "Confirm funding for the change request with finance",
    "Escalate the vendor's late delivery to the account director",
    "Name a business owner for the benefits profile",
    "Book penetration testing slots with the security team",
    "Circulate the revised resource plan to all programme managers",
    "Agree the data migration cut-over approach with operations",
    "Bring options for the licensing cost increase to the next meeting",
    "Update the RAID log with the outcome of the supplier review",
    "Arrange a deep-dive on the critical path with the sponsor",
    "Confirm UAT testers are released by their line managers",
    "Review the contingency drawdown and report back",
)

# (decision, rationale, the project it is about: None for one drawn at random, "" for the
# portfolio as a whole). A decision that names a project links that project.
DECISIONS: tuple[tuple[str, str, str | None], ...] = (
    (
        "Approve the recovery plan and its revised milestones",
        "Plan is credible and keeps the regulatory date.",
        None,
    ),
    (
        "Release 50k from portfolio contingency",
        "Avoids a three-week delay on the critical path.",
        None,
    ),
    (
        "Pause the loyalty platform until the CRM consolidation is live",
        "Dependency cannot be met; frees two developers.",
        "Loyalty Platform",
    ),
    (
        "Escalate the data centre exit risk to the executive committee",
        "Exposure exceeds the PMO's delegated authority.",
        "Data Centre Exit",
    ),
    (
        "Accept the residual security risk until the March release",
        "Compensating controls are in place and monitored.",
        None,
    ),
    (
        "Bring the ESG reporting delivery forward to the regulator's new date",
        "Regulatory deadline moved forward by six months.",
        "ESG Reporting",
    ),
    (
        "Adopt the shared integration layer for all new projects",
        "Lesson from the CRM consolidation; reduces build effort.",
        "",
    ),
    (
        "Close the laptop refresh pilot and proceed to full roll-out",
        "Pilot met all exit criteria.",
        "Laptop Refresh 2026",
    ),
)

LESSONS: tuple[tuple[LessonCategory, str, str, str], ...] = (
    (
        LessonCategory.SUPPLIER,
        "Put API delivery dates into the contract",
        "The vendor's API came eight weeks late and we had no remedy.",
        "Tie a payment milestone to each interface delivered.",
    ),
    (
        LessonCategory.PLANNING,
        "Rehearse the cut-over at full data volume",
        "The rehearsal used 10 % of the data and hid a six-hour overrun.",
        "Always rehearse with production-sized data.",
    ),
    (
        LessonCategory.STAKEHOLDER,
        "Name the benefits owner at initiation",
        "Nobody owned the benefits, so nobody tracked them after go-live.",
        "Make a named benefits owner a gate-1 criterion.",
    ),
    (
        LessonCategory.RESOURCING,
        "Secure UAT testers before the test phase is planned",
        "Testers were not released and UAT slipped three weeks.",
        "Agree tester release with line managers at planning.",
    ),
    (
        LessonCategory.TECHNICAL,
        "Profile legacy data before estimating migration",
        "Data quality problems doubled the migration effort.",
        "Run a data profiling sprint before committing to dates.",
    ),
    (
        LessonCategory.GOVERNANCE,
        "Keep the steering group small",
        "Fourteen members meant decisions took two meetings.",
        "Five voting members at most; others attend as guests.",
    ),
    (
        LessonCategory.SUPPLIER,
        "Check the supplier's bench depth",
        "The supplier's only specialist left mid-project.",
        "Ask for named backups in the statement of work.",
    ),
    (
        LessonCategory.PLANNING,
        "Plan for the peak season freeze",
        "Go-live collided with the retail change freeze.",
        "Mark change freezes on the portfolio calendar at initiation.",
    ),
    (
        LessonCategory.TECHNICAL,
        "Automate environment builds",
        "Manual environment builds took nine days after each failure.",
        "Infrastructure as code for every test environment.",
    ),
    (
        LessonCategory.GOVERNANCE,
        "Escalate early when tolerance is forecast to be exceeded",
        "We waited for the actual overspend and lost two months.",
        "Escalate on forecast, not on actuals.",
    ),
    (
        LessonCategory.STAKEHOLDER,
        "Involve front-line staff in design",
        "Field engineers rejected screens designed without them.",
        "Include two front-line users in every design review.",
    ),
    (
        LessonCategory.RESOURCING,
        "Avoid single points of knowledge",
        "One engineer knew the legacy interfaces; his leave stopped the project.",
        "Pair on legacy knowledge and document it as you go.",
    ),
    (
        LessonCategory.TECHNICAL,
        "Load test before the security review",
        "Security fixes late in the project broke performance.",
        "Run load and security tests together, early.",
    ),
    (
        LessonCategory.SUPPLIER,
        "Fixed price needs fixed scope",
        "A fixed-price contract on a moving scope led to 30 change requests.",
        "Use time and materials until the scope is stable.",
    ),
    (
        LessonCategory.PLANNING,
        "Budget for hyper-care",
        "Support after go-live was unfunded and came out of contingency.",
        "Include six weeks of hyper-care in every business case.",
    ),
    (
        LessonCategory.GOVERNANCE,
        "Record decisions with their rationale",
        "A decision was reopened because nobody remembered why it was taken.",
        "Minutes state the rationale of every decision.",
    ),
    (
        LessonCategory.STAKEHOLDER,
        "Communicate go-live dates only when confirmed",
        "A date announced early slipped and damaged trust.",
        "Announce dates after the go/no-go decision.",
    ),
    (
        LessonCategory.TECHNICAL,
        "Keep one customer data model",
        "Two workstreams built to different models and had to rework.",
        "The design authority owns one canonical data model.",
    ),
    (
        LessonCategory.RESOURCING,
        "Onboard contractors in a batch",
        "Staggered onboarding cost each contractor a week of idle time.",
        "Onboard in cohorts with a prepared environment.",
    ),
    (
        LessonCategory.GOVERNANCE,
        "Tie stage gates to evidence, not dates",
        "A gate was passed on schedule with no test evidence.",
        "Gate criteria list the documents that must exist.",
    ),
)

_RAG_STEP = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}
_RAGS = (Rag.GREEN, Rag.AMBER, Rag.RED)


def _next_rag(rng: random.Random, current: Rag) -> Rag:
    step = _RAG_STEP[current] + rng.choice((-1, 0, 0, 0, 1))
    return _RAGS[max(0, min(2, step))]


class DemoClock:
    """The store's clock while the demo is built: each row is stamped with the day it
    happened, so the audit trail (and "since last meeting") reads like a real history."""

    def __init__(self, today: date) -> None:
        self.moment = datetime.combine(today, time(8, 0), tzinfo=UTC)

    def set(self, day: date, hour: int = 9, minute: int = 0) -> None:
        self.moment = datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def remove_portfolio(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)


def build_demo(path: Path, today: date | None = None, seed: int = DEFAULT_SEED) -> Path:
    """Write the demo portfolio to ``path`` (which must not exist yet)."""
    today = today or date.today()
    rng = random.Random(seed)
    clock = DemoClock(today)
    store = Store(path, create=True, user="demo", clock=clock)
    with store, store.db.transaction():
        _fill(store, clock, rng, today)
    return path


def _fill(store: Store, clock: DemoClock, rng: random.Random, today: date) -> None:
    clock.set(today - timedelta(days=430))
    people = {
        name: store.db.add(Person(name=name, team=team, role=role)) for name, team, role in PEOPLE
    }

    objectives = [
        store.db.add(Objective(name=name, description=text, weight=weight))
        for name, text, weight, _ in OBJECTIVES
    ]
    weights = {objective.id: objective.weight for objective in objectives}

    projects: list[Project] = []
    programme_of: dict[int, str] = {}
    phases = (Phase.INITIATION, Phase.PLANNING, Phase.DELIVERY, Phase.DELIVERY, Phase.CLOSING)
    for programme, (_, names) in PROGRAMMES.items():
        for index, name in enumerate(names):
            phase = rng.choice(phases)
            start = today - timedelta(days=rng.randint(60, 420))
            end = today + timedelta(days=rng.randint(45, 540))
            progress = {
                Phase.INITIATION: rng.randint(2, 10),
                Phase.PLANNING: rng.randint(10, 25),
                Phase.DELIVERY: rng.randint(30, 80),
                Phase.CLOSING: rng.randint(85, 98),
            }[phase]
            project = store.db.add(
                Project(
                    name=name,
                    programme=programme,
                    phase=phase,
                    status=ProjectStatus.ON_HOLD
                    if name == "Loyalty Platform"
                    else ProjectStatus.ACTIVE,
                    manager_id=people[MANAGERS[programme][index % 2]].id,
                    sponsor_id=people[rng.choice(("Grace Okafor", "Martin Keller"))].id,
                    description=f"Part of the {programme} programme.",
                    start_on=start,
                    end_on=end,
                    budget=float(rng.randrange(150, 4_000) * 1_000),
                    percent_complete=progress,
                )
            )
            projects.append(project)
            programme_of[project.id] = programme

    scores: dict[int, dict[int, int]] = {}
    for project in projects:
        scores[project.id] = {}
        for objective, (_, _, _, home) in zip(objectives, OBJECTIVES, strict=True):
            base = 4 if programme_of[project.id] == home else 1
            value = max(0, min(5, base + rng.choice((-1, 0, 0, 1))))
            scores[project.id][objective.id] = value
            store.db.add(
                ProjectScore(project_id=project.id, objective_id=objective.id, score=value)
            )
    order = sorted(projects, key=lambda p: (-weighted_score(scores[p.id], weights), p.id))
    ranked = {project.id: rank for rank, project in enumerate(order, start=1)}
    projects = [
        store.db.update(Project, project.id, project.version, rank=ranked[project.id])
        for project in projects
    ]

    first_meeting_day = today - timedelta(days=42)
    second_meeting_day = today - timedelta(days=14)
    facilitator = people["Priya Raman"]
    members = [
        people[name]
        for name in (
            "Grace Okafor",
            "Martin Keller",
            "Sofia Marques",
            "Lukas Novak",
            "Mei Chen",
            "James O'Connor",
        )
    ]

    # Three monthly reports per project; the last two were taken in the closed meetings.
    report_days = (today - timedelta(days=70), first_meeting_day, second_meeting_day)
    meetings = [
        _closed_meeting(store, clock, _meeting_title(day), day, rng, facilitator, members)
        for day in (first_meeting_day, second_meeting_day)
    ]
    for project in projects:
        rag = rng.choice((Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED))
        progress = max(0, project.percent_complete - 12)
        for number, day in enumerate(report_days):
            rag = _next_rag(rng, rag) if number else rag
            progress = min(project.percent_complete, progress + rng.randint(3, 6))
            if number == len(report_days) - 1:
                progress = project.percent_complete
            dimensions = [rag] + [
                _RAGS[max(0, _RAG_STEP[rag] - rng.choice((0, 0, 1)))] for _ in range(3)
            ]
            clock.set(day, 14)
            store.db.add(
                StatusReport(
                    project_id=project.id,
                    meeting_id=meetings[number - 1].id if number else None,
                    reported_on=day,
                    overall=dimensions[0],
                    schedule=dimensions[1],
                    budget=dimensions[2],
                    scope=dimensions[3],
                    percent_complete=progress,
                    commentary=rng.choice(COMMENTARY[rag]),
                )
            )

    owners = [person for person in people.values() if person.team != "Executive"]
    raid: list[RaidItem] = []
    pools = (
        (RaidKind.RISK, RISKS, 2),
        (RaidKind.ISSUE, ISSUES, 1),
        (RaidKind.ASSUMPTION, ASSUMPTIONS, 1),
        (RaidKind.DEPENDENCY, DEPENDENCIES, 1),
    )
    for project in projects:
        for kind, titles, count in pools:
            for title in rng.sample(titles, count + rng.choice((0, 0, 1))):
                item = _raid_item(rng, today, kind, title, project.id, owners)
                raid.append(_add_raid(store, clock, item))
    for title in RISKS[:4]:
        item = _raid_item(rng, today, RaidKind.RISK, title, None, owners)
        raid.append(_add_raid(store, clock, item))

    for title, reason in CHANGES[:12]:
        project = rng.choice(projects)
        raised = today - timedelta(days=rng.randint(3, 30))
        clock.set(raised, 11)
        store.db.add(
            ChangeRequest(
                project_id=project.id,
                title=title,
                description=reason,
                requested_by=rng.choice(owners).name,
                raised_on=raised,
                reason=reason,
                cost_impact=float(rng.randrange(-40, 160) * 1_000),
                schedule_impact_days=rng.choice((0, 0, 7, 14, 21, 30, -7)),
                scope_impact=rng.choice(
                    (
                        "No change to scope",
                        "Adds one interface",
                        "Removes a report",
                        "Adds two user journeys",
                        "Phase 2 moves to 2027",
                    )
                ),
                recommendation=rng.choice(
                    ("Approve", "Approve with conditions", "Defer", "Reject")
                ),
                status=ChangeStatus.SUBMITTED,
            )
        )

    for meeting in meetings:
        _decisions_and_actions(store, clock, rng, today, meeting, projects, raid, owners)

    for category, title, happened, next_time in LESSONS:
        project = rng.choice(projects)
        recorded = today - timedelta(days=rng.randint(15, 50))
        clock.set(recorded, 16)
        store.db.add(
            Lesson(
                project_id=project.id,
                meeting_id=rng.choice(meetings).id,
                category=category,
                title=title,
                what_happened=happened,
                impact=rng.choice(
                    (
                        "Two weeks of delay",
                        "Cost overrun of 40k",
                        "Rework of one release",
                        "Loss of stakeholder trust",
                    )
                ),
                next_time=next_time,
                tags=programme_of[project.id].lower().replace(" ", "-"),
                recorded_on=recorded,
            )
        )

    _change_control(store, clock, today, meetings[-1], projects)
    _capacity(store, clock, today, projects, programme_of)
    _adopted_ranking(store, clock, meetings[-1])
    # The two past meetings' records, as their close would have written them (the demo
    # builds a meeting's decisions after marking it closed); what follows came later.
    clock.set(second_meeting_day, 17)
    store.records.record_unrecorded()
    _between_meetings(store, clock, rng, today)

    clock.set(today - timedelta(days=3), 10)
    upcoming = store.meetings.plan_meeting(_meeting_title(today), today)
    for person, role in _roles(facilitator, members):
        store.db.add(Attendee(meeting_id=upcoming.id, person_id=person.id, role=role))
    clock.set(today, 8)


def _adopted_ranking(store: Store, clock: DemoClock, meeting: Meeting) -> None:
    """The last meeting adopted the ranking as it stood: one decision, and a row for each
    project with the board as adopted (score, cost, funding line)."""
    clock.set(meeting.scheduled_on, 15, 30)
    board = store.priorities.ranking()
    step = next(i for i in store.meetings.agenda(meeting.id) if i.step is AgendaStep.PRIORITIES)
    decision = store.db.add(
        Decision(
            meeting_id=meeting.id,
            agenda_item_id=step.id,
            text=f"Portfolio ranking adopted: 0 of {len(board.rows)} projects moved",
            rationale="Scores reviewed against the objectives; no case to move a project.",
            decided_on=meeting.scheduled_on,
            outcome="ranking",
            present=", ".join(
                row.name
                for row in store.meetings.attendees(meeting.id)
                if row.attendee.attendance is Attendance.PRESENT
            ),
        )
    )
    for row in board.rows:
        rank = row.project.rank if row.project.rank is not None else row.rank
        store.db.add(
            Ranking(
                meeting_id=meeting.id,
                project_id=row.project.id,
                rank_before=rank,
                rank_after=rank,
                score=round(row.score, 4),
                decision_id=decision.id,
                score_rank=row.score_rank,
                cost=row.cost,
                funded=row.funded,
                over_teams="\n".join(row.over_teams),
                budget=board.budget,
            )
        )


def _between_meetings(store: Store, clock: DemoClock, rng: random.Random, today: date) -> None:
    """What happens after the last meeting: dates slip and the ranking moves."""
    clock.set(today - timedelta(days=5), 10)
    open_actions = [a for a in store.all(Action) if a.status is ActionStatus.OPEN and a.due_on]
    for action in rng.sample(open_actions, min(2, len(open_actions))):
        assert action.due_on is not None
        store.db.update(
            Action, action.id, action.version, due_on=action.due_on + timedelta(days=14)
        )
    ranked = sorted(
        (p for p in store.all(Project) if p.rank is not None), key=lambda p: p.rank or 0
    )
    first, second = ranked[3], ranked[4]
    store.db.update(Project, first.id, first.version, rank=second.rank)
    store.db.update(Project, second.id, second.version, rank=first.rank)


SCOPE_STATEMENTS = (
    "Deliver the agreed release to all sites; training and hand-over included.",
    "Replace the current system for every user group; data migration included.",
    "Pilot at two sites, then roll out; decommissioning is out of scope.",
)


def _change_control(
    store: Store, clock: DemoClock, today: date, last: Meeting, projects: list[Project]
) -> None:
    """Baselines, one change approved at the last meeting, and two gates asked for.
    Deterministic without the random stream, so the rest of the demo stays as it was."""
    clock.set(today - timedelta(days=429), 9)
    for index, project in enumerate(projects):
        current = store.get(Project, project.id)
        store.db.update(
            Project,
            current.id,
            current.version,
            scope_statement=SCOPE_STATEMENTS[index % len(SCOPE_STATEMENTS)],
            cost_tolerance_pct=(10.0, 10.0, 15.0, 5.0)[index % 4],
            schedule_tolerance_days=(30, 30, 45, 21)[index % 4],
        )

    # The last meeting approved a change on the project of the first pending request, so
    # that request is measured against a tolerance already partly used.
    pending = store.changes.change_requests([ChangeStatus.SUBMITTED])
    project = store.get(Project, pending[0].project_id)
    clock.set(last.scheduled_on, 14, 40)
    cost = round(project.budget * 0.04, -3)
    earlier = store.db.add(
        ChangeRequest(
            project_id=project.id,
            title="Extra data-migration cycle",
            description="A third migration rehearsal after defects in the second.",
            requested_by="Priya Shah",
            raised_on=last.scheduled_on - timedelta(days=9),
            reason="Rehearsal 2 failed its reconciliation checks.",
            cost_impact=cost,
            schedule_impact_days=10,
            scope_impact="No change to scope",
            recommendation="Approve",
            status=ChangeStatus.SUBMITTED,
        )
    )
    decision = store.db.add(
        Decision(
            meeting_id=last.id,
            text=f"{earlier.code} approved: {earlier.title}",
            rationale="Go-live without a clean rehearsal is the larger risk.",
            decided_on=last.scheduled_on,
            project_id=project.id,
            change_request_id=earlier.id,
            outcome=ChangeStatus.APPROVED.value,
            present=", ".join(
                row.name
                for row in store.meetings.attendees(last.id)
                if row.attendee.attendance is Attendance.PRESENT
            ),
        )
    )
    store.db.update(
        ChangeRequest,
        earlier.id,
        earlier.version,
        status=ChangeStatus.APPROVED,
        decision_id=decision.id,
        meeting_id=last.id,
    )
    assert project.end_on is not None
    end = project.end_on + timedelta(days=10)
    store.db.add(
        BaselineChange(
            project_id=project.id,
            changed_on=last.scheduled_on,
            reason=f"{earlier.code} {earlier.title}",
            meeting_id=last.id,
            change_request_id=earlier.id,
            decision_id=decision.id,
            budget_before=project.budget,
            budget_after=project.budget + cost,
            end_before=project.end_on,
            end_after=end,
            scope_before=project.scope_statement,
            scope_after=project.scope_statement,
        )
    )
    store.db.update(Project, project.id, project.version, budget=project.budget + cost, end_on=end)
    draft = pending[-1]
    store.db.update(ChangeRequest, draft.id, draft.version, status=ChangeStatus.DRAFT)

    clock.set(today - timedelta(days=4), 11)
    asking = [
        (p, phase)
        for phase in (Phase.PLANNING, Phase.INITIATION)
        for p in projects
        if store.get(Project, p.id).phase is phase and p.status is ProjectStatus.ACTIVE
    ]
    for (candidate, _), ticks in zip(asking[:1] + asking[-1:], (4, 99), strict=False):
        gate = store.changes.request_gate(
            candidate.id,
            summary="Asks to move on: the plan and the business case are ready.",
            requested_by="Priya Shah",
        )
        for check in store.changes.gate_checks(gate.id)[:ticks]:
            state = CheckState.NOT_MET if check.position == 3 and ticks < 99 else CheckState.MET
            store.changes.set_check(check.id, check.version, state)


TEAMS = {
    "Digital Customer": ("Digital", 20.0),
    "Operations Excellence": ("Operations", 18.0),
    "Infrastructure Modernisation": ("Technology", 40.0),
    "Regulatory & Compliance": ("Risk & Compliance", 12.0),
}


def _capacity(
    store: Store,
    clock: DemoClock,
    today: date,
    projects: list[Project],
    programme_of: dict[int, str],
) -> None:
    """This period's budget, team capacity, each project's demand, and an urgency criterion,
    set so the funding line and one over-allocated team fall inside the portfolio."""
    clock.set(today - timedelta(days=429), 9, 30)
    urgency = store.priorities.add_criterion("Urgency", 10)
    total = 0.0
    for index, project in enumerate(projects):
        current = store.get(Project, project.id)
        cost = round(current.budget * (0.3, 0.45, 0.6)[index % 3], -3)
        total += cost
        store.db.update(Project, current.id, current.version, period_cost=cost)
        store.priorities.set_scores(project.id, {urgency.id: (3, 1, 4, 2, 5)[index % 5]})
        team, _ = TEAMS[programme_of[project.id]]
        store.priorities.set_demand(project.id, team, float(2 + index % 4))
        if team != "Technology":
            store.priorities.set_demand(project.id, "Technology", float(1 + index % 2))
    store.priorities.set_capacity(
        round(total * 0.7, -5), {team: fte for team, fte in TEAMS.values()}
    )


def _add_raid(store: Store, clock: DemoClock, item: RaidItem) -> RaidItem:
    """Raise the item on its day; a closed one is closed later, as a real register is."""
    clock.set(item.raised_on, 10)
    stored = store.db.add(
        item.model_copy(update={"status": RaidStatus.OPEN, "closed_on": None, "close_reason": ""})
    )
    if item.status is RaidStatus.OPEN:
        return stored
    clock.set(item.closed_on or item.raised_on, 12)
    return store.db.update(
        RaidItem,
        stored.id,
        stored.version,
        status=item.status,
        closed_on=item.closed_on,
        close_reason=item.close_reason,
    )


def _meeting_title(day: date) -> str:
    return series_title("Portfolio review", day)


def _roles(facilitator: Person, members: list[Person]) -> list[tuple[Person, AttendeeRole]]:
    return [(members[0], AttendeeRole.CHAIR), (facilitator, AttendeeRole.FACILITATOR)] + [
        (person, AttendeeRole.MEMBER) for person in members[1:]
    ]


def _raid_item(
    rng: random.Random,
    today: date,
    kind: RaidKind,
    title: str,
    project_id: int | None,
    owners: list[Person],
) -> RaidItem:
    raised = today - timedelta(days=rng.randint(5, 200))
    status = rng.choice(
        (
            RaidStatus.OPEN,
            RaidStatus.OPEN,
            RaidStatus.OPEN,
            RaidStatus.MONITORING,
            RaidStatus.ESCALATED,
            RaidStatus.CLOSED,
        )
    )
    probability = impact = None
    response = None
    if kind in (RaidKind.RISK, RaidKind.ISSUE):
        probability = 5 if kind is RaidKind.ISSUE else rng.randint(1, 5)
        impact = rng.randint(1, 5)
    if kind is RaidKind.RISK:
        opportunity = "(opportunity)" in title
        response = rng.choice(
            (Response.EXPLOIT, Response.ENHANCE, Response.SHARE)
            if opportunity
            else (
                Response.MITIGATE,
                Response.MITIGATE,
                Response.ACCEPT,
                Response.TRANSFER,
                Response.AVOID,
            )
        )
    closed = status is RaidStatus.CLOSED
    return RaidItem(
        kind=kind,
        project_id=project_id,
        title=title,
        description=title + ".",
        owner_id=rng.choice(owners).id,
        status=status,
        raised_on=raised,
        review_by=today + timedelta(days=rng.randint(-30, 45)),
        closed_on=today - timedelta(days=rng.randint(1, 4)) if closed else None,
        close_reason="Mitigation complete; no longer expected." if closed else "",
        probability=probability,
        impact=impact,
        response=response,
        response_plan="Weekly check-in with the owner; contingency plan drafted."
        if response
        else "",
    )


def _closed_meeting(
    store: Store,
    clock: DemoClock,
    title: str,
    day: date,
    rng: random.Random,
    facilitator: Person,
    members: list[Person],
) -> Meeting:
    clock.set(day - timedelta(days=7))
    meeting = store.meetings.plan_meeting(title, day)
    started = datetime.combine(day, time(14, 0), tzinfo=UTC)
    clock.set(day, 14)
    moment = started
    for item in store.meetings.agenda(meeting.id):
        spent = timedelta(minutes=max(1, item.timebox_minutes + rng.randint(-4, 6)))
        store.db.update(
            AgendaItem,
            item.id,
            item.version,
            started_at=moment,
            ended_at=moment + spent,
            spent_seconds=int(spent.total_seconds()),
        )
        moment += spent
    for person, role in _roles(facilitator, members):
        attendance = Attendance.APOLOGIES if rng.random() < 0.15 else Attendance.PRESENT
        store.db.add(
            Attendee(meeting_id=meeting.id, person_id=person.id, role=role, attendance=attendance)
        )
    last = len(store.meetings.agenda(meeting.id)) - 1
    clock.moment = moment
    return store.db.update(
        Meeting,
        meeting.id,
        meeting.version,
        state=MeetingState.CLOSED,
        started_at=started,
        closed_at=moment,
        current_step=last,
    )


def _decisions_and_actions(
    store: Store,
    clock: DemoClock,
    rng: random.Random,
    today: date,
    meeting: Meeting,
    projects: list[Project],
    raid: list[RaidItem],
    owners: list[Person],
) -> None:
    clock.set(meeting.scheduled_on, 15)
    store.meeting_id = meeting.id
    steps = store.meetings.agenda(meeting.id)[1:5]
    by_name = {project.name: project for project in projects}
    for text, rationale, about in rng.sample(DECISIONS, 4):
        project = rng.choice(projects) if about is None else by_name.get(about)
        store.db.add(
            Decision(
                agenda_item_id=rng.choice(steps).id,
                meeting_id=meeting.id,
                text=text,
                rationale=rationale,
                decided_on=meeting.scheduled_on,
                project_id=project.id if project else None,
            )
        )
    for text in rng.sample(ACTIONS, 7):
        due = meeting.scheduled_on + timedelta(days=rng.choice((7, 14, 14, 21, 28, 56)))
        done = due < today and rng.random() < 0.5
        linked = rng.choice(raid) if rng.random() < 0.3 else None
        clock.set(meeting.scheduled_on, 15)
        store.meeting_id = meeting.id
        action = store.db.add(
            Action(
                agenda_item_id=rng.choice(steps).id,
                meeting_id=meeting.id,
                text=text,
                owner_id=rng.choice(owners).id,
                due_on=due,
                project_id=linked.project_id if linked else rng.choice(projects).id,
                raid_item_id=linked.id if linked else None,
            )
        )
        if done:
            clock.set(due - timedelta(days=1), 11)
            store.meeting_id = None
            store.decisions.close_action(action.id, action.version, ActionStatus.DONE)
    store.meeting_id = None
