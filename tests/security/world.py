"""A small programme with one of every kind of object a URL takes, and every persona.

Used by the authorisation matrix, the id-tampering tests and the accessibility sweep, so that
the same objects answer the same URLs everywhere. Built through the services where they exist
(the way users make these rows), with factories for the rest. The calendar is pinned to
Tuesday 20 February 2024 (sprint 4, 12–25 February), as in tests/conftest.py.

Personas (the attribute names on the World):

    owner           owns root_cause, rc_closing and rc_closed (all in ISG A)
    other_owner     owns rc_other, in ISG B of the same programme
    chair           chairs ISG A (the owner's ISG)
    other_chair     chairs ISG B and the Well-led ISG W
    isg_lead        a lead of ISG A (acts for the chair)
    acc_exec        the accountable executive for ISG A
    pmo, executive, partner, engagement_lead   programme roles
    outsider        the PMO of another trust's programme (Q)
    anonymous       not signed in
"""

import datetime as dt
import hashlib
from types import SimpleNamespace

from django.apps import apps
from django.core.files.base import ContentFile

from core import roles
from cqc.loader import load_reference
from cqc.models import Framework, Regulation
from engagement.models import PublicPage
from governance import escalations
from governance.models import ChangeRequest
from governance.services import change_request_propose
from governance.wellled import kloe_items, kloe_report_save
from kpis.models import KPI
from qip.models import BoardPaperFile, ImprovementSteeringGroup, ProgrammeRole
from qip.reporting.rollup import rollup_periods
from qip.services import calendar_build, period_sign_off
from rootcauses import services as rc_services
from rootcauses.models import Update
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    ChampionFactory,
    ConsentedFeedbackFactory,
    EcibMeetingFactory,
    EscalationFactory,
    EvidenceFileFactory,
    FeedbackItemFactory,
    FindingFactory,
    IsgFactory,
    KPIFactory,
    MeasurementFactory,
    PartnerMeetingFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    PublishedStoryFactory,
    RootCauseFactory,
    StoryFactory,
    ThemeFactory,
    UserFactory,
    add_series,
)
from tests.factories.boardpapers import BoardPaperFactory
from tests.factories.engagement import ActivityFactory

TODAY = "2024-02-20"
PASSWORD = "correct-horse-battery-staple"

PERSONAS = (
    "anonymous",
    "owner",
    "other_owner",
    "chair",
    "other_chair",
    "isg_lead",
    "acc_exec",
    "pmo",
    "executive",
    "partner",
    "engagement_lead",
    "outsider",
)


class World(SimpleNamespace):
    def user(self, persona: str):
        return None if persona == "anonymous" else getattr(self, persona)


def _person(username: str, first: str, last: str):
    user = UserFactory(username=username, first_name=first, last_name=last)
    roles.clear_role_cache(user)
    return user


def _role(programme, user, role):
    ProgrammeRoleFactory(programme=programme, user=user, role=role)
    roles.clear_role_cache(user)
    return user


def _board_paper_file(paper, by) -> BoardPaperFile:
    data = b"PK\x03\x04 a draft board paper"
    export = BoardPaperFile(
        paper=paper,
        format="docx",
        status="ready",
        progress=100,
        requested_by=by,
        filename="draft.docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    export.file.save("draft.docx", ContentFile(data), save=False)
    export.save()
    return export


def build_world() -> World:
    """Every object the URLs take, in programme P; the outsider's own programme Q beside it.

    Call with QIP_TODAY pinned to 2024-02-20 and the private storage pointing somewhere
    temporary. Everyone's password is PASSWORD (tests/factories UserFactory).
    """
    if not Framework.objects.exists():  # a transactional test before us flushed it
        load_reference(apps.get_model)
    w = World()

    # People
    w.owner = _person("owner", "Amara", "Okafor")
    w.other_owner = _person("other-owner", "Ben", "Morgan")
    w.chair = _person("chair", "Helen", "Carter")
    w.other_chair = _person("other-chair", "Gareth", "Price")
    w.isg_lead = _person("isg-lead", "Laura", "Fisher")
    w.acc_exec = _person("acc-exec", "Rachel", "Dunn")
    w.pmo = _person("pmo", "Priya", "Malhotra")
    w.executive = _person("exec", "Edward", "Hughes")
    w.partner = _person("partner", "Sarah", "Lewis")
    w.engagement_lead = _person("engagement-lead", "Esther", "Lane")
    w.outsider = _person("outsider", "Oscar", "Reid")
    w.q_owner = _person("q-owner", "Quentin", "Hale")

    # Programme P, its calendar, its ISGs
    w.programme = ProgrammeFactory(
        name="Quality Improvement Plan 2024", sprint_anchor=dt.date(2024, 1, 1)
    )
    calendar_build(programme=w.programme, until=dt.date(2024, 12, 31))
    p = w.programme
    _role(p, w.pmo, ProgrammeRole.Role.PMO)
    _role(p, w.executive, ProgrammeRole.Role.EXECUTIVE)
    _role(p, w.partner, ProgrammeRole.Role.PARTNER)
    _role(p, w.engagement_lead, ProgrammeRole.Role.ENGAGEMENT_LEAD)

    w.isg = IsgFactory(
        programme=p,
        name="Women's and Children's",
        code="WC",
        chair=w.chair,
        accountable_executive=w.acc_exec,
        order=1,
    )
    w.isg.leads.add(w.isg_lead)
    w.other_isg = IsgFactory(programme=p, name="Scheduled Care", code="SC", chair=w.other_chair)
    w.wellled_isg = IsgFactory(
        programme=p,
        name="Well-led",
        code="WL",
        chair=w.other_chair,
        cadence=ImprovementSteeringGroup.Cadence.MONTHLY,
        structured_by_kloe=True,
        order=3,
    )
    periods = p.periods.order_by("starts_on")
    w.sprint = periods.get(cadence="fortnightly", number=4)  # 12–25 Feb 2024, today
    w.past_sprint = periods.get(cadence="fortnightly", number=3)
    w.month = periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1))
    w.kloe_item = kloe_items(p).first()

    # Findings and root causes
    reg12 = Regulation.objects.get(code="RA2014-REG12")
    w.finding = FindingFactory(isg=w.isg, programme=p, reference="WC-MD-07", regulation=reg12)
    w.other_finding = FindingFactory(
        isg=w.other_isg, programme=p, reference="SC-MD-01", regulation=reg12
    )
    w.theme = ThemeFactory(programme=p, reporting_isg=w.isg, name="Deteriorating patient")
    w.root_cause = RootCauseFactory(
        finding=w.finding,
        owner=w.owner,
        reference="WC-MD-07 RC2",
        title="Midwife staffing escalation not followed",
        baseline_due_date=dt.date(2024, 3, 15),
        theme=w.theme,
    )
    w.rc_other = RootCauseFactory(
        finding=w.other_finding, owner=w.other_owner, reference="SC-MD-01 RC1"
    )
    w.rc_closing = RootCauseFactory(
        finding=w.finding, owner=w.owner, reference="WC-MD-07 RC3", title="Fresh eyes audit"
    )
    w.rc_closed = RootCauseFactory(
        finding=w.finding,
        owner=w.owner,
        reference="WC-MD-07 RC1",
        title="Handover sheet",
        baseline_due_date=dt.date(2024, 1, 31),
    )
    w.action = ActionFactory(root_cause=w.root_cause, description="Rewrite the policy")
    w.other_action = ActionFactory(root_cause=w.rc_other, description="Book theatre lists")
    w.kpi = w.root_cause.kpi
    w.high_kpi = KPIFactory(
        programme=p,
        isg=w.isg,
        level=KPI.Level.HIGH_LEVEL,
        name="Maternity: % of births with one-to-one care",
    )
    add_series(w.kpi, [70, 72, 71, 75, 74, 78, 80, 79, 82, 84, 83, 86], start=dt.date(2023, 7, 2))
    add_series(w.high_kpi, [91, 93, 92, 95, 94, 96, 97, 96], start=dt.date(2023, 10, 22))
    w.measurement = w.kpi.measurements.order_by("-period_end").first()

    # Owner's updates, evidence, closure requests
    rc_services.update_post(
        by=w.owner,
        root_cause=w.root_cause,
        period=w.past_sprint,
        rag="on_track",
        narrative="Policy drafted; consultation with the midwives under way.",
    )
    w.update = rc_services.update_post(
        by=w.owner,
        root_cause=w.root_cause,
        period=w.sprint,
        rag="at_risk",
        narrative="Consultation slipped a week because of annual leave.",
        forecast_date=dt.date(2024, 3, 22),
    )
    for number in (2, 3, 4):  # off track three sprints running: the ECIB rule fires
        Update.objects.create(
            root_cause=w.rc_other,
            period=periods.get(cadence="fortnightly", number=number),
            rag="off_track",
            narrative="Theatre lists cancelled.",
            recovery_note="Weekend lists booked.",
            forecast_date=dt.date(2024, 4, 30),
            author=w.other_owner,
        )
    w.evidence = EvidenceFileFactory(root_cause=w.root_cause, uploaded_by=w.owner)
    w.other_evidence = EvidenceFileFactory(root_cause=w.rc_other, uploaded_by=w.other_owner)
    w.closure = rc_services.closure_request(
        by=w.owner, root_cause=w.rc_closing, note="Audit at 100% for three weeks."
    )
    done = rc_services.closure_request(
        by=w.owner, root_cause=w.rc_closed, note="Handover sheet in use on every ward."
    )
    rc_services.closure_confirm(by=w.chair, closure=done, on=dt.date(2024, 1, 30))
    w.rc_closed.refresh_from_db()

    # Sign-off of a past sprint and a roll-up, so signed-off and frozen figures exist
    w.signed_sprint = periods.get(cadence="fortnightly", number=2)
    period_sign_off(by=w.chair, isg=w.isg, period=w.signed_sprint)
    rollup_periods(programme=p, periods=[w.past_sprint])
    w.snapshot = p.snapshots.order_by("pk").first()

    # Governance: rules, the ECIB, an escalation, a change request, the Well-led plan
    escalations.escalation_rules_ensure(programme=p)
    w.meeting = EcibMeetingFactory(programme=p, meets_on=dt.date(2024, 2, 22))
    w.escalation = EscalationFactory(root_cause=w.root_cause, meeting=w.meeting, raised_by=w.chair)
    w.change = change_request_propose(
        by=w.owner,
        root_cause=w.root_cause,
        kind=ChangeRequest.Kind.NEW_DUE_DATE,
        rationale="Midwife vacancies after the winter.",
        proposed_due_date=dt.date(2024, 4, 30),
    )
    w.kloe_report = kloe_report_save(
        by=w.other_chair,
        isg=w.wellled_isg,
        period=w.month,
        assessment_item=w.kloe_item,
        lines=[{"action": "Board development day", "evidence": "Programme and attendance"}],
        future_plans="Well-led self-assessment in March.",
    )

    # Engagement
    w.champion = ChampionFactory(programme=p, name="Grace Obi")
    w.activity = ActivityFactory(programme=p, title="Maternity voices listening event")
    w.partner_meeting = PartnerMeetingFactory(programme=p, title="SOAG February")
    AttendanceFactory(activity=w.partner_meeting, organisation="Shropshire CCG", attendees=2)
    w.feedback = FeedbackItemFactory(programme=p, activity=w.activity, topic="Waiting times")
    w.consented = ConsentedFeedbackFactory(programme=p, topic="Kind midwives")
    w.story = PublishedStoryFactory(programme=p, title="Calls answered within 15 minutes")
    w.story.feedback.set([w.consented])
    w.draft_story = StoryFactory(programme=p, title="A draft nobody else should read")
    PublicPage.objects.create(
        programme=p,
        introduction="What the CQC found and what we are doing about it.",
        approved_at=dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC),
        approved_by=w.pmo,
    )
    type(p).objects.filter(pk=p.pk).update(publish_progress=True)
    p.refresh_from_db()

    # Board papers: February's draft, with a finished Word export
    w.board_paper = BoardPaperFactory(period=w.month, created_by=w.pmo)
    w.board_paper_file = _board_paper_file(w.board_paper, w.pmo)

    # Programme Q: the outsider's own trust, with objects to swap in
    w.other_programme = ProgrammeFactory(
        name="Another trust's plan", sprint_anchor=dt.date(2024, 1, 1)
    )
    q = w.other_programme
    calendar_build(programme=q, until=dt.date(2024, 12, 31))
    _role(q, w.outsider, ProgrammeRole.Role.PMO)
    w.q_isg = IsgFactory(programme=q, name="Medicine", code="MED")
    w.q_finding = FindingFactory(isg=w.q_isg, programme=q, reference="MED-MD-01")
    w.q_root_cause = RootCauseFactory(
        finding=w.q_finding, owner=w.q_owner, reference="MED-MD-01 RC1"
    )
    w.q_sprint = q.periods.get(cadence="fortnightly", number=4)
    w.q_theme = ThemeFactory(programme=q, reporting_isg=w.q_isg, name="Sepsis")
    w.q_feedback = ConsentedFeedbackFactory(programme=q, topic="Another trust's patient")
    w.q_evidence = EvidenceFileFactory(root_cause=w.q_root_cause, uploaded_by=w.q_owner)
    MeasurementFactory(kpi=w.q_root_cause.kpi, period_end=dt.date(2024, 2, 11))
    w.q_board_paper = BoardPaperFactory(
        period=q.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1)),
        created_by=w.outsider,
    )

    for persona in PERSONAS[1:]:
        roles.clear_role_cache(getattr(w, persona))
    return w
