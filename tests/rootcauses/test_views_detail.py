"""The root cause page and its history tab, for each role."""

import datetime as dt

import pytest
from django.urls import reverse

from kpis.services import measurement_record
from rootcauses import services
from tests.factories import EvidenceFileFactory

from .test_views_my_root_causes import text

pytestmark = pytest.mark.django_db


def detail(rc) -> str:
    return reverse("rootcause-detail", args=[rc.pk])


def history(rc) -> str:
    return reverse("rootcause-history", args=[rc.pk])


@pytest.fixture
def full_root_cause(root_cause, owner, chair, actions, posted_update, current_sprint):
    """A root cause with actions, KPI values, two updates, evidence and a rejected closure."""
    root_cause.kpi.target = 95
    root_cause.kpi.save()
    previous = root_cause.isg.programme.periods.get(cadence="fortnightly", number=3)
    services.update_post(
        by=owner,
        root_cause=root_cause,
        period=previous,
        rag="on_track",
        narrative="Started the policy review.",
        kpi_value="72.5",
    )
    measurement_record(
        by=owner,
        kpi=root_cause.kpi,
        period_end=current_sprint.ends_on,
        numerator=18,
        denominator=20,
    )
    EvidenceFileFactory(root_cause=root_cause, original_name="Feb audit.pdf", update=posted_update)
    request = services.closure_request(by=owner, root_cause=root_cause, note="Policy in place.")
    services.closure_reject(by=chair, closure=request, reason="Audit covers RSH only; add PRH.")
    return root_cause


def test_the_owner_sees_the_whole_root_cause(client_for, owner, full_root_cause, finding):
    response = client_for(owner).get(detail(full_root_cause))
    assert response.status_code == 200
    page = text(response)
    assert full_root_cause.title in page
    assert finding.text in page  # the finding it came from
    assert "Rewrite the policy" in page and "Brief all midwives at huddles" in page
    assert "Amara Okafor" in page  # action and root cause owner
    assert "8 Mar 2024" in page  # an action's due date
    assert "Baseline due date 15 March 2024" in page
    # The KPI's SPC panel: its target, latest value and icons in words.
    assert "Target 95%" in page
    assert "SPC chart of 2 values from 11 February 2024 to 25 February 2024" in page
    assert "Latest value 90% for the period ending 25 February 2024" in page
    assert "Variation: Common cause" in page
    # The timeline of updates, newest first.
    assert page.index("Policy drafted; out for comment.") < page.index("Started the policy review.")
    # Evidence and the rejected closure's reason, which the owner must see.
    assert "Feb audit.pdf" in page
    assert "Closure rejected" in page
    assert "Reason: Audit covers RSH only; add PRH." in page
    assert "Edit this sprint's update" in page
    assert "Request closure" in page


def test_a_pending_closure_shows_as_waiting_for_the_chair(client_for, owner, chair, root_cause):
    services.closure_request(by=owner, root_cause=root_cause, note="Three audits at 100%.")
    for person in (owner, chair):
        page = text(client_for(person).get(detail(root_cause)))
        assert "Waiting for the chair" in page
        assert "Three audits at 100%." in page
    assert "Request closure" not in text(client_for(owner).get(detail(root_cause)))


def test_the_evidence_links_are_for_those_allowed_to_download(
    client_for, owner, executive, partner, full_root_cause
):
    evidence = full_root_cause.evidence_files.get()
    link = reverse("evidence-download", args=[evidence.pk])
    assert link in client_for(owner).get(detail(full_root_cause)).content.decode()
    assert link in client_for(executive).get(detail(full_root_cause)).content.decode()
    partner_page = client_for(partner).get(detail(full_root_cause))
    assert partner_page.status_code == 200
    assert link not in partner_page.content.decode()
    assert "shown to the trust's staff only" in text(partner_page)


@pytest.mark.parametrize(
    ("persona", "status", "buttons"),
    [
        ("owner", 200, {"update", "closure", "evidence"}),
        ("chair", 200, {"update", "evidence"}),
        ("pmo", 200, {"update", "closure", "evidence"}),
        ("executive", 200, set()),
        ("partner", 200, set()),
        ("other_owner", 404, None),
        ("outsider", 404, None),
    ],
)
def test_who_may_open_the_page_and_which_buttons_they_get(
    request, client_for, root_cause, other_root_cause, persona, status, buttons
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(detail(root_cause))
    assert response.status_code == status
    if buttons is None:
        return
    html = response.content.decode()
    shown = {
        name
        for name, url in {
            "update": reverse("rootcause-update", args=[root_cause.pk]),
            "closure": reverse("rootcause-closure-request", args=[root_cause.pk]),
            "evidence": reverse("rootcause-evidence-add", args=[root_cause.pk]),
        }.items()
        if f'href="{url}"' in html
    }
    assert shown == buttons


def test_a_missing_root_cause_is_404(client_for, owner):
    assert client_for(owner).get(reverse("rootcause-detail", args=[999999])).status_code == 404


def test_the_page_query_count_does_not_grow_with_updates(
    client_for, owner, full_root_cause, django_assert_max_num_queries
):
    client = client_for(owner)
    client.get(detail(full_root_cause))
    # The page includes the KPI's SPC panel and the ECIB/change-control panel.
    with django_assert_max_num_queries(30) as captured:
        client.get(detail(full_root_cause))
    before = len(captured)
    for number in (1, 2):
        period = full_root_cause.isg.programme.periods.get(cadence="fortnightly", number=number)
        update = services.update_post(
            by=owner, root_cause=full_root_cause, period=period, rag="on_track", narrative="More."
        )
        EvidenceFileFactory(root_cause=full_root_cause, update=update)
    # Fails if two more updates with evidence cost any query more than before.
    with django_assert_max_num_queries(before):
        response = client.get(detail(full_root_cause))
    assert response.status_code == 200 and "More." in response.content.decode()


def test_history_shows_who_changed_what_field_by_field(
    client_for, owner, chair, root_cause, posted_update, current_sprint
):
    services.update_post(
        by=chair,
        root_cause=root_cause,
        period=current_sprint,
        rag="off_track",
        narrative="Policy stuck at committee.",
        recovery_note="Chair to take it to the next committee.",
        forecast_date=dt.date(2024, 4, 30),
        expected_version=posted_update.version,
    )
    response = client_for(owner).get(history(root_cause))
    assert response.status_code == 200
    page = text(response)
    assert "Update for Sprint 4 changed by Helen Carter" in page
    assert "RAG Before: On track After: Off track" in page
    assert (
        "Narrative Before: Policy drafted; out for comment. After: Policy stuck at committee."
        in page
    )
    assert "Forecast date Before: (blank) After: 30/04/2024" in page
    assert "Update for Sprint 4 created by Amara Okafor" in page
    assert "Root cause changed by Amara Okafor" in page
    assert "Status Before: Not started After: In progress" in page


def test_history_shows_action_changes(client_for, owner, root_cause, actions, current_sprint):
    services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="on_track",
        narrative="Policy rewritten.",
        actions_done=[actions[0].pk],
    )
    page = text(client_for(owner).get(history(root_cause)))
    assert "Action: Rewrite the policy changed by Amara Okafor" in page
    assert "Done on Before: (blank) After: 20/02/2024" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("other_owner", 404), ("outsider", 404), ("partner", 200)]
)
def test_history_permissions(request, client_for, root_cause, other_root_cause, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(history(root_cause)).status_code == status


def test_the_history_query_count_does_not_grow_with_changes(
    client_for, owner, full_root_cause, django_assert_max_num_queries
):
    client = client_for(owner)
    client.get(history(full_root_cause))
    with django_assert_max_num_queries(25) as captured:
        client.get(history(full_root_cause))
    before = len(captured)
    for number in (1, 2):
        period = full_root_cause.isg.programme.periods.get(cadence="fortnightly", number=number)
        services.update_post(
            by=owner, root_cause=full_root_cause, period=period, rag="at_risk", narrative="More."
        )
    # Fails if two more changes in the history cost any query more than before.
    with django_assert_max_num_queries(before):
        response = client.get(history(full_root_cause))
    assert response.status_code == 200


def test_an_open_root_cause_past_its_due_date_is_flagged_overdue(client_for, owner, root_cause):
    root_cause.current_due_date = dt.date(2024, 2, 9)
    root_cause.save()
    page = text(client_for(owner).get(detail(root_cause)))
    assert "Overdue since 9 February" in page
    assert "Current due date 9 February 2024 moved by change control" in page
