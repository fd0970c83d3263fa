"""Two people acting on the same governance record at once: the first decision stands, the
second is told and changes nothing (no silent overwrite).

Each opens the page first, as at the ECIB where two executives have the agenda open."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from governance.escalations import escalation_raise
from governance.models import ChangeRequest, Escalation
from governance.services import change_request_propose
from qip.models import ProgrammeRole
from tests.factories import ProgrammeRoleFactory, ThemeFactory, UserFactory
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def _signed_in(programme, username: str, role: str) -> tuple[Client, object]:
    user = UserFactory(username=username)
    ProgrammeRoleFactory(programme=programme, user=user, role=role)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def two_executives(programme):
    return [_signed_in(programme, name, ProgrammeRole.Role.EXECUTIVE) for name in ("cno", "cmo")]


def test_a_second_decision_on_a_change_request_changes_nothing(two_executives, root_cause):
    (a, cno), (b, _cmo) = two_executives
    change = change_request_propose(
        by=root_cause.owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="The rota changed.",
    )
    for client in (a, b):
        assert "Record decision" in client.get(change.get_absolute_url()).content.decode()
    url = reverse("change-decide", args=[change.pk])
    prefix = f"change-{change.pk}"
    approved = a.post(url, {f"{prefix}-decision": "approve", f"{prefix}-note": "Agreed."})
    assert approved.status_code == 302
    late = b.post(url, {f"{prefix}-decision": "reject", f"{prefix}-note": "Not yet."})
    assert late.status_code == 200
    assert "This change was already approved" in late.content.decode()
    change = ChangeRequest.objects.get(pk=change.pk)
    assert (change.status, change.decided_by) == ("approved", cno)
    root_cause.refresh_from_db()
    assert root_cause.current_due_date == dt.date(2024, 4, 30)


def test_a_second_decision_on_an_escalation_changes_nothing(two_executives, root_cause, chair):
    (a, cno), (b, _cmo) = two_executives
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    url = reverse("escalation-decide", args=[escalation.pk])
    prefix = f"escalation-{escalation.pk}"
    for client in (a, b):
        assert client.get(url).status_code == 200
    first = a.post(url, {f"{prefix}-decision": "accept", f"{prefix}-note": "Agreed."})
    assert first.status_code == 302
    second = b.post(
        url, {f"{prefix}-decision": "more_information", f"{prefix}-note": "Bring the audit."}
    )
    assert second.status_code == 200
    assert "The ECIB has already decided this escalation." in second.content.decode()
    escalation.refresh_from_db()
    assert (escalation.decision, escalation.decided_by, escalation.decision_note) == (
        "accept",
        cno,
        "Agreed.",
    )
    assert Escalation.objects.count() == 1  # no follow-up from the losing "ask for more"


def test_two_people_setting_a_root_causes_theme(programme, root_cause, pmo):
    """Fixed here: the form used to save over a theme set after it was opened."""
    a = Client()
    a.force_login(pmo)
    b, _other_pmo = _signed_in(programme, "pmo-2", ProgrammeRole.Role.PMO)
    estates = ThemeFactory(programme=programme, name="Estates")
    it = ThemeFactory(programme=programme, name="Digital")
    url = reverse("rootcause-theme", args=[root_cause.pk])
    form_a = form_data(a.get(url), having="delivered_by")
    form_b = form_data(b.get(url), having="delivered_by")
    assert form_a["version"] == str(root_cause.version)
    saved = a.post(url, {**form_a, "theme": estates.pk, "delivered_by": "Estates team"})
    assert saved.status_code == 302
    late = b.post(url, {**form_b, "theme": it.pk, "delivered_by": "IT service desk"})
    assert late.status_code == 409
    assert "Someone else saved first" in late.content.decode()
    root_cause.refresh_from_db()
    assert (root_cause.theme, root_cause.delivered_by) == (estates, "Estates team")


def test_two_people_editing_a_theme(programme, isg, other_isg, pmo):
    """Fixed here: the theme form had no version, so the later save silently won."""
    from qip.models import CrossCuttingTheme

    a = Client()
    a.force_login(pmo)
    b, _other_pmo = _signed_in(programme, "pmo-2", ProgrammeRole.Role.PMO)
    theme = ThemeFactory(programme=programme, name="Estates", reporting_isg=isg)
    url = reverse("theme-edit", args=[theme.pk])
    form_a = form_data(a.get(url), having="reporting_isg")
    form_b = form_data(b.get(url), having="reporting_isg")
    assert form_a["version"] == "1"
    saved = a.post(url, {**form_a, "description": "Ward doors and lifts"})
    assert saved.status_code == 302
    late = b.post(url, {**form_b, "reporting_isg": other_isg.pk, "description": "Lifts"})
    assert late.status_code == 409
    assert "Someone else saved first" in late.content.decode()
    theme = CrossCuttingTheme.objects.get(pk=theme.pk)
    assert (theme.reporting_isg, theme.description, theme.version) == (
        isg,
        "Ward doors and lifts",
        2,
    )
