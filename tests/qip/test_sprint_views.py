"""The ISG list, the sprint page, sign-off and the chair's closure decisions, through the client."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.escalations import escalation_raise
from governance.services import change_request_propose
from qip.models import PeriodSignoff
from rootcauses import services as rc_services
from rootcauses.models import ClosureRequest, RootCause
from tests.factories import FindingFactory, RootCauseFactory

pytestmark = pytest.mark.django_db


def sprint(programme, number):
    return programme.periods.get(cadence="fortnightly", number=number)


def sprint_url(isg, period):
    return reverse("sprint-page", args=[isg.pk, period.pk])


def post(rc, period, rag):
    extra = {}
    if rag == "off_track":
        extra = {"recovery_note": "Agency cover booked.", "forecast_date": dt.date(2024, 4, 1)}
    rc_services.update_post(
        by=rc.owner, root_cause=rc, period=period, rag=rag, narrative="News.", **extra
    )


def _busy_isg(programme, isg, finding, chair, n):
    """n root causes of every kind the sprint page lists."""
    s3, s4 = sprint(programme, 3), sprint(programme, 4)
    for _ in range(n):
        newly = RootCauseFactory(finding=finding, baseline_due_date=dt.date(2024, 2, 14))
        post(newly, s3, "on_track")
        post(newly, s4, "off_track")
        still = RootCauseFactory(finding=finding, baseline_due_date=dt.date(2024, 2, 1))
        post(still, s3, "off_track")
        post(still, s4, "off_track")
        escalation_raise(by=chair, root_cause=still, reason="Slipping.")
        change_request_propose(
            by=still.owner,
            root_cause=still,
            kind="new_due_date",
            proposed_due_date=dt.date(2024, 4, 30),
            rationale="Rota.",
        )
        waiting = RootCauseFactory(finding=finding, baseline_due_date=dt.date(2024, 3, 1))
        post(waiting, s4, "on_track")
        rc_services.closure_request(by=waiting.owner, root_cause=waiting, note="Done.")
        done = RootCauseFactory(finding=finding, baseline_due_date=dt.date(2024, 2, 19))
        request = rc_services.closure_request(by=done.owner, root_cause=done, note="Done.")
        rc_services.closure_confirm(by=chair, closure=request, on=dt.date(2024, 2, 19))
        RootCauseFactory(
            finding=finding, baseline_due_date=dt.date(2024, 3, 1)
        )  # missing, due next


def test_sprint_page_lists_each_section(client, programme, isg, finding, chair):
    _busy_isg(programme, isg, finding, chair, 1)
    client.force_login(chair)
    response = client.get(sprint_url(isg, sprint(programme, 4)))
    assert response.status_code == 200
    report = response.context["report"]
    assert len(report.newly_off_track) == 1
    assert len(report.still_off_track) == 1
    assert len(report.closures_waiting) == 1
    assert len(report.completed) == 1
    assert len(report.missing) == 1  # the closed one needs no update
    assert len(report.due_next) == 2
    assert len(report.escalations) == 1
    assert len(report.pending_changes) == 1
    html = response.content.decode()
    assert "Agency cover booked." in html  # the recovery plan
    assert "Escalate" in html
    assert "Confirm" in html and "Reject" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_sprint_page_query_count_does_not_grow_with_the_plan(
    client, programme, isg, finding, chair, django_assert_max_num_queries
):
    client.force_login(chair)
    url = sprint_url(isg, sprint(programme, 4))
    _busy_isg(programme, isg, finding, chair, 1)
    small = _queries(client, url)
    _busy_isg(programme, isg, finding, chair, 6)
    assert _queries(client, url) == small
    with django_assert_max_num_queries(22):
        client.get(url)


def test_sprint_page_of_another_isgs_period_is_404(client, programme, isg, chair):
    client.force_login(chair)
    month = programme.periods.filter(cadence="monthly").first()
    assert client.get(sprint_url(isg, month)).status_code == 404


def test_isg_detail_opens_the_current_sprint(client, isg, chair, current_sprint):
    client.force_login(chair)
    response = client.get(reverse("isg-detail", args=[isg.pk]))
    assert response.status_code == 302
    assert response["Location"] == sprint_url(isg, current_sprint)


def test_isg_list(
    client, programme, isg, other_isg, root_cause, partner, django_assert_max_num_queries
):
    client.force_login(partner)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("isg-list", args=[programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Women&#x27;s and Children&#x27;s" in html and "Scheduled Care" in html
    assert sprint_url(isg, sprint(programme, 4)) in html


def test_period_detail_lists_each_isgs_page(
    client, programme, isg, other_isg, chair, current_sprint
):
    client.force_login(chair)
    response = client.get(reverse("period-detail", args=[current_sprint.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert sprint_url(isg, current_sprint) in html
    assert sprint_url(other_isg, current_sprint) in html


def test_period_detail_of_a_month_links_the_sprint_holding_its_end(client, programme, isg, chair):
    client.force_login(chair)
    february = programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1))
    response = client.get(reverse("period-detail", args=[february.pk]))
    # 29 February falls in Sprint 5 (26 February – 10 March).
    assert sprint_url(isg, sprint(programme, 5)) in response.content.decode()


# --- sign-off -------------------------------------------------------------------------------


def test_chair_signs_off_and_the_updates_lock(
    client, programme, isg, root_cause, chair, current_sprint
):
    post(root_cause, current_sprint, "on_track")
    client.force_login(chair)
    url = reverse("sprint-sign-off", args=[isg.pk, current_sprint.pk])
    response = client.post(url, {"note": "Agreed at the ISG."})
    assert response.status_code == 302
    signoff = PeriodSignoff.objects.get(isg=isg, period=current_sprint)
    assert (signoff.signed_by, signoff.note) == (chair, "Agreed at the ISG.")
    with pytest.raises(ValidationError, match="read-only"):
        post(root_cause, current_sprint, "at_risk")
    page = client.get(sprint_url(isg, current_sprint)).content.decode()
    assert "Signed off" in page and "Helen Carter" in page
    assert "Sign off Sprint 4" not in page


def test_signing_off_twice_says_so_and_changes_nothing(client, isg, chair, current_sprint):
    client.force_login(chair)
    url = reverse("sprint-sign-off", args=[isg.pk, current_sprint.pk])
    client.post(url, {"note": "First."})
    response = client.post(url, {"note": "Second."}, follow=True)
    assert "already signed off" in response.content.decode()
    assert PeriodSignoff.objects.get(isg=isg, period=current_sprint).note == "First."


def test_a_future_sprint_cannot_be_signed_off(client, programme, isg, chair):
    client.force_login(chair)
    future = sprint(programme, 6)
    response = client.post(reverse("sprint-sign-off", args=[isg.pk, future.pk]), follow=True)
    assert "has not started yet" in response.content.decode()
    assert not PeriodSignoff.objects.exists()


# --- closure decisions ----------------------------------------------------------------------


@pytest.fixture
def closure(root_cause):
    return rc_services.closure_request(by=root_cause.owner, root_cause=root_cause, note="Done.")


def test_chair_confirms_a_closure(client, isg, root_cause, chair, closure, current_sprint):
    client.force_login(chair)
    back = sprint_url(isg, current_sprint)
    response = client.post(reverse("closure-confirm", args=[closure.pk]), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    root_cause.refresh_from_db()
    assert (root_cause.status, root_cause.completed_on) == ("completed", dt.date(2024, 2, 20))
    assert root_cause.closure_confirmed_by == chair


def test_confirming_twice_says_it_was_already_confirmed(client, root_cause, chair, closure):
    client.force_login(chair)
    client.post(reverse("closure-confirm", args=[closure.pk]))
    response = client.post(reverse("closure-confirm", args=[closure.pk]), follow=True)
    assert "already confirmed" in response.content.decode()


def test_next_must_be_on_this_site(client, isg, chair, closure, current_sprint):
    client.force_login(chair)
    response = client.post(
        reverse("closure-confirm", args=[closure.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == sprint_url(isg, current_sprint)


def test_reject_needs_a_reason_the_owner_sees(client, root_cause, chair, closure):
    client.force_login(chair)
    url = reverse("closure-reject", args=[closure.pk])
    response = client.post(url, {"reason": " "})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    closure.refresh_from_db()
    assert closure.decision == ClosureRequest.Decision.PENDING
    response = client.post(url, {"reason": "Add the audit from PRH."})
    assert response.status_code == 302
    closure.refresh_from_db()
    root_cause.refresh_from_db()
    assert closure.decision == ClosureRequest.Decision.REJECTED
    assert closure.decision_reason == "Add the audit from PRH."
    assert root_cause.status == RootCause.Status.IN_PROGRESS


def test_recording_a_check_turns_it_blue(client, root_cause, chair, closure):
    rc_services.closure_confirm(by=chair, closure=closure, on=dt.date(2024, 2, 19))
    client.force_login(chair)
    url = reverse("verification-record", args=[root_cause.pk])
    data = {
        "method": "peer_review",
        "checked_by": "Peer review team",
        "checked_on": "2024-02-18",
        "findings": "Seen on the ward.",
        "outcome": "verified",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the check cannot be before the closure
    assert "cannot be before" in response.content.decode()
    root_cause.refresh_from_db()
    assert root_cause.verified_on is None
    response = client.post(url, {**data, "checked_on": "2024-02-20"})
    assert response.status_code == 302
    root_cause.refresh_from_db()
    assert root_cause.verified_on == dt.date(2024, 2, 20)


def test_verification_form_bad_input(client, root_cause, chair):
    client.force_login(chair)
    response = client.post(reverse("verification-record", args=[root_cause.pk]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose how it was checked" in html
    assert "Enter who carried out the check" in html


def test_sprint_page_for_a_monthly_isg_links_the_well_led_plan(client, programme, isg, chair):
    from tests.factories import IsgFactory

    well_led = IsgFactory(
        programme=programme, name="Well-led", code="WL", cadence="monthly", structured_by_kloe=True
    )
    FindingFactory(isg=well_led, programme=programme, reference="WL-MD-01")
    february = programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 2, 1))
    client.force_login(chair)
    response = client.get(sprint_url(well_led, february))
    assert response.status_code == 200
    assert reverse("wellled-month", args=[well_led.pk, february.pk]) in response.content.decode()
