"""Fuzzing governance forms: proposing a change to the plan (every kind, odd dates, tampered
choices), then deciding it; the ECIB's decision on an escalation. No server error; the
rationale, notes and titles come back escaped on the pages that show them."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from governance.escalations import escalation_raise
from governance.models import ChangeRequest, Escalation
from tests.factories import RootCauseFactory

from .fuzz import FUZZ, assert_handled, dates, numbers, text

pytestmark = pytest.mark.django_db

kinds = st.one_of(st.sampled_from(ChangeRequest.Kind.values), text)
ids = st.one_of(st.just(""), numbers)


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "kind": kinds,
            "proposed_due_date": dates,
            "proposed_owner": ids,
            "proposed_isg": ids,
            "merge_into": ids,
            "rationale": text,
            "part1_title": text,
            "part1_due_date": dates,
            "part2_title": text,
            "part2_due_date": dates,
        }
    ),
    decision=st.one_of(st.sampled_from(["approve", "reject"]), text),
    note=text,
)
def test_fuzz_proposing_and_deciding_a_change(
    owner_client, client, executive, programme, finding, owner, fields, decision, note
):
    root_cause = RootCauseFactory(finding=finding, owner=owner)
    url = reverse("change-propose", args=[root_cause.pk])
    assert_handled(owner_client.get(url))
    assert_handled(owner_client.post(url, fields))
    change = ChangeRequest.objects.filter(root_cause=root_cause).first()
    client.force_login(executive)
    if change is not None:
        assert_handled(client.get(change.get_absolute_url()))
        prefix = f"change-{change.pk}"
        decided = client.post(
            reverse("change-decide", args=[change.pk]),
            {f"{prefix}-decision": decision, f"{prefix}-note": note},
        )
        assert_handled(decided)
        assert_handled(client.get(change.get_absolute_url()))
    for page in (
        reverse("change-log", args=[programme.pk]),
        reverse("ecib-agenda", args=[programme.pk]),
        root_cause.get_absolute_url(),
    ):
        assert_handled(client.get(page))


@FUZZ
@given(
    reason=text,
    decision=st.one_of(st.sampled_from(["accept", "more_information", "replan"]), text),
    note=text,
)
def test_fuzz_the_ecib_decision(
    client, chair, executive, programme, finding, reason, decision, note
):
    root_cause = RootCauseFactory(finding=finding)
    client.force_login(chair)
    raised = client.post(reverse("escalation-raise", args=[root_cause.pk]), {"reason": reason})
    assert_handled(raised)
    escalation = Escalation.objects.filter(root_cause=root_cause).first()
    if escalation is None:  # the reason was refused: raise one properly
        escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    client.force_login(executive)
    url = reverse("escalation-decide", args=[escalation.pk])
    assert_handled(client.get(url))
    prefix = f"escalation-{escalation.pk}"
    assert_handled(client.post(url, {f"{prefix}-decision": decision, f"{prefix}-note": note}))
    for page in (
        reverse("ecib-agenda", args=[programme.pk]),
        reverse("ecib-meeting", args=[escalation.meeting_id]),
        root_cause.get_absolute_url(),
    ):
        assert_handled(client.get(page))
