"""The read-only API: token authentication, each role sees what it may, filters, paging, and
JSON that Power BI reads (flat, ISO dates, names beside ids)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kpis.models import KPI, Measurement
from rootcauses.models import Update
from tests.factories import ActionFactory, FindingFactory, KPIFactory, RootCauseFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def plan(root_cause, other_root_cause, other_isg, current_sprint, owner, other_owner, pmo):
    """Two root causes of the chair's ISG (one each for owner and other owner) and one of another
    ISG, with actions, updates, KPIs and measurements; plus a high-level KPI."""
    third = RootCauseFactory(
        finding=FindingFactory(isg=other_isg, programme=other_isg.programme, reference="SC-MD-01"),
        reference="SC-MD-01 RC1",
        baseline_due_date=dt.date(2024, 5, 1),
    )
    for rc in (root_cause, other_root_cause, third):
        ActionFactory(root_cause=rc)
        Update.objects.create(
            root_cause=rc,
            period=current_sprint,
            rag="on_track",
            narrative=f"Going well for {rc.reference}",
            author=rc.owner,
        )
        Measurement.objects.create(kpi=rc.kpi, period_end=current_sprint.ends_on, value=87.5)
    high = KPIFactory(
        programme=root_cause.programme,
        level=KPI.Level.HIGH_LEVEL,
        isg=root_cause.isg,
        name="Maternity: % of births with one-to-one care",
    )
    Measurement.objects.create(kpi=high, period_end=current_sprint.ends_on, value=99)
    return {"third": third, "high": high}


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row.get("reference") or row.get("name") for row in response.json()["results"])


class TestAuthentication:
    def test_anonymous_gets_401_not_a_sign_in_redirect(self, plan):
        response = APIClient().get("/api/root-causes/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")

    def test_a_wrong_token_is_401(self, plan):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        assert client.get("/api/root-causes/").status_code == 401

    def test_the_browser_session_works_too(self, client, pmo, plan):
        client.force_login(pmo)
        assert client.get("/api/root-causes/", HTTP_ACCEPT="application/json").status_code == 200

    def test_read_only(self, pmo, plan, root_cause):
        client = api(pmo)
        assert client.post("/api/root-causes/", {}).status_code == 405
        assert client.patch(f"/api/root-causes/{root_cause.pk}/", {}).status_code == 405
        assert client.delete(f"/api/root-causes/{root_cause.pk}/").status_code == 405


ALL = ["SC-MD-01 RC1", "WC-MD-07 RC2", "WC-MD-07 RC3"]


class TestWhoSeesWhat:
    @pytest.mark.parametrize(
        ("persona", "expected"),
        [
            ("pmo", ALL),
            ("executive", ALL),
            ("partner", ALL),
            ("chair", ["WC-MD-07 RC2", "WC-MD-07 RC3"]),
            ("owner", ["WC-MD-07 RC2"]),
            ("other_owner", ["WC-MD-07 RC3"]),
            ("outsider", []),
        ],
    )
    def test_root_causes_actions_and_updates(self, request, plan, persona, expected):
        client = api(request.getfixturevalue(persona))
        assert references(client.get("/api/root-causes/")) == expected
        actions = client.get("/api/actions/").json()["results"]
        assert sorted(a["root_cause_reference"] for a in actions) == expected
        updates = client.get("/api/updates/").json()["results"]
        assert sorted(u["root_cause_reference"] for u in updates) == expected

    @pytest.mark.parametrize("persona", ["owner", "outsider"])
    def test_another_persons_root_cause_is_404(self, request, plan, persona):
        client = api(request.getfixturevalue(persona))
        assert client.get(f"/api/root-causes/{plan['third'].pk}/").status_code == 404

    @pytest.mark.parametrize(
        ("persona", "count"),
        [("pmo", 2), ("partner", 2), ("owner", 2), ("outsider", 0)],
    )
    def test_findings_are_visible_to_programme_members(self, request, plan, persona, count):
        client = api(request.getfixturevalue(persona))
        assert client.get("/api/findings/").json()["count"] == count

    def test_kpis_and_measurements(self, owner, pmo, outsider, partner, plan, root_cause):
        owner_kpis = references(api(owner).get("/api/kpis/"))
        # The owner's own root cause KPI and the ISG's high-level KPI, not other owners' KPIs.
        assert owner_kpis == sorted([root_cause.kpi.name, plan["high"].name])
        assert api(owner).get("/api/measurements/").json()["count"] == 2
        assert api(pmo).get("/api/kpis/").json()["count"] == 4
        assert api(partner).get("/api/measurements/").json()["count"] == 4
        assert api(outsider).get("/api/kpis/").json()["count"] == 0
        assert api(outsider).get("/api/measurements/").json()["count"] == 0

    def test_isgs_and_periods(self, pmo, outsider, plan, programme):
        assert references(api(pmo).get("/api/isgs/")) == [
            "Scheduled Care",
            "Women's and Children's",
        ]
        assert api(pmo).get("/api/periods/").json()["count"] == programme.periods.count()
        assert api(outsider).get("/api/isgs/").json()["count"] == 0
        assert api(outsider).get("/api/periods/").json()["count"] == 0

    def test_snapshots(self, pmo, partner, outsider, plan, programme, root_cause):
        from qip.reporting.rollup import rollup_periods

        january = programme.periods.get(cadence="monthly", number=1)
        rollup_periods(programme=programme, periods=[january])
        body = api(partner).get("/api/snapshots/", {"period": january.pk}).json()
        # One row per ISG and one for the programme, all figures and no names.
        assert body["count"] == programme.isgs.count() + 1
        totals = api(pmo).get("/api/snapshots/", {"programme_total": "true"}).json()["results"]
        assert [(row["period_label"], row["isg_name"]) for row in totals] == [
            ("January 2024", None)
        ]
        assert totals[0]["md_planned"] == 0 and totals[0]["frozen"] is False
        assert api(outsider).get("/api/snapshots/").json()["count"] == 0

    def test_no_evidence_is_served(self, partner, plan):
        assert api(partner).get("/api/evidence/").status_code == 404
        update = api(partner).get("/api/updates/").json()["results"][0]
        assert not [key for key in update if "evidence" in key]


class TestJson:
    def test_root_cause_rows_are_flat_with_names_and_iso_dates(self, pmo, plan, root_cause):
        row = api(pmo).get(f"/api/root-causes/{root_cause.pk}/").json()
        assert row["id"] == root_cause.pk
        assert row["reference"] == "WC-MD-07 RC2"
        assert row["isg_id"] == root_cause.isg_id
        assert row["isg_name"] == "Women's and Children's"
        assert row["isg_code"] == "WC"
        assert row["finding_reference"] == "WC-MD-07"
        assert row["finding_type"] == "MUST_DO"
        assert row["owner_name"] == "Amara Okafor"
        assert row["baseline_due_date"] == "2024-03-15"
        assert row["status"] == "not_started" and row["status_label"] == "Not started"
        assert row["brag"] == "grey" and row["brag_label"] == "No update yet"
        assert row["kpi_name"] == root_cause.kpi.name
        assert not [v for v in row.values() if isinstance(v, dict | list)]

    def test_numbers_are_numbers(self, pmo, plan):
        measurement = api(pmo).get("/api/measurements/").json()["results"][0]
        assert measurement["value"] == 87.5
        assert measurement["period_end"] == "2024-02-25"

    def test_huge_limits_and_offsets_are_bounded_not_errors(self, pmo, plan):
        client = api(pmo)
        page = client.get("/api/root-causes/?limit=632958734178143554592028229632").json()
        assert page["count"] == 3 and len(page["results"]) == 3
        page = client.get("/api/root-causes/?offset=99999999999999999999999").json()
        assert page["results"] == []

    def test_paging(self, pmo, plan):
        page = api(pmo).get("/api/root-causes/?limit=2").json()
        assert page["count"] == 3 and len(page["results"]) == 2
        assert "offset=2" in page["next"]
        rest = api(pmo).get(page["next"]).json()
        assert [r["reference"] for r in rest["results"]] == ["SC-MD-01 RC1"]


class TestFilters:
    def test_by_isg_status_and_dates(self, pmo, plan, isg, other_isg, root_cause):
        client = api(pmo)
        assert references(client.get(f"/api/root-causes/?isg={other_isg.pk}")) == ["SC-MD-01 RC1"]
        assert references(client.get("/api/root-causes/?isg_code=wc")) == ALL[1:]
        root_cause.status, root_cause.completed_on = "completed", dt.date(2024, 2, 10)
        root_cause.save()
        assert references(client.get("/api/root-causes/?status=completed")) == ["WC-MD-07 RC2"]
        both = client.get("/api/root-causes/?status=completed&status=not_started")
        assert references(both) == ALL
        assert references(client.get("/api/root-causes/?baseline_due_date_after=2024-04-01")) == [
            "SC-MD-01 RC1"
        ]
        assert references(client.get("/api/root-causes/?completed_on_before=2024-02-29")) == [
            "WC-MD-07 RC2"
        ]
        assert references(client.get("/api/root-causes/?is_open=false")) == ["WC-MD-07 RC2"]
        updates = client.get(f"/api/updates/?isg={isg.pk}&rag=on_track").json()
        assert updates["count"] == 2
        assert client.get("/api/measurements/?period_end_after=2025-01-01").json()["count"] == 0

    @pytest.mark.parametrize(
        "query",
        [
            "isg=abc",
            "isg=1.5",
            "status=finished",
            "baseline_due_date_after=31/02/2019",
            "isg=99999999999999999999999",
        ],
    )
    def test_bad_filter_values_are_400(self, pmo, plan, query):
        response = api(pmo).get(f"/api/root-causes/?{query}")
        assert response.status_code == 400

    def test_query_count_does_not_grow(self, pmo, plan, django_assert_max_num_queries):
        for n in range(20):
            RootCauseFactory(finding=plan["third"].finding, reference=f"SC-MD-01 RC{n + 10}")
        client = api(pmo)
        for url in ["/api/root-causes/", "/api/findings/", "/api/kpis/", "/api/updates/"]:
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200


class TestSchemaDocsAndTokens:
    def test_schema(self, pmo):
        response = api(pmo).get("/api/schema/?format=json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        assert "/api/root-causes/" in paths and "/api/measurements/" in paths
        parameters = {p["name"] for p in paths["/api/root-causes/"]["get"]["parameters"]}
        assert {"isg", "status", "baseline_due_date_after", "limit", "offset"} <= parameters

    def test_docs_page(self, client, pmo):
        client.force_login(pmo)
        response = client.get(reverse("api-docs"))
        assert response.status_code == 200
        assert "/api/root-causes/" in response.content.decode()
        assert "baseline_due_date_after" in response.content.decode()

    def test_docs_need_sign_in(self, client):
        assert client.get(reverse("api-docs")).status_code == 302

    def test_token_page_creates_and_shows_the_token_once(self, client, owner):
        client.force_login(owner)
        response = client.get(reverse("api-token"))
        assert "You have no API token yet" in response.content.decode()
        response = client.post(reverse("api-token"))
        key = Token.objects.get(user=owner).key
        assert key in response.content.decode()
        response = client.get(reverse("api-token"))
        assert key not in response.content.decode()
        assert "Replace my token" in response.content.decode()
        client.post(reverse("api-token"))
        assert Token.objects.get(user=owner).key != key
        assert api(owner).get("/api/root-causes/").status_code == 200

    def test_drf_create_token_command(self, owner):
        out = io.StringIO()
        call_command("drf_create_token", "owner", stdout=out)
        assert Token.objects.get(user=owner).key in out.getvalue()
