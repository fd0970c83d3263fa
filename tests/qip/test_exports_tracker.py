"""The whole tracker as one workbook: a summary sheet, one sheet per ISG, auto-filters and
frozen header rows, text that can never run as a formula; and who may download it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rootcauses.services import update_post
from tests.factories import ActionFactory, FindingFactory, RootCauseFactory, add_series
from tests.responses import close as close_response

pytestmark = pytest.mark.django_db

EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def plan(programme, isg, other_isg, root_cause, owner, current_sprint):
    root_cause.title = EVIL
    root_cause.save()
    ActionFactory(root_cause=root_cause, description="Book extra training sessions")
    ActionFactory(root_cause=root_cause, description="Audit the rota", done_on=dt.date(2024, 2, 1))
    update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="at_risk",
        narrative="+1 nurse short",
    )
    add_series(root_cause.kpi, [88, 90, 93], start=dt.date(2024, 1, 14))
    finding = FindingFactory(
        isg=other_isg, programme=programme, reference="SC-SD-01", finding_type="SHOULD_DO"
    )
    RootCauseFactory(
        finding=finding,
        owner=owner,
        reference="SC-SD-01 RC1",
        baseline_due_date=dt.date(2024, 1, 31),
        status="completed",
        completed_on=dt.date(2024, 1, 30),
    )
    return root_cause


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content)
    close_response(response)
    return load_workbook(io.BytesIO(data))


def test_one_sheet_per_isg_after_the_summary(client, pmo, plan, isg, other_isg):
    client.force_login(pmo)
    book = _workbook(client.get(reverse("tracker-export", args=[isg.programme_id])))
    assert book.sheetnames == [
        "Summary",
        "Scheduled Care",
        "Women's and Children's",
    ] or book.sheetnames == [
        "Summary",
        "Women's and Children's",
        "Scheduled Care",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet["A1"].font.bold


def test_the_isg_sheet_holds_finding_root_cause_actions_update_kpi_and_status(
    client, pmo, plan, isg
):
    client.force_login(pmo)
    book = _workbook(client.get(reverse("tracker-export", args=[isg.programme_id])))
    sheet = book["Women's and Children's"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Finding"] == "WC-MD-07"
    assert row["Root cause"] == "WC-MD-07 RC2"
    assert row["Owner"] == "Amara Okafor"
    assert row["Baseline due"] == dt.datetime(2024, 3, 15)
    assert row["Status"] == "At risk"
    assert row["Actions done"] == "1 of 2"
    assert "Open: Book extra training sessions" in row["Actions"]
    assert row["Latest update"] == "Sprint 4"
    assert row["RAG"] == "At risk"
    assert row["What happened"] == "+1 nurse short"
    assert row["KPI latest value"] == 93
    assert row["KPI value for"] == dt.datetime(2024, 2, 11)
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}2"


def test_text_is_never_a_formula(client, pmo, plan, isg):
    client.force_login(pmo)
    book = _workbook(client.get(reverse("tracker-export", args=[isg.programme_id])))
    sheet = book["Women's and Children's"]
    title = next(c for c in sheet[2] if c.value == EVIL)
    assert title.data_type == "s"
    update = next(c for c in sheet[2] if c.value == "+1 nurse short")
    assert update.data_type == "s"


def test_the_summary_counts_each_isg_and_the_programme(client, executive, plan, isg, other_isg):
    client.force_login(executive)
    book = _workbook(client.get(reverse("tracker-export", args=[isg.programme_id])))
    sheet = book["Summary"]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0].value: dict(zip(header, [c.value for c in r], strict=True))
        for r in sheet.iter_rows(min_row=2)
        if r[0].value in ("Women's and Children's", "Scheduled Care", "Programme")
    }
    assert rows["Scheduled Care"]["Should Do completed"] == 1
    assert rows["Scheduled Care"]["Should Do planned to date"] == 1
    assert rows["Women's and Children's"]["Must Do root causes"] == 1
    assert rows["Women's and Children's"]["At risk"] == 1
    assert rows["Programme"]["Should Do completed"] == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 403), ("chair", 403), ("partner", 403), ("outsider", 404)]
)
def test_only_the_pmo_and_executives_download_the_tracker(
    client, request, plan, persona, status, partner, outsider
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("tracker-export", args=[plan.programme_id]))
    close_response(response)
    assert response.status_code == status


def test_the_tracker_is_read_in_a_fixed_number_of_queries(
    client, pmo, plan, isg, django_assert_max_num_queries
):
    for n in range(10):
        RootCauseFactory(finding=plan.finding, owner=plan.owner, reference=f"WC-MD-07 RC{10 + n}")
    client.force_login(pmo)
    # Fails if reading the workbook's 11 root causes takes more than 30 queries.
    with django_assert_max_num_queries(30):
        response = client.get(reverse("tracker-export", args=[isg.programme_id]))
        data = b"".join(response.streaming_content)
        close_response(response)
    assert response.status_code == 200 and data.startswith(b"PK")  # an .xlsx is a zip
