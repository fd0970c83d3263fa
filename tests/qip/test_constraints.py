"""Invariants the database itself enforces, whatever path a write takes."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from qip.models import PeriodSignoff
from rootcauses.models import RootCause, Update
from tests.factories import FindingFactory, IsgFactory, ProgrammeFactory, RootCauseFactory

pytestmark = pytest.mark.django_db


def test_one_update_per_root_cause_per_period(root_cause, current_sprint, owner):
    Update.objects.create(
        root_cause=root_cause, period=current_sprint, rag="on_track", narrative="a", author=owner
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.create(
            root_cause=root_cause, period=current_sprint, rag="at_risk", narrative="b", author=owner
        )


def test_off_track_update_needs_recovery_note_and_forecast(root_cause, current_sprint, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.create(
            root_cause=root_cause,
            period=current_sprint,
            rag="off_track",
            narrative="late",
            author=owner,
        )


def test_root_cause_reference_is_unique_within_a_programme(root_cause):
    with pytest.raises(IntegrityError), transaction.atomic():
        RootCauseFactory(finding=root_cause.finding, reference=root_cause.reference)


def test_the_same_reference_may_be_used_in_another_programme(root_cause):
    other_isg = IsgFactory(programme=ProgrammeFactory(name="Another plan"))
    other = RootCauseFactory(
        finding=FindingFactory(isg=other_isg, reference=root_cause.finding.reference),
        reference=root_cause.reference,
    )
    assert other.reference == root_cause.reference


def test_finding_reference_is_unique_within_a_programme(finding):
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingFactory(isg=finding.isg, reference=finding.reference)


def test_completed_root_cause_must_have_a_closure_date(root_cause):
    with pytest.raises(IntegrityError), transaction.atomic():
        RootCause.objects.filter(pk=root_cause.pk).update(status="completed")


def test_cannot_be_verified_before_it_is_completed(root_cause):
    with pytest.raises(IntegrityError), transaction.atomic():
        RootCause.objects.filter(pk=root_cause.pk).update(verified_on=dt.date(2024, 2, 1))


def test_a_period_is_signed_off_once_per_isg(isg, current_sprint, chair):
    PeriodSignoff.objects.create(isg=isg, period=current_sprint, signed_by=chair)
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodSignoff.objects.create(isg=isg, period=current_sprint, signed_by=chair)


def test_calendar_has_fortnightly_sprints_and_months(programme):
    sprints = programme.periods.filter(cadence="fortnightly").order_by("starts_on")
    first, second = sprints[0], sprints[1]
    assert (first.label, first.starts_on, first.ends_on) == (
        "Sprint 1",
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 14),
    )
    assert second.starts_on == dt.date(2024, 1, 15)
    months = programme.periods.filter(cadence="monthly").order_by("starts_on")
    assert [m.label for m in months[:2]] == ["January 2024", "February 2024"]
    assert months[1].ends_on == dt.date(2024, 2, 29)
    assert months.count() == 12
