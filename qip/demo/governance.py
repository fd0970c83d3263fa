"""The demo trust's governance in April 2019: ECIB meetings, escalations and their decisions,
change control, and the Well-led plan for April (the seed paper's Figures 5–7).

Everything goes through the services people use, replayed on the day it happened (the
calendar is pinned to each day in turn). The April figures do not move: the re-planned root
cause is a Should Do whose baseline stays in April, and the withdrawn one was due after April.
"""

import datetime as dt
from contextlib import contextmanager

from django.test import override_settings
from django.utils import timezone

from governance import escalations, services, wellled
from qip.models import ImprovementSteeringGroup, Programme, ReportingPeriod
from rootcauses.models import RootCause

END_OF_APRIL = dt.date(2019, 4, 30)
ECIB_MEETINGS = [dt.date(2019, 4, day) for day in (4, 11, 18, 25)] + [dt.date(2019, 5, 2)]


@contextmanager
def _on(day: dt.date):
    """Replay a service call on the programme calendar's `day`."""
    with override_settings(QIP_TODAY=day.isoformat()):
        yield


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _open(programme: Programme, code: str, kind: str):
    return RootCause.objects.filter(
        programme=programme,
        isg__code=code,
        finding__finding_type=kind,
        completed_on__isnull=True,
        withdrawn_on__isnull=True,
    ).order_by("baseline_due_date", "reference")


def build(*, programme: Programme, accounts: dict) -> None:
    pmo, executive, owner = accounts["pmo"], accounts["exec"], accounts["owner"]
    isgs = {isg.code: isg for isg in ImprovementSteeringGroup.objects.filter(programme=programme)}
    escalations.escalation_rules_ensure(programme=programme, by=pmo)
    for day in ECIB_MEETINGS:
        with _on(min(day, dt.date(2019, 4, 26))):
            escalations.ecib_meeting_add(
                by=pmo, programme=programme, meets_on=day, note="Weekly ECIB, Board Room, RSH."
            )

    uc_chair = isgs["UC"].chair
    uc_off_track_md = list(_open(programme, "UC", "MUST_DO").filter(current_rag="off_track")[:2])
    replan_rc = _open(programme, "UC", "SHOULD_DO").filter(current_rag="off_track").first()

    # Sprint 3: the Unscheduled Care chair escalates three root causes that slipped.
    with _on(dt.date(2019, 4, 12)):
        accepted = escalations.escalation_raise(
            by=uc_chair,
            root_cause=uc_off_track_md[0],
            reason="Off track since the start of April: locum cover for the evening rota has "
            "fallen through. The ISG wants the ECIB to see the recovery plan.",
            at=_at(dt.date(2019, 4, 12), 15),
        )
        more = escalations.escalation_raise(
            by=uc_chair,
            root_cause=uc_off_track_md[1],
            reason="The new triage audit has not started: the ISG needs an executive decision "
            "on who funds the audit time.",
            at=_at(dt.date(2019, 4, 12), 15, 5),
        )
        replan = escalations.escalation_raise(
            by=uc_chair,
            root_cause=replan_rc,
            reason="Depends on a template change by Digital Services that will not land in April.",
            at=_at(dt.date(2019, 4, 12), 15, 10),
        )
    # The owner's first request for a later date (it is turned down on 18 April).
    owner_rc = (
        owner.owned_root_causes.filter(
            completed_on__isnull=True, baseline_due_date__lte=END_OF_APRIL
        )
        .order_by("baseline_due_date")
        .first()
    )
    with _on(dt.date(2019, 4, 11)):
        first_request = services.change_request_propose(
            by=owner,
            root_cause=owner_rc,
            kind="new_due_date",
            proposed_due_date=dt.date(2019, 5, 10),
            rationale="Two midwives are on long-term sick leave after Easter; the training "
            "cannot all be delivered in April.",
            at=_at(dt.date(2019, 4, 11), 9, 30),
        )

    # ECIB, Thursday 18 April.
    with _on(dt.date(2019, 4, 18)):
        escalations.escalation_decide(
            by=executive,
            escalation=accepted,
            decision="accept",
            note="Agency locums approved for six weeks; report back through the ISG.",
            at=_at(dt.date(2019, 4, 18), 10, 15),
        )
        escalations.escalation_decide(
            by=executive,
            escalation=more,
            decision="more_information",
            note="Bring the audit plan and the hours it needs to the next meeting.",
            at=_at(dt.date(2019, 4, 18), 10, 25),
        )
        escalations.escalation_decide(
            by=executive,
            escalation=replan,
            decision="replan",
            note="Re-plan to the end of May through change control.",
            at=_at(dt.date(2019, 4, 18), 10, 35),
        )
        services.change_request_reject(
            by=executive,
            change_request=first_request,
            note="Keep the date: the ISG will lend a practice educator to deliver the training.",
            at=_at(dt.date(2019, 4, 18), 10, 45),
        )
    with _on(dt.date(2019, 4, 19)):
        replan_change = services.change_request_propose(
            by=replan_rc.owner,
            root_cause=replan_rc,
            kind="new_due_date",
            proposed_due_date=dt.date(2019, 5, 31),
            rationale="Digital Services will release the streaming template on 20 May; two weeks "
            "of audit will follow.",
            escalation=replan,
            at=_at(dt.date(2019, 4, 19), 11),
        )
    withdrawn_rc = (
        _open(programme, "WC", "SHOULD_DO")
        .filter(baseline_due_date__gt=END_OF_APRIL)
        .exclude(status=RootCause.Status.CLOSURE_REQUESTED)
        .exclude(owner=owner)
        .first()
    )
    with _on(dt.date(2019, 4, 23)):
        withdrawal = services.change_request_propose(
            by=isgs["WC"].chair,
            root_cause=withdrawn_rc,
            kind="withdraw",
            rationale="Superseded: the maternity early warning score roll-out in the Must Do "
            "plan covers the same change, so tracking it twice double counts it.",
            at=_at(dt.date(2019, 4, 23), 16),
        )

    # ECIB, Thursday 25 April (after the owners posted their Sprint 4 updates that morning).
    with _on(dt.date(2019, 4, 25)):
        follow_up = more.follow_ups.get()
        escalations.escalation_decide(
            by=executive,
            escalation=follow_up,
            decision="accept",
            note="Audit time agreed from the clinical audit team's budget.",
            at=_at(dt.date(2019, 4, 25), 11),
        )
        services.change_request_approve(
            by=executive,
            change_request=replan_change,
            note="Approved. The baseline stays at the original date.",
            at=_at(dt.date(2019, 4, 25), 11, 10),
        )
        services.change_request_approve(
            by=executive,
            change_request=withdrawal,
            note="Approved: withdrawn from today.",
            at=_at(dt.date(2019, 4, 25), 11, 20),
        )
        # The owner asks again, off track this sprint: the second request is escalated.
        services.change_request_propose(
            by=owner,
            root_cause=owner_rc,
            kind="new_due_date",
            proposed_due_date=dt.date(2019, 5, 24),
            rationale="Still two midwives short; the practice educator covers one ward only.",
            at=_at(dt.date(2019, 4, 25), 14),
        )

    # The morning run of the rules on Friday 26 April fills the 2 May agenda.
    with _on(dt.date(2019, 4, 26)):
        escalations.escalations_evaluate(programme=programme, by=None)

    _well_led_april(programme, isgs["WL"])


# The seed paper's Figures 5, 6 and 7 (W1, W3, W4) and brief entries for the other KLOEs.
WELL_LED_APRIL = {
    "W1": {
        "lines": [
            (
                "Executive Director portfolios and job descriptions reviewed and re-aligned",
                "Letters sent to all Executives\nNew role of Director of Clinical Effectiveness "
                "created to redistribute some portfolio responsibilities",
            ),
            (
                "Development of Leadership Academy (200 leaders have individualised development "
                "identified)",
                "All leaders will have a personalised development plan, based around "
                "self-assessment",
            ),
            (
                "SLT format update to improve effectiveness, 12 month SLT development plan agreed "
                "and implemented\n12 month Board Development plan agreed and implemented",
                "There are a greater number of senior leaders across the organisation involved "
                "in decision-making\nClear objectives set for the Trust Board for the coming "
                "year, including identification of areas for significant discussion",
            ),
        ],
        "future": [
            "OD plan sent for Trust Board approval in May, with implementation commencing upon "
            "approval",
            "Tier 2 committees will also use the revised agenda format based around BAF risks",
            "Formal programme of Executive Genba walks",
            "Outcome of review of NED diversity review with recommendations presented to Trust "
            "Board",
        ],
    },
    "W3": {
        "lines": [
            (
                "First pulse survey undertaken to understand staff perceptions, closed 28/04/19",
                "Three minute survey sent to all members of staff",
            ),
            (
                "20 Freedom to Speak up Advocates recruited to support the Freedom to Speak Up "
                "Guardians",
                "In addition one Non-Executive Director has been identified as a Freedom to "
                "Speak Up Lead",
            ),
            (
                "50 Engagement Champions recruited, a volunteer role to share messages "
                "throughout the organisation",
                "Information is being shared from across the different Improvement Steering "
                "Groups and broader supportive Trust initiatives",
            ),
            (
                "22 'Think on' Master Coaches recruited",
                "Master Coaches will be advocates of 'purposeful conversations' and changing the "
                "dialogue throughout the organisation",
            ),
            ("Ten Peer-to-Peer listeners", "Greater capacity for listening to staff"),
            (
                "Staff focus groups have been held, an opportunity for staff voices to be heard",
                "Implemented the Chief Executive's cascade as a result of feedback\nCEO "
                "Breakfast sessions scheduled through 2019/20",
            ),
            (
                "Approval of a six month OD Delivery Plan at Trust Board",
                "Monthly updates to Workforce Committee",
            ),
            (
                "Our Improving Together newsletter has launched, sharing news of improvements "
                "made across the organisation",
                "Newsletter shared across the organisation to celebrate the hard work being "
                "undertaken through the QIP",
            ),
        ],
        "future": [
            "Proposed Employee Assistance Programme which will enhance our wellbeing offer to be "
            "presented to workforce committee",
            "Guiding Board for Think On will identify key organisational priorities that will be "
            "supported by Think On Coaches",
            "Three People managers workshops planned (270 attendees) who will learn the Think On "
            "tools to support purposeful conversations",
            "The OD strategy to be progressed to Board",
        ],
    },
    "W4": {
        "lines": [
            (
                "The Board Assurance Framework has been revised and refreshed, and there is now "
                "more focused discussion at Tier 2 Committees",
                "BAF now frames our discussion at tiered committees",
            ),
            (
                "Implementing the recommendations contained in the Deloitte audit on Tier 3 "
                "committees",
                "Refreshed committee structure",
            ),
            (
                "Expanded Terms of Reference of Audit Committee",
                "Audit Committee now receives assurances on the structures and processes to "
                "support: whistleblowing, robust data quality and clinical audit.",
            ),
            (
                "Establishment of Maternity Oversight Group chaired by a non-executive Director, "
                "a sub-committee of the Trust Board",
                "Chaired by the Trust Chairman, enabling direct access from the Maternity "
                "service to the Board",
            ),
            (
                "Agreement to establish ED Oversight Group chaired by a non-executive Director, "
                "that will take a similar form to the Maternity equivalent",
                "Will ensure Board-level oversight of an identified risk area for the organisation",
            ),
            (
                "Agreement to establish Recruitment and Retention Group, to be chaired by a "
                "Non-Executive Director",
                "Increased oversight and focus on addressing an identified risk area for the "
                "organisation",
            ),
            (
                "Risk management training and report writing workshops have been provided to "
                "over 100 managers in both categories since November",
                "Improved quality of 'inputs' into governance and committees, increased "
                "consistency of risk and reports",
            ),
        ],
        "future": [
            "Care Group governance review and alignment with Board committees (including agenda "
            "format)",
            "Serious Incident panel to be established",
            "Workforce Committee effectiveness reviewed and forward-view work plan implemented",
            "Review and restructure of Clinical Governance Executive following Committee Review",
            "New Board Levels roles agreed - Director of Strategy & Transformation, Director of "
            "Clinical Effectiveness, Chief Communications Officer, Chief Information Officer, two "
            "Deputy Directors of Nursing (previously one), Deputy CEO.",
        ],
    },
    "W2": {
        "lines": [
            (
                "Draft trust strategy shared with staff and governors for comment",
                "Comments logged and answered at the May Board development session",
            ),
        ],
        "future": ["Strategy to Trust Board for approval in June"],
    },
    "W5": {
        "lines": [
            (
                "Integrated performance report redesigned around the five CQC domains",
                "Board and committees see the same measures each month",
            ),
        ],
        "future": ["Statistical process control charts added to the report from June"],
    },
    "W6": {
        "lines": [
            (
                "Data quality kitemark agreed for Board-level indicators",
                "Each indicator in the integrated report shows its kitemark",
            ),
        ],
        "future": ["Audit of the ten highest-risk indicators by the end of July"],
    },
    "W7": {
        "lines": [
            (
                "Monthly Safety Oversight and Assurance Group held with system partners",
                "Partner feedback recorded and answered in the minutes",
            ),
        ],
        "future": ["Patient Experience Strategy refresh over the summer"],
    },
    "W8": {
        "lines": [
            (
                "Kaizen Promotion Office and Improving Care PMO agreed joint working",
                "Shared improvement methodology used in all ISGs",
            ),
        ],
        "future": ["Improvement training for Engagement Champions from June"],
    },
}


def _well_led_april(programme: Programme, isg: ImprovementSteeringGroup) -> None:
    april = ReportingPeriod.objects.get(
        programme=programme, cadence=isg.cadence, starts_on=dt.date(2019, 4, 1)
    )
    items = {item.code: item for item in wellled.kloe_items(programme)}
    with _on(dt.date(2019, 4, 26)):
        for code, entry in WELL_LED_APRIL.items():
            wellled.kloe_report_save(
                by=isg.chair,
                isg=isg,
                period=april,
                assessment_item=items[code],
                lines=[
                    {"action": action, "evidence": evidence} for action, evidence in entry["lines"]
                ],
                future_plans="\n".join(entry["future"]),
                at=_at(dt.date(2019, 4, 26), 9),
            )
