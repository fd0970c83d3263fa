"""The issue's "done when", in a real browser: a newcomer downloads the template, fills five
rows by hand, imports them with a deliberate mistake, reads the message, fixes it and sees
the plan."""

import io

import pytest
from django.apps import apps
from openpyxl import load_workbook

from cqc.loader import load_reference
from rootcauses.models import RootCause
from tests.factories import UserFactory

from .plan_files import _keys, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIVE = [
    row(root_cause_reference="WC-MD-01 RC1"),
    row(root_cause_reference="WC-MD-01 RC2", finding_text="", owner_email="ben@example.nhs.uk"),
    row(
        finding_reference="WC-SD-01",
        finding_type="Should Do",
        regulation="",
        root_cause_reference="WC-SD-01 RC1",
    ),
    row(
        isg="Well-led",
        finding_reference="WL-MD-01",
        regulation="Reg 17",
        root_cause_reference="WL-MD-01 RC1",
        well_led_kloe="W1",
    ),
    row(
        isg="Well-led",
        finding_reference="WL-MD-01",
        finding_text="",
        regulation="",
        root_cause_reference="WL-MD-01 RC2",
        status="Completed",
        date_closure_confirmed="2019-04-20",
    ),
]


@pytest.fixture(autouse=True)
def _cqc_reference(transactional_db):
    """An earlier transactional test flushes the tables, and with them the CQC reference data
    that a migration loaded; put it back (loading is idempotent)."""
    load_reference(apps.get_model)


def filled(template: bytes, rows: list[dict]) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Plan"]
    for values in rows:
        sheet.append([values[key] for key in _keys()])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_newcomer_imports_five_rows(page, live_server, programme, settings):
    settings.QIP_TODAY = "2019-04-26"
    pmo = UserFactory(username="newpmo", password="correct-horse-battery-staple")
    programme.roles.create(user=pmo, role="pmo")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "newpmo")
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/plan/")

    with page.expect_download() as download:
        page.click("text=Template as Excel (.xlsx)")
    template = download.value.path().read_bytes()

    mistaken = [dict(r) for r in FIVE]
    mistaken[2]["baseline_due_date"] = "31/02/2019"
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "our plan.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled(template, mistaken),
            }
        ],
    )
    page.click("text=Check the file")
    assert page.locator("h2", has_text="There is a problem in this file").is_visible()
    assert page.locator(
        ".plan-problems li", has_text="row 4, baseline due date: '31/02/2019' is not a date"
    ).is_visible()
    assert page.locator("button", has_text="Import").count() == 0
    assert not RootCause.objects.exists()

    page.click("text=Upload a corrected file")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "our plan.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled(template, FIVE),
            }
        ],
    )
    page.click("text=Check the file")
    assert page.locator(".stat-tile", has_text="Root causes to create").inner_text().startswith("5")
    page.click("text=Import our plan.xlsx")
    assert "Imported our plan.xlsx: 5 root causes created" in page.inner_text(".qip-messages")
    assert page.locator("h1", has_text="Findings").is_visible()
    page.click("text=WL-MD-01")
    assert page.locator("td", has_text="Completed on 20 Apr 2019").is_visible()
    assert RootCause.objects.count() == 5
