"""Findings list and detail: visible to programme members, root causes filtered per person."""

import pytest
from django.urls import reverse

from tests.factories import FindingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(finding, root_cause, other_root_cause, other_isg):
    FindingFactory.create_batch(3, isg=other_isg, programme=other_isg.programme)
    FindingFactory(
        isg=other_isg, programme=other_isg.programme, reference="SC-SD-01", finding_type="SHOULD_DO"
    )
    return finding


class TestList:
    @pytest.mark.parametrize("persona", ["pmo", "executive", "partner", "owner", "chair"])
    def test_members_see_every_finding(self, client, request, programme, plan, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(reverse("finding-list", args=[programme.pk]))
        assert response.status_code == 200
        assert len(response.context["findings"]) == 5
        assert "WC-MD-07" in response.content.decode()

    def test_outsider_gets_404(self, client, outsider, programme, plan):
        client.force_login(outsider)
        assert client.get(reverse("finding-list", args=[programme.pk])).status_code == 404

    def test_filters(self, client, pmo, programme, plan, other_isg):
        client.force_login(pmo)
        url = reverse("finding-list", args=[programme.pk])
        got = client.get(url, {"finding_type": "SHOULD_DO"}).context["findings"]
        assert [f.reference for f in got] == ["SC-SD-01"]
        got = client.get(url, {"isg": other_isg.pk}).context["findings"]
        assert len(got) == 4
        got = client.get(url, {"q": "wc-md"}).context["findings"]
        assert [f.reference for f in got] == ["WC-MD-07"]

    def test_bad_filter_values_show_the_form_error_not_a_crash(self, client, pmo, programme, plan):
        client.force_login(pmo)
        response = client.get(
            reverse("finding-list", args=[programme.pk]), {"isg": "abc", "finding_type": "X"}
        )
        assert response.status_code == 200
        assert response.context["filter"].errors

    def test_counts_root_causes(self, client, pmo, programme, plan):
        client.force_login(pmo)
        response = client.get(reverse("finding-list", args=[programme.pk]))
        finding = next(f for f in response.context["findings"] if f.reference == "WC-MD-07")
        assert (finding.root_cause_count, finding.completed_count) == (2, 0)

    def test_query_count_does_not_grow_with_findings(
        self, client, pmo, programme, plan, isg, django_assert_max_num_queries
    ):
        for n in range(30):
            RootCauseFactory(
                finding=FindingFactory(isg=isg, programme=programme, reference=f"X{n}")
            )
        client.force_login(pmo)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("finding-list", args=[programme.pk]))
        assert response.context["page_obj"].paginator.count == 35


class TestDetail:
    def test_pmo_sees_all_root_causes(self, client, pmo, plan, django_assert_max_num_queries):
        client.force_login(pmo)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("finding-detail", args=[plan.pk]))
        assert response.status_code == 200
        assert [rc.reference for rc in response.context["root_causes"]] == [
            "WC-MD-07 RC2",
            "WC-MD-07 RC3",
        ]
        assert response.context["hidden_count"] == 0

    def test_an_owner_sees_only_their_root_causes(self, client, other_owner, plan):
        client.force_login(other_owner)
        response = client.get(reverse("finding-detail", args=[plan.pk]))
        assert [rc.reference for rc in response.context["root_causes"]] == ["WC-MD-07 RC3"]
        assert response.context["hidden_count"] == 1
        assert "WC-MD-07 RC2" not in response.content.decode()

    def test_outsider_gets_404(self, client, outsider, plan):
        client.force_login(outsider)
        assert client.get(reverse("finding-detail", args=[plan.pk])).status_code == 404

    def test_unknown_finding_is_404(self, client, pmo, plan):
        client.force_login(pmo)
        assert client.get(reverse("finding-detail", args=[999999])).status_code == 404

    def test_get_absolute_url(self, plan):
        assert plan.get_absolute_url() == f"/findings/{plan.pk}/"
