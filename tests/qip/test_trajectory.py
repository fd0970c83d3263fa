"""The counting rule (qip/reporting/trajectory.py), for one date and for many."""

import datetime as dt
from decimal import Decimal

import pytest

from qip.reporting import trajectory as tj
from rootcauses.models import RootCause
from tests.factories import FindingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db

D = dt.date


def _counts(programme, day, colour="green"):
    by_isg = tj.counts_by_isg(RootCause.objects.filter(programme=programme), day, colour)
    return tj.programme_totals(by_isg)


def test_percent_rounds_half_up_to_one_decimal():
    assert tj.percent_of_trajectory(93, 114) == Decimal("81.6")
    assert tj.percent_of_trajectory(1, 8) == Decimal("12.5")
    assert tj.percent_of_trajectory(1, 16) == Decimal("6.3")  # 6.25 rounds up
    assert tj.percent_of_trajectory(0, 0) is None


def test_planned_and_completed_by_a_date(isg, finding):
    RootCauseFactory(
        finding=finding,
        baseline_due_date=D(2024, 1, 10),
        completed_on=D(2024, 1, 9),
        status="completed",
    )
    RootCauseFactory(finding=finding, baseline_due_date=D(2024, 1, 31))
    totals = _counts(isg.programme, D(2024, 1, 31))
    assert totals[tj.MUST_DO] == tj.Counts(planned=2, planned_current=2, completed=1)
    assert _counts(isg.programme, D(2024, 1, 30))[tj.MUST_DO].planned == 1


def test_closed_later_than_planned_counts_planned_then_completed_later(isg, finding):
    RootCauseFactory(
        finding=finding,
        baseline_due_date=D(2024, 1, 10),
        current_due_date=D(2024, 2, 20),
        completed_on=D(2024, 2, 15),
        status="completed",
    )
    january = _counts(isg.programme, D(2024, 1, 31))[tj.MUST_DO]
    assert (january.planned, january.planned_current, january.completed) == (1, 0, 0)
    february = _counts(isg.programme, D(2024, 2, 29))[tj.MUST_DO]
    assert (february.planned, february.planned_current, february.completed) == (1, 1, 1)


def test_withdrawn_by_change_control_leaves_both_counts_from_the_decision(isg, finding):
    RootCauseFactory(
        finding=finding,
        baseline_due_date=D(2024, 1, 10),
        status="withdrawn",
        withdrawn_on=D(2024, 2, 1),
    )
    assert _counts(isg.programme, D(2024, 1, 31))[tj.MUST_DO].planned == 1
    assert _counts(isg.programme, D(2024, 2, 1))[tj.MUST_DO].planned == 0


def test_blue_counts_verification_green_counts_confirmation(isg, finding):
    RootCauseFactory(
        finding=finding,
        baseline_due_date=D(2024, 1, 10),
        completed_on=D(2024, 1, 10),
        verified_on=D(2024, 2, 5),
        status="completed",
    )
    assert _counts(isg.programme, D(2024, 1, 31), "green")[tj.MUST_DO].completed == 1
    assert _counts(isg.programme, D(2024, 1, 31), "blue")[tj.MUST_DO].completed == 0
    assert _counts(isg.programme, D(2024, 2, 5), "blue")[tj.MUST_DO].completed == 1


def test_must_do_and_should_do_are_counted_apart(isg, finding):
    should = FindingFactory(isg=isg, programme=isg.programme, finding_type="SHOULD_DO")
    RootCauseFactory(finding=finding, baseline_due_date=D(2024, 1, 10))
    RootCauseFactory(finding=should, baseline_due_date=D(2024, 1, 10))
    RootCauseFactory(finding=should, baseline_due_date=D(2024, 1, 11))
    totals = _counts(isg.programme, D(2024, 1, 31))
    assert (totals[tj.MUST_DO].planned, totals[tj.SHOULD_DO].planned) == (1, 2)


def test_counts_at_many_dates_equal_one_date_at_a_time(isg, finding, django_assert_num_queries):
    for day in range(1, 28, 3):
        RootCauseFactory(
            finding=finding,
            baseline_due_date=D(2024, 1, day),
            completed_on=D(2024, 2, day) if day % 2 else None,
            status="completed" if day % 2 else "in_progress",
        )
    days = [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(0, 70, 7)]
    root_causes = RootCause.objects.filter(programme=isg.programme)
    with django_assert_num_queries(1):
        many = tj.counts_at(root_causes, days)
    for day in days:
        assert many[day] == tj.counts_by_isg(root_causes, day)


def test_trajectory_command_prints_the_issue_shape(isg, finding):
    import io
    import json

    from django.core.management import call_command

    RootCauseFactory(
        finding=finding,
        baseline_due_date=D(2024, 1, 10),
        completed_on=D(2024, 1, 9),
        status="completed",
    )
    RootCauseFactory(finding=finding, baseline_due_date=D(2024, 1, 20))
    out = io.StringIO()
    call_command("trajectory", as_of="2024-01-31", json=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["as_of"] == "2024-01-31"
    assert figures["programme"]["must_do"] == {
        "planned": 2,
        "planned_current": 2,
        "completed": 1,
        "percent": 50.0,
    }
    assert figures["isgs"][0]["name"] == "Women's and Children's"
    assert figures == tj.trajectory_as_of(isg.programme, D(2024, 1, 31))


def test_span_counts_equal_the_filters_on_every_day(isg, other_isg, finding):
    """The roll-up's running sums and the dashboard's filters are one rule: check them equal
    on every day around every start and end date of a varied plan."""
    import random

    rng = random.Random(6)
    should = FindingFactory(isg=other_isg, programme=isg.programme, finding_type="SHOULD_DO")
    start = D(2024, 1, 1)
    for i in range(40):
        baseline = start + dt.timedelta(days=rng.randrange(60))
        current = baseline + dt.timedelta(days=rng.choice([0, 0, 7, -3, 20]))
        fate = rng.choice(["open", "done", "done", "verified", "withdrawn"])
        fields = {}
        if fate in ("done", "verified"):
            fields = {
                "status": "completed",
                "completed_on": baseline + dt.timedelta(days=rng.randrange(-10, 30)),
            }
            if fate == "verified":
                fields["verified_on"] = fields["completed_on"] + dt.timedelta(
                    days=rng.randrange(0, 20)
                )
        elif fate == "withdrawn":
            fields = {
                "status": "withdrawn",
                "withdrawn_on": baseline + dt.timedelta(days=rng.randrange(-20, 20)),
            }
        RootCauseFactory(
            finding=finding if i % 3 else should,
            baseline_due_date=baseline,
            current_due_date=current,
            **fields,
        )
    days = [start + dt.timedelta(days=n) for n in range(-5, 100)]
    root_causes = RootCause.objects.filter(programme=isg.programme)
    measures = {
        name: (lambda day, colour, span=span: span.on(day)) for name, span in tj.SPANS.items()
    }
    by_filter = tj.wide_counts(root_causes, days, measures)
    by_span = tj.span_counts(isg.programme.pk, days)
    for day in days:
        for key, values in by_filter[day].items():
            assert by_span[day][key] == values, (day, key)
            assert all(type(n) is int for n in by_span[day][key].values())
