"""Change control: propose a change to the plan, decide it at the ECIB, and the change log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.clock import today
from core.spreadsheets import csv_response, wants_csv
from qip.access import get_programme_for
from rootcauses.access import get_root_cause_for

from .. import services
from ..forms import ChangeDecisionForm, ChangeRequestForm, apply_errors
from ..models import ChangeRequest, Escalation
from ..selectors import change_log as change_log_rows
from ..selectors import changes_with_related
from .common import next_url


def change_propose(request, root_cause_pk: int):
    """An owner, ISG chair or the PMO proposes a change to one root cause's plan."""
    root_cause = get_root_cause_for(request, root_cause_pk, perm="rootcauses.propose_change")
    escalation = None
    escalation_pk = request.GET.get("escalation") or request.POST.get("escalation")
    if escalation_pk:
        escalation = Escalation.objects.filter(
            pk=escalation_pk if str(escalation_pk).isdigit() else 0, root_cause=root_cause
        ).first()
    form = ChangeRequestForm(
        request.POST if request.method == "POST" else None, root_cause=root_cause
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.change_request_propose(
                by=request.user,
                root_cause=root_cause,
                kind=data["kind"],
                rationale=data["rationale"],
                proposed_due_date=data.get("proposed_due_date"),
                proposed_owner=data.get("proposed_owner"),
                proposed_isg=data.get("proposed_isg"),
                merge_into=data.get("merge_into"),
                split_parts=form.split_parts,
                escalation=escalation,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "Your change is proposed. The ECIB will decide it at its next meeting."
            )
            return redirect(change)
    return render(
        request,
        "governance/change_propose.html",
        {"form": form, "root_cause": root_cause, "escalation": escalation},
    )


def _change_for(request, pk: int) -> ChangeRequest:
    change = get_object_or_404(changes_with_related(), pk=pk)
    # Whoever may see the root cause may see its change requests; others get 404.
    get_root_cause_for(request, change.root_cause_id)
    return change


def change_detail(request, pk: int):
    change = _change_for(request, pk)
    can_decide = (
        change.is_pending
        and request.user.has_perm("governance.decide", change)
        and change.proposed_by_id != request.user.pk
    )
    return render(
        request,
        "governance/change_detail.html",
        {
            "change": change,
            "can_decide": can_decide,
            "form": ChangeDecisionForm(prefix=f"change-{change.pk}") if can_decide else None,
        },
    )


@require_POST
def change_decide(request, pk: int):
    """An executive approves (the plan changes now) or rejects a proposed change."""
    change = _change_for(request, pk)
    if not request.user.has_perm("governance.decide", change):
        raise PermissionDenied("Only an executive decides changes to the plan.")
    form = ChangeDecisionForm(request.POST, prefix=f"change-{change.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.change_request_approve(
                    by=request.user, change_request=change, note=form.cleaned_data["note"]
                )
                messages.success(
                    request, f"Approved: the plan for {change.root_cause.reference} has changed."
                )
            else:
                services.change_request_reject(
                    by=request.user, change_request=change, note=form.cleaned_data["note"]
                )
                messages.success(
                    request,
                    f"Rejected: the plan for {change.root_cause.reference} stays as it was.",
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(next_url(request, change.get_absolute_url()))
    return render(
        request,
        "governance/change_detail.html",
        {"change": change, "can_decide": True, "form": form},
    )


def change_log(request, programme_pk: int):
    """Every approved change to the plan, with the baseline beside the current plan."""
    programme = get_programme_for(request, programme_pk)
    if wants_csv(request):
        return _change_log_csv(change_log_rows(programme))
    paginator = Paginator(change_log_rows(programme), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "governance/change_log.html",
        {
            "programme": programme,
            "page_obj": page,
            "pending_count": ChangeRequest.objects.filter(
                programme=programme, status=ChangeRequest.Status.PROPOSED
            ).count(),
        },
    )


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _change_log_csv(changes):
    """Every approved change, latest first, as CSV."""
    return csv_response(
        f"change-log-{today():%Y-%m-%d}.csv",
        [
            "Root cause",
            "Title",
            "Approved on",
            "Change",
            "From",
            "To",
            "Baseline due",
            "Current due",
            "Why",
            "Proposed by",
            "Approved by",
        ],
        (
            [
                c.root_cause.reference,
                c.root_cause.title,
                c.decided_on,
                c.get_kind_display(),
                c.from_text,
                c.to_text,
                c.root_cause.baseline_due_date,
                c.root_cause.current_due_date,
                c.rationale,
                _person(c.proposed_by),
                _person(c.decided_by),
            ]
            for c in changes
        ),
    )
