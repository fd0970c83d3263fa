"""Fuzzing the plan import: CSV and Excel files whose cells are random text, huge numbers,
odd dates, Unicode, HTML and script, spreadsheet formulas and real Excel values. The dry
run must answer (a report, never a server error); a file it accepts is imported, and what
was stored comes back escaped on the pages that show it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from qip.plan_import.columns import COLUMNS, HEADERS
from rootcauses.models import RootCause
from tests.qip.plan_files import csv_bytes, row, xlsx_bytes

from .fuzz import FUZZ, assert_handled, dates, numbers, text

pytestmark = pytest.mark.django_db

KEYS = [c.key for c in COLUMNS]

# Excel cells can hold more than text: real numbers, dates, booleans, formulas.
excel_values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.booleans(),
    st.sampled_from(["=1/0", "=NOW()", '=HYPERLINK("http://example.invalid")', "=A1&B1"]),
)
cell = st.one_of(text, numbers, dates)


def _excel_text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@pytest.fixture
def pmo_client(pmo):
    client = Client()
    client.force_login(pmo)
    return client


def _rows(overrides: list[dict]) -> list[dict]:
    return [
        row(**{"root_cause_reference": f"WC-MD-01 RC{n + 1}", **changes})
        for n, changes in enumerate(overrides)
    ]


@FUZZ
@given(
    overrides=st.lists(
        st.dictionaries(st.sampled_from(KEYS), cell, max_size=4), min_size=1, max_size=4
    ),
    excel=st.booleans(),
    raw_cells=st.dictionaries(
        st.builds(
            lambda col, r: f"{col}{r}",
            st.sampled_from("ABCDEFGHIJKLMNOPQRSTU"),
            st.integers(min_value=2, max_value=5),
        ),
        excel_values,
        max_size=3,
    ),
    headers=st.one_of(st.just(None), st.lists(text, min_size=1, max_size=len(HEADERS))),
    create_isgs=st.booleans(),
)
def test_fuzz_the_plan_import(
    pmo_client, programme, isg, owner, overrides, excel, raw_cells, headers, create_isgs
):
    rows = _rows(overrides)
    if excel:  # a worksheet cannot hold control characters: Excel would not have written them
        rows = [{k: _excel_text(v) for k, v in r.items()} for r in rows]
        headers = [_excel_text(h) for h in headers] if headers else headers
        content, name = xlsx_bytes(rows, headers=headers, raw_cells=raw_cells), "plan.xlsx"
    else:
        content, name = csv_bytes(rows, headers=headers), "plan.csv"
    options = {"create_isgs": "on"} if create_isgs else {}
    checked = pmo_client.post(
        reverse("plan-import", args=[programme.pk]),
        {"file": SimpleUploadedFile(name, content), **options},
    )
    assert_handled(checked)
    report = checked.context.get("report") if checked.context else None
    if report is not None and report.ok:
        token = checked.context["upload"].token
        committed = pmo_client.post(reverse("plan-commit", args=[programme.pk]), {"token": token})
        assert_handled(committed)
    pages = [
        reverse("plan-home", args=[programme.pk]),
        reverse("finding-list", args=[programme.pk]),
        reverse("isg-list", args=[programme.pk]),
        reverse("dashboard", args=[programme.pk]),
    ]
    pages += [rc.get_absolute_url() for rc in RootCause.objects.filter(programme=programme)[:3]]
    for page in pages:
        assert_handled(pmo_client.get(page))


@FUZZ
@given(content=st.binary(max_size=400), name=st.sampled_from(["plan.csv", "plan.xlsx", "plan"]))
def test_fuzz_a_file_that_is_not_a_plan(pmo_client, programme, content, name):
    response = pmo_client.post(
        reverse("plan-import", args=[programme.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert_handled(response)
