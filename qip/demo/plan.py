"""The demo trust's plan, with figures that reproduce the seed board paper.

At the end of April 2019 (seeds/003): Must Do root causes completed against planned were
22/26 (Women's and Children's), 21/25 (Scheduled Care), 16/24 (Unscheduled Care) and 34/39
(Workforce): 93 of 114 Must Do. Eight Should Do were completed. Together that is over 75%
of trajectory, down from 80% at the end of March, when 52 were complete in total and Must Do
stood above 80%. 137 open Must Do root causes are on track. Well-led reports from May.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cqc.models import (
    AssessmentItem,
    CoreService,
    FindingSource,
    Framework,
    KeyQuestion,
    Rating,
    Regulation,
)
from findings.models import Finding, FindingType
from kpis.models import KPI
from rootcauses import services as rc_services
from rootcauses.models import RAG, Action, RootCause

from .. import services as qip_services
from ..models import (
    CrossCuttingTheme,
    ImprovementSteeringGroup,
    Inspection,
    InspectionRating,
    Programme,
    ProgrammeRole,
    ReportingPeriod,
)
from ..tasks import extend_calendar
from . import people, texts

DEMO_TODAY = dt.date(2019, 4, 26)
SPRINT_ANCHOR = dt.date(2019, 3, 4)
CALENDAR_UNTIL = dt.date(2020, 3, 31)
MARCH = (dt.date(2019, 3, 4), dt.date(2019, 3, 29))
APRIL = (dt.date(2019, 4, 1), dt.date(2019, 4, 26))
LATER = (dt.date(2019, 5, 1), dt.date(2020, 3, 20))

MD, SD = FindingType.MUST_DO.value, FindingType.SHOULD_DO.value


@dataclass(frozen=True)
class IsgSpec:
    code: str
    name: str
    cadence: str
    core_services: tuple[str, ...]
    findings: dict  # {MD: n, SD: n}
    root_causes: dict  # {MD: n, SD: n}
    by_march: dict  # {MD: (planned, completed), SD: (…)}
    by_april: dict
    regulations: tuple[str, ...] = ("12", "17")
    structured_by_kloe: bool = False


FORTNIGHTLY, MONTHLY = (
    ImprovementSteeringGroup.Cadence.FORTNIGHTLY,
    ImprovementSteeringGroup.Cadence.MONTHLY,
)

ISGS = [
    IsgSpec(
        "WC",
        "Women's and Children's",
        FORTNIGHTLY,
        ("MAT",),
        {MD: 21, SD: 27},
        {MD: 47, SD: 35},
        {MD: (13, 11), SD: (2, 1)},
        {MD: (26, 22), SD: (4, 2)},
        ("12", "18", "17"),
    ),
    IsgSpec(
        "SC",
        "Scheduled Care",
        FORTNIGHTLY,
        ("CC", "SURG", "EOLC"),
        {MD: 16, SD: 42},
        {MD: 45, SD: 68},
        {MD: (12, 10), SD: (3, 2)},
        {MD: (25, 21), SD: (6, 3)},
        ("12", "15", "17"),
    ),
    IsgSpec(
        "UC",
        "Unscheduled Care",
        FORTNIGHTLY,
        ("UEC", "MED"),
        {MD: 20, SD: 9},
        {MD: 68, SD: 23},
        {MD: (12, 9), SD: (1, 1)},
        {MD: (24, 16), SD: (3, 1)},
        ("12", "10", "11"),
    ),
    IsgSpec(
        "WF",
        "Workforce",
        FORTNIGHTLY,
        (),
        {MD: 21, SD: 10},
        {MD: 105, SD: 16},
        {MD: (20, 17), SD: (2, 1)},
        {MD: (39, 34), SD: (3, 2)},
        ("18", "17"),
    ),
    IsgSpec(
        "WL",
        "Well-led",
        MONTHLY,
        (),
        {MD: 1, SD: 3},
        {MD: 8, SD: 8},
        {MD: (0, 0), SD: (0, 0)},
        {MD: (0, 0), SD: (0, 0)},
        ("17",),
        structured_by_kloe=True,
    ),
]

KEY_QUESTIONS = {
    "WC": ["SAFE", "EFFECTIVE"],
    "SC": ["SAFE", "EFFECTIVE"],
    "UC": ["SAFE", "RESPONSIVE"],
    "WF": ["SAFE", "WELL_LED"],
    "WL": ["WELL_LED"],
}
AT_RISK_MUST_DO = {
    "WC": 3,
    "SC": 4,
    "UC": 4,
    "WF": 3,
}  # 14 at risk, so 137 open Must Do are on track
MISSING_THIS_SPRINT = {"WC": 4, "SC": 5, "UC": 4, "WF": 5}


def _spread(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    if n <= 0:
        return []
    span = (end - start).days
    return [start + dt.timedelta(days=round(i * span / max(n - 1, 1))) for i in range(n)]


@dataclass
class Plan:
    """What happens to one root cause in the demo story."""

    root_cause: RootCause
    fate: str  # done_march, done_april_late, done_april, overdue, open
    at_risk: bool = False
    missing_this_sprint: bool = False
    closure_pending: bool = False
    verified: bool = False


def _fates(spec: IsgSpec, kind: str) -> list[tuple[str, dt.date, dt.date | None]]:
    """(fate, baseline due date, completed on) for each root cause of one ISG and kind."""
    total = spec.root_causes[kind]
    p_march, c_march = spec.by_march[kind]
    p_april, c_april = spec.by_april[kind]
    late = p_march - c_march
    april_done_of_april_planned = c_april - c_march - late
    assert april_done_of_april_planned >= 0, spec
    march_dates = _spread(*MARCH, p_march)
    april_dates = _spread(*APRIL, p_april - p_march)
    later_start = LATER[0] if spec.cadence == FORTNIGHTLY else dt.date(2019, 5, 31)
    later_dates = _spread(later_start, LATER[1], total - p_april)
    rows = []
    for i, due in enumerate(march_dates):
        if i < c_march:
            rows.append(("done_march", due, due))
        else:
            rows.append(
                ("done_april_late", due, dt.date(2019, 4, 3) + dt.timedelta(days=3 * (i - c_march)))
            )
    for i, due in enumerate(april_dates):
        if i < april_done_of_april_planned:
            rows.append(("done_april", due, due))
        else:
            rows.append(("overdue", due, None))
    rows.extend(("open", due, None) for due in later_dates)
    return rows


@transaction.atomic
def build(accounts: dict) -> Programme:
    rng = random.Random(2019)
    framework = Framework.objects.get(code="KLOE_HC_2017")
    programme = Programme.objects.create(
        name="Quality Improvement Plan 2019",
        trust_name="Demo Hospitals NHS Trust",
        framework=framework,
        sprint_anchor=SPRINT_ANCHOR,
    )
    # The nightly task that keeps calendars a year ahead, run in-process here because the
    # rest of the build needs the periods at once (a worker runs it every night).
    extend_calendar.apply(args=[programme.pk, CALENDAR_UNTIL.isoformat()]).get()
    _inspection(programme)

    staff = people.staff()
    ProgrammeRole.objects.create(
        programme=programme, user=accounts["pmo"], role=ProgrammeRole.Role.PMO
    )
    ProgrammeRole.objects.create(
        programme=programme, user=accounts["pmo"], role=ProgrammeRole.Role.ENGAGEMENT_LEAD
    )
    ProgrammeRole.objects.create(
        programme=programme, user=accounts["exec"], role=ProgrammeRole.Role.EXECUTIVE
    )
    ProgrammeRole.objects.create(
        programme=programme, user=accounts["partner"], role=ProgrammeRole.Role.PARTNER
    )

    isgs = {}
    for order, spec in enumerate(ISGS, start=1):
        if spec.code == "WC":
            chair, executive = accounts["chair"], accounts["exec"]
        else:
            chair = people.make_user(f"chair.{spec.code.lower()}", *people.CHAIRS[spec.code][:2])
            executive = people.make_user(
                f"exec.{spec.code.lower()}", *people.EXECUTIVES[spec.code][:2]
            )
            ProgrammeRole.objects.create(
                programme=programme, user=executive, role=ProgrammeRole.Role.EXECUTIVE
            )
        isg = ImprovementSteeringGroup.objects.create(
            programme=programme,
            name=spec.name,
            code=spec.code,
            cadence=spec.cadence,
            chair=chair,
            accountable_executive=executive,
            structured_by_kloe=spec.structured_by_kloe,
            order=order,
        )
        isg.core_services.set(CoreService.objects.filter(code__in=spec.core_services))
        isgs[spec.code] = isg

    themes = [
        CrossCuttingTheme.objects.create(
            programme=programme,
            name="Digital templates in the electronic patient record",
            description="Changes to clinical templates that every service asked the digital team for.",
            reporting_isg=isgs["UC"],
            lead=staff[40],
        ),
        CrossCuttingTheme.objects.create(
            programme=programme,
            name="Induction for temporary staff",
            description="One local induction for bank and agency staff, run by Corporate Nursing.",
            reporting_isg=isgs["UC"],
            lead=staff[41],
        ),
    ]

    plans: list[Plan] = []
    owner_pool = {
        code: staff[i * 8 : (i + 1) * 8] for i, code in enumerate(["WC", "SC", "UC", "WF", "WL"])
    }
    owner_pool["WL"] = staff[32:40]
    for spec in ISGS:
        plans += _build_isg(programme, spec, isgs[spec.code], owner_pool[spec.code], themes, rng)

    _give_owner_a_caseload(plans, accounts["owner"])
    _mark_story(plans)
    _run_sprints(programme, isgs, plans, rng)
    _verify(plans, accounts["pmo"])
    return programme


def _inspection(programme: Programme) -> None:
    ratings = {r.code: r for r in Rating.objects.all()}
    inspection = Inspection.objects.create(
        programme=programme,
        title="CQC inspection of acute services and well-led",
        inspected_from=dt.date(2018, 8, 21),
        inspected_to=dt.date(2018, 9, 27),
        report_published=dt.date(2018, 11, 29),
        overall_rating=ratings["INADEQUATE"],
    )
    by_question = {
        "SAFE": "INADEQUATE",
        "EFFECTIVE": "REQUIRES_IMPROVEMENT",
        "CARING": "GOOD",
        "RESPONSIVE": "REQUIRES_IMPROVEMENT",
        "WELL_LED": "INADEQUATE",
    }
    for kq in KeyQuestion.objects.all():
        InspectionRating.objects.create(
            inspection=inspection, key_question=kq, rating=ratings[by_question[kq.code]]
        )


def _build_isg(programme, spec: IsgSpec, isg, owners, themes, rng) -> list[Plan]:
    key_questions = list(KeyQuestion.objects.filter(code__in=KEY_QUESTIONS[spec.code]))
    regulations = list(
        Regulation.objects.filter(instrument="HSCA2008_RA2014", number__in=spec.regulations)
    )
    services = list(CoreService.objects.filter(code__in=spec.core_services))
    sources = {s.code: s for s in FindingSource.objects.all()}
    kloes = list(
        AssessmentItem.objects.filter(framework=programme.framework, code__startswith="W").order_by(
            "order"
        )
    )
    inspection = programme.inspections.first()
    finding_texts = texts.FINDINGS[spec.code]
    rc_titles = texts.ROOT_CAUSES[spec.code]
    plans = []
    for kind, short in ((MD, "MD"), (SD, "SD")):
        findings = []
        for n in range(1, spec.findings[kind] + 1):
            source = sources["WELL_LED_REVIEW" if spec.structured_by_kloe else "INSPECTION_REPORT"]
            if kind == MD and n == 1 and spec.code in ("WF", "UC"):
                source = sources["S29A_NOTICE"]
            elif kind == MD and n == 2 and spec.code in ("WC", "UC"):
                source = sources["S31_NOTICE"]
            text = finding_texts[(n - 1) % len(finding_texts)]
            if kind == SD:
                text = text.replace("The trust must", "The trust should")
            finding = Finding.objects.create(
                programme=programme,
                isg=isg,
                inspection=inspection,
                reference=f"{spec.code}-{short}-{n:02d}",
                finding_type=kind,
                text=text,
                core_service=services[(n - 1) % len(services)] if services else None,
                site=["RSH", "PRH", ""][n % 3] if services else "",
                regulation=regulations[(n - 1) % len(regulations)] if kind == MD else None,
                source=source,
            )
            finding.key_questions.set(key_questions[: 1 + n % len(key_questions)])
            findings.append(finding)
        per_finding: dict[int, int] = {}
        for i, (fate, due, done) in enumerate(_fates(spec, kind)):
            finding = findings[i % len(findings)]
            per_finding[finding.pk] = per_finding.get(finding.pk, 0) + 1
            owner = owners[i % len(owners)]
            title = rc_titles[i % len(rc_titles)]
            kpi = KPI.objects.create(
                programme=programme,
                level=KPI.Level.ROOT_CAUSE,
                isg=isg,
                name=f"{texts.KPI_NAMES[spec.code]} ({finding.reference} RC{per_finding[finding.pk]})",
                unit=KPI.Unit.PERCENTAGE,
                improvement=KPI.Improvement.INCREASE,
                target=95,
                frequency=KPI.Frequency.MONTHLY
                if spec.cadence == MONTHLY
                else KPI.Frequency.FORTNIGHTLY,
                owner=owner,
                key_question=key_questions[0],
                data_source="Ward audit" if spec.code != "WL" else "Board secretary's log",
            )
            theme = None
            delivered_by = ""
            if spec.code in ("SC", "UC", "WF") and i % 17 == 5:
                theme = themes[0] if spec.code != "WF" else themes[1]
                delivered_by = "Digital Services" if theme == themes[0] else "Corporate Nursing"
            root_cause = RootCause.objects.create(
                programme=programme,
                isg=isg,
                finding=finding,
                reference=f"{finding.reference} RC{per_finding[finding.pk]}",
                title=title,
                description=f"{title}. Identified when the PMO unpacked {finding.reference} with the service.",
                owner=owner,
                kpi=kpi,
                assessment_item=kloes[i % 8] if spec.structured_by_kloe else None,
                theme=theme,
                delivered_by=delivered_by,
                baseline_due_date=due,
                current_due_date=due,
            )
            for a in range(2 + i % 2):
                Action.objects.create(
                    root_cause=root_cause,
                    description=texts.ACTIONS[(i + a) % len(texts.ACTIONS)],
                    owner=owner,
                    due_date=due - dt.timedelta(days=14 * (1 - a)) if a < 2 else due,
                    order=a,
                )
            root_cause._completes_on = done
            plans.append(Plan(root_cause=root_cause, fate=fate))
    return plans


def _give_owner_a_caseload(plans: list[Plan], owner) -> None:
    """The `owner` sign-in holds a typical mix in Women's and Children's."""
    wc = [
        p
        for p in plans
        if p.root_cause.isg.code == "WC" and p.root_cause.finding.finding_type == MD
    ]
    wanted = ["done_march", "done_april", "overdue", "open", "open", "open", "open"]
    for fate in wanted:
        plan = next(p for p in wc if p.fate == fate and p.root_cause.owner_id != owner.pk)
        rc = plan.root_cause
        rc.owner = owner
        rc.save(update_fields=["owner"])
        rc.kpi.owner = owner
        rc.kpi.save(update_fields=["owner"])
        rc.actions.update(owner=owner)


def _mark_story(plans: list[Plan]) -> None:
    """Which open root causes are at risk, missing this sprint's update or awaiting closure."""
    for code in AT_RISK_MUST_DO:
        open_md = [
            p
            for p in plans
            if p.root_cause.isg.code == code
            and p.fate == "open"
            and p.root_cause.finding.finding_type == MD
        ]
        owner_first = sorted(open_md, key=lambda p: p.root_cause.owner.username != "owner")
        # The owner's caseload: one missing this sprint, one awaiting closure, one at risk.
        if code == "WC":
            owner_first[0].missing_this_sprint = True
            owner_first[1].closure_pending = True
            owner_first[2].at_risk = True
            rest = owner_first[4:]
            at_risk_left, missing_left = AT_RISK_MUST_DO[code] - 1, MISSING_THIS_SPRINT[code] - 1
        else:
            rest = owner_first
            at_risk_left, missing_left = AT_RISK_MUST_DO[code], MISSING_THIS_SPRINT[code]
        for plan in _pick(rest, at_risk_left):
            plan.at_risk = True
        for plan in _pick([p for p in rest if not p.at_risk][1:], missing_left):
            plan.missing_this_sprint = True
        for plan in [p for p in rest if not (p.at_risk or p.missing_this_sprint)][:1]:
            plan.closure_pending = True
    for plan in plans:
        if plan.fate == "done_march" and plan.root_cause.pk % 9 == 0:
            plan.verified = True
    next(
        p for p in plans if p.fate == "done_march" and p.root_cause.owner.username == "owner"
    ).verified = True


def _pick(items: list, n: int) -> list:
    """n items spread evenly through the list."""
    if n <= 0 or not items:
        return []
    step = len(items) / n
    return [items[int(i * step)] for i in range(min(n, len(items)))]


def _rag(plan: Plan, period: ReportingPeriod) -> str:
    rc = plan.root_cause
    completes = rc._completes_on
    late = completes is None or completes > period.ends_on
    if period.ends_on >= rc.baseline_due_date and late:
        return RAG.OFF_TRACK
    if plan.at_risk and period.number >= 3:
        return RAG.AT_RISK
    return RAG.ON_TRACK


def _run_sprints(programme, isgs, plans: list[Plan], rng) -> dict:
    """Replay March and April 2019: updates each sprint, then the closures the chairs confirmed."""
    sprints = list(
        ReportingPeriod.objects.filter(
            programme=programme,
            cadence=ReportingPeriod.Cadence.FORTNIGHTLY,
            starts_on__lte=DEMO_TODAY,
        ).order_by("starts_on")
    )
    months = list(
        ReportingPeriod.objects.filter(
            programme=programme, cadence=ReportingPeriod.Cadence.MONTHLY, starts_on__lte=DEMO_TODAY
        ).order_by("starts_on")
    )
    fortnightly = [p for p in plans if p.root_cause.isg.cadence == FORTNIGHTLY]
    current = sprints[-1]
    rejected_once = False
    for sprint in sprints:
        posted_on = min(sprint.ends_on - dt.timedelta(days=3), DEMO_TODAY - dt.timedelta(days=1))
        at = timezone.make_aware(dt.datetime.combine(posted_on, dt.time(10, 30)))
        for plan in fortnightly:
            rc = plan.root_cause
            completes = rc._completes_on
            if completes is not None and completes < sprint.starts_on:
                continue
            if sprint.number <= 2 and rc.baseline_due_date > APRIL[1]:
                continue  # far-off root causes started reporting in April
            if sprint == current and plan.missing_this_sprint:
                continue
            rag = _rag(plan, sprint)
            narrative = rng.choice(texts.NARRATIVES[rag])
            extra = {}
            if rag == RAG.OFF_TRACK:
                extra = {
                    "recovery_note": "Recovery plan agreed with the ISG: interim measures in place and weekly review.",
                    "forecast_date": rc.baseline_due_date + dt.timedelta(days=35 + rc.pk % 30),
                }
            done_actions = []
            if completes is not None and completes <= sprint.ends_on:
                done_actions = list(rc.actions.values_list("pk", flat=True))
            rc_services.update_post(
                by=rc.owner,
                root_cause=rc,
                period=sprint,
                rag=rag,
                narrative=narrative,
                actions_done=done_actions,
                at=at,
                notify=False,  # a replay of 2019: no off-track emails
                **extra,
            )
        for plan in fortnightly:
            rc = plan.root_cause
            completes = rc._completes_on
            if completes is None or not (sprint.starts_on <= completes <= sprint.ends_on):
                continue
            _close(rc, completes)
        if sprint.number == 3 and not rejected_once:
            plan = next(
                p
                for p in fortnightly
                if p.fate == "open"
                and p.root_cause.isg.code == "UC"
                and not p.closure_pending
                and not p.missing_this_sprint
                and not p.at_risk
            )
            request = rc_services.closure_request(
                by=plan.root_cause.owner,
                root_cause=plan.root_cause,
                note="Audit shows the new procedure in use.",
                at=at,
            )
            rc_services.closure_reject(
                by=plan.root_cause.isg.chair,
                closure=request,
                at=at + dt.timedelta(days=2),
                reason="The audit covers RSH only; please add evidence from PRH before closure.",
            )
            rejected_once = True
    for plan in plans:
        if plan.closure_pending:
            rc_services.closure_request(
                by=plan.root_cause.owner,
                root_cause=plan.root_cause,
                note="All actions complete; three weeks of audit at 100%.",
                at=timezone.make_aware(
                    dt.datetime.combine(DEMO_TODAY - dt.timedelta(days=1), dt.time(9))
                ),
            )
    return {"sprints": sprints, "months": months}


def _close(rc: RootCause, on: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=1), dt.time(15)))
    request = rc_services.closure_request(
        by=rc.owner,
        root_cause=rc,
        note="Actions complete and the audit shows the change in place.",
        at=at,
    )
    rc_services.closure_confirm(
        by=rc.isg.chair, closure=request, on=on, at=at + dt.timedelta(days=1)
    )


def _verify(plans: list[Plan], pmo) -> None:
    for plan in plans:
        if plan.verified:
            rc_services.verification_record(
                by=pmo,
                root_cause=plan.root_cause,
                method="peer_review",
                checked_by="Peer review team (Deputy Director of Nursing and a governor)",
                checked_on=dt.date(2019, 4, 17),
                findings="Change seen in practice on both sites.",
                outcome="verified",
            )


def sign_off(programme: Programme) -> None:
    """The chairs signed off each finished sprint (and Well-led its March month).

    Run last, after every demo step has posted its data: signed-off periods are read-only.
    """
    isgs = {isg.code: isg for isg in programme.isgs.all()}
    periods = {
        "sprints": list(
            programme.periods.filter(cadence=FORTNIGHTLY, starts_on__lte=DEMO_TODAY).order_by(
                "starts_on"
            )
        ),
        "months": list(
            programme.periods.filter(cadence=MONTHLY, starts_on__lte=DEMO_TODAY).order_by(
                "starts_on"
            )
        ),
    }
    for sprint in periods["sprints"][:-1]:
        for isg in isgs.values():
            if isg.cadence == FORTNIGHTLY:
                qip_services.period_sign_off(
                    by=isg.chair,
                    isg=isg,
                    period=sprint,
                    note="Signed off at the ISG meeting.",
                    at=timezone.make_aware(
                        dt.datetime.combine(sprint.ends_on + dt.timedelta(days=2), dt.time(16))
                    ),
                )
    march = periods["months"][0]
    qip_services.period_sign_off(
        by=isgs["WL"].chair,
        isg=isgs["WL"],
        period=march,
        note="Plan in development; no updates due.",
        at=timezone.make_aware(dt.datetime(2019, 4, 3, 16)),
    )
