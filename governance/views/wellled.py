"""The Well-led improvement plan: one month at a time (the seed paper's table), and its history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.clock import today
from core.locking import StaleEdit
from qip.access import get_isg_for
from qip.models import ReportingPeriod
from qip.services import current_period

from .. import wellled
from ..forms import KloeLineFormSet, KloeReportForm, apply_errors
from ..models import KloeReport


def _kloe_isg(request, pk: int, perm: str = "qip.view_isg"):
    isg = get_isg_for(request, pk, perm=perm)
    if not isg.structured_by_kloe:
        raise Http404("This ISG does not report by key line of enquiry.")
    return isg


def _month(isg, period_pk: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod, pk=period_pk, programme_id=isg.programme_id, cadence=isg.cadence
    )


def wellled_plan(request, isg_pk: int):
    """This month's Well-led plan."""
    isg = _kloe_isg(request, isg_pk)
    period = current_period(isg) or (
        ReportingPeriod.objects.filter(programme_id=isg.programme_id, cadence=isg.cadence)
        .order_by("-starts_on")
        .first()
    )
    if period is None:
        raise Http404("This programme has no calendar yet.")
    return redirect("wellled-month", isg_pk=isg.pk, period_pk=period.pk)


def wellled_month(request, isg_pk: int, period_pk: int):
    isg = _kloe_isg(request, isg_pk)
    period = _month(isg, period_pk)
    items = list(wellled.kloe_items(isg.programme))
    reports = {
        report.assessment_item_id: report
        for report in KloeReport.objects.filter(isg=isg, period=period)
        .select_related("author")
        .prefetch_related("lines")
    }
    rows = [{"item": item, "report": reports.get(item.pk)} for item in items]
    months = list(
        ReportingPeriod.objects.filter(
            programme_id=isg.programme_id, cadence=isg.cadence, starts_on__lte=today()
        ).order_by("starts_on")
    )
    index = next((i for i, m in enumerate(months) if m.pk == period.pk), None)
    read_only = wellled.month_is_read_only(isg, period)
    return render(
        request,
        "governance/wellled_month.html",
        {
            "isg": isg,
            "programme": isg.programme,
            "period": period,
            "rows": rows,
            "previous": months[index - 1] if index else None,
            "next": months[index + 1] if index is not None and index + 1 < len(months) else None,
            "read_only": read_only,
            "can_edit": not read_only
            and period.starts_on <= today()
            and request.user.has_perm("governance.edit_wellled", isg),
        },
    )


def wellled_edit(request, isg_pk: int, period_pk: int, item_pk: int):
    """A Well-led lead writes one KLOE's report for the month."""
    isg = _kloe_isg(request, isg_pk, perm="governance.edit_wellled")
    period = _month(isg, period_pk)
    item = get_object_or_404(wellled.kloe_items(isg.programme), pk=item_pk)
    report = (
        KloeReport.objects.filter(isg=isg, period=period, assessment_item=item)
        .prefetch_related("lines")
        .first()
    )
    if request.method == "POST":
        form = KloeReportForm(request.POST)
        formset = KloeLineFormSet(request.POST, prefix="lines")
    else:
        form = KloeReportForm(
            initial={
                "future_plans": report.future_plans if report else "",
                "version": report.version if report else 0,
            }
        )
        formset = KloeLineFormSet(
            prefix="lines",
            initial=[
                {"action": line.action, "evidence": line.evidence} for line in report.lines.all()
            ]
            if report
            else None,
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            wellled.kloe_report_save(
                by=request.user,
                isg=isg,
                period=period,
                assessment_item=item,
                lines=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                future_plans=form.cleaned_data["future_plans"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            return render(
                request,
                "governance/conflict.html",
                {
                    "what": f"{item.code} for {period}",
                    "back": request.path,
                },
                status=409,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Saved {item.code} for {period}.")
            return redirect("wellled-month", isg_pk=isg.pk, period_pk=period.pk)
    return render(
        request,
        "governance/wellled_edit.html",
        {
            "isg": isg,
            "period": period,
            "item": item,
            "form": form,
            "formset": formset,
            "report": report,
        },
    )


def wellled_history(request, isg_pk: int):
    """Every month's report, KLOE by KLOE."""
    isg = _kloe_isg(request, isg_pk)
    items = list(wellled.kloe_items(isg.programme))
    by_item: dict[int, list[KloeReport]] = {item.pk: [] for item in items}
    for report in (
        KloeReport.objects.filter(isg=isg)
        .select_related("period", "author")
        .prefetch_related("lines")
        .order_by("-period__starts_on")
    ):
        by_item.setdefault(report.assessment_item_id, []).append(report)
    return render(
        request,
        "governance/wellled_history.html",
        {
            "isg": isg,
            "programme": isg.programme,
            "sections": [{"item": item, "reports": by_item[item.pk]} for item in items],
        },
    )
