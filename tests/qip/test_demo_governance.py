"""The demo's governance (qip/demo/governance.py): the chair's sprint page shows the seed
paper's April figures, and the ECIB agenda, change control and Well-led plan are filled in."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from cqc.loader import load_reference
from governance.models import ChangeRequest, EcibMeeting, Escalation, KloeReport
from qip.models import Programme
from rootcauses.models import RootCause

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


@pytest.fixture
def demo_today(settings):
    settings.QIP_TODAY = "2019-04-26"


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_chairs_current_sprint_matches_the_seed_paper(client, demo, demo_today):
    _login(client, "chair")
    wc = demo.isgs.get(code="WC")
    response = client.get(reverse("isg-detail", args=[wc.pk]), follow=True)
    report = response.context["report"]
    assert (report.period.label, report.period.starts_on, report.period.ends_on) == (
        "Sprint 4",
        dt.date(2019, 4, 15),
        dt.date(2019, 4, 28),
    )
    must_do = next(f for f in report.figures if f.kind == "MUST_DO")
    assert (must_do.cumulative.completed, must_do.cumulative.planned) == (22, 26)
    assert str(must_do.percent) == "84.6"
    html = response.content.decode()
    assert "84.6%" in html and "22 completed of 26 planned" in html
    assert len(report.closures_waiting) == 2
    assert report.newly_off_track  # there is something for the chair to escalate


def test_the_next_ecib_agenda(client, demo, demo_today):
    meeting = EcibMeeting.objects.get(programme=demo, meets_on=dt.date(2019, 5, 2))
    open_items = Escalation.objects.filter(meeting=meeting, status="open")
    triggers = set(open_items.values_list("trigger", flat=True))
    assert {"off_track", "due_date_changes"} <= triggers
    _login(client, "exec")
    response = client.get(reverse("ecib-agenda", args=[demo.pk]))
    html = response.content.decode()
    assert "Agenda: Thursday 2 May 2019" in html
    assert "2nd request to change the due date" in html
    assert "Record decision" in html


def test_decisions_of_past_meetings(demo):
    decided = Escalation.objects.filter(programme=demo, status="decided")
    assert set(decided.values_list("decision", flat=True)) == {
        "accept",
        "more_information",
        "replan",
    }


def test_change_control_keeps_the_baseline(demo):
    replan = ChangeRequest.objects.get(programme=demo, kind="new_due_date", status="approved")
    rc = replan.root_cause
    assert rc.current_due_date == dt.date(2019, 5, 31)
    assert rc.baseline_due_date <= dt.date(2019, 4, 30)  # still planned in April
    assert rc.finding.finding_type == "SHOULD_DO"
    withdrawal = ChangeRequest.objects.get(programme=demo, kind="withdraw", status="approved")
    assert withdrawal.root_cause.withdrawn_on == dt.date(2019, 4, 25)
    assert withdrawal.root_cause.baseline_due_date > dt.date(2019, 4, 30)
    assert ChangeRequest.objects.filter(programme=demo, status="proposed").count() == 1
    assert RootCause.objects.filter(programme=demo, withdrawn_on__isnull=False).count() == 1


def test_well_led_april_plan(client, demo, demo_today):
    reports = KloeReport.objects.filter(isg__programme=demo, period__label="April 2019")
    assert sorted(reports.values_list("assessment_item__code", flat=True)) == [
        f"W{n}" for n in range(1, 9)
    ]
    w1 = reports.get(assessment_item__code="W1")
    assert w1.lines.count() == 3
    assert w1.lines.first().action.startswith("Executive Director portfolios")
    _login(client, "pmo")
    well_led = demo.isgs.get(code="WL")
    response = client.get(reverse("wellled-plan", args=[well_led.pk]), follow=True)
    html = response.content.decode()
    assert "Well-led plan: April 2019" in html
    assert "20 Freedom to Speak up Advocates recruited" in html
    assert "Serious Incident panel to be established" in html
