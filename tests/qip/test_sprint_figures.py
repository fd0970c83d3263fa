"""The sprint page's figures for a small hand-built programme.

Calendar (conftest): fortnightly sprints from Monday 1 January 2024; today is Tuesday
20 February 2024, in Sprint 4 (12–25 February). Sprint 2 is 15–28 January, Sprint 3
29 January–11 February, Sprint 5 26 February–10 March.

Must Do root causes of Women's and Children's:
  F  baseline 15 Jan (Sprint 2), closed 15 Jan
  A  baseline  5 Feb (Sprint 3), closed 14 Feb (Sprint 4): later than planned
  H  baseline  9 Feb (Sprint 3), withdrawn by change control on 16 Feb
  B  baseline 20 Feb (Sprint 4), closed 20 Feb
  C  baseline 22 Feb (Sprint 4), re-planned by change control to 5 Mar (Sprint 5)
  G  baseline  1 Mar (Sprint 5), open
  D  baseline  8 Mar (Sprint 5), withdrawn by change control on 16 Feb
Should Do:
  E  baseline  1 Feb (Sprint 3), closed 1 Feb
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from governance import services as governance
from qip.reporting.sprint import sprint_report
from rootcauses import services as rc_services
from tests.factories import FindingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 2, 20)


def _close(rc, chair, on):
    request = rc_services.closure_request(by=rc.owner, root_cause=rc, note="Done.")
    rc_services.closure_confirm(by=chair, closure=request, on=on)


@pytest.fixture
def plan(programme, isg, finding, chair, executive):
    sd = FindingFactory(
        isg=isg, programme=programme, reference="WC-SD-01", finding_type="SHOULD_DO"
    )

    def rc(name, baseline, f=finding):
        return RootCauseFactory(finding=f, reference=f"RC-{name}", baseline_due_date=baseline)

    rcs = {
        "F": rc("F", dt.date(2024, 1, 15)),
        "A": rc("A", dt.date(2024, 2, 5)),
        "H": rc("H", dt.date(2024, 2, 9)),
        "B": rc("B", dt.date(2024, 2, 20)),
        "C": rc("C", dt.date(2024, 2, 22)),
        "G": rc("G", dt.date(2024, 3, 1)),
        "D": rc("D", dt.date(2024, 3, 8)),
        "E": rc("E", dt.date(2024, 2, 1), f=sd),
    }
    _close(rcs["F"], chair, dt.date(2024, 1, 15))
    _close(rcs["E"], chair, dt.date(2024, 2, 1))
    _close(rcs["A"], chair, dt.date(2024, 2, 14))
    _close(rcs["B"], chair, dt.date(2024, 2, 20))
    replan = governance.change_request_propose(
        by=rcs["C"].owner,
        root_cause=rcs["C"],
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 3, 5),
        rationale="The new rota starts in March.",
    )
    governance.change_request_approve(by=executive, change_request=replan)
    for name in ("H", "D"):
        withdrawal = governance.change_request_propose(
            by=chair, root_cause=rcs[name], kind="withdraw", rationale="Duplicate."
        )
        governance.change_request_approve(
            by=executive,
            change_request=withdrawal,
            at=timezone.make_aware(dt.datetime(2024, 2, 16, 11)),
        )
    for item in rcs.values():
        item.refresh_from_db()
    return rcs


def sprint(programme, number):
    return programme.periods.get(cadence="fortnightly", number=number)


def figures(report):
    return {
        f.kind: (
            f.cumulative.planned,
            f.cumulative.planned_current,
            f.cumulative.completed,
            f.percent,
            f.planned_in_period,
            f.completed_in_period,
        )
        for f in report.figures
    }


def refs(rows):
    return sorted(rc.reference.removeprefix("RC-") for rc in rows)


def test_sprint_3_counts_what_was_in_the_plan_at_its_end(programme, isg, plan):
    report = sprint_report(isg, sprint(programme, 3), TODAY)
    # F, A and H were planned by 11 February (H was withdrawn only on the 16th); F was done.
    assert figures(report) == {
        "MUST_DO": (3, 3, 1, Decimal("33.3"), 2, 0),
        "SHOULD_DO": (1, 1, 1, Decimal("100.0"), 1, 1),
    }
    assert refs(report.planned) == ["A", "E", "H"]
    assert refs(report.completed) == ["E"]


def test_sprint_4_current(programme, isg, plan):
    report = sprint_report(isg, sprint(programme, 4), TODAY)
    # Baseline: F, A, B, C planned (H withdrawn); completed F, A (late) and B.
    # On the current plan C has moved to March, so three are planned now.
    assert figures(report) == {
        "MUST_DO": (4, 3, 3, Decimal("75.0"), 2, 2),
        "SHOULD_DO": (1, 1, 1, Decimal("100.0"), 0, 0),
    }
    assert refs(report.planned) == ["B", "C"]
    assert refs(report.completed) == ["A", "B"]  # A was planned a sprint earlier
    assert [f.previous_percent for f in report.figures] == [Decimal("33.3"), Decimal("100.0")]
    assert refs(report.due_next) == ["C", "G"]  # by the current plan: C moved into Sprint 5
    assert report.previous == sprint(programme, 3)
    assert report.next == sprint(programme, 5)


def test_sprint_5_leaves_out_the_root_cause_withdrawn_in_sprint_4(programme, isg, plan):
    report = sprint_report(isg, sprint(programme, 5), TODAY)
    # D's baseline (8 March) is in Sprint 5, but it left the plan on 16 February.
    assert figures(report)["MUST_DO"] == (5, 5, 3, Decimal("60.0"), 1, 0)
    assert refs(report.planned) == ["G"]


def test_the_baseline_never_moves(plan):
    assert plan["C"].baseline_due_date == dt.date(2024, 2, 22)
    assert plan["C"].current_due_date == dt.date(2024, 3, 5)


def test_blue_counts_only_verified_closures(programme, isg, plan, pmo):
    programme.trajectory_colour = "blue"
    programme.save()
    rc_services.verification_record(
        by=pmo,
        root_cause=plan["B"],
        method="peer_review",
        checked_by="Peer review team",
        checked_on=dt.date(2024, 2, 20),
        findings="Seen on both wards.",
        outcome="verified",
    )
    isg.refresh_from_db()
    report = sprint_report(isg, sprint(programme, 4), TODAY)
    assert figures(report)["MUST_DO"][:4] == (4, 3, 1, Decimal("25.0"))
    assert refs(report.completed) == ["B"]


def test_the_sprint_page_shows_the_figures(client, chair, programme, isg, plan):
    client.force_login(chair)
    response = client.get(f"/isgs/{isg.pk}/periods/{sprint(programme, 4).pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "75.0%" in html
    assert "3 completed of 4 planned" in html
    row = html[html.index('id="figures-must_do"') :][:1200]
    assert "<span>4</span>" in row and "<span>3</span>" in row
