"""Writing board papers: create, edit the cover sheet and the narrative, export, issue.

Every write is keyword-only with `by=`, validated, atomic and audited. An issued paper is a
record of what the board received: every write here refuses it (`_editable`).
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core import outbox
from core.clock import today as clock_today
from core.locking import save_versioned
from cqc.models import KeyQuestion

from ..models import BoardPaper, BoardPaperFile, Programme, ReportingPeriod, StrategicObjective
from ..reporting import rollup
from . import content
from .cover import CoverAnswers
from .figures import collect
from .narrative import Context

logger = logging.getLogger(__name__)

COVER_FIELDS = [
    "meeting",
    "meeting_date",
    "written_on",
    "title",
    "responsible_director",
    "author",
    "executive_summary",
    "purpose",
    "baf_risks",
    "equality_impact",
    "foi_status",
    "financial_impact",
    "previously_considered_by",
]
# Carried from the last paper into a new one ("the last paper's answers are the starting point").
CARRIED_FIELDS = [f for f in COVER_FIELDS if f not in ("meeting_date", "written_on")]
MAX_NARRATIVE = 20_000
EXPORT_TASK = "qip.tasks.board_paper_export"  # qip/tasks.py


def _editable(paper: BoardPaper) -> None:
    if paper.issued_at is not None:
        raise ValidationError(
            f"This paper was issued on {paper.issued_at:%d %B %Y}: it is the record of what the "
            "board received and can no longer be changed. Start a new paper instead."
        )


def last_paper(programme: Programme, *, exclude: BoardPaper | None = None) -> BoardPaper | None:
    """The most recent paper (by the month it reports, then its meeting): its answers are the
    starting point for the next."""
    papers = BoardPaper.objects.filter(programme=programme).order_by(
        "-period__starts_on", "-meeting_date", "-pk"
    )
    if exclude is not None and exclude.pk:
        papers = papers.exclude(pk=exclude.pk)
    return papers.prefetch_related("cqc_domains", "strategic_objectives").first()


def months_for_papers(programme: Programme, today: dt.date) -> list[ReportingPeriod]:
    """Months a paper can report: every month that has started, latest first."""
    return list(
        programme.periods.filter(
            cadence=ReportingPeriod.Cadence.MONTHLY, starts_on__lte=today
        ).order_by("-starts_on")
    )


@transaction.atomic
def board_paper_create(
    *,
    by: Any,
    programme: Programme,
    period: ReportingPeriod,
    meeting: str,
    meeting_date: dt.date,
    copy_narrative: bool = False,
) -> BoardPaper:
    """Start a paper for a month and a meeting, from the last paper's cover-sheet answers."""
    day = clock_today()
    meeting = (meeting or "").strip()
    errors = {}
    if period.programme_id != programme.pk or period.cadence != ReportingPeriod.Cadence.MONTHLY:
        errors["period"] = "Choose one of the programme's months."
    elif period.starts_on > day:
        errors["period"] = f"{period} has not started yet: choose a month that has."
    if not meeting:
        errors["meeting"] = "Enter the meeting the paper goes to, for example Trust Board"
    if meeting_date is None:
        errors["meeting_date"] = "Enter the date of the meeting"
    elif meeting_date < period.starts_on:
        errors["meeting_date"] = (
            f"The meeting must be after the start of {period}, the month the paper reports"
        )
    if errors:
        raise ValidationError(errors)
    clash = BoardPaper.objects.filter(
        programme=programme, period=period, meeting__iexact=meeting, meeting_date=meeting_date
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "meeting_date": f"There is already a paper for the {clash.meeting} on "
                f"{clash.meeting_date:%d %B %Y} reporting {period}: open that one"
            }
        )
    previous = last_paper(programme)
    paper = BoardPaper(
        programme=programme,
        period=period,
        meeting=meeting,
        meeting_date=meeting_date,
        written_on=day,
        created_by=by,
    )
    if previous is not None:
        for name in CARRIED_FIELDS:
            if name != "meeting":
                setattr(paper, name, getattr(previous, name))
        if copy_narrative:
            paper.narrative = dict(previous.narrative)
    paper._history_user = by
    paper.save()
    if previous is not None:
        paper.cqc_domains.set(previous.cqc_domains.all())
        paper.strategic_objectives.set([o for o in previous.strategic_objectives.all() if o.active])
    else:
        paper.cqc_domains.set(KeyQuestion.objects.all())
    return paper


def _check_cover(paper: BoardPaper, fields: dict) -> None:
    errors = {}
    if "meeting" in fields and not (fields["meeting"] or "").strip():
        errors["meeting"] = "Enter the meeting the paper goes to, for example Trust Board"
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = "Enter the paper's title"
    for name, choices in (
        ("purpose", BoardPaper.Purpose.values),
        ("equality_impact", BoardPaper.EqualityImpact.values),
        ("foi_status", BoardPaper.FoiStatus.values),
    ):
        if name in fields and fields[name] not in choices:
            errors[name] = "Choose one of the answers"
    if fields.get("meeting_date") and fields["meeting_date"] < paper.period.starts_on:
        errors["meeting_date"] = (
            f"The meeting must be after the start of {paper.period}, the month the paper reports"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def board_paper_update_cover(
    *,
    by: Any,
    paper: BoardPaper,
    expected_version: int,
    cqc_domains=None,
    strategic_objectives=None,
    **fields: Any,
) -> BoardPaper:
    """Save the cover sheet. Raises StaleEdit if someone saved the paper since it was opened."""
    _editable(paper)
    unknown = set(fields) - set(COVER_FIELDS)
    if unknown:
        raise ValidationError(f"Not a cover-sheet answer: {', '.join(sorted(unknown))}.")
    _check_cover(paper, fields)
    if strategic_objectives is not None and any(
        o.programme_id != paper.programme_id for o in strategic_objectives
    ):
        raise ValidationError({"strategic_objectives": "Choose the trust's own objectives."})
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    saved = save_versioned(paper, expected_version, by=by, updated_at=timezone.now(), **fields)
    if cqc_domains is not None:
        saved.cqc_domains.set(cqc_domains)
    if strategic_objectives is not None:
        saved.strategic_objectives.set(strategic_objectives)
    return saved


@transaction.atomic
def board_paper_save_narrative(
    *, by: Any, paper: BoardPaper, key: str, text: str | None, expected_version: int, keys
) -> BoardPaper:
    """Keep the PMO's text for one section (`text=None` goes back to the generated text).

    `keys`: the narrative sections this paper has (narrative.narrative_keys)."""
    _editable(paper)
    if key not in keys:
        raise ValidationError("This paper has no such section.")
    narrative = dict(paper.narrative)
    if text is None:
        narrative.pop(key, None)
    else:
        text = text.replace("\r\n", "\n").strip()
        if len(text) > MAX_NARRATIVE:
            raise ValidationError({"text": f"Keep a section under {MAX_NARRATIVE:,} characters."})
        narrative[key] = text
    return save_versioned(
        paper, expected_version, by=by, narrative=narrative, updated_at=timezone.now()
    )


# -------------------------------------------------------------------------------------------
# Building the paper


def cover_answers(paper: BoardPaper) -> CoverAnswers:
    """The cover sheet of a saved paper, or of an unsaved one (its M2M answers then come from
    `paper._domains` / `paper._objectives` when set, else every domain and none)."""
    all_domains = list(KeyQuestion.objects.order_by("order"))
    all_objectives = list(
        StrategicObjective.objects.filter(programme_id=paper.programme_id).order_by(
            "order", "title"
        )
    )
    if paper.pk:
        ticked_domains = {kq.pk for kq in paper.cqc_domains.all()}
        ticked_objectives = {o.pk for o in paper.strategic_objectives.all()}
    else:
        ticked_domains = getattr(paper, "_domains", {kq.pk for kq in all_domains})
        ticked_objectives = getattr(paper, "_objectives", set())
    objectives = [o for o in all_objectives if o.active or o.pk in ticked_objectives]
    return CoverAnswers(
        meeting=paper.meeting,
        title=paper.title,
        meeting_date=paper.meeting_date,
        written_on=paper.written_on,
        responsible_director=paper.responsible_director,
        author=paper.author,
        executive_summary=paper.executive_summary,
        purpose=paper.purpose,
        purposes=tuple(BoardPaper.Purpose.choices),
        domains=tuple((kq.name, kq.pk in ticked_domains) for kq in all_domains),
        objectives=tuple((o.title, o.description, o.pk in ticked_objectives) for o in objectives),
        baf_risks=paper.baf_risks,
        equality_impact=tuple(
            (label, value == paper.equality_impact)
            for value, label in BoardPaper.EqualityImpact.choices
        ),
        foi_status=tuple(
            (label, value == paper.foi_status) for value, label in BoardPaper.FoiStatus.choices
        ),
        financial_impact=paper.financial_impact,
        previously_considered_by=paper.previously_considered_by,
    )


def context_for(paper: BoardPaper) -> Context:
    """The meeting, and the last issued paper before this one (the Situation opens with it)."""
    earlier = (
        BoardPaper.objects.filter(
            programme_id=paper.programme_id,
            issued_at__isnull=False,
            meeting_date__lt=paper.meeting_date,
        )
        .exclude(pk=paper.pk)
        .order_by("-meeting_date")
        .first()
    )
    return Context(
        meeting=paper.meeting,
        meeting_date=paper.meeting_date,
        previous_meeting=earlier.meeting if earlier else None,
        previous_meeting_date=earlier.meeting_date if earlier else None,
    )


def build_paper(paper: BoardPaper, *, today: dt.date | None = None) -> content.Paper:
    """The paper's content with today's figures (frozen ones once its month is locked)."""
    day = today or clock_today()
    figures = collect(paper.programme, paper.period, today=day)
    return content.build(
        answers=cover_answers(paper),
        narrative=paper.narrative or {},
        figures=figures,
        ctx=context_for(paper),
        draft=not paper.is_issued,
    )


def render(
    paper: content.Paper,
    fmt: str,
    *,
    progress: Callable | None = None,
    pictures: dict[int, bytes] | None = None,
) -> bytes:
    """The paper as .docx or .pdf bytes (`pictures`: chart PNGs already drawn, by number)."""
    if fmt == BoardPaperFile.Format.DOCX:
        from .docx_builder import render_docx

        return render_docx(paper, pictures=pictures, progress=progress)
    if fmt == BoardPaperFile.Format.PDF:
        from .pdf_builder import render_pdf

        return render_pdf(paper, pictures=pictures, progress=progress)
    raise ValidationError("Choose Word or PDF.")


def draw_pictures(paper: content.Paper) -> dict[int, bytes]:
    """Every chart of the paper as PNG, once, for both files."""
    from .docx_builder import chart_png_bytes

    return {figure.number: chart_png_bytes(figure) for figure in paper.all_figures}


def filename_for(paper: BoardPaper, fmt: str, *, issued: bool) -> str:
    meeting = slugify(paper.meeting) or "meeting"
    stem = f"qip-board-paper-{paper.period.starts_on:%Y-%m}-{meeting}-{paper.meeting_date:%Y-%m-%d}"
    return f"{stem}{'' if issued else '-draft'}.{fmt}"


# -------------------------------------------------------------------------------------------
# Exports (a Celery task makes the file) and issuing


@transaction.atomic
def board_paper_export_request(*, by: Any, paper: BoardPaper, fmt: str) -> BoardPaperFile:
    """Queue a Word or PDF export of the paper as it stands; the file is made by a task."""
    if fmt not in BoardPaperFile.Format.values:
        raise ValidationError({"format": "Choose Word or PDF."})
    export = BoardPaperFile.objects.create(
        paper=paper, format=fmt, requested_by=by, step="Waiting for the exporter to start"
    )
    # Through the outbox: with the broker down the request is kept, and sent when it is back.
    outbox.enqueue(EXPORT_TASK, export_id=export.pk)
    return export


def _progress(export: BoardPaperFile, share: float, step: str) -> None:
    percent = max(0, min(99, int(share * 100)))
    BoardPaperFile.objects.filter(pk=export.pk).update(progress=percent, step=step)


def _store(export: BoardPaperFile, data: bytes, name: str) -> None:
    export.sha256 = hashlib.sha256(data).hexdigest()
    export.size = len(data)
    export.filename = name
    export.file.save(name, ContentFile(data), save=False)


def board_paper_export_run(*, export_id: int) -> BoardPaperFile:
    """Make one queued export (called by the Celery task). A failure is recorded on the row,
    with a message for the person, rather than raised."""
    export = BoardPaperFile.objects.select_related("paper__programme", "paper__period").get(
        pk=export_id
    )
    # Claimed in one statement: a message delivered twice makes the file once.
    claimed = BoardPaperFile.objects.filter(
        pk=export.pk, status=BoardPaperFile.Status.QUEUED
    ).update(status=BoardPaperFile.Status.RUNNING, progress=5, step="Reading the month's figures")
    if not claimed:
        return export
    paper = export.paper
    try:
        built = build_paper(paper)
        _progress(export, 0.3, "Drawing the charts")
        data = render(
            built,
            export.format,
            progress=lambda share: _progress(export, 0.3 + 0.6 * share, "Drawing the charts"),
        )
        _progress(export, 0.95, "Saving the file")
        _store(export, data, filename_for(paper, export.format, issued=False))
    except Exception as exc:  # the person sees that it failed; the log has the detail
        logger.exception("Board paper export %s failed", export.pk)
        export.status = BoardPaperFile.Status.FAILED
        export.error = f"The export failed ({exc.__class__.__name__}). Try again, or tell the PMO's system administrator."
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return export
    export.status = BoardPaperFile.Status.READY
    export.progress = 100
    export.step = "Ready"
    export.finished_at = timezone.now()
    export.save(
        update_fields=[
            "status",
            "progress",
            "step",
            "finished_at",
            "file",
            "sha256",
            "size",
            "filename",
        ]
    )
    return export


@transaction.atomic
def board_paper_issue(*, by: Any, paper: BoardPaper, expected_version: int) -> BoardPaper:
    """Issue the paper to its meeting: lock its month (the snapshot freezes), make the Word and
    PDF files from the frozen figures, keep them byte for byte with their SHA-256, and close
    the paper to edits. All or nothing."""
    paper = (
        BoardPaper.objects.select_for_update()
        .select_related("programme", "period")
        .get(pk=paper.pk)
    )
    _editable(paper)
    if paper.version != expected_version:
        from core.locking import StaleEdit

        raise StaleEdit(paper, {"issued_at": "now"})
    period = paper.period
    if period.ends_on >= clock_today():
        raise ValidationError(
            f"{period} has not ended yet: a paper reporting it can be issued from "
            f"{period.ends_on + dt.timedelta(days=1):%d %B %Y}, once its figures are final."
        )
    if not period.is_locked:
        rollup.period_lock(by=by, period=period)
        period.refresh_from_db()
    now = timezone.now()
    paper.issued_at, paper.issued_by = now, by
    built = build_paper(paper)  # draft=False: issued_at is set
    pictures = draw_pictures(built)
    for fmt in (BoardPaperFile.Format.DOCX, BoardPaperFile.Format.PDF):
        data = render(built, fmt, pictures=pictures)
        issued = BoardPaperFile(
            paper=paper,
            format=fmt,
            issued=True,
            status=BoardPaperFile.Status.READY,
            progress=100,
            step="Issued",
            requested_by=by,
            requested_at=now,
            finished_at=timezone.now(),
        )
        _store(issued, data, filename_for(paper, fmt, issued=True))
        issued.save()
    paper.version += 1
    paper.updated_at = now
    paper._history_user = by
    paper.save(update_fields=["issued_at", "issued_by", "version", "updated_at"])
    return paper


@transaction.atomic
def board_paper_delete(*, by: Any, paper: BoardPaper) -> None:
    """Delete a draft (and its exports). An issued paper is kept.

    The files go once the deletion has committed: a rolled-back deletion keeps rows that
    still point to their files.
    """
    _editable(paper)
    files = [(export.file.storage, export.file.name) for export in paper.files.all() if export.file]
    paper._history_user = by
    paper.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def strategic_objectives_save(*, by: Any, programme: Programme, rows: list[dict]) -> int:
    """Save the trust's list of strategic objectives (new rows have no "id")."""
    existing = {o.pk: o for o in StrategicObjective.objects.filter(programme=programme)}
    titles = [(row.get("title") or "").strip() for row in rows]
    seen = set()
    for title in titles:
        key = title.casefold()
        if key and key in seen:
            raise ValidationError(f"Two objectives are called {title}: give each its own name.")
        seen.add(key)
    saved = 0
    for order, row in enumerate(rows):
        title = (row.get("title") or "").strip()
        if not title:
            continue
        objective = existing.get(row.get("id")) if row.get("id") else None
        if row.get("id") and objective is None:
            raise ValidationError("That objective belongs to another programme.")
        objective = objective or StrategicObjective(programme=programme)
        objective.title = title
        objective.description = (row.get("description") or "").strip()
        objective.active = bool(row.get("active", True))
        objective.order = order
        objective._history_user = by
        objective.save()
        saved += 1
    return saved
