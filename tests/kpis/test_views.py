"""KPI pages: who may read and who may enter values, bad input, query counts."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from kpis.models import KPI, Measurement
from qip.services import period_sign_off
from tests.factories import KPIFactory, UserFactory, add_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(isg, programme):
    kpi = KPIFactory(
        programme=programme,
        isg=isg,
        level="high_level",
        name="% of shifts with the planned number of midwives",
        target=95,
    )
    add_series(kpi, [80, 82, 81, 79, 83, 80, 81, 82, 80, 81, 79, 82, 70])
    return kpi


@pytest.fixture
def kpi_owner(kpi):
    user = UserFactory(username="kpi-owner")
    kpi.owner = user
    kpi.save()
    return user


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# ---------------------------------------------------------------------------------------------
# Reading


def test_kpi_page_shows_the_chart_icons_and_values(client, executive, kpi):
    response = _get(client, executive, reverse("kpi-detail", args=[kpi.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="spc-chart"' in html
    assert "Special cause concern (low)" in html  # the last value, 70, is below the limit
    assert "Consistently failing the target" in html
    assert 'id="kpi-values"' in html
    assert "Record a value" not in html  # executives read only


@pytest.mark.parametrize("who", ["owner", "chair", "pmo", "executive", "partner"])
def test_every_programme_member_reads_kpis(client, request, kpi, root_cause, who):
    user = request.getfixturevalue(who)
    assert _get(client, user, reverse("kpi-detail", args=[kpi.pk])).status_code == 200


def test_an_outsider_gets_404(client, outsider, kpi):
    for url in (
        reverse("kpi-detail", args=[kpi.pk]),
        reverse("kpi-chart-png", args=[kpi.pk]),
        reverse("kpi-record", args=[kpi.pk]),
        reverse("kpi-upload", args=[kpi.pk]),
        reverse("kpi-history", args=[kpi.pk]),
        reverse("isg-kpi-summary", args=[kpi.isg_id]),
        reverse("isg-kpi-grid", args=[kpi.isg_id]),
        reverse("kpi-summary", args=[kpi.programme_id]),
    ):
        assert _get(client, outsider, url).status_code == 404, url


def test_chart_png(client, partner, kpi):
    response = _get(client, partner, reverse("kpi-chart-png", args=[kpi.pk]))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_history_shows_who_entered_and_corrected(client, pmo, kpi):
    client.force_login(pmo)
    client.post(
        reverse("kpi-record", args=[kpi.pk]),
        {"period_end": "2023-01-08", "value": "81", "version": "1"},
    )
    html = client.get(reverse("kpi-history", args=[kpi.pk])).content.decode()
    assert "Corrected" in html and "Entered" in html


# ---------------------------------------------------------------------------------------------
# Entering one value: by role


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("pmo", 302),
        ("kpi_owner", 302),
        ("chair", 302),
        ("executive", 403),
        ("partner", 403),
        ("owner", 403),  # owns a root cause, but not this KPI's
    ],
)
def test_who_may_record_a_high_level_kpi_value(client, request, kpi, root_cause, who, status):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(
        reverse("kpi-record", args=[kpi.pk]), {"period_end": "11/02/2024", "value": "88"}
    )
    assert response.status_code == status
    assert Measurement.objects.filter(kpi=kpi, period_end=dt.date(2024, 2, 11)).exists() == (
        status == 302
    )


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 302), ("other_owner", 403), ("partner", 403)]
)
def test_the_root_cause_owner_records_its_kpi(
    client, request, root_cause, other_root_cause, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("kpi-record", args=[root_cause.kpi_id]),
        {"period_end": "2024-02-11", "value": "88"},
    )
    assert response.status_code == status


def test_record_bad_input_shows_errors_and_saves_nothing(client, pmo, kpi):
    client.force_login(pmo)
    response = client.post(
        reverse("kpi-record", args=[kpi.pk]), {"period_end": "31/02/2024", "value": "lots"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "is not a date" in html and "is not a number" in html
    assert not Measurement.objects.filter(kpi=kpi, period_end__year=2024).exists()


def test_record_in_a_signed_off_period_is_refused(client, pmo, chair, kpi, programme, isg):
    period_sign_off(
        by=chair, isg=isg, period=programme.periods.get(cadence="fortnightly", number=1)
    )
    client.force_login(pmo)
    response = client.post(
        reverse("kpi-record", args=[kpi.pk]), {"period_end": "2024-01-14", "value": "88"}
    )
    assert "signed off" in response.content.decode()
    assert not Measurement.objects.filter(kpi=kpi, period_end=dt.date(2024, 1, 14)).exists()


def test_a_stale_correction_shows_the_conflict_page(client, pmo, kpi):
    client.force_login(pmo)
    response = client.post(
        reverse("kpi-record", args=[kpi.pk]),
        {"period_end": "2023-01-08", "value": "99", "version": "0"},
    )
    assert response.status_code == 409
    assert Measurement.objects.get(kpi=kpi, period_end=dt.date(2023, 1, 8)).value == 80


# ---------------------------------------------------------------------------------------------
# The summary tables


def test_programme_summary_filters_to_special_cause_concern(client, executive, kpi, other_isg):
    calm = KPIFactory(programme=kpi.programme, isg=other_isg, level="high_level", name="Calm KPI")
    add_series(calm, [50, 51] * 8)
    client.force_login(executive)
    url = reverse("kpi-summary", args=[kpi.programme_id])
    html = client.get(url).content.decode()
    assert kpi.name in html and "Calm KPI" in html
    html = client.get(url, {"variation": "concern"}).content.decode()
    assert kpi.name in html and "Calm KPI" not in html
    html = client.get(url, {"assurance": "consistent_fail"}).content.decode()
    assert kpi.name in html and "Calm KPI" not in html


def test_programme_summary_shows_high_level_kpis_unless_asked(client, executive, kpi, root_cause):
    client.force_login(executive)
    url = reverse("kpi-summary", args=[kpi.programme_id])
    assert root_cause.kpi.name not in client.get(url).content.decode()
    assert root_cause.kpi.name in client.get(url, {"level": ""}).content.decode()


def test_isg_summary_filters_by_domain(client, chair, kpi, isg):
    from cqc.models import KeyQuestion

    caring = KeyQuestion.objects.get(code="CARING")
    KPIFactory(
        programme=kpi.programme, isg=isg, level="high_level", name="FFT", key_question=caring
    )
    client.force_login(chair)
    html = client.get(reverse("isg-kpi-summary", args=[isg.pk]), {"key_question": caring.pk})
    assert "FFT" in html.content.decode() and kpi.name not in html.content.decode()


def test_a_bad_filter_shows_nothing_rather_than_everything(client, executive, kpi):
    client.force_login(executive)
    html = client.get(reverse("kpi-summary", args=[kpi.programme_id]), {"key_question": "x"})
    assert kpi.name not in html.content.decode()


def test_summary_queries_do_not_grow_with_kpis(
    client, executive, kpi, isg, django_assert_max_num_queries
):
    for n in range(30):
        add_series(KPIFactory(programme=kpi.programme, isg=isg, level="high_level"), [1, 2, 3, n])
    client.force_login(executive)
    url = reverse("kpi-summary", args=[kpi.programme_id])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 32  # header + 31 KPIs


# ---------------------------------------------------------------------------------------------
# The grid


def test_the_grid_saves_changed_cells_and_ignores_empty_ones(client, pmo, kpi, isg):
    client.force_login(pmo)
    url = reverse("isg-kpi-grid", args=[isg.pk])
    page = client.get(url)
    assert page.status_code == 200
    columns = page.context["columns"]
    assert columns[-1] == dt.date(2024, 2, 25)  # the sprint holding 20 Feb 2024
    response = client.post(url, {f"v_{kpi.pk}_20240225": "91.5", f"v_{kpi.pk}_20240211": ""})
    assert response.status_code == 302
    assert list(
        Measurement.objects.filter(kpi=kpi, period_end__year=2024).values_list("value", flat=True)
    ) == [91.5]


def test_the_grid_shows_errors_per_cell_and_saves_nothing(client, pmo, kpi, isg, chair, programme):
    period_sign_off(
        by=chair, isg=isg, period=programme.periods.get(cadence="fortnightly", number=3)
    )
    client.force_login(pmo)
    url = reverse("isg-kpi-grid", args=[isg.pk])
    page = client.get(url).content.decode()
    assert "Signed off" in page  # the sprint ending 11/02/2024 is read-only
    response = client.post(url, {f"v_{kpi.pk}_20240225": "abc", f"v_{kpi.pk}_20240128": "90"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "&#x27;abc&#x27; is not a number" in html
    assert not Measurement.objects.filter(kpi=kpi, period_end__year=2024).exists()


@pytest.mark.parametrize(("who", "status"), [("chair", 200), ("executive", 403), ("owner", 403)])
def test_who_may_use_the_grid(client, request, isg, root_cause, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("isg-kpi-grid", args=[isg.pk])).status_code == status


# ---------------------------------------------------------------------------------------------
# CSV upload through the browser


def _upload(client, kpi, text):
    file = io.BytesIO(text.encode())
    file.name = "values.csv"
    return client.post(reverse("kpi-upload", args=[kpi.pk]), {"file": file})


def test_csv_upload_dry_run_then_commit(client, pmo, kpi):
    client.force_login(pmo)
    response = _upload(client, kpi, "period,value\n2024-01-14,90\n2023-01-08,80\n2023-01-22,84\n")
    html = response.content.decode()
    assert "1 new value, 1 correction, 1 already the same" in html
    assert not Measurement.objects.filter(period_end=dt.date(2024, 1, 14)).exists()
    plan = response.context["plan"]
    response = client.post(
        reverse("kpi-upload", args=[kpi.pk]),
        {"csv_text": response.context["text"], "digest": plan.digest},
    )
    assert response.status_code == 302
    assert Measurement.objects.get(kpi=kpi, period_end=dt.date(2024, 1, 14)).value == 90
    assert Measurement.objects.get(kpi=kpi, period_end=dt.date(2023, 1, 22)).value == 84


def test_csv_upload_with_errors_saves_nothing(client, pmo, kpi):
    client.force_login(pmo)
    html = _upload(client, kpi, "period,value\n2024-01-14,90\n2024-01-28,abc\n").content.decode()
    assert "row 3, value: &#x27;abc&#x27; is not a number" in html
    assert "Nothing has been saved" in html
    assert not Measurement.objects.filter(kpi=kpi, period_end__year=2024).exists()


def test_csv_commit_refuses_if_values_changed_since_the_dry_run(client, pmo, kpi):
    client.force_login(pmo)
    response = _upload(client, kpi, "period,value\n2024-01-14,90\n")
    Measurement.objects.create(kpi=kpi, period_end=dt.date(2024, 1, 14), value=50)
    response = client.post(
        reverse("kpi-upload", args=[kpi.pk]),
        {"csv_text": response.context["text"], "digest": response.context["plan"].digest},
    )
    assert "nothing was saved" in response.content.decode()
    assert Measurement.objects.get(kpi=kpi, period_end=dt.date(2024, 1, 14)).value == 50


def test_csv_upload_refused_to_read_only_users(client, executive, kpi):
    client.force_login(executive)
    assert _upload(client, kpi, "period,value\n2024-01-14,90\n").status_code == 403


def test_kpi_selector_for_escalation(kpi, programme):
    from kpis.selectors import kpi_shows_special_cause_concern, kpis_in_special_cause_concern

    calm = KPIFactory(programme=programme, name="calm")
    add_series(calm, [1, 2, 1, 2])
    assert kpi_shows_special_cause_concern(kpi)
    assert not kpi_shows_special_cause_concern(calm)
    assert kpis_in_special_cause_concern(KPI.objects.filter(programme=programme)) == [kpi]
