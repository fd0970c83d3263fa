"""CSV downloads of the list pages (issue 9): every row the filters select, formula-safe, with
the page's own permission."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from core.spreadsheets import csv_bytes, safe_csv_text
from governance.escalations import escalation_raise
from governance.services import change_request_approve, change_request_propose
from tests.factories import EcibMeetingFactory, FindingFactory, KPIFactory, ThemeFactory, add_series

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","click")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1743", "'+44 1743"),
        ("-sum(A1)", "'-sum(A1)"),
        ("@cmd", "'@cmd"),
        ("\tindent", "'\tindent"),
        ("-3", "-3"),
        ("+5%", "'+5%"),
        ("12.5%", "12.5%"),
        ("plain", "plain"),
        (None, ""),
        (dt.date(2024, 2, 20), "2024-02-20"),
    ],
)
def test_formula_like_text_is_defused(value, written):
    assert safe_csv_text(value) == written


def test_csv_bytes_have_a_byte_order_mark_for_excel():
    data = csv_bytes(["A"], [["é"]])
    assert data.startswith("\ufeff".encode())


def test_findings_list_as_csv_keeps_the_filters(client, owner, root_cause, isg):
    FindingFactory(
        isg=isg, programme=isg.programme, reference="WC-SD-09", finding_type="SHOULD_DO", text=EVIL
    )
    client.force_login(owner)
    url = reverse("finding-list", args=[isg.programme_id])
    rows = _rows(client.get(url, {"format": "csv"}))
    assert rows[0][:3] == ["Reference", "Type", "ISG"]
    assert {r[0] for r in rows[1:]} == {"WC-MD-07", "WC-SD-09"}
    assert next(r for r in rows if r[0] == "WC-SD-09")[3] == "'" + EVIL
    only_must = _rows(client.get(url, {"format": "csv", "finding_type": "MUST_DO"}))
    assert [r[0] for r in only_must[1:]] == ["WC-MD-07"]


def test_findings_csv_is_404_for_an_outsider(client, outsider, root_cause):
    client.force_login(outsider)
    url = reverse("finding-list", args=[root_cause.programme_id])
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_my_root_causes_as_csv(client, owner, root_cause, other_root_cause):
    root_cause.title = EVIL
    root_cause.save()
    client.force_login(owner)
    rows = _rows(client.get(reverse("my-root-causes"), {"format": "csv"}))
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == ["WC-MD-07 RC2"]  # only the owner's own
    assert rows[1][1] == "'" + EVIL


def test_kpi_summary_as_csv(client, executive, isg):
    kpi = KPIFactory(
        programme=isg.programme, isg=isg, level="high_level", name="% of shifts fully staffed"
    )
    add_series(kpi, [90, 91, 92, 93, 94], start=dt.date(2023, 9, 30))
    client.force_login(executive)
    rows = _rows(client.get(reverse("kpi-summary", args=[isg.programme_id]), {"format": "csv"}))
    assert rows[0][0] == "KPI" and rows[0][-2:] == ["Variation", "Assurance"]
    assert rows[1][0] == "% of shifts fully staffed"
    assert rows[1][1] == isg.name


def test_kpi_summary_csv_is_404_for_an_outsider(client, outsider, isg):
    client.force_login(outsider)
    assert (
        client.get(reverse("kpi-summary", args=[isg.programme_id]), {"format": "csv"}).status_code
        == 404
    )


def test_ecib_agenda_as_csv(client, chair, executive, root_cause, today):
    EcibMeetingFactory(programme=root_cause.programme, meets_on=today + dt.timedelta(days=2))
    escalation_raise(by=chair, root_cause=root_cause, reason=EVIL)
    client.force_login(executive)
    rows = _rows(
        client.get(reverse("ecib-agenda", args=[root_cause.programme_id]), {"format": "csv"})
    )
    assert rows[0][:2] == ["Item", "Root cause"]
    assert rows[1][:2] == ["Escalation", "WC-MD-07 RC2"]
    assert rows[1][6] == "'" + EVIL


def test_ecib_agenda_csv_is_403_for_an_owner(client, owner, root_cause):
    client.force_login(owner)
    url = reverse("ecib-agenda", args=[root_cause.programme_id])
    assert client.get(url, {"format": "csv"}).status_code == 403


def test_change_log_as_csv(client, owner, executive, root_cause, today):
    change = change_request_propose(
        by=owner,
        root_cause=root_cause,
        kind="new_due_date",
        proposed_due_date=dt.date(2024, 4, 30),
        rationale="Rota gaps over Easter.",
    )
    change_request_approve(by=executive, change_request=change, note="Agreed.")
    client.force_login(owner)
    rows = _rows(
        client.get(reverse("change-log", args=[root_cause.programme_id]), {"format": "csv"})
    )
    assert rows[0][0] == "Root cause"
    assert rows[1][0] == "WC-MD-07 RC2"
    assert rows[1][3] == "New due date"
    assert rows[1][8] == "Rota gaps over Easter."


def test_theme_page_as_csv(client, pmo, root_cause, isg):
    theme = ThemeFactory(reporting_isg=isg, name="Digital templates")
    root_cause.theme = theme
    root_cause.delivered_by = "Digital Services"
    root_cause.save()
    client.force_login(pmo)
    rows = _rows(client.get(reverse("theme-detail", args=[theme.pk]), {"format": "csv"}))
    assert rows[1][0] == "WC-MD-07 RC2"
    assert rows[1][5] == "Digital Services"


def test_list_pages_link_to_their_csv(client, pmo, owner, root_cause):
    client.force_login(owner)
    page = client.get(reverse("my-root-causes"), {"state": "overdue"}).content.decode()
    assert "format=csv" in page and "state=overdue" in page
    client.force_login(pmo)
    for url in (
        reverse("finding-list", args=[root_cause.programme_id]),
        reverse("kpi-summary", args=[root_cause.programme_id]),
        reverse("change-log", args=[root_cause.programme_id]),
        reverse("ecib-agenda", args=[root_cause.programme_id]),
    ):
        assert "format=csv" in client.get(url).content.decode(), url
