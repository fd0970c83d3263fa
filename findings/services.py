"""Writes to findings: set up by the plan import (and, later, by the PMO's forms).

Each function takes `by`, the person doing it, and an optional `reason` that the audit trail
shows beside the change ("Imported from plan.xlsx").
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Finding, FindingType

REFERENCE_MAX = Finding._meta.get_field("reference").max_length
SITE_MAX = Finding._meta.get_field("site").max_length


def _validate(
    *, programme_id: int, isg, reference: str, finding_type: str, text: str, regulation, site: str
) -> None:
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = "Enter the finding's reference."
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = f"A reference has at most {REFERENCE_MAX} characters."
    if finding_type not in FindingType.values:
        errors["finding_type"] = "Choose Must Do or Should Do."
    if not text:
        errors["text"] = "Enter the finding as CQC wrote it."
    if finding_type == FindingType.MUST_DO and regulation is None:
        errors["regulation"] = "A Must Do needs the regulation it breaches."
    if len(site) > SITE_MAX:
        errors["site"] = f"A site has at most {SITE_MAX} characters."
    if isg is None or isg.programme_id != programme_id:
        errors["isg"] = "Choose an ISG of this programme."
    if errors:
        raise ValidationError(errors)


def _save(finding: Finding, by: Any, reason: str) -> None:
    finding._history_user = by
    if reason:
        finding._change_reason = reason
    finding.save()


@transaction.atomic
def finding_create(
    *,
    by: Any,
    programme,
    isg,
    reference: str,
    finding_type: str,
    text: str,
    source,
    core_service=None,
    site: str = "",
    key_questions: Iterable = (),
    regulation=None,
    inspection=None,
    reason: str = "",
) -> Finding:
    """Add a Must Do or Should Do to the programme."""
    reference, text, site = reference.strip(), text.strip(), site.strip()
    _validate(
        programme_id=programme.pk,
        isg=isg,
        reference=reference,
        finding_type=finding_type,
        text=text,
        regulation=regulation,
        site=site,
    )
    if Finding.objects.filter(programme=programme, reference__iexact=reference).exists():
        raise ValidationError({"reference": f"The plan already has a finding {reference}."})
    finding = Finding(
        programme=programme,
        isg=isg,
        inspection=inspection,
        reference=reference,
        finding_type=finding_type,
        text=text,
        core_service=core_service,
        site=site,
        regulation=regulation,
        source=source,
    )
    _save(finding, by, reason)
    key_questions = list(key_questions)
    if key_questions:
        finding.key_questions.set(key_questions)
    return finding


FIELDS = ("isg", "finding_type", "text", "core_service", "site", "regulation", "source")


@transaction.atomic
def finding_update(
    *, by: Any, finding: Finding, reason: str = "", key_questions: Iterable | None = None, **changes
) -> Finding:
    """Correct a finding's fields; only the fields given change."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"finding_update() cannot change {', '.join(sorted(unknown))}")
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    for name, value in changes.items():
        setattr(finding, name, value.strip() if isinstance(value, str) else value)
    _validate(
        programme_id=finding.programme_id,
        isg=finding.isg,
        reference=finding.reference,
        finding_type=finding.finding_type,
        text=finding.text,
        regulation=finding.regulation,
        site=finding.site,
    )
    if changes:
        _save(finding, by, reason)
    if key_questions is not None:
        wanted = {kq.pk for kq in key_questions}
        if wanted != set(finding.key_questions.values_list("pk", flat=True)):
            finding._history_user = by
            if reason:
                finding._change_reason = reason
            finding.key_questions.set(wanted)
    return finding
