import datetime as dt

import pytest

from rootcauses.services import update_post
from tests.factories import FindingFactory, RootCauseFactory

D = dt.date


@pytest.fixture
def rollup_plan(programme, isg, other_isg, finding, owner):
    """Sprints 1–3 of 2024 (to 11 Feb): one root cause done on time, one off track then
    silent, one at risk in another ISG, one due later."""

    def sprint(n):
        return programme.periods.get(cadence="fortnightly", number=n)

    done = RootCauseFactory(
        finding=finding,
        owner=owner,
        baseline_due_date=D(2024, 1, 10),
        completed_on=D(2024, 1, 12),
        status="completed",
    )
    late = RootCauseFactory(finding=finding, owner=owner, baseline_due_date=D(2024, 1, 20))
    update_post(by=owner, root_cause=late, period=sprint(1), rag="on_track", narrative="Started.")
    update_post(
        by=owner,
        root_cause=late,
        period=sprint(2),
        rag="off_track",
        narrative="Slipped.",
        recovery_note="Extra sessions booked.",
        forecast_date=D(2024, 3, 1),
    )
    other_finding = FindingFactory(isg=other_isg, programme=programme, finding_type="SHOULD_DO")
    elsewhere = RootCauseFactory(
        finding=other_finding, owner=owner, baseline_due_date=D(2024, 2, 5)
    )
    update_post(by=owner, root_cause=elsewhere, period=sprint(3), rag="at_risk", narrative="Tight.")
    later = RootCauseFactory(finding=finding, owner=owner, baseline_due_date=D(2024, 6, 5))
    return {"done": done, "late": late, "elsewhere": elsewhere, "later": later}
