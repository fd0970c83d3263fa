"""KPI pages: the chart, entering values (one, a grid, a CSV file) and the summary tables."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.clock import today
from core.locking import StaleEdit
from core.spreadsheets import csv_response, wants_csv
from qip.access import get_isg_for, get_programme_for

from . import csv_import, selectors, services
from .access import get_kpi_for
from .charts import build_chart, render_png, render_svg
from .forms import CsvConfirmForm, CsvUploadForm, GridForm, KpiFilter, MeasurementForm
from .models import KPI, Measurement
from .periods import parse_period, period_ends

PAGE_SIZE = 50


def _with_series(kpi: KPI) -> KPI:
    return KPI.objects.with_series().select_related("programme").get(pk=kpi.pk)


def kpi_detail(request, pk: int):
    """One KPI: its SPC chart and icons, what they mean, and every value with who entered it."""
    kpi = _with_series(get_kpi_for(request, pk))
    row = selectors.analyse_kpi(kpi)
    return render(
        request,
        "kpis/detail.html",
        {
            "kpi": kpi,
            "panel": _panel(row),
            "can_record": request.user.has_perm("kpis.record_measurement", kpi),
        },
    )


def _panel(row: selectors.KpiAnalysis) -> dict:
    chart = build_chart(row)
    return {"row": row, "chart": chart, "svg": render_svg(chart, uid=f"kpi-{row.kpi.pk}")}


def kpi_chart_png(request, pk: int):
    """The chart as a PNG, for the board paper."""
    kpi = _with_series(get_kpi_for(request, pk))
    png = render_png(build_chart(selectors.analyse_kpi(kpi)))
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="kpi-{kpi.pk}.png"'
    return response


def kpi_history(request, pk: int):
    """The audit of the KPI's values: every entry and correction, who made it and when."""
    kpi = get_kpi_for(request, pk)
    return render(
        request,
        "kpis/history.html",
        {"kpi": kpi, "history": selectors.measurement_history(kpi)},
    )


@require_http_methods(["GET", "POST"])
def kpi_record(request, pk: int):
    """Record a value for one period, or correct one (not in a signed-off period)."""
    kpi = get_kpi_for(request, pk, perm="kpis.record_measurement")
    existing = None
    initial = {"version": 0}
    if request.method == "GET" and request.GET.get("period"):
        try:
            day = parse_period(request.GET["period"])
        except ValueError:
            day = None
        existing = Measurement.objects.filter(kpi=kpi, period_end=day).first() if day else None
        if existing is not None:
            initial = {
                "period_end": f"{existing.period_end:%d/%m/%Y}",
                "value": format(existing.value.normalize(), "f"),
                "numerator": existing.numerator,
                "denominator": existing.denominator,
                "note": existing.note,
                "version": existing.version,
            }
        elif day:
            initial["period_end"] = f"{day:%d/%m/%Y}"
    form = MeasurementForm(request.POST or None, kpi=kpi, initial=initial)
    if existing is not None and services.measurement_is_locked(kpi, existing.period_end):
        messages.warning(request, services.locked_message(kpi, existing.period_end))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measurement_record(
                by=request.user,
                kpi=kpi,
                period_end=data["period_end"],
                value=data["value"],
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                note=data["note"],
                expected_version=data["version"] if data["version"] is not None else None,
            )
        except StaleEdit:
            current = Measurement.objects.filter(kpi=kpi, period_end=data["period_end"]).first()
            return render(
                request,
                "kpis/conflict.html",
                {"kpi": kpi, "current": current, "attempted": data},
                status=409,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"Saved the value for the period ending {data['period_end']:%d/%m/%Y}."
            )
            return redirect(kpi)
    return render(request, "kpis/record.html", {"kpi": kpi, "form": form})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def kpi_upload(request, pk: int):
    """Upload values from a CSV file: a dry run shows what will change; commit is all or nothing."""
    kpi = get_kpi_for(request, pk, perm="kpis.record_measurement")
    context = {"kpi": kpi, "form": CsvUploadForm()}
    if request.method == "POST" and "csv_text" in request.POST:
        confirm = CsvConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, "The upload was incomplete: choose the file again.")
            return redirect("kpi-upload", pk=kpi.pk)
        text = confirm.cleaned_data["csv_text"]
        plan = csv_import.plan_csv(kpi, text)
        if plan.errors or plan.digest != confirm.cleaned_data["digest"]:
            messages.warning(
                request,
                "The values changed since you checked the file, so nothing was saved. "
                "Check what the upload will do now.",
            )
            return render(request, "kpis/upload.html", {**context, "plan": plan, "text": text})
        try:
            services.measurements_record_many(by=request.user, entries=plan.entries(kpi))
        except ValidationError as exc:
            plan.errors = [f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items()]
            return render(request, "kpis/upload.html", {**context, "plan": plan, "text": text})
        messages.success(
            request,
            f"Uploaded: {plan.creates} new value{'s' * (plan.creates != 1)}, "
            f"{plan.changes} corrected, {plan.unchanged} already the same.",
        )
        return redirect(kpi)
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                text = csv_import.read_upload(form.cleaned_data["file"])
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                plan = csv_import.plan_csv(kpi, text)
                context.update(plan=plan, text=text)
    return render(request, "kpis/upload.html", context)


# ---------------------------------------------------------------------------------------------
# Summary tables


def _summary(request, queryset, *, programme, isg=None):
    data = request.GET.copy()
    if "level" not in data:
        # Boards read the high-level KPIs first; "All KPIs" adds every root cause's KPI.
        data["level"] = KPI.Level.HIGH_LEVEL
    filterset = KpiFilter(
        data,
        queryset=queryset,
        programme=programme,
        isg_choices=isg is None,
        group_label=programme.group_label_short,
    )
    kpis = filterset.qs if filterset.form.is_valid() else queryset.none()
    rows = selectors.summary_rows(kpis.with_series())
    rows = selectors.filter_rows(rows, **filterset.icon_filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return filterset, page, rows


def _summary_csv(programme, rows):
    """The filtered summary table as CSV, every page at once."""
    return csv_response(
        f"kpis-{today():%Y-%m-%d}.csv",
        [
            "KPI",
            programme.group_label_short,
            "Level",
            "CQC domain",
            "Unit",
            "Latest value",
            "Value for the period ending",
            "Target",
            "Better when",
            "Variation",
            "Assurance",
        ],
        (
            [
                row.kpi.name,
                row.kpi.isg.name if row.kpi.isg else "",
                row.kpi.get_level_display(),
                row.kpi.key_question.name if row.kpi.key_question else "",
                row.kpi.unit_label or row.kpi.get_unit_display(),
                row.latest.value if row.latest else "",
                row.latest.period_end if row.latest else "",
                row.kpi.target,
                row.kpi.get_improvement_display(),
                row.variation_label,
                row.assurance_label,
            ]
            for row in rows
        ),
    )


def isg_kpi_summary(request, isg_pk: int):
    """An ISG's KPIs in the Making Data Count summary table, filterable by domain and icon."""
    isg = get_isg_for(request, isg_pk)
    programme = isg.programme
    queryset = KPI.objects.filter(isg=isg).order_by("level", "key_question__order", "name")
    filterset, page, rows = _summary(request, queryset, programme=programme, isg=isg)
    if wants_csv(request):
        return _summary_csv(programme, rows)
    return render(
        request,
        "kpis/summary.html",
        {
            "programme": programme,
            "isg": isg,
            "filter": filterset,
            "page_obj": page,
            "can_enter": request.user.has_perm("kpis.enter_isg_measurements", isg),
        },
    )


def programme_kpi_summary(request, programme_pk: int):
    """Every ISG's KPIs in one table, for executives and the board."""
    programme = get_programme_for(request, programme_pk)
    queryset = KPI.objects.filter(programme=programme).order_by(
        "isg__order", "level", "key_question__order", "name"
    )
    filterset, page, rows = _summary(request, queryset, programme=programme)
    if wants_csv(request):
        return _summary_csv(programme, rows)
    return render(
        request,
        "kpis/summary.html",
        {"programme": programme, "isg": None, "filter": filterset, "page_obj": page},
    )


# ---------------------------------------------------------------------------------------------
# The grid: many KPIs × recent periods


@require_http_methods(["GET", "POST"])
def isg_kpi_grid(request, isg_pk: int):
    """Enter values for many of an ISG's KPIs at once (rows) over recent periods (columns)."""
    isg = get_isg_for(request, isg_pk, perm="kpis.enter_isg_measurements")
    programme = isg.programme
    level = request.GET.get("level") or KPI.Level.HIGH_LEVEL
    if level not in KPI.Level.values:
        level = KPI.Level.HIGH_LEVEL
    frequency = request.GET.get("frequency") or (
        KPI.Frequency.MONTHLY if isg.cadence == "monthly" else KPI.Frequency.FORTNIGHTLY
    )
    if frequency not in KPI.Frequency.values:
        frequency = KPI.Frequency.FORTNIGHTLY
    recent = period_ends(
        frequency,
        anchor=programme.sprint_anchor,
        sprint_days=programme.sprint_length_days,
        today=today(),
        count=12,
    )
    chosen = request.GET.get("period", "")
    columns = recent[-4:]
    if chosen:
        try:
            chosen_day = parse_period(chosen)
        except ValueError:
            chosen_day = None
        if chosen_day in recent:
            columns = [chosen_day]
    kpis = list(
        KPI.objects.filter(isg=isg, level=level, frequency=frequency)
        .select_related("key_question")
        .order_by("key_question__order", "name")
    )
    current = {
        (m.kpi_id, m.period_end): m
        for m in Measurement.objects.filter(kpi__in=kpis, period_end__in=columns)
    }
    locks = selectors.LockIndex(kpis)
    form = GridForm(
        request.POST or None, kpis=kpis, period_ends=columns, current=current, locks=locks
    )
    if request.method == "POST" and form.is_valid():
        entries = [
            services.Entry(key=name, kpi=kpi, period_end=day, value=value, expected_version=version)
            for name, kpi, day, value, version in form.changed_cells()
        ]
        try:
            services.measurements_record_many(by=request.user, entries=entries)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name, errors)
        else:
            messages.success(
                request,
                f"Saved {len(entries)} value{'s' * (len(entries) != 1)}."
                if entries
                else "Nothing to save: no value was changed.",
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "kpis/grid.html",
        {
            "isg": isg,
            "programme": programme,
            "form": form,
            "rows": list(form.bound_rows()),
            "columns": columns,
            "recent": recent,
            "level": level,
            "frequency": frequency,
            "chosen": columns[0] if len(columns) == 1 else None,
            "levels": KPI.Level.choices,
            "frequencies": KPI.Frequency.choices,
        },
    )
