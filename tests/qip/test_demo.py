"""The demo trust reproduces the seed board paper's figures (seeds/003)."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from cqc.loader import load_reference
from qip.models import Programme
from qip.reporting.trajectory import trajectory_as_of
from rootcauses.models import RootCause

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # The demo stores evidence files: into a temporary folder, not the repository's private/.
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("private")), "base_url": None},
    }
    storages = {**django_settings.STORAGES, "private": private}
    with django_db_blocker.unblock(), override_settings(DEBUG=True, STORAGES=storages):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        # Leave an empty database for the next module, with its CQC reference data.
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


def _isg(figures, name):
    return next(row for row in figures["isgs"] if row["name"] == name)


def test_end_of_april_must_do_by_isg_matches_the_seed(demo):
    april = trajectory_as_of(demo, dt.date(2019, 4, 30))
    expected = {
        "Women's and Children's": (22, 26, 84.6),
        "Scheduled Care": (21, 25, 84.0),
        "Unscheduled Care": (16, 24, 66.7),
        "Workforce": (34, 39, 87.2),
    }
    for name, (completed, planned, percent) in expected.items():
        md = _isg(april, name)["must_do"]
        assert (md["completed"], md["planned"], md["percent"]) == (completed, planned, percent)
    assert april["programme"]["must_do"] == {
        "planned": 114,
        "planned_current": 114,
        "completed": 93,
        "percent": 81.6,
    }
    assert april["programme"]["should_do"]["completed"] == 8


def test_combined_trajectory_fell_from_80_to_over_75_percent(demo):
    march = trajectory_as_of(demo, dt.date(2019, 3, 31))
    april = trajectory_as_of(demo, dt.date(2019, 4, 30))
    assert march["programme"]["combined"]["completed"] == 52
    assert march["programme"]["combined"]["percent"] == 80.0
    assert march["programme"]["must_do"]["percent"] > 80
    assert 75 < april["programme"]["combined"]["percent"] < 80


def test_findings_and_root_causes_in_the_seed_numbers(demo):
    counts = {
        isg.name: (
            isg.findings.filter(finding_type="MUST_DO").count(),
            isg.findings.filter(finding_type="SHOULD_DO").count(),
            isg.root_causes.filter(finding__finding_type="MUST_DO").count(),
            isg.root_causes.filter(finding__finding_type="SHOULD_DO").count(),
        )
        for isg in demo.isgs.all()
    }
    assert counts["Women's and Children's"] == (21, 27, 47, 35)
    assert counts["Scheduled Care"] == (16, 42, 45, 68)
    assert counts["Unscheduled Care"] == (20, 9, 68, 23)
    assert counts["Workforce"] == (21, 10, 105, 16)
    assert demo.findings.filter(finding_type="MUST_DO").count() == 79
    assert demo.findings.filter(finding_type="SHOULD_DO").count() == 91


def test_137_open_must_do_root_causes_are_on_track(demo):
    assert (
        RootCause.objects.filter(programme=demo)
        .must_do()
        .open()
        .filter(current_rag="on_track")
        .count()
        == 137
    )


def test_well_led_is_monthly_and_structured_by_kloe(demo):
    well_led = demo.isgs.get(name="Well-led")
    assert well_led.cadence == "monthly"
    assert well_led.structured_by_kloe
    codes = set(well_led.root_causes.values_list("assessment_item__code", flat=True))
    assert codes == {f"W{n}" for n in range(1, 9)}
    others = demo.isgs.exclude(name="Well-led")
    assert set(others.values_list("cadence", flat=True)) == {"fortnightly"}
    assert demo.periods.filter(cadence="fortnightly").order_by(
        "starts_on"
    ).first().starts_on == dt.date(2019, 3, 4)


def test_sign_in_accounts_have_their_roles(demo):
    from django.contrib.auth import get_user_model

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["owner", "chair", "pmo", "exec", "partner"]
        )
    }
    assert len(users) == 5
    assert all(u.check_password("improving-together-2019") for u in users.values())
    assert users["owner"].owned_root_causes.count() == 7
    assert demo.isgs.get(name="Women's and Children's").chair == users["chair"]
    assert users["pmo"].has_perm("qip.manage_programme", demo)
    assert users["exec"].has_perm("qip.decide_at_ecib", demo)
    assert users["partner"].has_perm("qip.view_programme", demo)
    assert not users["partner"].has_perm(
        "rootcauses.post_update", users["owner"].owned_root_causes.first()
    )


def test_load_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        call_command("load_demo")


def test_chairs_signed_off_the_finished_sprints(demo):
    from qip.models import PeriodSignoff

    wc = demo.isgs.get(name="Women's and Children's")
    signed = PeriodSignoff.objects.filter(isg=wc).order_by("period__starts_on")
    assert [s.period.label for s in signed] == ["Sprint 1", "Sprint 2", "Sprint 3"]
    assert all(s.signed_by == wc.chair for s in signed)
