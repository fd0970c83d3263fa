"""Change control: only an approved request changes the plan, and the baseline never moves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import services
from governance.models import ChangeRequest
from qip.models import Programme
from qip.reporting.trajectory import counts_by_isg
from rootcauses import services as rc_services
from rootcauses.models import RootCause
from tests.factories import IsgFactory, RootCauseFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def propose(root_cause, by, kind="new_due_date", **kwargs):
    kwargs.setdefault("rationale", "The rota changed.")
    if kind == "new_due_date":
        kwargs.setdefault("proposed_due_date", dt.date(2024, 4, 30))
    return services.change_request_propose(by=by, root_cause=root_cause, kind=kind, **kwargs)


def test_a_proposal_changes_nothing_until_approved(root_cause, owner):
    change = propose(root_cause, owner)
    root_cause.refresh_from_db()
    assert change.is_pending
    assert root_cause.current_due_date == dt.date(2024, 3, 15)


def test_approving_a_new_due_date_keeps_the_baseline(root_cause, owner, executive):
    change = propose(root_cause, owner)
    services.change_request_approve(by=executive, change_request=change, note="Agreed.")
    root_cause.refresh_from_db()
    change.refresh_from_db()
    assert root_cause.current_due_date == dt.date(2024, 4, 30)
    assert root_cause.baseline_due_date == dt.date(2024, 3, 15)
    assert change.status == "approved"
    assert change.decided_on == dt.date(2024, 2, 20)
    assert change.previous_values == {"current_due_date": "2024-03-15"}
    assert change.from_text == "15 March 2024"
    assert change.to_text == "30 April 2024"
    # The audit history says who changed the plan.
    assert root_cause.history.first().history_user == executive
    assert root_cause.history.first().current_due_date == dt.date(2024, 4, 30)


def test_approval_bumps_the_version_so_open_forms_go_stale(root_cause, owner, executive):
    before = root_cause.version
    services.change_request_approve(by=executive, change_request=propose(root_cause, owner))
    root_cause.refresh_from_db()
    assert root_cause.version == before + 1


def test_rejecting_needs_a_reason_and_leaves_the_plan(root_cause, owner, executive):
    change = propose(root_cause, owner)
    with pytest.raises(ValidationError) as error:
        services.change_request_reject(by=executive, change_request=change, note=" ")
    assert "note" in error.value.message_dict
    services.change_request_reject(by=executive, change_request=change, note="Keep the date.")
    root_cause.refresh_from_db()
    change.refresh_from_db()
    assert change.status == "rejected"
    assert change.decision_note == "Keep the date."
    assert root_cause.current_due_date == dt.date(2024, 3, 15)


def test_a_decided_change_cannot_be_decided_again(root_cause, owner, executive):
    change = propose(root_cause, owner)
    services.change_request_approve(by=executive, change_request=change)
    with pytest.raises(ValidationError, match="already approved"):
        services.change_request_reject(by=executive, change_request=change, note="No.")


def test_nobody_decides_their_own_proposal(root_cause, pmo):
    change = propose(root_cause, pmo)
    with pytest.raises(ValidationError, match="another executive"):
        services.change_request_approve(by=pmo, change_request=change)
    change.refresh_from_db()
    assert change.is_pending


def test_withdrawal_leaves_the_counts_from_the_decision_date(root_cause, owner, executive):
    change = propose(root_cause, owner, kind="withdraw")
    decided = timezone.make_aware(dt.datetime(2024, 2, 16, 11))
    services.change_request_approve(by=executive, change_request=change, at=decided)
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.WITHDRAWN
    assert root_cause.withdrawn_on == dt.date(2024, 2, 16)
    assert root_cause.baseline_due_date == dt.date(2024, 3, 15)
    counts = counts_by_isg(RootCause.objects.filter(isg=root_cause.isg), dt.date(2024, 3, 31))
    # Its baseline (15 March) falls after the withdrawal (16 February): it is never planned.
    assert counts[(root_cause.isg_id, "MUST_DO")].planned == 0


def test_a_root_cause_awaiting_closure_cannot_be_withdrawn(root_cause, owner, executive):
    rc_services.closure_request(by=owner, root_cause=root_cause, note="Done.")
    change = propose(root_cause, owner, kind="withdraw")
    with pytest.raises(ValidationError, match="confirm or reject"):
        services.change_request_approve(by=executive, change_request=change)
    root_cause.refresh_from_db()
    change.refresh_from_db()
    assert root_cause.withdrawn_on is None
    assert change.is_pending


def test_change_owner(root_cause, owner, other_owner, executive):
    change = propose(root_cause, owner, kind="change_owner", proposed_owner=other_owner)
    services.change_request_approve(by=executive, change_request=change)
    root_cause.refresh_from_db()
    change.refresh_from_db()
    assert root_cause.owner == other_owner
    assert change.from_text == owner.get_full_name()
    assert change.to_text == other_owner.get_full_name()


def test_change_isg_moves_its_kpi_too(root_cause, owner, other_isg, executive):
    change = propose(root_cause, owner, kind="change_isg", proposed_isg=other_isg)
    services.change_request_approve(by=executive, change_request=change)
    root_cause.refresh_from_db()
    root_cause.kpi.refresh_from_db()
    assert root_cause.isg == other_isg
    assert root_cause.kpi.isg == other_isg


def test_split_adds_new_root_causes_and_keeps_the_original(root_cause, owner, executive):
    change = propose(
        root_cause,
        owner,
        kind="split",
        split_parts=[
            {"title": "Night shift escalation", "due_date": dt.date(2024, 5, 31)},
            {"title": "", "due_date": None},
        ],
    )
    assert change.split_parts == [{"title": "Night shift escalation", "due_date": "2024-05-31"}]
    services.change_request_approve(by=executive, change_request=change)
    change.refresh_from_db()
    new = RootCause.objects.get(reference="WC-MD-07 RC3")
    assert change.outcome == {"created": ["WC-MD-07 RC3"]}
    assert (new.baseline_due_date, new.current_due_date) == (dt.date(2024, 5, 31),) * 2
    assert new.finding == root_cause.finding
    assert new.owner == owner
    root_cause.refresh_from_db()
    assert root_cause.status != RootCause.Status.WITHDRAWN


def test_split_needs_titles_and_dates(root_cause, owner):
    with pytest.raises(ValidationError) as error:
        propose(root_cause, owner, kind="split", split_parts=[{"title": "Half", "due_date": None}])
    assert "split_parts" in error.value.message_dict


def test_merge_withdraws_this_one_into_another(root_cause, other_root_cause, owner, executive):
    change = propose(root_cause, owner, kind="merge", merge_into=other_root_cause)
    services.change_request_approve(by=executive, change_request=change)
    root_cause.refresh_from_db()
    other_root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.WITHDRAWN
    assert other_root_cause.withdrawn_on is None
    assert change.to_text == f"Withdrawn, merged into {other_root_cause.reference}"


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        ("new_due_date", {"proposed_due_date": None}, "proposed_due_date"),
        ("new_due_date", {"proposed_due_date": dt.date(2024, 2, 1)}, "proposed_due_date"),
        ("new_due_date", {"proposed_due_date": dt.date(2024, 3, 15)}, "proposed_due_date"),
        ("change_owner", {}, "proposed_owner"),
        ("change_isg", {}, "proposed_isg"),
        ("merge", {}, "merge_into"),
        ("teleport", {}, "kind"),
        ("new_due_date", {"rationale": ""}, "rationale"),
    ],
)
def test_bad_proposals_are_refused_with_a_clear_message(root_cause, owner, kind, kwargs, field):
    with pytest.raises(ValidationError) as error:
        propose(root_cause, owner, kind=kind, **kwargs)
    assert field in error.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_cannot_move_to_an_isg_of_another_programme(root_cause, owner):
    elsewhere = IsgFactory(
        programme=Programme.objects.create(
            name="Elsewhere",
            framework=root_cause.programme.framework,
            sprint_anchor=dt.date(2024, 1, 1),
        )
    )
    with pytest.raises(ValidationError) as error:
        propose(root_cause, owner, kind="change_isg", proposed_isg=elsewhere)
    assert "proposed_isg" in error.value.message_dict


def test_one_pending_change_of_a_kind_at_a_time(root_cause, owner):
    propose(root_cause, owner)
    with pytest.raises(ValidationError, match="already waiting"):
        propose(root_cause, owner, proposed_due_date=dt.date(2024, 5, 1))
    propose(root_cause, owner, kind="withdraw")  # another kind is fine
    assert ChangeRequest.objects.count() == 2


def test_a_closed_root_cause_cannot_be_re_planned(root_cause, owner, chair):
    request = rc_services.closure_request(by=owner, root_cause=root_cause, note="Done.")
    rc_services.closure_confirm(by=chair, closure=request)
    with pytest.raises(ValidationError, match="complete"):
        propose(root_cause, owner)


def test_approval_refuses_a_change_made_moot(root_cause, owner, chair, executive):
    change = propose(root_cause, owner)
    request = rc_services.closure_request(by=owner, root_cause=root_cause, note="Done.")
    rc_services.closure_confirm(by=chair, closure=request)
    with pytest.raises(ValidationError, match="complete"):
        services.change_request_approve(by=executive, change_request=change)
    change.refresh_from_db()
    assert change.is_pending


def test_a_decision_cannot_be_dated_in_the_future(root_cause, owner, executive):
    change = propose(root_cause, owner)
    with pytest.raises(ValidationError, match="future"):
        services.change_request_approve(
            by=executive,
            change_request=change,
            at=timezone.make_aware(dt.datetime(2024, 3, 1, 10)),
        )


def test_root_cause_theme_set(root_cause, isg, pmo):
    theme = ThemeFactory(reporting_isg=isg)
    services.root_cause_theme_set(
        by=pmo, root_cause=root_cause, theme=theme, delivered_by=" Digital Services "
    )
    root_cause.refresh_from_db()
    assert (root_cause.theme, root_cause.delivered_by) == (theme, "Digital Services")
    assert root_cause.history.first().history_user == pmo


def test_root_cause_theme_of_another_programme_is_refused(root_cause, pmo):
    theme = ThemeFactory()
    with pytest.raises(ValidationError):
        services.root_cause_theme_set(by=pmo, root_cause=root_cause, theme=theme, delivered_by="")


def test_theme_update(isg, other_isg, pmo):
    theme = ThemeFactory(reporting_isg=isg)
    lead = UserFactory()
    services.theme_update(by=pmo, theme=theme, reporting_isg=other_isg, lead=lead)
    theme.refresh_from_db()
    assert (theme.reporting_isg, theme.lead) == (other_isg, lead)


def test_trajectory_colour(programme, pmo):
    services.programme_trajectory_colour_set(by=pmo, programme=programme, colour="blue")
    programme.refresh_from_db()
    assert programme.trajectory_colour == "blue"
    with pytest.raises(ValidationError):
        services.programme_trajectory_colour_set(by=pmo, programme=programme, colour="purple")
    programme.refresh_from_db()
    assert programme.trajectory_colour == "blue"


def test_split_references_skip_taken_numbers(root_cause, finding, owner, executive):
    RootCauseFactory(finding=finding, reference="WC-MD-07 RC9")
    change = propose(
        root_cause,
        owner,
        kind="split",
        split_parts=[{"title": "Part", "due_date": dt.date(2024, 6, 1)}],
    )
    services.change_request_approve(by=executive, change_request=change)
    assert RootCause.objects.filter(reference="WC-MD-07 RC10").exists()
