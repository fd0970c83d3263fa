"""The benchmark's synthetic programme, at scale 1, rolls up and shows a dashboard."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from kpis.models import Measurement
from qip.management.commands.generate_programme import programme_name
from qip.models import Programme, Snapshot
from qip.reporting import rollup
from rootcauses.models import RootCause, Update

pytestmark = pytest.mark.django_db


def test_scale_one_is_the_seed_trust_and_rolls_up(client, today):
    call_command("generate_programme", scale=1, stdout=io.StringIO())
    programme = Programme.objects.get(name=programme_name(1))
    assert RootCause.objects.filter(programme=programme).count() == 423
    assert 4000 < Update.objects.filter(root_cause__programme=programme).count() < 6000
    assert Measurement.objects.filter(kpi__programme=programme).count() > 10000
    assert programme.isgs.count() == 5
    ended = list(programme.periods.filter(ends_on__lt=today))
    assert len([p for p in ended if p.cadence == "fortnightly"]) >= 77  # three years
    rollup.rollup_periods(programme=programme, periods=ended)
    assert Snapshot.objects.filter(programme=programme).count() == len(ended) * 6
    client.force_login(get_user_model().objects.get(username="bench-exec"))
    assert client.get(reverse("dashboard", args=[programme.pk])).status_code == 200
    # Again: the old one is replaced, not duplicated.
    call_command("generate_programme", scale=1, stdout=io.StringIO())
    assert Programme.objects.filter(name=programme_name(1)).count() == 1


def test_scale_must_be_sensible():
    with pytest.raises(CommandError, match="between 1 and 100"):
        call_command("generate_programme", scale=0)
