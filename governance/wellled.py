"""The Well-led improvement plan: each month, per key line of enquiry (W1–W8), what was done,
how the change will be evidenced and what comes next (the seed paper's Figures 5–7).

The KLOEs are the programme framework's assessment items under the Well-led key question,
read from the CQC reference data, never listed in code.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.clock import today
from core.locking import StaleEdit, save_versioned
from cqc.models import AssessmentItem

from .models import KloeReport, KloeReportLine

WELL_LED = "WELL_LED"
MAX_LINES = 20


def kloe_items(programme) -> QuerySet:
    """The Well-led key lines of enquiry (or quality statements) of the programme's framework."""
    return AssessmentItem.objects.filter(
        framework_id=programme.framework_id, key_question__code=WELL_LED, retired=False
    ).order_by("order", "code")


def month_is_read_only(isg, period) -> bool:
    """Once the Well-led chair signs the month off (or a board paper locks it), it is read-only."""
    return period.locked_at is not None or period.signoffs.filter(isg_id=isg.pk).exists()


def _clean_lines(lines: Iterable[dict]) -> list[dict]:
    cleaned = []
    for line in lines or []:
        action = (line.get("action") or "").strip()
        evidence = (line.get("evidence") or "").strip()
        if not action and not evidence:
            continue
        if not action:
            raise ValidationError(
                {"lines": "Each row needs the action taken, not only how it will be evidenced."}
            )
        cleaned.append({"action": action, "evidence": evidence})
    if len(cleaned) > MAX_LINES:
        raise ValidationError({"lines": f"Keep it to {MAX_LINES} actions a month."})
    return cleaned


@transaction.atomic
def kloe_report_save(
    *,
    by: Any,
    isg,
    period,
    assessment_item: AssessmentItem,
    lines: Iterable[dict],
    future_plans: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> KloeReport:
    """Write (or rewrite) one KLOE's report for one month, until the month is signed off.

    `expected_version` is the version the form was opened on (0 for a new report): if someone
    saved in between, StaleEdit is raised and nothing is written.
    """
    if not isg.structured_by_kloe:
        raise ValidationError(f"{isg} does not report by key line of enquiry.")
    if period.programme_id != isg.programme_id or period.cadence != isg.cadence:
        raise ValidationError(f"{period} is not one of {isg}'s reporting months.")
    if period.starts_on > today():
        raise ValidationError(f"{period} has not started yet.")
    if month_is_read_only(isg, period):
        raise ValidationError(f"{isg} has signed off {period}: its plan is read-only.")
    if (
        assessment_item.framework_id != isg.programme.framework_id
        or assessment_item.key_question.code != WELL_LED
    ):
        raise ValidationError("That is not one of the programme's Well-led key lines of enquiry.")
    cleaned = _clean_lines(lines)
    future_plans = "\n".join(
        line.strip() for line in (future_plans or "").splitlines() if line.strip()
    )
    if not cleaned and not future_plans:
        raise ValidationError("Enter at least one action over the past month, or the future plans.")
    when = at or timezone.now()
    fields = {"future_plans": future_plans, "author": by, "updated_at": when}
    existing = (
        KloeReport.objects.select_for_update()
        .filter(isg=isg, period=period, assessment_item=assessment_item)
        .first()
    )
    if existing is None:
        if expected_version not in (None, 0):
            raise StaleEdit(KloeReport(isg=isg, period=period), fields)
        report = KloeReport(isg=isg, period=period, assessment_item=assessment_item, **fields)
        report._history_user = by
        report.save()
    else:
        if expected_version == 0:
            raise StaleEdit(existing, fields)
        report = save_versioned(
            existing,
            existing.version if expected_version is None else expected_version,
            by=by,
            **fields,
        )
        for old in report.lines.all():
            old._history_user = by
            old.delete()
    for order, line in enumerate(cleaned):
        new = KloeReportLine(report=report, order=order, **line)
        new._history_user = by
        new.save()
    return report
