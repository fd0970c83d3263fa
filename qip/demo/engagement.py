"""The demo trust's engagement, from the seed board paper (seeds/003, section 5 and KLOE W3).

By late April 2019: around 80 engagement champions have volunteered and 50 are inducted; 20
Freedom to Speak Up advocates and ten peer-to-peer listeners are in post; the Improving
Together newsletter has launched; the first pulse survey closes on 28/04/19; staff focus groups
led to the Chief Executive's cascade; CEO breakfast sessions are scheduled; partners hear
progress at the monthly Safety Oversight and Assurance Group (SOAG) and at the Commissioner
Quality Review Meeting (CQRM), and the trust answers their feedback. The two Emergency
Department "Improvement in action" stories carry the patients' words from the paper, with
consent, approved by the PMO. Everything goes through engagement.services, as users would.

Names of volunteers are invented; survey figures and partners' feedback items are
illustrative (the paper gives neither).
"""

import datetime as dt
import random

from engagement import services
from engagement.models import Activity, Audience, Champion, FeedbackItem
from rootcauses.models import RootCause

D = dt.date
FIRST_NAMES = [
    "Alice", "Bilal", "Carys", "Declan", "Efua", "Fiona", "Gareth", "Hana", "Ifan", "Jasmine",
    "Kwame", "Lowri", "Marcus", "Nia", "Owen", "Priti", "Quentin", "Rhian", "Sanjay", "Tegan",
    "Usman", "Vanessa", "Wesley", "Xin", "Yusuf", "Zara", "Angharad", "Bogdan", "Ceri", "Dev",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Bryant", "Chowdhury", "Dixon", "Ellis", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jenkins", "Kaur", "Lloyd", "Mensah", "Nowak", "Owens", "Pritchard", "Quinn", "Rees",
    "Singh", "Tudor", "Upton", "Vaughan", "Williams", "Yates",
]  # fmt: skip
# (job title, department, ISG code)
POSTS = [
    ("Staff nurse", "Emergency Department", "UC"),
    ("Healthcare assistant", "Ward 22 (Respiratory)", "UC"),
    ("Midwife", "Maternity", "WC"),
    ("Nursery nurse", "Children's Ward", "WC"),
    ("Theatre practitioner", "Theatres", "SC"),
    ("Staff nurse", "Critical Care", "SC"),
    ("Physiotherapist", "Therapies", "SC"),
    ("Pharmacist", "Pharmacy", "UC"),
    ("Radiographer", "Radiology", "UC"),
    ("HR adviser", "Workforce", "WF"),
    ("Practice educator", "Education and Training", "WF"),
    ("Medical secretary", "Outpatients", "SC"),
    ("Porter", "Estates and Facilities", "WF"),
    ("Ward clerk", "Ward 9 (Elderly Care)", "UC"),
    ("Governance facilitator", "Corporate Governance", "WL"),
]
SITES = ["RSH", "PRH", ""]


def build(*, programme, accounts) -> None:
    pmo = accounts["pmo"]
    rng = random.Random(2019)
    isgs = {isg.code: isg for isg in programme.isgs.all()}
    _volunteers(programme, pmo, isgs, rng)
    activities = _activities(programme, pmo, isgs)
    feedback = _feedback(programme, pmo, isgs, activities)
    _stories(programme, pmo, isgs, feedback)
    _survey_results(programme, pmo, isgs)
    services.public_page_update(
        by=pmo,
        programme=programme,
        publish=True,
        introduction=(
            "In November 2018 the Care Quality Commission (CQC) published its inspection of our "
            "hospitals and rated the trust Inadequate. It told us what we must put right and "
            "what we should improve.\n\n"
            "Our Quality Improvement Plan answers every one of those findings. Five improvement "
            "steering groups of doctors, nurses, managers and support staff work through it, and "
            "the Trust Board checks the progress each month. This page shows how far we have got "
            "and what patients tell us about the changes."
        ),
    )


def _people(rng: random.Random, n: int) -> list[str]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    return names[:n]


def _days(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    span = (end - start).days
    return [start + dt.timedelta(days=(i * span) // max(n - 1, 1)) for i in range(n)]


def _volunteers(programme, pmo, isgs, rng) -> None:
    """80 engagement champions (35 by the end of March), 50 inducted at four April sessions,
    15 booked for May; 20 Freedom to Speak Up advocates; ten peer-to-peer listeners."""
    names = iter(_people(rng, 110))
    champion_days = _days(D(2019, 3, 11), D(2019, 3, 29), 35) + _days(
        D(2019, 4, 1), D(2019, 4, 19), 45
    )
    sessions = [D(2019, 4, 3)] * 15 + [D(2019, 4, 10)] * 12 + [D(2019, 4, 17)] * 13
    sessions += [D(2019, 4, 24)] * 10
    for i, volunteered_on in enumerate(champion_days):
        job, department, code = POSTS[i % len(POSTS)]
        inducted_on = None
        induction = Champion.Induction.NOT_BOOKED
        if i < 50:
            inducted_on = max(sessions[i], volunteered_on)
            induction = Champion.Induction.INDUCTED
        elif i < 65:
            induction = Champion.Induction.BOOKED
        services.champion_record(
            by=pmo,
            programme=programme,
            kind=Champion.Kind.ENGAGEMENT_CHAMPION,
            name=next(names),
            job_title=job,
            department=department,
            site=SITES[i % 3],
            isgs=[isgs[code]],
            volunteered_on=volunteered_on,
            induction=induction,
            inducted_on=inducted_on,
        )
    for i, volunteered_on in enumerate(_days(D(2019, 2, 4), D(2019, 3, 15), 20)):
        job, department, _code = POSTS[(i * 4) % len(POSTS)]
        services.champion_record(
            by=pmo,
            programme=programme,
            kind=Champion.Kind.FTSU_ADVOCATE,
            name=next(names),
            job_title=job,
            department=department,
            site=SITES[i % 3],
            volunteered_on=volunteered_on,
            induction=Champion.Induction.INDUCTED,
            inducted_on=D(2019, 3, 27),
        )
    for i, volunteered_on in enumerate(_days(D(2019, 3, 4), D(2019, 3, 22), 10)):
        job, department, _code = POSTS[(i * 7) % len(POSTS)]
        services.champion_record(
            by=pmo,
            programme=programme,
            kind=Champion.Kind.PEER_LISTENER,
            name=next(names),
            job_title=job,
            department=department,
            site=SITES[i % 3],
            volunteered_on=volunteered_on,
            induction=Champion.Induction.INDUCTED,
            inducted_on=D(2019, 4, 9),
        )


def _root_cause(programme, code: str, finding_words: str, title_words: str = ""):
    """A completed root cause of the demo plan, found by its words (references are generated)."""
    candidates = RootCause.objects.filter(
        programme=programme, isg__code=code, finding__text__icontains=finding_words
    ).order_by("completed_on", "reference")
    if title_words:
        match = candidates.filter(title__icontains=title_words, completed_on__isnull=False).first()
        if match:
            return match
    return candidates.filter(completed_on__isnull=False).first() or candidates.first()


def _activities(programme, pmo, isgs) -> dict[str, Activity]:
    everyone = list(isgs.values())
    w3 = RootCause.objects.filter(
        programme=programme, isg__code="WL", assessment_item__code="W3"
    ).first()
    record = lambda key, **kw: (key, services.activity_record(by=pmo, programme=programme, **kw))  # noqa: E731
    made = dict(
        [
            record(
                "board",
                kind=Activity.Kind.BOARD_MEETING,
                title="Trust Board in public: QIP update",
                audience=Audience.PATIENTS,
                held_on=D(2019, 4, 4),
                isgs=everyone,
                outcome="The Board received the plan's first update: how the QIP was built, "
                "the five ISGs and the approach to change control.",
            ),
            record(
                "focus-rsh",
                kind=Activity.Kind.FOCUS_GROUP,
                title="Staff focus group, Royal Shrewsbury Hospital",
                audience=Audience.STAFF,
                held_on=D(2019, 3, 21),
                reach=18,
                isgs=[isgs["WF"], isgs["WL"]],
                outcome="Staff said they hear about changes late and second-hand. As a result "
                "the Chief Executive's cascade was introduced.",
            ),
            record(
                "focus-prh",
                kind=Activity.Kind.FOCUS_GROUP,
                title="Staff focus group, Princess Royal Hospital",
                audience=Audience.STAFF,
                held_on=D(2019, 3, 28),
                reach=22,
                isgs=[isgs["WF"], isgs["WL"]],
                outcome="An opportunity for staff voices to be heard; themes shared with the "
                "Well-led ISG.",
            ),
            record(
                "newsletter",
                kind=Activity.Kind.NEWSLETTER,
                title="Improving Together newsletter, issue 1",
                audience=Audience.STAFF,
                held_on=D(2019, 4, 12),
                reach=6000,
                isgs=everyone,
                outcome="Launched: a monthly summary of all improvement work with headlines "
                "from each ISG, emailed to all staff, with printed copies for those without "
                "trust email and for visitors.",
            ),
            record(
                "breakfast",
                kind=Activity.Kind.CEO_BREAKFAST,
                title="CEO breakfast session",
                audience=Audience.STAFF,
                held_on=D(2019, 4, 10),
                reach=14,
                isgs=[isgs["WL"]],
                outcome="Staff talked with the Chief Executive about the QIP. Sessions are "
                "scheduled through 2019/20.",
            ),
            record(
                "breakfast-may",
                kind=Activity.Kind.CEO_BREAKFAST,
                title="CEO breakfast session",
                audience=Audience.STAFF,
                held_on=D(2019, 5, 15),
                isgs=[isgs["WL"]],
            ),
            record(
                "pulse",
                kind=Activity.Kind.PULSE_SURVEY,
                title="First staff pulse survey",
                audience=Audience.STAFF,
                held_on=D(2019, 4, 15),
                ends_on=D(2019, 4, 28),
                isgs=[isgs["WL"], isgs["WF"]],
                root_causes=[w3] if w3 else [],
                outcome="A three-minute survey sent to all members of staff to understand their "
                "perceptions; closes 28/04/19. Results become Well-led high-level KPI values.",
            ),
            record(
                "listening",
                kind=Activity.Kind.LISTENING_EVENT,
                title="Patient Experience Strategy refresh: listening event",
                audience=Audience.PATIENTS,
                held_on=D(2019, 6, 12),
                isgs=everyone,
                outcome="Planned: patients and carers help refresh the Patient Experience "
                "Strategy over the summer.",
            ),
            record(
                "soag-march",
                kind=Activity.Kind.PARTNER_MEETING,
                forum=Activity.Forum.SOAG,
                title="SOAG, March 2019",
                held_on=D(2019, 3, 20),
                attendance=[
                    ("NHS England and Improvement", 3),
                    ("Care Quality Commission", 2),
                    ("Clinical commissioning group", 2),
                    ("Healthwatch", 1),
                    ("The trust", 5),
                ],
                isgs=everyone,
                progress_shared="The QIP and its five ISGs, agreed trajectories, fortnightly "
                "sprints and the weekly Executive Continuous Improvement Board.",
            ),
            record(
                "soag-april",
                kind=Activity.Kind.PARTNER_MEETING,
                forum=Activity.Forum.SOAG,
                title="SOAG, April 2019",
                held_on=D(2019, 4, 17),
                attendance=[
                    ("NHS England and Improvement", 3),
                    ("Care Quality Commission", 2),
                    ("Clinical commissioning group", 2),
                    ("The trust", 6),
                ],
                isgs=everyone,
                progress_shared="End of March: 52 root causes completed, over 80% of the Must "
                "Do trajectory. The engagement approach: champions, the Improving Together "
                "newsletter, the first pulse survey.",
            ),
            record(
                "cqrm",
                kind=Activity.Kind.PARTNER_MEETING,
                forum=Activity.Forum.CQRM,
                title="CQRM, April 2019",
                held_on=D(2019, 4, 24),
                attendance=[("Clinical commissioning group", 3), ("The trust", 4)],
                isgs=[isgs["UC"], isgs["WC"]],
                progress_shared="Quality in the Emergency Department and in maternity: "
                "children's streaming, patient flow in minors, escalation of midwife staffing.",
            ),
        ]
    )
    return made


def _feedback(programme, pmo, isgs, activities) -> dict[str, FeedbackItem]:
    streaming = _root_cause(
        programme, "UC", "children in the emergency department", "paediatric streaming"
    )
    minors = _root_cause(programme, "UC", "flow through minors", "Minors cross-cover")
    corridor = _root_cause(programme, "UC", "patients in corridors")
    P, S, PT = FeedbackItem.Source.PATIENT, FeedbackItem.Source.STAFF, FeedbackItem.Source.PARTNER
    POS, NEG, MIX, NEUTRAL = (
        FeedbackItem.Sentiment.POSITIVE,
        FeedbackItem.Sentiment.NEGATIVE,
        FeedbackItem.Sentiment.MIXED,
        FeedbackItem.Sentiment.NEUTRAL,
    )

    def item(key, *, respond=None, **kwargs):
        made = services.feedback_record(by=pmo, programme=programme, **kwargs)
        if respond:
            text, on, close = respond
            made = services.feedback_respond(
                by=pmo,
                feedback=made,
                response=text,
                close=close,
                expected_version=made.version,
                on=on,
            )
        return key, made

    return dict(
        [
            item(
                "daughter",
                source=P,
                received_on=D(2019, 4, 14),
                channel="Patient feedback",
                topic="Care for a child in the ED overnight",
                quote="Had first hand experience of this last night with my daughter, I have to "
                "say the care and support she had was second to none! Now an incredibly tired "
                "Mom for being up most of the night!!",
                sentiment=POS,
                consent_to_publish=True,
                attribution="A parent, Emergency Department",
                isgs=[isgs["UC"]],
                root_causes=[streaming] if streaming else [],
                respond=(
                    "Thanked the team and shared in the Improving Together newsletter as an "
                    "Improvement in action story.",
                    D(2019, 4, 26),
                    True,
                ),
            ),
            item(
                "saturday",
                source=P,
                received_on=D(2019, 4, 21),
                channel="Patient feedback",
                topic="Quick visit to A&E minors on a busy Saturday night",
                quote="My recent trip to A&E was 6pm on a Saturday night. Seen, x-ray and home "
                "in two hours. Also regular bloods done within 5 minutes of arriving yesterday "
                "morning so some things are going well. Amazing cheery staff in both areas "
                "which were very busy",
                sentiment=POS,
                consent_to_publish=True,
                attribution="A patient, Emergency Department",
                isgs=[isgs["UC"]],
                root_causes=[minors] if minors else [],
                respond=(
                    "Thanked the team and shared in the Improving Together newsletter as an "
                    "Improvement in action story.",
                    D(2019, 4, 26),
                    True,
                ),
            ),
            item(
                "corridor",
                source=P,
                received_on=D(2019, 4, 8),
                channel="PALS",
                topic="A long wait on a trolley in an ED corridor",
                quote="I waited on a trolley in the corridor for most of the night. The nurses "
                "were kind but there was nowhere private to talk.",
                sentiment=NEG,
                isgs=[isgs["UC"]],
                root_causes=[corridor] if corridor else [],
                respond=(
                    "A standard operating procedure for corridor care, covering privacy and "
                    "dignity, is being agreed through the Unscheduled Care ISG.",
                    D(2019, 4, 15),
                    False,
                ),
            ),
            item(
                "cascade",
                source=S,
                received_on=D(2019, 3, 21),
                channel="Staff focus group",
                activity=activities["focus-rsh"],
                topic="Staff hear about changes late and second-hand",
                quote="We find out about changes from the rumour mill, after they have happened.",
                sentiment=NEG,
                isgs=[isgs["WL"]],
                respond=(
                    "The Chief Executive's cascade was introduced: a monthly briefing every "
                    "manager passes on to their team.",
                    D(2019, 4, 8),
                    True,
                ),
            ),
            item(
                "listening",
                source=S,
                received_on=D(2019, 3, 28),
                channel="Staff focus group",
                activity=activities["focus-prh"],
                topic="Staff want more time to be listened to",
                quote="Nobody has time to listen when things are difficult on the ward.",
                sentiment=MIX,
                isgs=[isgs["WL"], isgs["WF"]],
                respond=(
                    "Ten peer-to-peer listeners and 20 Freedom to Speak Up advocates are now in "
                    "post to give staff more people to talk to.",
                    D(2019, 4, 10),
                    True,
                ),
            ),
            item(
                "soag-streaming",
                source=PT,
                received_on=D(2019, 3, 20),
                activity=activities["soag-march"],
                channel="SOAG",
                topic="Assurance that children's streaming in ED holds at nights and weekends",
                quote="Partners asked how the trust knows that children are streamed within 15 "
                "minutes out of hours, not only in the week.",
                sentiment=MIX,
                isgs=[isgs["UC"]],
                root_causes=[streaming] if streaming else [],
                respond=(
                    "Streaming times are audited weekly, nights and weekends included; the "
                    "results were shared at the April SOAG.",
                    D(2019, 4, 17),
                    True,
                ),
            ),
            item(
                "soag-impact",
                source=PT,
                received_on=D(2019, 3, 20),
                activity=activities["soag-march"],
                channel="SOAG",
                topic="Show the impact of actions, not only their completion",
                quote="Partners asked to see whether completed actions have improved care.",
                sentiment=NEUTRAL,
                isgs=list(isgs.values()),
                respond=(
                    "A KPI for every root cause, and 10 to 20 high-level KPIs for each ISG "
                    "across the five CQC domains, are agreed; they are reported from May.",
                    D(2019, 4, 17),
                    False,
                ),
            ),
            item(
                "soag-staff",
                source=PT,
                received_on=D(2019, 4, 17),
                activity=activities["soag-april"],
                channel="SOAG",
                topic="How staff are told about the QIP and take part in it",
                quote="The CQC asked how staff on the wards know about the plan and are involved.",
                sentiment=NEUTRAL,
                isgs=[isgs["WL"], isgs["WF"]],
                respond=(
                    "Around 80 engagement champions have volunteered, the Improving Together "
                    "newsletter has launched and the first pulse survey is open until 28/04/19.",
                    D(2019, 4, 24),
                    False,
                ),
            ),
            item(
                "soag-maternity",
                source=PT,
                received_on=D(2019, 4, 17),
                activity=activities["soag-april"],
                channel="SOAG",
                topic="Support offered with the maternity escalation audit",
                quote="NHS England and Improvement offered a peer reviewer for the audit of "
                "midwife staffing escalation.",
                sentiment=POS,
                isgs=[isgs["WC"]],
            ),
            item(
                "cqrm-sepsis",
                source=PT,
                received_on=D(2019, 4, 24),
                activity=activities["cqrm"],
                channel="CQRM",
                topic="Commissioners asked for the ED sepsis screening audit results",
                quote="Commissioners asked to see the latest sepsis screening audit for ED.",
                sentiment=NEUTRAL,
                isgs=[isgs["UC"]],
            ),
        ]
    )


def _stories(programme, pmo, isgs, feedback) -> None:
    examples = [
        (
            "ED: children's streaming",
            "Concerns were raised about how quickly sick children are seen in our ED",
            "recruited additional nurses and now stream children within 15 minutes of arrival "
            "to the appropriate area",
            feedback["daughter"],
        ),
        (
            "ED: patient flow in minors",
            "Concerns were raised that patient flow on minor injury was not meeting the 4 hour "
            "target",
            "have undertaken a range of actions to ensure that we are operating minors in the "
            "most efficient way possible and can cross-cover departments to meet demand",
            feedback["saturday"],
        ),
    ]
    for title, concern, change, item in examples:
        story = services.story_create(
            by=pmo,
            programme=programme,
            title=title,
            concern=concern,
            change=change,
            isg=isgs["UC"],
            root_causes=list(item.root_causes.all()),
            feedback=[item],
            for_board_paper=True,
            for_newsletter=True,
        )
        services.story_submit(by=pmo, story=story)
        services.story_approve(by=pmo, story=story)


def _survey_results(programme, pmo, isgs) -> None:
    """Staff survey results as high-level KPI values (illustrative figures)."""
    place_to_work = services.survey_result_record(
        by=pmo,
        programme=programme,
        new_kpi_name="Staff Friends and Family Test: % who would recommend the trust as a place to work",
        isg=isgs["WF"],
        period_end=D(2018, 12, 31),
        value="52.3",
        note="NHS Staff Survey 2018 (illustrative demo figure)",
    ).kpi
    services.survey_result_record(
        by=pmo,
        programme=programme,
        kpi=place_to_work,
        period_end=D(2019, 3, 31),
        numerator=412,
        denominator=751,
        note="Staff Friends and Family Test, quarter 4 (illustrative demo figure)",
    )
    services.survey_result_record(
        by=pmo,
        programme=programme,
        new_kpi_name="NHS Staff Survey: % who would recommend the trust's care to friends or family",
        isg=isgs["WF"],
        period_end=D(2018, 12, 31),
        value="61.8",
        note="NHS Staff Survey 2018 (illustrative demo figure)",
    )
