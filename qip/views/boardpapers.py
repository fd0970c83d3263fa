"""Board papers (issue 9): the list, the builder (cover sheet, narrative per section), exports
made by a Celery task, issuing; the tracker spreadsheet and the evidence pack.

The PMO builds and issues; executives read papers and download their files; anyone else who
takes part in the programme gets 403, an outsider 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.clock import today
from core.locking import StaleEdit
from kpis.charts import render_svg as spc_svg

from ..access import get_board_paper_file_for, get_board_paper_for, get_programme_for
from ..boardpapers import content, evidence_pack, narrative, services, tracker
from ..boardpapers.blocks import Figure
from ..boardpapers.figures import collect
from ..charts import svg
from ..forms_boardpapers import (
    BoardPaperCoverForm,
    BoardPaperStartForm,
    ExportForm,
    NarrativeForm,
    ObjectiveFormSet,
    VersionForm,
)
from ..models import BoardPaper, BoardPaperFile, StrategicObjective

VIEW, ISSUE = "qip.view_board_papers", "qip.issue_board_paper"
RECENT_EXPORTS = 6


def _crumbs(programme, *rest) -> list[dict]:
    return [
        {"label": programme.name, "url": programme.get_absolute_url()},
        {"label": "Board papers", "url": reverse("board-papers", args=[programme.pk])},
        *rest,
    ]


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _conflict(request, paper: BoardPaper, back: str):
    return render(
        request,
        "qip/boardpapers/conflict.html",
        {"paper": paper, "back": back, "programme": paper.programme},
        status=409,
    )


def _issued_refusal(request, paper: BoardPaper):
    messages.error(
        request,
        f"This paper was issued on {paper.issued_at:%d %B %Y}: it can no longer be changed.",
    )
    return redirect(paper)


# -------------------------------------------------------------------------------------------
# The list and starting a paper


def board_papers(request, programme_pk: int):
    """Every paper of the programme, latest month first, with its issued files."""
    programme = get_programme_for(request, programme_pk, perm=VIEW)
    request.session["programme_id"] = programme.pk
    papers = list(
        BoardPaper.objects.filter(programme=programme)
        .select_related("period", "issued_by", "created_by")
        .prefetch_related("files")
        .order_by("-period__starts_on", "-meeting_date", "-pk")
    )
    for paper in papers:
        paper.issued_files = [f for f in paper.files.all() if f.issued]
    return render(
        request,
        "qip/boardpapers/list.html",
        {
            "programme": programme,
            "papers": papers,
            "can_issue": request.user.has_perm(ISSUE, programme),
            "isgs": list(programme.isgs.order_by("order", "name")),
            "crumbs": _crumbs(programme)[:1] + [{"label": "Board papers"}],
        },
    )


def board_paper_new(request, programme_pk: int):
    """The PMO picks the month and the meeting; the cover sheet starts from the last paper."""
    programme = get_programme_for(request, programme_pk, perm=ISSUE)
    months = services.months_for_papers(programme, today())
    last = services.last_paper(programme)
    initial = {
        "meeting": last.meeting if last else "Trust Board",
        "period": next(
            (m.pk for m in months if m.ends_on < today()), months[0].pk if months else None
        ),
    }
    form = BoardPaperStartForm(
        request.POST if request.method == "POST" else None, months=months, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.board_paper_create(
                by=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                f"Started the paper for the {paper.meeting} on {paper.meeting_date:%d %B %Y}"
                + (
                    f", from the answers of the {last.meeting} paper of {last.meeting_date:%d %B %Y}."
                    if last
                    else "."
                ),
            )
            return redirect("board-paper-cover", pk=paper.pk)
    return render(
        request,
        "qip/boardpapers/new.html",
        {
            "programme": programme,
            "form": form,
            "last": last,
            "crumbs": _crumbs(programme, {"label": "Start a paper"}),
        },
    )


# -------------------------------------------------------------------------------------------
# The builder


def _pictures(paper: content.Paper) -> None:
    """SVG for the page (the Word and PDF files draw PNGs)."""
    for part in paper.parts:
        for block in part.blocks:
            if isinstance(block, Figure):
                if block.chart_kind == "spc":
                    block.picture = mark_safe(spc_svg(block.chart, uid=f"fig{block.number}"))  # nosec B308, B703 # noqa: S308 - built from numbers by kpis.charts
                else:
                    block.picture = svg.render(block.chart)


def board_paper_detail(request, pk: int):
    """The paper as it will read, with an edit link beside each piece of narrative."""
    paper = get_board_paper_for(request, pk)
    built = services.build_paper(paper)
    _pictures(built)
    files = list(paper.files.select_related("requested_by").order_by("-issued", "-requested_at"))
    can_edit = request.user.has_perm(ISSUE, paper) and not paper.is_issued
    return render(
        request,
        "qip/boardpapers/detail.html",
        {
            "paper": paper,
            "programme": paper.programme,
            "built": built,
            "figures": built.figures,
            "issued_files": [f for f in files if f.issued],
            "exports": [f for f in files if not f.issued][:RECENT_EXPORTS],
            "can_edit": can_edit,
            "can_issue": can_edit,
            "period_ended": paper.period.ends_on < today(),
            "crumbs": _crumbs(paper.programme, {"label": f"{paper.period}: {paper.meeting}"}),
        },
    )


def board_paper_cover(request, pk: int):
    paper = get_board_paper_for(request, pk, perm=ISSUE)
    if paper.is_issued:
        return _issued_refusal(request, paper)
    programme = paper.programme
    initial = {name: getattr(paper, name) for name in services.COVER_FIELDS}
    initial.update(
        version=paper.version,
        cqc_domains=list(paper.cqc_domains.all()),
        strategic_objectives=list(paper.strategic_objectives.all()),
    )
    form = BoardPaperCoverForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        initial=initial,
        objectives_url=reverse("strategic-objectives", args=[programme.pk]),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.board_paper_update_cover(
                by=request.user, paper=paper, expected_version=version, **data
            )
        except StaleEdit:
            return _conflict(request, paper, reverse("board-paper-cover", args=[paper.pk]))
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Saved the cover sheet.")
            return redirect(paper)
    return render(
        request,
        "qip/boardpapers/cover.html",
        {
            "paper": paper,
            "programme": programme,
            "form": form,
            "has_objectives": StrategicObjective.objects.filter(programme=programme).exists(),
            "crumbs": _crumbs(
                programme,
                {"label": f"{paper.period}: {paper.meeting}", "url": paper.get_absolute_url()},
                {"label": "Cover sheet"},
            ),
        },
    )


def board_paper_section(request, pk: int, key: str):
    """Edit one section's narrative, or put back the generated text."""
    paper = get_board_paper_for(request, pk, perm=ISSUE)
    if paper.is_issued:
        return _issued_refusal(request, paper)
    figures = collect(paper.programme, paper.period, today=today())
    keys = narrative.narrative_keys(figures)
    if key not in keys:
        raise Http404("This paper has no such section.")
    ctx = services.context_for(paper)
    generated = narrative.default_text(key, figures, ctx)
    stored = (paper.narrative or {}).get(key)
    form = NarrativeForm(
        request.POST if request.method == "POST" else None,
        initial={"text": generated if stored is None else stored, "version": paper.version},
    )
    if request.method == "POST" and form.is_valid():
        reset = "reset" in request.POST
        try:
            services.board_paper_save_narrative(
                by=request.user,
                paper=paper,
                key=key,
                text=None if reset else form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                keys=keys,
            )
        except StaleEdit:
            return _conflict(request, paper, reverse("board-paper-section", args=[paper.pk, key]))
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                f"{keys[key]}: {'back to the generated text' if reset else 'saved your text'}.",
            )
            return redirect(reverse("board-paper-detail", args=[paper.pk]) + f"#part-{key}")
    return render(
        request,
        "qip/boardpapers/section.html",
        {
            "paper": paper,
            "programme": paper.programme,
            "form": form,
            "key": key,
            "label": keys[key],
            "edited": stored is not None,
            "generated": generated,
            "crumbs": _crumbs(
                paper.programme,
                {"label": f"{paper.period}: {paper.meeting}", "url": paper.get_absolute_url()},
                {"label": keys[key]},
            ),
        },
    )


@require_POST
def board_paper_export(request, pk: int):
    """Queue a Word or PDF export; the status page follows it."""
    paper = get_board_paper_for(request, pk, perm=ISSUE)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Word or PDF.")
        return redirect(paper)
    export = services.board_paper_export_request(
        by=request.user, paper=paper, fmt=form.cleaned_data["format"]
    )
    return redirect(export)


def board_paper_file(request, pk: int):
    """An export's progress (htmx polls it; without JavaScript the page refreshes itself)."""
    export = get_board_paper_file_for(request, pk)
    export.refresh_from_db()
    context = {"export": export, "paper": export.paper, "programme": export.paper.programme}
    if request.htmx:
        return render(request, "qip/boardpapers/partials/export_status.html", context)
    context["crumbs"] = _crumbs(
        export.paper.programme,
        {
            "label": f"{export.paper.period}: {export.paper.meeting}",
            "url": export.paper.get_absolute_url(),
        },
        {"label": f"{export.get_format_display()} file"},
    )
    return render(request, "qip/boardpapers/export.html", context)


def board_paper_file_download(request, pk: int):
    """The file, byte for byte as stored."""
    export = get_board_paper_file_for(request, pk)
    if export.status != BoardPaperFile.Status.READY or not export.file:
        raise Http404("This file is not ready.")
    content_type = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }[export.format]
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=content_type,
    )


def board_paper_issue(request, pk: int):
    """Issue the paper: its month locks, the files are kept, the paper closes to edits."""
    paper = get_board_paper_for(request, pk, perm=ISSUE)
    if paper.is_issued:
        return _issued_refusal(request, paper)
    form = VersionForm(
        request.POST if request.method == "POST" else None, initial={"version": paper.version}
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.board_paper_issue(
                by=request.user, paper=paper, expected_version=form.cleaned_data["version"]
            )
        except StaleEdit:
            return _conflict(request, paper, reverse("board-paper-issue", args=[paper.pk]))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"Issued. {paper.period} is locked: its figures are frozen as the board received them.",
            )
            return redirect(paper)
    return render(
        request,
        "qip/boardpapers/issue.html",
        {
            "paper": paper,
            "programme": paper.programme,
            "form": form,
            "error": error,
            "period_ended": paper.period.ends_on < today(),
            "issuable_from": paper.period.ends_on,
            "crumbs": _crumbs(
                paper.programme,
                {"label": f"{paper.period}: {paper.meeting}", "url": paper.get_absolute_url()},
                {"label": "Issue"},
            ),
        },
    )


@require_POST
def board_paper_delete(request, pk: int):
    paper = get_board_paper_for(request, pk, perm=ISSUE)
    programme = paper.programme
    try:
        services.board_paper_delete(by=request.user, paper=paper)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(paper)
    messages.success(request, "Deleted the draft.")
    return redirect("board-papers", programme_pk=programme.pk)


def strategic_objectives(request, programme_pk: int):
    """The trust's strategic objectives, which each paper's cover sheet ticks."""
    programme = get_programme_for(request, programme_pk, perm=ISSUE)
    existing = list(
        StrategicObjective.objects.filter(programme=programme).order_by("order", "title")
    )
    initial = [
        {"id": o.pk, "title": o.title, "description": o.description, "active": o.active}
        for o in existing
    ]
    formset = ObjectiveFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="objectives"
    )
    error = ""
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            services.strategic_objectives_save(by=request.user, programme=programme, rows=rows)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Saved the strategic objectives.")
            return redirect("strategic-objectives", programme_pk=programme.pk)
    return render(
        request,
        "qip/boardpapers/objectives.html",
        {
            "programme": programme,
            "formset": formset,
            "error": error,
            "crumbs": _crumbs(programme, {"label": "Strategic objectives"}),
        },
    )


# -------------------------------------------------------------------------------------------
# Exports of the whole tracker


def tracker_export(request, programme_pk: int):
    """The whole tracker as one workbook: a summary sheet and one sheet per ISG."""
    programme = get_programme_for(request, programme_pk, perm=VIEW)
    handle = tracker.tracker_workbook(programme, today=today())
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"qip-tracker-{today():%Y-%m-%d}.xlsx",
        content_type=tracker.XLSX_TYPE,
    )


def evidence_pack_download(request, programme_pk: int):
    """Every closed root cause's closure evidence as one zip, for an ISG or the programme."""
    programme = get_programme_for(request, programme_pk, perm=VIEW)
    isg = None
    if request.GET.get("isg"):
        isg_pk = request.GET["isg"]
        if not str(isg_pk).isdigit():
            raise Http404("No such ISG.")
        isg = get_object_or_404(programme.isgs, pk=isg_pk)
    if not request.user.has_perm(VIEW, programme):
        raise PermissionDenied
    handle, name = evidence_pack.build(programme, isg=isg, today=today())
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
