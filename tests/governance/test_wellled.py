"""The Well-led plan: per KLOE, monthly; written by the Well-led ISG's leads."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.locking import StaleEdit
from cqc.models import AssessmentItem
from governance import wellled
from governance.models import KloeReport
from qip.services import period_sign_off
from tests.factories import IsgFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wl_chair(db):
    return UserFactory(username="wl-chair", first_name="Janet", last_name="Moss")


@pytest.fixture
def well_led(programme, wl_chair):
    return IsgFactory(
        programme=programme,
        name="Well-led",
        code="WL",
        cadence="monthly",
        chair=wl_chair,
        structured_by_kloe=True,
    )


@pytest.fixture
def february(programme):
    return programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1))


@pytest.fixture
def w1(programme):
    return AssessmentItem.objects.get(framework=programme.framework, code="W1")


def save(well_led, period, item, by, **kwargs):
    kwargs.setdefault(
        "lines", [{"action": "Portfolios re-aligned", "evidence": "Letters sent to all Executives"}]
    )
    kwargs.setdefault("future_plans", "OD plan to the Board in May\n\nGenba walks")
    return wellled.kloe_report_save(
        by=by, isg=well_led, period=period, assessment_item=item, **kwargs
    )


def test_the_kloes_come_from_the_framework(programme):
    assert [item.code for item in wellled.kloe_items(programme)] == [f"W{n}" for n in range(1, 9)]


def test_a_lead_writes_a_kloe_report(well_led, february, w1, wl_chair):
    report = save(well_led, february, w1, wl_chair)
    assert report.future_plan_lines == ["OD plan to the Board in May", "Genba walks"]
    assert [(line.action, line.evidence) for line in report.lines.all()] == [
        ("Portfolios re-aligned", "Letters sent to all Executives")
    ]
    assert report.history.first().history_user == wl_chair


def test_saving_again_replaces_the_rows(well_led, february, w1, wl_chair):
    save(well_led, february, w1, wl_chair)
    report = save(
        well_led, february, w1, wl_chair, lines=[{"action": "Leadership Academy", "evidence": ""}]
    )
    assert [line.action for line in report.lines.all()] == ["Leadership Academy"]
    assert report.version == 2
    assert KloeReport.objects.count() == 1


def test_a_stale_form_loses(well_led, february, w1, wl_chair):
    save(well_led, february, w1, wl_chair)
    save(well_led, february, w1, wl_chair, expected_version=1)
    with pytest.raises(StaleEdit):
        save(well_led, february, w1, wl_chair, expected_version=1, future_plans="Mine")
    assert KloeReport.objects.get().future_plans != "Mine"


def test_signed_off_months_are_read_only(well_led, february, w1, wl_chair):
    period_sign_off(by=wl_chair, isg=well_led, period=february)
    with pytest.raises(ValidationError, match="read-only"):
        save(well_led, february, w1, wl_chair)


@pytest.mark.parametrize(
    ("lines", "plans", "message"),
    [
        ([], "", "at least one action"),
        ([{"action": "", "evidence": "Only evidence"}], "", "needs the action"),
    ],
)
def test_bad_input(well_led, february, w1, wl_chair, lines, plans, message):
    with pytest.raises(ValidationError, match=message):
        save(well_led, february, w1, wl_chair, lines=lines, future_plans=plans)
    assert not KloeReport.objects.exists()


def test_only_well_led_kloes_in_well_led_months(programme, isg, well_led, february, w1, wl_chair):
    safe = AssessmentItem.objects.get(framework=programme.framework, code="S1")
    with pytest.raises(ValidationError, match="Well-led key lines"):
        save(well_led, february, safe, wl_chair)
    with pytest.raises(ValidationError, match="does not report by key line"):
        save(isg, february, w1, wl_chair)
    march = programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="has not started"):
        save(well_led, march, w1, wl_chair)


# --- pages ----------------------------------------------------------------------------------


def test_month_page_shows_the_seed_table(client, well_led, february, w1, wl_chair, partner):
    save(well_led, february, w1, wl_chair)
    client.force_login(partner)
    response = client.get(reverse("wellled-month", args=[well_led.pk, february.pk]))
    html = response.content.decode()
    assert "Actions over the past month" in html and "How we will evidence the change" in html
    assert "Letters sent to all Executives" in html and "Genba walks" in html
    assert "Nothing reported for this month yet." in html  # W2–W8
    assert "Edit W1" not in html  # a partner reads only


def test_lead_edits_through_the_form(client, programme, well_led, february, w1, wl_chair):
    lead = UserFactory(username="w3-lead")
    well_led.leads.add(lead)
    client.force_login(lead)
    url = reverse("wellled-edit", args=[well_led.pk, february.pk, w1.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": "0",
        "future_plans": "Genba walks",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-action": "Leadership Academy launched",
        "lines-0-evidence": "200 development plans",
        "lines-1-action": "",
        "lines-1-evidence": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    report = KloeReport.objects.get()
    assert report.author == lead
    assert [line.action for line in report.lines.all()] == ["Leadership Academy launched"]
    # The same form again, now stale: a conflict page, nothing overwritten.
    response = client.post(url, {**data, "lines-0-action": "Overwritten"})
    assert response.status_code == 409
    assert KloeReport.objects.get().lines.get().action == "Leadership Academy launched"
    # Bad input: evidence without an action.
    response = client.post(
        url, {**data, "version": "1", "lines-0-action": "", "lines-0-evidence": "Only evidence"}
    )
    assert response.status_code == 200 and "needs the action" in response.content.decode()


def test_other_chairs_cannot_edit_the_well_led_plan(client, isg, well_led, february, w1, chair):
    client.force_login(chair)  # chairs Women's and Children's, not Well-led
    url = reverse("wellled-edit", args=[well_led.pk, february.pk, w1.pk])
    assert client.get(url).status_code == 403


def test_a_non_kloe_isg_has_no_well_led_plan(client, isg, february, chair):
    client.force_login(chair)
    assert client.get(reverse("wellled-month", args=[isg.pk, february.pk])).status_code == 404


def test_history_lists_each_kloe_by_month(client, programme, well_led, february, w1, wl_chair):
    save(well_led, february, w1, wl_chair)
    client.force_login(wl_chair)
    response = client.get(reverse("wellled-history", args=[well_led.pk]))
    html = response.content.decode()
    assert "February 2024" in html and "Portfolios re-aligned" in html
