"""Database rules of the governance models."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from governance.escalations import escalation_raise
from governance.models import Escalation, EscalationRule, Trigger
from governance.services import change_request_propose
from governance.wellled import kloe_report_save
from qip.management.commands.load_demo import _delete_programme
from qip.models import Programme
from tests.factories import EscalationFactory, EscalationRuleFactory, IsgFactory

pytestmark = pytest.mark.django_db


def test_one_open_escalation_per_root_cause_and_reason(root_cause):
    EscalationFactory(root_cause=root_cause)
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationFactory(root_cause=root_cause)


def test_a_rule_escalation_names_its_rule(root_cause):
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationFactory(root_cause=root_cause, trigger=Trigger.OFF_TRACK, rule=None)
    rule = EscalationRuleFactory(programme=root_cause.programme)
    assert EscalationFactory(root_cause=root_cause, trigger=Trigger.OFF_TRACK, rule=rule).rule


def test_a_decided_escalation_has_its_decision(root_cause):
    escalation = EscalationFactory(root_cause=root_cause)
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.filter(pk=escalation.pk).update(status="decided")


def test_rule_threshold_is_at_least_one(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        EscalationRule.objects.create(programme=programme, kind="off_track", threshold=0)


def test_a_period_with_escalations_cannot_be_deleted_alone(root_cause, chair, current_sprint):
    escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    with pytest.raises(RestrictedError):
        current_sprint.delete()


def test_a_programme_with_its_governance_can_be_deleted(programme, isg, root_cause, chair):
    """load_demo --replace deletes the demo programme bottom-up."""
    escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    change_request_propose(
        by=root_cause.owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="Rota.",
    )
    well_led = IsgFactory(
        programme=programme, code="WL", name="Well-led", cadence="monthly", structured_by_kloe=True
    )
    kloe_report_save(
        by=well_led.chair,
        isg=well_led,
        period=programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1)),
        assessment_item=programme.framework.items.get(code="W1"),
        lines=[{"action": "Portfolios re-aligned", "evidence": ""}],
    )
    _delete_programme(programme)
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert not Escalation.objects.exists()
