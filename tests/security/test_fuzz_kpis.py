"""Fuzzing KPI values: the one-value form and the CSV upload (dry run, then the commit it
offers). No server error; notes and cell text come back escaped."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import KPIFactory, add_series

from .fuzz import FUZZ, assert_handled, dates, numbers, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(isg, programme):
    kpi = KPIFactory(
        programme=programme, isg=isg, level="high_level", name="Shifts staffed", target=95
    )
    add_series(kpi, [80, 82, 81, 79, 83, 80])
    return kpi


@pytest.fixture
def pmo_client(pmo):
    client = Client()
    client.force_login(pmo)
    return client


def _pages(client, kpi):
    for url in (
        reverse("kpi-detail", args=[kpi.pk]),
        reverse("kpi-history", args=[kpi.pk]),
        reverse("isg-kpi-summary", args=[kpi.isg_id]),
        reverse("kpi-summary", args=[kpi.programme_id]),
    ):
        assert_handled(client.get(url))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "period_end": st.one_of(dates, st.sampled_from(["2024-01", "2019-04", "13/2024"])),
            "value": numbers,
            "numerator": numbers,
            "denominator": numbers,
            "note": text,
            "version": st.one_of(st.just(""), numbers),
        }
    )
)
def test_fuzz_recording_a_value(pmo_client, kpi, fields):
    url = reverse("kpi-record", args=[kpi.pk])
    assert_handled(pmo_client.get(url))
    assert_handled(pmo_client.post(url, fields))
    _pages(pmo_client, kpi)


cells = st.one_of(text, numbers, dates)


@FUZZ
@given(
    header=st.one_of(
        st.just(["period", "value"]),
        st.just(["period", "numerator", "denominator"]),
        st.lists(text, max_size=4),
    ),
    rows=st.lists(st.lists(cells, min_size=0, max_size=4), max_size=6),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_fuzz_the_csv_upload(pmo_client, kpi, header, rows, raw):
    if raw is None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        content = out.getvalue().encode("utf-8", errors="replace")
    else:
        content = raw
    file = io.BytesIO(content)
    file.name = "values.csv"
    url = reverse("kpi-upload", args=[kpi.pk])
    checked = pmo_client.post(url, {"file": file})
    assert_handled(checked)
    plan = checked.context.get("plan") if checked.context else None
    if plan is not None and checked.context.get("text") is not None:
        committed = pmo_client.post(
            url, {"csv_text": checked.context["text"], "digest": plan.digest}
        )
        assert_handled(committed)
    # A tampered confirmation: text that was never checked.
    assert_handled(
        pmo_client.post(url, {"csv_text": content.decode("utf-8", "replace"), "digest": "0" * 64})
    )
    _pages(pmo_client, kpi)
