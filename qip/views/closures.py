"""The chair's decisions on closure requests, and the record of an independent check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.clock import today
from governance.forms import ClosureRejectForm, VerificationForm, apply_errors
from governance.views.common import next_url
from rootcauses import services as rc_services
from rootcauses.access import get_root_cause_for
from rootcauses.models import ClosureRequest

from ..services import current_period


def _back_to_isg(root_cause) -> str:
    period = current_period(root_cause.isg)
    if period is None:
        return root_cause.isg.get_absolute_url()
    return reverse("sprint-page", args=[root_cause.isg_id, period.pk])


def _closure_for(request, pk: int, perm: str) -> tuple[ClosureRequest, object]:
    closure = get_object_or_404(ClosureRequest, pk=pk)
    root_cause = get_root_cause_for(request, closure.root_cause_id, perm=perm)
    closure.root_cause = root_cause
    return closure, root_cause


@require_POST
def closure_confirm(request, pk: int):
    """Confirm: the root cause counts as completed today."""
    closure, root_cause = _closure_for(request, pk, "rootcauses.confirm_closure")
    try:
        rc_services.closure_confirm(by=request.user, closure=closure)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Closure of {root_cause.reference} confirmed: it counts as completed today.",
        )
    return redirect(next_url(request, _back_to_isg(root_cause)))


def closure_reject(request, pk: int):
    """Reject, with a reason the owner sees."""
    closure, root_cause = _closure_for(request, pk, "rootcauses.confirm_closure")
    back = next_url(request, _back_to_isg(root_cause))
    form = ClosureRejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rc_services.closure_reject(
                by=request.user, closure=closure, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"Closure of {root_cause.reference} sent back to its owner with your reason.",
            )
            return redirect(back)
    return render(
        request,
        "qip/closure_reject.html",
        {"form": form, "closure": closure, "root_cause": root_cause, "next": back},
    )


def verification_record(request, root_cause_pk: int):
    """Record an independent check (a peer review visit, a service-user test) of a closed root cause."""
    root_cause = get_root_cause_for(request, root_cause_pk, perm="rootcauses.verify_closure")
    back = next_url(request, _back_to_isg(root_cause))
    form = VerificationForm(
        request.POST if request.method == "POST" else None, initial={"checked_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            rc_services.verification_record(
                by=request.user, root_cause=root_cause, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if form.cleaned_data["outcome"] == "verified":
                messages.success(request, f"{root_cause.reference} is verified: it now shows blue.")
            else:
                messages.warning(
                    request,
                    f"Recorded: the check did not find the change in place for {root_cause.reference}.",
                )
            return redirect(back)
    return render(
        request,
        "qip/closure_verify.html",
        {"form": form, "root_cause": root_cause, "next": back},
    )
