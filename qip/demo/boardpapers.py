"""Demo step: the trust's strategic objectives, closure evidence behind a few closed root
causes (for the evidence pack), the March 2019 paper as issued to the Trust Board on
4 April 2019 (which locks March), and the draft April paper for the 30 May meeting, whose
figures are the seed paper's (seeds/003)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from cqc.models import KeyQuestion
from rootcauses import services as rc_services
from rootcauses.models import ClosureRequest, RootCause

from ..boardpapers import services
from ..models import BoardPaper, BoardPaperFile, ReportingPeriod
from .owner_side import simple_pdf

OBJECTIVES = [
    (
        "PATIENT AND FAMILY",
        "Listening to and working with our patients and families to improve healthcare",
    ),
    (
        "SAFEST AND KINDEST",
        "Our patients and staff will tell us they feel safe and received kind care",
    ),
    (
        "HEALTHIEST HALF MILLION",
        "Working with our partners to promote 'Healthy Choices' for all our communities",
    ),
    ("LEADERSHIP", "Innovative and Inspiration Leadership to deliver our ambitions"),
    ("OUR PEOPLE", "Creating a great place to work"),
]
TICKED = {"SAFEST AND KINDEST", "LEADERSHIP", "OUR PEOPLE"}
SUMMARY = (
    "In response to the Must Do and Should Do findings set out by the Care Quality Commission "
    "(CQC) in their November 2018 inspection report, the Trust has developed a Quality "
    "Improvement Plan (QIP). Progress is being made across all five Improvement Steering "
    "Groups (ISGs). All besides the Well-led ISG are reporting in two-weekly cycles "
    "('sprints'). Owing to the nature of actions included in the Well-led improvement plan "
    "this is reporting on a monthly basis.\n\n"
    "In addition to tracking action completion, key performance indicators (KPIs) have also "
    "been developed. These are to ensure that actions have the intended impact, and that taken "
    "together the actions are improving services overall, and the care provided to patients.\n\n"
    "The purpose of this paper is to:\n\n"
    "- Inform and provide assurance to the Board on the monitoring and implementation of the QIP.\n"
    "- Inform and provide assurance to the Board of the approach towards engagement with "
    "patients, staff and system partners.\n"
    "- Note the next steps to further embed and evidence delivery of continuous improvement "
    "ahead of the next CQC inspection and beyond."
)
COVER = {
    "responsible_director": "Simon Wright, Chief Executive",
    "author": "Rajinder Biran, Head of Improving Care PMO",
    "executive_summary": SUMMARY,
    "purpose": BoardPaper.Purpose.NOTE,
    "baf_risks": (
        "RR1533 We need to implement all of the 'integrated improvement plan' which responds to "
        "CQC concerns so that we can evidence provision of outstanding care to our patients"
    ),
    "equality_impact": BoardPaper.EqualityImpact.STAGE_1,
    "foi_status": BoardPaper.FoiStatus.FULL,
    "financial_impact": "",
    "previously_considered_by": (
        "A summary of this paper has been presented at Quality and Safety Committee. This "
        "paper has been presented at the Executive Continuous Improvement Board."
    ),
}
EVIDENCE_PER_ISG = 2


def _month(programme, year: int, month: int) -> ReportingPeriod:
    return programme.periods.get(
        cadence=ReportingPeriod.Cadence.MONTHLY, starts_on=dt.date(year, month, 1)
    )


def _closure_evidence(programme) -> None:
    """Audit reports behind the first closed root causes of each ISG, attached to the
    closure the chair confirmed (the evidence pack gathers them)."""
    for isg in programme.isgs.order_by("order"):
        closed = (
            RootCause.objects.filter(isg=isg, completed_on__isnull=False, withdrawn_on__isnull=True)
            .select_related("owner")
            .order_by("completed_on", "reference")[:EVIDENCE_PER_ISG]
        )
        for rc in closed:
            closure = rc.closure_requests.filter(decision=ClosureRequest.Decision.CONFIRMED).first()
            if closure is None:
                continue
            rc_services.evidence_add(
                by=rc.owner,
                root_cause=rc,
                file=ContentFile(
                    simple_pdf(
                        f"{rc.reference}: closure audit",
                        [
                            f"Audit of the change made for {rc.reference}, both sites.",
                            f"Completed {rc.completed_on:%d %B %Y}: 20 of 20 records compliant.",
                        ],
                    ),
                    name=f"{rc.reference} closure audit.pdf",
                ),
                description="Audit showing the change in place at closure",
                effective_from=rc.completed_on,
                review_by=rc.completed_on + dt.timedelta(days=182),
                closure_request=closure,
            )


def _cover(paper: BoardPaper, pmo, objectives) -> BoardPaper:
    paper = services.board_paper_update_cover(
        by=pmo,
        paper=paper,
        expected_version=paper.version,
        cqc_domains=list(KeyQuestion.objects.all()),
        strategic_objectives=[o for o in objectives if o.title in TICKED],
        **COVER,
    )
    return paper


def build(*, programme, accounts) -> None:
    pmo = accounts["pmo"]
    services.strategic_objectives_save(
        by=pmo,
        programme=programme,
        rows=[{"title": t, "description": d, "active": True} for t, d in OBJECTIVES],
    )
    objectives = list(programme.strategic_objectives.all())
    _closure_evidence(programme)

    march = services.board_paper_create(
        by=pmo,
        programme=programme,
        period=_month(programme, 2019, 3),
        meeting="Trust Board",
        meeting_date=dt.date(2019, 4, 4),
    )
    march = _cover(march, pmo, objectives)
    BoardPaper.objects.filter(pk=march.pk).update(written_on=dt.date(2019, 4, 1))
    march.refresh_from_db()
    services.board_paper_issue(by=pmo, paper=march, expected_version=march.version)
    # Timestamps as the replayed trust would have them (the clock pins dates, not times).
    BoardPaper.objects.filter(pk=march.pk).update(
        created_at=timezone.make_aware(dt.datetime(2019, 3, 28, 10, 0)),
        issued_at=timezone.make_aware(dt.datetime(2019, 4, 2, 16, 0)),
    )
    BoardPaperFile.objects.filter(paper=march).update(
        requested_at=timezone.make_aware(dt.datetime(2019, 4, 2, 16, 0)),
        finished_at=timezone.make_aware(dt.datetime(2019, 4, 2, 16, 0)),
    )

    april = services.board_paper_create(
        by=pmo,
        programme=programme,
        period=_month(programme, 2019, 4),
        meeting="Trust Board",
        meeting_date=dt.date(2019, 5, 30),
    )
    _cover(april, pmo, objectives)
    BoardPaper.objects.filter(pk=april.pk).update(
        created_at=timezone.make_aware(dt.datetime(2019, 4, 24, 9, 30))
    )
