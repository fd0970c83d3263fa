"""A small hand-built programme for the board paper tests, with figures worked out by hand.

Today is 5 March 2024: January and February have ended; the February paper compares with
January.

                      end of January           end of February
  WC Must Do          2 of 3 (66.7%)           4 of 5 (80%)
  WC Should Do        1 of 1                   1 of 1
  SC Must Do          1 of 1                   2 of 3 (66.7%)
  Must Do             3 of 4                   6 of 8 (75%)
  together            4 of 5 = 80%             7 of 9 = 77.8%  ("over 75%", "a slight
                                                                reduction from the 80%")
Open Must Do on track at the end of February: one (WC-MD-01 RC6).
"""

import datetime as dt

from cqc.models import AssessmentItem, KeyQuestion, Rating
from qip.models import Inspection, InspectionRating
from rootcauses import services as rc_services
from rootcauses.models import ClosureRequest
from tests.factories import EvidenceFileFactory, FindingFactory, RootCauseFactory

D = dt.date
TODAY = D(2024, 3, 5)


def _done(finding, owner, reference, due, done, chair, **extra):
    rc = RootCauseFactory(
        finding=finding,
        owner=owner,
        reference=reference,
        baseline_due_date=due,
        status="completed",
        completed_on=done,
        closure_confirmed_by=chair,
        **extra,
    )
    closure = ClosureRequest.objects.create(
        root_cause=rc,
        note="Done and audited.",
        requested_by=owner,
        decision=ClosureRequest.Decision.CONFIRMED,
        decided_by=chair,
    )
    rc.closure = closure
    return rc


def build(programme, isg, other_isg, owner, chair) -> dict:
    safe = KeyQuestion.objects.get(code="SAFE")
    well_led = KeyQuestion.objects.get(code="WELL_LED")
    ratings = {r.code: r for r in Rating.objects.all()}
    inspection = Inspection.objects.create(
        programme=programme,
        report_published=D(2023, 11, 29),
        overall_rating=ratings["INADEQUATE"],
    )
    for kq in KeyQuestion.objects.all():
        code = "INADEQUATE" if kq.code in ("SAFE", "WELL_LED") else "GOOD"
        InspectionRating.objects.create(
            inspection=inspection, key_question=kq, rating=ratings[code]
        )
    wc_md = FindingFactory(
        isg=isg, programme=programme, reference="WC-MD-01", inspection=inspection
    )
    wc_sd = FindingFactory(
        isg=isg,
        programme=programme,
        reference="WC-SD-01",
        finding_type="SHOULD_DO",
        inspection=inspection,
    )
    sc_md = FindingFactory(
        isg=other_isg,
        programme=programme,
        reference="SC-MD-01",
        inspection=inspection,
        key_questions=[well_led, safe],
    )
    sprint4 = programme.periods.get(cadence="fortnightly", number=4)
    w3 = AssessmentItem.objects.get(framework=programme.framework, code="W3")
    rcs = {
        "rc1": _done(wc_md, owner, "WC-MD-01 RC1", D(2024, 1, 10), D(2024, 1, 10), chair),
        "rc2": _done(wc_md, owner, "WC-MD-01 RC2", D(2024, 1, 20), D(2024, 1, 22), chair),
        "rc3": _done(wc_md, owner, "WC-MD-01 RC3", D(2024, 1, 25), D(2024, 2, 10), chair),
        "rc4": _done(wc_md, owner, "WC-MD-01 RC4", D(2024, 2, 15), D(2024, 2, 14), chair),
        "rc5": RootCauseFactory(
            finding=wc_md, owner=owner, reference="WC-MD-01 RC5", baseline_due_date=D(2024, 2, 25)
        ),
        "rc6": RootCauseFactory(
            finding=wc_md, owner=owner, reference="WC-MD-01 RC6", baseline_due_date=D(2024, 4, 30)
        ),
        "sd1": _done(wc_sd, owner, "WC-SD-01 RC1", D(2024, 1, 15), D(2024, 1, 15), chair),
        "s1": _done(
            sc_md, owner, "SC-MD-01 RC1", D(2024, 1, 5), D(2024, 1, 5), chair, assessment_item=w3
        ),
        "s2": _done(sc_md, owner, "SC-MD-01 RC2", D(2024, 2, 28), D(2024, 2, 27), chair),
        "s3": RootCauseFactory(
            finding=sc_md, owner=owner, reference="SC-MD-01 RC3", baseline_due_date=D(2024, 2, 10)
        ),
    }
    rc_services.update_post(
        by=owner, root_cause=rcs["rc6"], period=sprint4, rag="on_track", narrative="Going well."
    )
    rc_services.update_post(
        by=owner,
        root_cause=rcs["s3"],
        period=sprint4,
        rag="off_track",
        narrative="Late.",
        recovery_note="Extra clinics.",
        forecast_date=D(2024, 3, 30),
    )
    evidence = {
        "rc1": EvidenceFileFactory(
            root_cause=rcs["rc1"],
            closure_request=rcs["rc1"].closure,
            original_name="Escalation audit.pdf",
        ),
        "s1": EvidenceFileFactory(
            root_cause=rcs["s1"],
            closure_request=rcs["s1"].closure,
            original_name="Board minutes.pdf",
        ),
        # Uploaded with an update, not with the closure: not closure evidence.
        "other": EvidenceFileFactory(root_cause=rcs["rc2"], original_name="Draft policy.pdf"),
    }
    return {
        "root_causes": rcs,
        "evidence": evidence,
        "january": programme.periods.get(cadence="monthly", starts_on=D(2024, 1, 1)),
        "february": programme.periods.get(cadence="monthly", starts_on=D(2024, 2, 1)),
        "march": programme.periods.get(cadence="monthly", starts_on=D(2024, 3, 1)),
        "inspection": inspection,
    }
