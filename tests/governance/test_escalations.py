"""Escalation to the ECIB: the rules, evaluated over the database; raising and deciding."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import escalations, services
from governance.models import EcibMeeting, Escalation, EscalationRule, Trigger
from kpis.models import Measurement
from rootcauses import services as rc_services
from tests.factories import EcibMeetingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db


def sprint(programme, number):
    return programme.periods.get(cadence="fortnightly", number=number)


def post(root_cause, period, rag, *, by=None):
    extra = {}
    if rag == "off_track":
        extra = {"recovery_note": "Agency cover booked.", "forecast_date": period.ends_on}
    return rc_services.update_post(
        by=by or root_cause.owner,
        root_cause=root_cause,
        period=period,
        rag=rag,
        narrative="What happened.",
        **extra,
    )


def evaluate(programme, **kwargs):
    kwargs.setdefault("analyse", None)
    return escalations.escalations_evaluate(programme=programme, **kwargs)


def test_off_track_two_sprints_running_goes_on_the_next_meeting(programme, root_cause):
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    result = evaluate(programme)
    assert len(result.raised) == 1
    escalation = result.raised[0]
    assert escalation.trigger == Trigger.OFF_TRACK
    assert escalation.rule.threshold == 2
    assert escalation.period == sprint(programme, 4)
    assert escalation.reason == "Off track in Sprint 3 and Sprint 4."
    # Tuesday 20 February 2024: the next weekly meeting is Thursday 22 February.
    assert escalation.meeting.meets_on == dt.date(2024, 2, 22)
    assert escalation.raised_by is None
    assert escalation.is_open


def test_evaluation_is_idempotent(programme, root_cause):
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    evaluate(programme)
    assert evaluate(programme).raised == []
    assert Escalation.objects.count() == 1


def test_off_track_once_is_not_escalated(programme, root_cause):
    post(root_cause, sprint(programme, 3), "on_track")
    post(root_cause, sprint(programme, 4), "off_track")
    assert evaluate(programme).raised == []


def test_the_pmo_can_raise_the_threshold(programme, root_cause, pmo):
    rules = escalations.escalation_rules_ensure(programme=programme)
    escalations.escalation_rule_update(
        by=pmo, rule=rules[Trigger.OFF_TRACK], threshold=3, active=True
    )
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    assert evaluate(programme).raised == []


def test_an_inactive_rule_does_not_fire(programme, root_cause, pmo):
    rules = escalations.escalation_rules_ensure(programme=programme)
    escalations.escalation_rule_update(
        by=pmo, rule=rules[Trigger.OFF_TRACK], threshold=2, active=False
    )
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    assert evaluate(programme).raised == []


@pytest.mark.parametrize("threshold", [0, 13, None])
def test_rule_threshold_must_be_sensible(programme, pmo, threshold):
    rule = escalations.escalation_rules_ensure(programme=programme)[Trigger.OFF_TRACK]
    with pytest.raises(ValidationError):
        escalations.escalation_rule_update(by=pmo, rule=rule, threshold=threshold, active=True)
    rule.refresh_from_db()
    assert rule.threshold == 2


def test_after_a_decision_only_new_periods_escalate_again(
    settings, programme, root_cause, executive
):
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    first = evaluate(programme).raised[0]
    escalations.escalation_decide(by=executive, escalation=first, decision="accept")
    assert evaluate(programme).raised == []  # the same evidence is not escalated twice

    settings.QIP_TODAY = "2024-03-20"  # Sprint 6
    post(root_cause, sprint(programme, 5), "off_track")
    assert evaluate(programme).raised == []  # one new period is not yet two
    post(root_cause, sprint(programme, 6), "off_track")
    again = evaluate(programme).raised
    assert [e.reason for e in again] == ["Off track in Sprint 5 and Sprint 6."]


def test_an_approved_replan_restarts_the_count(settings, programme, root_cause, owner, executive):
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    change = services.change_request_propose(
        by=owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="Waiting for the new rota.",
    )
    services.change_request_approve(by=executive, change_request=change)
    # Off-track updates about the old plan do not count against the new one.
    assert [e.trigger for e in evaluate(programme).raised] == []


def test_missing_updates_twice(programme, root_cause):
    post(root_cause, sprint(programme, 1), "on_track")
    # Nothing for sprints 2 and 3 (ended); sprint 4 is still open for posting.
    escalation = evaluate(programme).raised[0]
    assert escalation.trigger == Trigger.MISSING_UPDATES
    assert escalation.reason == "No update for Sprint 2 and Sprint 3."
    assert escalation.period == sprint(programme, 3)


def test_missing_updates_count_from_the_first_update(programme, root_cause):
    # Root causes due far ahead may start reporting later: sprints 1 and 2 do not count.
    post(root_cause, sprint(programme, 3), "on_track")
    assert evaluate(programme).raised == []


def test_a_root_cause_that_never_reported_counts_from_when_it_was_added(programme, root_cause):
    type(root_cause).objects.filter(pk=root_cause.pk).update(
        created_at=timezone.make_aware(dt.datetime(2024, 1, 20, 9))
    )
    escalation = evaluate(programme).raised[0]
    assert escalation.reason == "No update for Sprint 2 and Sprint 3."


def test_second_request_to_change_the_due_date(programme, root_cause, owner, executive):
    first = services.change_request_propose(
        by=owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="Staff sickness.",
    )
    post(root_cause, sprint(programme, 4), "on_track")
    assert evaluate(programme).raised == []
    services.change_request_reject(by=executive, change_request=first, note="Keep the date.")
    services.change_request_propose(
        by=owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 5, 31),
        rationale="Still short of staff.",
    )
    raised = evaluate(programme).raised
    assert [e.trigger for e in raised] == [Trigger.DUE_DATE_CHANGES]
    # The request's time is the real clock's (audit timestamps are never pinned).
    assert re.fullmatch(
        r"Asked for a new due date 2 times, most recently on \d+ \w+ \d{4}\.", raised[0].reason
    )


def _kpi_values(root_cause, values):
    for n, value in enumerate(values):
        Measurement.objects.create(
            kpi=root_cause.kpi,
            period_end=dt.date(2024, 1, 14) + dt.timedelta(days=14 * n),
            value=value,
        )


def test_kpi_in_special_cause_concern(programme, root_cause):
    post(root_cause, sprint(programme, 4), "on_track")
    _kpi_values(root_cause, [90, 91, 60])
    seen = []

    def analyse(values, *, improvement, target):
        seen.append((values, improvement, target))
        return SimpleNamespace(points=[SimpleNamespace(point_type="special_cause_concern")])

    raised = evaluate(programme, analyse=analyse).raised
    assert [e.trigger for e in raised] == [Trigger.KPI_CONCERN]
    assert seen == [([90.0, 91.0, 60.0], "increase", None)]
    # The same latest value is not escalated twice.
    assert evaluate(programme, analyse=analyse).raised == []


def test_kpi_rule_waits_for_spc(programme, root_cause):
    post(root_cause, sprint(programme, 4), "on_track")
    _kpi_values(root_cause, [90, 91, 60])
    result = evaluate(programme, analyse=None)
    assert result.raised == []
    assert result.kpi_rule_available is False


def test_closed_root_causes_are_not_escalated(programme, root_cause, chair):
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    request = rc_services.closure_request(by=root_cause.owner, root_cause=root_cause, note="Done.")
    rc_services.closure_confirm(by=chair, closure=request)
    assert evaluate(programme).raised == []


def test_default_rules_are_created_once(programme):
    escalations.escalation_rules_ensure(programme=programme)
    escalations.escalation_rules_ensure(programme=programme)
    assert set(EscalationRule.objects.values_list("kind", "threshold")) == {
        ("off_track", 2),
        ("due_date_changes", 2),
        ("kpi_concern", 1),
        ("missing_updates", 2),
    }


def test_meetings_are_weekly_after_the_last_one(programme):
    EcibMeetingFactory(programme=programme, meets_on=dt.date(2024, 2, 15))
    meeting = escalations.ecib_meeting_for(programme=programme, on=dt.date(2024, 2, 20))
    assert meeting.meets_on == dt.date(2024, 2, 22)
    planned = EcibMeetingFactory(programme=programme, meets_on=dt.date(2024, 2, 27))
    assert escalations.ecib_meeting_for(programme=programme, on=dt.date(2024, 2, 23)) == planned


def test_ecib_meeting_add_refuses_a_second_meeting_on_a_day(programme, pmo):
    escalations.ecib_meeting_add(by=pmo, programme=programme, meets_on=dt.date(2024, 3, 7))
    with pytest.raises(ValidationError):
        escalations.ecib_meeting_add(by=pmo, programme=programme, meets_on=dt.date(2024, 3, 7))
    assert EcibMeeting.objects.count() == 1


# --- raising by hand, and deciding ---------------------------------------------------------


def test_the_chair_raises_an_escalation(programme, root_cause, chair):
    escalation = escalations.escalation_raise(
        by=chair, root_cause=root_cause, reason="Needs an executive decision on funding."
    )
    assert escalation.trigger == Trigger.MANUAL
    assert escalation.rule is None
    assert escalation.raised_by == chair
    assert escalation.period == sprint(programme, 4)
    assert escalation.meeting.meets_on == dt.date(2024, 2, 22)
    assert escalation.history.first().history_user == chair


def test_a_root_cause_is_not_escalated_twice_by_hand(root_cause, chair):
    escalations.escalation_raise(by=chair, root_cause=root_cause, reason="First.")
    with pytest.raises(ValidationError, match="already on the agenda"):
        escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Again.")
    assert Escalation.objects.count() == 1


def test_escalating_needs_a_reason(root_cause, chair):
    with pytest.raises(ValidationError) as error:
        escalations.escalation_raise(by=chair, root_cause=root_cause, reason="  ")
    assert "reason" in error.value.message_dict
    assert not Escalation.objects.exists()


def test_a_completed_root_cause_cannot_be_escalated(root_cause, chair):
    request = rc_services.closure_request(by=root_cause.owner, root_cause=root_cause, note="Done.")
    rc_services.closure_confirm(by=chair, closure=request)
    with pytest.raises(ValidationError, match="complete"):
        escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Why?")


def test_the_ecib_accepts_a_recovery_plan(root_cause, chair, executive):
    escalation = escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    escalations.escalation_decide(
        by=executive, escalation=escalation, decision="accept", note="Agreed."
    )
    escalation.refresh_from_db()
    assert escalation.status == "decided"
    assert escalation.decision == "accept"
    assert escalation.decided_by == executive
    assert escalation.history.first().history_user == executive
    with pytest.raises(ValidationError, match="already decided"):
        escalations.escalation_decide(by=executive, escalation=escalation, decision="accept")


def test_asking_for_more_puts_it_on_the_next_meeting(root_cause, chair, executive):
    escalation = escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    escalations.escalation_decide(
        by=executive, escalation=escalation, decision="more_information", note="Bring the rota."
    )
    follow_up = escalation.follow_ups.get()
    assert follow_up.is_open
    assert follow_up.meeting.meets_on == dt.date(2024, 2, 29)
    assert follow_up.reason == "The ECIB asked for more on 22 February 2024: Bring the rota."


@pytest.mark.parametrize("decision", ["more_information", "replan"])
def test_asking_for_more_or_a_replan_needs_a_note(root_cause, chair, executive, decision):
    escalation = escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    with pytest.raises(ValidationError) as error:
        escalations.escalation_decide(by=executive, escalation=escalation, decision=decision)
    assert "note" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.is_open


def test_an_unknown_decision_changes_nothing(root_cause, chair, executive):
    escalation = escalations.escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    with pytest.raises(ValidationError):
        escalations.escalation_decide(by=executive, escalation=escalation, decision="shrug")
    escalation.refresh_from_db()
    assert escalation.is_open


def test_two_reasons_can_be_open_at_once(programme, root_cause, chair):
    escalations.escalation_raise(by=chair, root_cause=root_cause, reason="By hand.")
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    assert [e.trigger for e in evaluate(programme).raised] == [Trigger.OFF_TRACK]


def test_other_root_causes_are_evaluated_independently(programme, root_cause, finding):
    other = RootCauseFactory(finding=finding)
    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    post(other, sprint(programme, 3), "on_track")
    post(other, sprint(programme, 4), "off_track")
    assert [e.root_cause for e in evaluate(programme).raised] == [root_cause]


def test_a_run_racing_another_does_not_fail(monkeypatch, programme, root_cause):
    """If another run puts it on the agenda between reading and writing, this run skips it."""
    from governance import triggers
    from tests.factories import EscalationFactory

    post(root_cause, sprint(programme, 3), "off_track")
    post(root_cause, sprint(programme, 4), "off_track")
    rule = escalations.escalation_rules_ensure(programme=programme)[Trigger.OFF_TRACK]
    real = triggers.off_track_run

    def racing(periods, threshold):
        EscalationFactory(root_cause=root_cause, trigger=Trigger.OFF_TRACK, rule=rule)
        return real(periods, threshold)

    monkeypatch.setattr(triggers, "off_track_run", racing)
    assert evaluate(programme).raised == []
    assert Escalation.objects.filter(trigger=Trigger.OFF_TRACK).count() == 1


def test_kpi_rule_uses_the_kpi_pages_analysis(programme, root_cause):
    """With the real SPC: 15 steady values then a collapse below the lower limit is concern."""
    post(root_cause, sprint(programme, 4), "on_track")
    steady = [90, 92, 91, 89, 90, 93, 91, 90, 92, 89, 91, 90, 92, 91, 90]
    for n, value in enumerate([*steady, 60]):
        Measurement.objects.create(
            kpi=root_cause.kpi,
            period_end=dt.date(2023, 10, 1) + dt.timedelta(days=7 * n),
            value=value,
        )
    raised = escalations.escalations_evaluate(programme=programme).raised
    assert [e.trigger for e in raised] == [Trigger.KPI_CONCERN]
    assert "special-cause concern" in raised[0].reason


def test_kpi_rule_does_not_fire_on_common_cause_variation(programme, root_cause):
    post(root_cause, sprint(programme, 4), "on_track")
    for n, value in enumerate([90, 92, 91, 89, 90, 93, 91, 90, 92, 89, 91, 90, 92, 91, 90, 91]):
        Measurement.objects.create(
            kpi=root_cause.kpi,
            period_end=dt.date(2023, 10, 1) + dt.timedelta(days=7 * n),
            value=value,
        )
    raised = escalations.escalations_evaluate(programme=programme).raised
    assert [e.trigger for e in raised if e.trigger == Trigger.KPI_CONCERN] == []
