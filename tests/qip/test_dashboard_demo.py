"""In the demo, exec sees the seed paper's April 2019 figures on the dashboard."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from cqc.loader import load_reference
from qip.models import Programme, Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


def test_exec_sees_the_april_figures_of_the_seed_paper(client, settings, demo):
    settings.QIP_TODAY = "2019-04-26"
    client.force_login(get_user_model().objects.get(username="exec"))
    page = client.get(reverse("dashboard", args=[demo.pk])).content.decode()
    assert "Live, as at 26 April 2019" in page
    assert "81.6%" in page and "93 completed of 114 planned" in page
    for completed, planned, isg in [
        (22, 26, "Women&#x27;s and Children&#x27;s"),
        (21, 25, "Scheduled Care"),
        (16, 24, "Unscheduled Care"),
        (34, 39, "Workforce"),
    ]:
        assert f'aria-label="{completed} Must Do completed, {isg}"' in page
        assert f'aria-label="{planned} Must Do planned, {isg}"' in page


def test_the_demo_rolled_up_march(demo):
    march = demo.periods.get(cadence="monthly", label="March 2019")
    programme_row = Snapshot.objects.get(period=march, isg__isnull=True)
    assert programme_row.md_completed + programme_row.sd_completed == 52
