"""The sustainability watch list: closed root causes whose KPI has not improved since closure."""

import datetime as dt

import pytest
from django.urls import reverse

from qip.reporting.sustainability import watch_list
from tests.factories import RootCauseFactory, add_series

pytestmark = pytest.mark.django_db

BEFORE = [60, 62] * 4  # weekly, from 1 Jan 2023
CLOSED_ON = dt.date(2023, 2, 20)  # after the eighth value (19 Feb)


def _closed(finding, owner, after, reference):
    rc = RootCauseFactory(finding=finding, owner=owner, reference=reference)
    add_series(rc.kpi, BEFORE + after, start=dt.date(2023, 1, 1), step=7)
    rc.status, rc.completed_on = "completed", CLOSED_ON
    rc.save()
    return rc


@pytest.fixture
def stories(finding, owner):
    return {
        "flat": _closed(finding, owner, [61, 60, 62, 61, 60, 62, 61], "WC-MD-07 RC10"),
        "worse": _closed(finding, owner, [40], "WC-MD-07 RC11"),
        "better": _closed(finding, owner, [75, 76, 75], "WC-MD-07 RC12"),
        "early": _closed(finding, owner, [61, 62], "WC-MD-07 RC13"),
    }


def test_watch_list_sorts_closed_root_causes_by_what_their_kpi_did(programme, stories):
    result = watch_list(programme.pk)
    assert [i.root_cause for i in result.watch] == [stories["worse"], stories["flat"]]
    assert [i.verdict for i in result.watch] == ["concern", "not_improved"]
    assert [i.root_cause for i in result.waiting] == [stories["early"]]
    assert [i.root_cause for i in result.improved] == [stories["better"]]


def test_open_root_causes_are_not_judged(programme, root_cause, stories):
    add_series(root_cause.kpi, BEFORE + [40])
    assert root_cause not in [i.root_cause for i in watch_list(programme.pk).watch]


def test_watch_list_page(client, executive, programme, stories, django_assert_max_num_queries):
    client.force_login(executive)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("kpi-watch", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "WC-MD-07 RC10" in html and "No improvement shown since the change" in html
    assert "Special-cause concern since the change" in html


def test_watch_list_is_not_for_outsiders(client, outsider, programme):
    client.force_login(outsider)
    assert client.get(reverse("kpi-watch", args=[programme.pk])).status_code == 404


def test_since_closure_page_marks_the_closure(client, partner, stories):
    client.force_login(partner)
    rc = stories["flat"]
    response = client.get(reverse("kpi-watch-detail", args=[rc.pk]))
    html = response.content.decode()
    assert "Root cause closed 20/02/2023" in html
    assert "No improvement shown since the change" in html
    assert "7 values since closure" in html


def test_since_closure_page_for_an_open_root_cause(client, pmo, root_cause):
    client.force_login(pmo)
    response = client.get(reverse("kpi-watch-detail", args=[root_cause.pk]))
    assert "nothing to judge yet" in response.content.decode()


def test_kpi_panel_partial_can_be_included_with_a_closure_date(rf, pmo, stories):
    from django.template.loader import render_to_string

    rc = stories["better"]
    request = rf.get("/")
    request.user = pmo
    html = render_to_string(
        "kpis/partials/kpi_panel.html",
        {"kpi": rc.kpi, "closure_date": rc.completed_on, "user": pmo},
        request=request,
    )
    assert "Improved since the change" in html
    assert "Record a value" in html
