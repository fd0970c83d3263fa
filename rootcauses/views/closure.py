from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .. import services
from ..access import get_root_cause_for
from ..forms import ClosureRequestForm, add_service_errors
from ..models import ClosureRequest
from .uploads import accepts_evidence


def _citable(root_cause):
    """Evidence already uploaded that a new request may cite (not in a live request)."""
    return (
        root_cause.evidence_files.exclude(
            closure_request__decision__in=[
                ClosureRequest.Decision.PENDING,
                ClosureRequest.Decision.CONFIRMED,
            ]
        )
        .select_related("uploaded_by")
        .order_by("-effective_from", "-uploaded_at")
    )


@accepts_evidence
def rootcause_closure_request(request, pk: int):
    """The owner attaches closure evidence and asks the ISG chair to confirm closure."""
    root_cause = get_root_cause_for(request, pk, perm="rootcauses.request_closure")
    pending = root_cause.closure_requests.filter(decision=ClosureRequest.Decision.PENDING).first()
    context = {"root_cause": root_cause, "pending": pending}
    if pending is not None or root_cause.is_closed:
        return render(request, "rootcauses/closure_unavailable.html", context)
    citable = list(_citable(root_cause))
    if request.method == "POST":
        form = ClosureRequestForm(
            request.POST, request.FILES, root_cause=root_cause, citable=citable
        )
        if form.is_valid():
            try:
                services.closure_request(
                    by=request.user,
                    root_cause=root_cause,
                    note=form.cleaned_data["note"],
                    evidence=form.evidence_items(),
                    evidence_files=form.cleaned_data.get("evidence_files", []),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Closure requested. The root cause is now waiting for the ISG chair to "
                    "confirm it.",
                )
                return redirect(f"{root_cause.get_absolute_url()}#closure")
        status = 400
    else:
        form = ClosureRequestForm(root_cause=root_cause, citable=citable)
        status = 200
    return render(request, "rootcauses/closure_form.html", {**context, "form": form}, status=status)
