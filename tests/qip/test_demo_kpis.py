"""The demo's KPIs give every Making Data Count icon and a watch list entry."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from cqc.loader import load_reference
from kpis import spc
from kpis.models import KPI
from kpis.selectors import summary_rows
from qip.demo import kpis as demo_kpis
from qip.models import Programme
from qip.reporting.sustainability import watch_list

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


def test_every_isg_has_10_to_20_high_level_kpis_across_the_domains(demo):
    for isg in demo.isgs.all():
        kpis = KPI.objects.filter(isg=isg, level="high_level")
        assert kpis.count() <= 20
        # At least ten with a long series; the engagement demo adds staff-survey KPIs, which
        # are measured once or twice a year and so have only a few values.
        assert sum(k.measurements.count() >= 24 for k in kpis) >= 10
    domains = set(
        KPI.objects.filter(level="high_level").values_list("key_question__code", flat=True)
    )
    assert domains == {"SAFE", "EFFECTIVE", "CARING", "RESPONSIVE", "WELL_LED"}


def test_the_demo_gives_every_icon(demo):
    rows = summary_rows(KPI.objects.filter(programme=demo, level="high_level").with_series())
    assert set(Counter(r.variation for r in rows)) == set(spc.VARIATION_ICONS)
    assert set(Counter(r.assurance for r in rows)) == {*spc.ASSURANCE_ICONS, None}


def test_every_root_cause_kpi_has_values(demo):
    assert not KPI.objects.filter(programme=demo, level="root_cause", measurements=None).exists()


def test_a_closed_root_cause_that_did_not_improve_is_on_the_watch_list(demo):
    verdicts = {item.verdict for item in watch_list(demo.pk).watch}
    assert verdicts == {"not_improved", "concern"}


@pytest.mark.parametrize(
    "spec", [spec for specs in demo_kpis.HIGH_LEVEL.values() for spec in specs]
)
def test_high_level_shapes_give_the_icon_they_are_meant_to(spec):
    import random

    values, target = demo_kpis.make_series(spec, 26, random.Random(3))
    result = spc.analyse(values, improvement=spec[3], target=target)
    assert result.variation == demo_kpis.expected_variation(spec[7], spec[3])
