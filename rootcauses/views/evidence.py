from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_root_cause_for
from ..forms import EvidenceForm, EvidenceReviewForm, add_service_errors
from ..models import EvidenceFile
from .uploads import accepts_evidence


@accepts_evidence
def rootcause_evidence_add(request, pk: int):
    """Add an evidence file to a root cause (a re-audit, a new policy), outside an update."""
    root_cause = get_root_cause_for(request, pk, perm="rootcauses.upload_evidence")
    if root_cause.withdrawn_on is not None:
        raise Http404("This root cause was withdrawn.")
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            (item,) = form.evidence_items()
            try:
                evidence = services.evidence_add(
                    by=request.user,
                    root_cause=root_cause,
                    file=item.file,
                    description=item.description,
                    effective_from=item.effective_from,
                    review_by=item.review_by,
                )
            except ValidationError as error:
                add_service_errors(
                    form,
                    ValidationError(
                        {f"evidence_{k}": v for k, v in error.error_dict.items()}
                        if hasattr(error, "error_dict")
                        else error.messages
                    ),
                )
            else:
                messages.success(request, f"{evidence.original_name} is uploaded.")
                return redirect(f"{root_cause.get_absolute_url()}#evidence")
        status = 400
    else:
        form = EvidenceForm()
        status = 200
    return render(
        request,
        "rootcauses/evidence_form.html",
        {"root_cause": root_cause, "form": form},
        status=status,
    )


def _evidence_for(request, pk: int, perm: str) -> EvidenceFile:
    """The evidence file, if this person may see its root cause (else 404) and do `perm` (403)."""
    evidence = get_object_or_404(EvidenceFile.objects.only("pk", "root_cause_id"), pk=pk)
    root_cause = get_root_cause_for(request, evidence.root_cause_id, perm=perm)
    evidence = EvidenceFile.objects.get(pk=pk)
    evidence.root_cause = root_cause
    return evidence


def evidence_download(request, pk: int):
    """Send an evidence file as a download, to people allowed to see that root cause's evidence."""
    evidence = _evidence_for(request, pk, "rootcauses.view_evidence")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def evidence_review(request, pk: int):
    """Record that the evidence was checked and still holds: set the next review date."""
    evidence = _evidence_for(request, pk, "rootcauses.upload_evidence")
    form = EvidenceReviewForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_reviewed(
                by=request.user, evidence=evidence, next_review_by=form.cleaned_data["review_by"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render(
            request,
            "rootcauses/evidence_review_error.html",
            {"root_cause": evidence.root_cause, "evidence": evidence, "form": form},
            status=400,
        )
    messages.success(request, f"Marked {evidence.original_name} as reviewed.")
    return redirect(f"{evidence.root_cause.get_absolute_url()}#evidence")
