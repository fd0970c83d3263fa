"""The PMO's plan pages: set up the plan from the trust's spreadsheet, check it first, then
import it; download the template and the whole plan in the same format."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from core.clock import today
from findings.models import Finding
from rootcauses.models import RootCause

from ..access import get_programme_for
from ..forms_plan import PlanUploadForm
from ..plan_import import export, uploads
from ..plan_import.columns import COLUMNS
from ..plan_import.engine import check_file, import_file
from ..plan_import.readers import MAX_ROWS, MAX_UPLOAD_BYTES
from ..plan_import.report import Options

MANAGE = "qip.manage_programme"
# The dry-run page lists at most this many problems and rows; the totals count them all.
SHOWN = 500
CONTENT_TYPES = {"xlsx": export.XLSX_TYPE, "csv": export.CSV_TYPE}


def _crumbs(programme, *more: dict) -> list[dict]:
    return [
        {"label": programme.name, "url": programme.get_absolute_url()},
        {"label": "Plan", "url": reverse("plan-home", args=[programme.pk])},
        *more,
    ]


def _home_context(programme, form) -> dict:
    return {
        "programme": programme,
        "crumbs": _crumbs(programme)[:1] + [{"label": "Plan"}],
        "form": form,
        "columns": COLUMNS,
        "max_rows": MAX_ROWS,
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "counts": {
            "isgs": programme.isgs.count(),
            "findings": Finding.objects.filter(programme=programme).count(),
            "root_causes": RootCause.objects.filter(programme=programme).count(),
        },
    }


@require_GET
def plan_home(request, programme_pk: int):
    """Upload a plan, download the template or the plan, and read what each column means."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    return render(request, "qip/plan_home.html", _home_context(programme, PlanUploadForm()))


def _dry_run_page(request, programme, report, upload=None, status=200):
    return render(
        request,
        "qip/plan_dry_run.html",
        {
            "programme": programme,
            "crumbs": _crumbs(programme, {"label": "Check"}),
            "report": report,
            "totals": report.totals(),
            "problems": report.problems[:SHOWN],
            "warnings": report.warnings[:SHOWN],
            "rows": report.rows[:SHOWN],
            "shown": SHOWN,
            "more_problems": max(0, len(report.problems) - SHOWN),
            "upload": upload,
        },
        status=status,
    )


def plan_import(request, programme_pk: int):
    """The dry run: upload the file, see what would change and every problem. Writes nothing."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    if request.method != "POST":
        return redirect("plan-home", programme_pk=programme.pk)
    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "qip/plan_home.html", _home_context(programme, form), status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    options = Options(
        create_isgs=form.cleaned_data["create_isgs"],
        original_baseline=form.cleaned_data["original_baseline"],
    )
    report = check_file(
        programme=programme,
        name=upload.name,
        stream=io.BytesIO(content),
        options=options,
        by=request.user,
    )
    if report.file_problem:
        form.add_error("file", str(report.problems[0]))
        return render(request, "qip/plan_home.html", _home_context(programme, form), status=400)
    pending = None
    if report.ok:
        pending = uploads.keep(
            request,
            programme.pk,
            upload.name,
            content,
            create_isgs=options.create_isgs,
            original_baseline=options.original_baseline,
        )
    return _dry_run_page(request, programme, report, pending)


@require_POST
def plan_commit(request, programme_pk: int):
    """Import the checked file: checked again, then applied whole or not at all."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    pending = uploads.find(request, programme.pk, request.POST.get("token", ""))
    if pending is None:
        messages.error(
            request,
            "That check has expired or was replaced by a newer upload: upload the file again.",
        )
        return redirect("plan-home", programme_pk=programme.pk)
    report = import_file(
        programme=programme,
        name=pending.name,
        stream=io.BytesIO(uploads.read(pending)),
        options=Options(
            create_isgs=pending.create_isgs, original_baseline=pending.original_baseline
        ),
        by=request.user,
    )
    if not report.ok:
        # The plan changed since the dry run (someone else imported, or edited a root cause).
        uploads.discard(request, programme.pk)
        return _dry_run_page(request, programme, report, status=409)
    uploads.discard(request, programme.pk)
    totals = report.totals()
    messages.success(
        request,
        f"Imported {pending.name}: {totals['root_causes_created']} root causes created, "
        f"{totals['root_causes_updated']} updated and {totals['root_causes_unchanged']} left "
        f"alone; {totals['findings_created']} findings created and "
        f"{totals['findings_updated']} updated.",
    )
    return redirect("finding-list", programme_pk=programme.pk)


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def plan_template(request, programme_pk: int, fmt: str):
    """The empty template: the columns, drop-down lists and a sheet that explains each column."""
    get_programme_for(request, programme_pk, perm=MANAGE)
    return _download(export.template(fmt), fmt, "qip-plan-template")


@require_GET
def plan_export(request, programme_pk: int, fmt: str):
    """The whole plan in the import's format, so it can be corrected and imported again."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    name = f"{slugify(programme.name)}-plan-{today():%Y-%m-%d}"
    return _download(export.export_plan(programme, fmt), fmt, name)
