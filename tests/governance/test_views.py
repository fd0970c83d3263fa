"""Governance pages through the client: the ECIB agenda and decisions, change control, settings,
themes, the root cause partial. Permissions by role are in test_permissions.py."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.escalations import escalation_decide, escalation_raise, escalations_evaluate
from governance.models import ChangeRequest, EcibMeeting, Escalation, EscalationRule
from governance.services import change_request_approve, change_request_propose
from rootcauses import services as rc_services
from tests.factories import RootCauseFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def sprint(programme, number):
    return programme.periods.get(cadence="fortnightly", number=number)


def off_track(rc, programme, *numbers):
    for number in numbers:
        period = sprint(programme, number)
        rc_services.update_post(
            by=rc.owner,
            root_cause=rc,
            period=period,
            rag="off_track",
            narrative="Late.",
            recovery_note="Locum cover from March.",
            forecast_date=dt.date(2024, 4, 12),
        )


def propose(rc, by=None, **kwargs):
    kwargs.setdefault("kind", "new_due_date")
    kwargs.setdefault("proposed_due_date", dt.date(2024, 4, 30))
    kwargs.setdefault("rationale", "The rota changed.")
    return change_request_propose(by=by or rc.owner, root_cause=rc, **kwargs)


# --- ECIB agenda ----------------------------------------------------------------------------


def test_agenda_shows_the_rule_and_the_recovery_plan(client, programme, root_cause, executive):
    off_track(root_cause, programme, 3, 4)
    escalations_evaluate(programme=programme, analyse=None)
    client.force_login(executive)
    response = client.get(reverse("ecib-agenda", args=[programme.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Agenda: Thursday 22 February 2024" in html
    assert "Off track for 2 periods running" in html
    assert "Off track in Sprint 3 and Sprint 4." in html
    assert "Locum cover from March." in html and "12 April 2024" in html
    assert "Record decision" in html


def test_the_pmo_sees_the_agenda_without_decision_forms(client, programme, root_cause, chair, pmo):
    escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    client.force_login(pmo)
    html = client.get(reverse("ecib-agenda", args=[programme.pk])).content.decode()
    assert "Slipping." in html
    assert "Record decision" not in html
    assert "Check the escalation rules now" in html


def test_agenda_query_count_does_not_grow(
    client, programme, finding, chair, executive, django_assert_max_num_queries
):
    client.force_login(executive)
    url = reverse("ecib-agenda", args=[programme.pk])

    def add(n):
        for _ in range(n):
            rc = RootCauseFactory(finding=finding)
            off_track(rc, programme, 4)
            escalation_raise(by=chair, root_cause=rc, reason="Slipping.")
            propose(rc)

    add(1)
    client.get(url)  # the first visit remembers the programme in the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(18):
        client.get(url)


def test_executive_decides_on_the_agenda(client, programme, root_cause, chair, executive):
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    client.force_login(executive)
    agenda = reverse("ecib-agenda", args=[programme.pk])
    response = client.post(
        reverse("escalation-decide", args=[escalation.pk]),
        {
            f"escalation-{escalation.pk}-decision": "accept",
            f"escalation-{escalation.pk}-note": "Agreed.",
            "next": agenda,
        },
    )
    assert response.status_code == 302 and response["Location"] == agenda
    escalation.refresh_from_db()
    assert (escalation.decision, escalation.decided_by) == ("accept", executive)
    html = client.get(agenda).content.decode()
    assert "Decided at this meeting" in html and "Accept the recovery plan" in html


def test_a_decision_without_the_note_it_needs_changes_nothing(client, root_cause, chair, executive):
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    client.force_login(executive)
    response = client.post(
        reverse("escalation-decide", args=[escalation.pk]),
        {f"escalation-{escalation.pk}-decision": "more_information"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Say what more the ECIB needs" in html
    escalation.refresh_from_db()
    assert escalation.is_open


def test_a_replan_decision_links_to_change_control(client, programme, root_cause, chair, executive):
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    escalation_decide(by=executive, escalation=escalation, decision="replan", note="Move to April.")
    client.force_login(chair)
    html = client.get(escalation.meeting.get_absolute_url()).content.decode()
    assert reverse("change-propose", args=[root_cause.pk]) + f"?escalation={escalation.pk}" in html


def test_pmo_runs_the_rules(client, programme, root_cause, pmo):
    off_track(root_cause, programme, 3, 4)
    client.force_login(pmo)
    response = client.post(reverse("escalations-evaluate", args=[programme.pk]), follow=True)
    assert "put 1 root cause on the agenda" in response.content.decode()
    assert Escalation.objects.filter(trigger="off_track").count() == 1


def test_agenda_with_no_meeting_planned(client, programme, executive):
    client.force_login(executive)
    response = client.get(reverse("ecib-agenda", args=[programme.pk]))
    assert response.status_code == 200
    assert "No ECIB meeting is planned yet" in response.content.decode()


# --- escalating -----------------------------------------------------------------------------


def test_chair_escalates_from_the_sprint_page(
    client, programme, isg, root_cause, chair, current_sprint
):
    off_track(root_cause, programme, 4)
    client.force_login(chair)
    page = reverse("sprint-page", args=[isg.pk, current_sprint.pk])
    assert reverse("escalation-raise", args=[root_cause.pk]) in client.get(page).content.decode()
    url = reverse("escalation-raise", args=[root_cause.pk])
    response = client.post(url, {"reason": "", "next": page})
    assert response.status_code == 200 and "Say why the ECIB needs to look at it" in (
        response.content.decode()
    )
    response = client.post(url, {"reason": "Needs funding for locums.", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    escalation = Escalation.objects.get()
    assert (escalation.raised_by, escalation.reason) == (chair, "Needs funding for locums.")
    html = client.get(page).content.decode()
    assert "On the agenda of the" in html


def test_escalating_twice_shows_the_error(client, root_cause, chair):
    escalation_raise(by=chair, root_cause=root_cause, reason="First.")
    client.force_login(chair)
    response = client.post(reverse("escalation-raise", args=[root_cause.pk]), {"reason": "Again."})
    assert response.status_code == 200
    assert "already on the agenda" in response.content.decode()
    assert Escalation.objects.count() == 1


# --- change control -------------------------------------------------------------------------


def test_owner_proposes_a_new_due_date(client, root_cause, owner):
    client.force_login(owner)
    url = reverse("change-propose", args=[root_cause.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "new_due_date", "proposed_due_date": "2024-04-30", "rationale": "Rota gaps."},
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert (change.proposed_by, change.proposed_due_date) == (owner, dt.date(2024, 4, 30))
    root_cause.refresh_from_db()
    assert root_cause.current_due_date == dt.date(2024, 3, 15)


def test_proposal_without_a_date_shows_errors_beside_the_fields(client, root_cause, owner):
    client.force_login(owner)
    url = reverse("change-propose", args=[root_cause.pk])
    response = client.post(url, {"kind": "new_due_date", "rationale": ""})
    assert response.status_code == 200
    assert "Say why the plan should change" in response.content.decode()
    response = client.post(url, {"kind": "new_due_date", "rationale": "Rota gaps."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Enter the new due date." in html
    assert 'href="#id_proposed_due_date"' in html
    assert not ChangeRequest.objects.exists()


def test_proposal_split_from_the_form(client, root_cause, owner):
    client.force_login(owner)
    client.post(
        reverse("change-propose", args=[root_cause.pk]),
        {
            "kind": "split",
            "part1_title": "Night shifts",
            "part1_due_date": "2024-05-31",
            "rationale": "Two teams.",
        },
    )
    change = ChangeRequest.objects.get()
    assert change.split_parts == [{"title": "Night shifts", "due_date": "2024-05-31"}]


def test_executive_approves_and_the_plan_changes(client, root_cause, executive):
    change = propose(root_cause)
    client.force_login(executive)
    detail = client.get(change.get_absolute_url())
    assert "Record decision" in detail.content.decode()
    response = client.post(
        reverse("change-decide", args=[change.pk]), {f"change-{change.pk}-decision": "approve"}
    )
    assert response.status_code == 302
    root_cause.refresh_from_db()
    assert root_cause.current_due_date == dt.date(2024, 4, 30)
    assert root_cause.baseline_due_date == dt.date(2024, 3, 15)


def test_rejecting_without_a_note_changes_nothing(client, root_cause, executive):
    change = propose(root_cause)
    client.force_login(executive)
    response = client.post(
        reverse("change-decide", args=[change.pk]), {f"change-{change.pk}-decision": "reject"}
    )
    assert response.status_code == 200
    assert "Say why the change is not approved." in response.content.decode()
    change.refresh_from_db()
    assert change.is_pending


def test_change_log_lists_approved_changes_only(
    client,
    programme,
    root_cause,
    other_root_cause,
    executive,
    partner,
    django_assert_max_num_queries,
):
    change_request_approve(by=executive, change_request=propose(root_cause))
    propose(other_root_cause)  # pending: not in the log
    client.force_login(partner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("change-log", args=[programme.pk]))
    html = response.content.decode()
    assert root_cause.reference in html and "15 March 2024" in html and "30 April 2024" in html
    assert other_root_cause.reference not in html
    assert "1 change waiting for the ECIB" in html


def test_change_log_query_count_does_not_grow(client, programme, finding, executive, pmo):
    client.force_login(pmo)
    url = reverse("change-log", args=[programme.pk])

    def add(n):
        for _ in range(n):
            change_request_approve(
                by=executive, change_request=propose(RootCauseFactory(finding=finding))
            )

    add(1)
    client.get(url)  # the first visit remembers the programme in the session
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(5)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_change_log_bad_page_number_shows_a_page(client, programme, pmo):
    client.force_login(pmo)
    assert client.get(reverse("change-log", args=[programme.pk]) + "?page=abc").status_code == 200


# --- settings -------------------------------------------------------------------------------


def test_pmo_sets_the_trajectory_colour(client, programme, pmo):
    client.force_login(pmo)
    url = reverse("governance-settings", args=[programme.pk])
    response = client.post(url, {"action": "colour", "trajectory_colour": "blue"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.trajectory_colour == "blue"
    response = client.post(url, {"action": "colour", "trajectory_colour": "purple"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    programme.refresh_from_db()
    assert programme.trajectory_colour == "blue"


def test_pmo_adjusts_the_rules(client, programme, pmo):
    client.force_login(pmo)
    url = reverse("governance-settings", args=[programme.pk])
    client.get(url)
    data = {"action": "rules"}
    for kind in ("off_track", "due_date_changes", "kpi_concern", "missing_updates"):
        data[f"rule-{kind}-threshold"] = "2"
        data[f"rule-{kind}-active"] = "on"
    data["rule-off_track-threshold"] = "3"
    del data["rule-missing_updates-active"]
    assert client.post(url, data).status_code == 302
    rules = {r.kind: (r.threshold, r.active) for r in EscalationRule.objects.all()}
    assert rules["off_track"] == (3, True)
    assert rules["missing_updates"] == (2, False)
    data["rule-off_track-threshold"] = "0"
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "Enter a number from 1 to 12" in response.content.decode()
    )
    assert EscalationRule.objects.get(kind="off_track").threshold == 3


def test_pmo_adds_a_meeting(client, programme, pmo):
    client.force_login(pmo)
    url = reverse("governance-settings", args=[programme.pk])
    response = client.post(url, {"action": "meeting", "meets_on": "2024-02-27", "note": "Moved."})
    assert response.status_code == 302
    assert EcibMeeting.objects.get().meets_on == dt.date(2024, 2, 27)
    response = client.post(url, {"action": "meeting", "meets_on": "2024-02-27"})
    assert "There is already an ECIB meeting" in response.content.decode()
    response = client.post(url, {"action": "meeting", "meets_on": "not a date"})
    assert "Enter the date as a real date" in response.content.decode()


# --- themes ---------------------------------------------------------------------------------


def test_theme_page_lists_root_causes_across_isgs(
    client, programme, isg, other_isg, root_cause, chair, django_assert_max_num_queries
):
    theme = ThemeFactory(reporting_isg=other_isg, name="Digital templates")
    root_cause.theme = theme
    root_cause.delivered_by = "Digital Services"
    root_cause.save()
    from tests.factories import FindingFactory

    elsewhere = RootCauseFactory(
        finding=FindingFactory(isg=other_isg, programme=programme), theme=theme
    )
    client.force_login(chair)
    with django_assert_max_num_queries(12):
        response = client.get(theme.get_absolute_url())
    html = response.content.decode()
    assert root_cause.reference in html and elsewhere.reference in html
    assert "Digital Services" in html
    assert "Reports through" in html and "Scheduled Care" in html


def test_pmo_sets_a_root_causes_theme(client, isg, root_cause, pmo):
    theme = ThemeFactory(reporting_isg=isg)
    client.force_login(pmo)
    response = client.post(
        reverse("rootcause-theme", args=[root_cause.pk]),
        {"theme": theme.pk, "delivered_by": "Corporate Nursing"},
    )
    assert response.status_code == 302 and response["Location"] == theme.get_absolute_url()
    root_cause.refresh_from_db()
    assert (root_cause.theme, root_cause.delivered_by) == (theme, "Corporate Nursing")


def test_pmo_changes_the_reporting_isg(client, isg, other_isg, pmo):
    theme = ThemeFactory(reporting_isg=isg)
    client.force_login(pmo)
    url = reverse("theme-edit", args=[theme.pk])
    response = client.post(url, {"reporting_isg": ""})
    assert "Choose the ISG the group reports through" in response.content.decode()
    response = client.post(url, {"reporting_isg": other_isg.pk, "description": "New."})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.reporting_isg == other_isg


# --- the partial for the root cause page ---------------------------------------------------


def test_root_cause_partial_shows_escalations_decisions_and_changes(
    programme, root_cause, chair, executive, owner
):
    escalation = escalation_raise(by=chair, root_cause=root_cause, reason="Slipping.")
    escalation_decide(by=executive, escalation=escalation, decision="accept", note="Agreed.")
    change_request_approve(by=executive, change_request=propose(root_cause))
    root_cause.refresh_from_db()
    template = Template(
        '{% include "governance/partials/root_cause_governance.html" with root_cause=rc %}'
    )
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"rc": root_cause, "user": owner}))
    assert "Accept the recovery plan" in html and "Agreed." in html
    assert "New due date" in html and "15 March 2024 → 30 April 2024" in html
    assert "re-planned" in html  # baseline and current side by side
    assert reverse("change-propose", args=[root_cause.pk]) in html  # the owner may propose
    assert len(queries.captured_queries) <= 4


def test_root_cause_partial_for_someone_who_may_not_propose(root_cause, partner):
    template = Template(
        '{% include "governance/partials/root_cause_governance.html" with root_cause=rc %}'
    )
    html = template.render(Context({"rc": root_cause, "user": partner}))
    assert "has not been escalated" in html
    assert reverse("change-propose", args=[root_cause.pk]) not in html
