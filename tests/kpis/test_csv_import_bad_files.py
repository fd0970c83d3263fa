"""Regressions found by fuzzing the CSV upload (tests/security/test_fuzz_kpis.py)."""

import io

import pytest
from django.urls import reverse

from kpis import csv_import
from tests.factories import KPIFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(isg, programme):
    return KPIFactory(programme=programme, isg=isg, level="high_level", name="Shifts staffed")


def test_a_carriage_return_inside_a_cell_is_read_not_a_server_error(client, pmo, kpi):
    """It raised csv.Error ("new-line character seen in unquoted field"): a 500."""
    file = io.BytesIO(b"period,value\r\n2024-01-14,9\r0\n")
    file.name = "values.csv"
    client.force_login(pmo)
    response = client.post(reverse("kpi-upload", args=[kpi.pk]), {"file": file})
    assert response.status_code == 200
    assert "Nothing has been saved" in response.content.decode()


def test_a_quoted_cell_may_hold_a_carriage_return(kpi):
    plan = csv_import.plan_csv(kpi, 'period,value\n2024-01-14,"90\r"\n')
    assert plan.errors == []
    assert plan.creates == 1
