"""The evidence pack for the next inspection: every closed root cause's closure evidence in one
zip, in folders by CQC key question and key line of enquiry (or quality statement), with an
index spreadsheet.

Folder rule (docs/decisions/0009-evidence-pack-folders.md):

    <n>. <key question>/<code> <key line of enquiry or quality statement>/<root cause>/<file>

- A root cause's own key line of enquiry (`assessment_item`) decides both folders.
- Without one, the finding's first key question (in CQC's order: Safe, Effective, Caring,
  Responsive, Well-led) and a folder "No key line of enquiry recorded"; the index lists all
  of the finding's key questions, so nothing is lost by filing it once.
- A finding with no key question at all goes under "No key question recorded".

"Closed" is a closure the ISG chair confirmed (not withdrawn); its closure evidence is the
files attached to the confirmed closure request. A closed root cause without any is listed in
the index as such, so gaps show. The zip is built in a temporary file and streamed.
"""

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from core.spreadsheets import write_cell
from rootcauses.models import ClosureRequest, EvidenceFile, RootCause

NO_ITEM = "No key line of enquiry recorded"
NO_QUESTION = "No key question recorded"
INDEX_NAME = "index.xlsx"
README_NAME = "README.txt"
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
INDEX_COLUMNS = [
    ("Key question", 14),
    ("Key line of enquiry", 40),
    ("All key questions of the finding", 24),
    ("Finding", 12),
    ("Finding text", 50),
    ("Root cause", 16),
    ("Root cause title", 40),
    ("ISG", 22),
    ("Owner", 22),
    ("Closed on", 12),
    ("Confirmed by", 22),
    ("Verified on", 12),
    ("File", 36),
    ("Where in this pack", 60),
    ("What it evidences", 40),
    ("Effective from", 12),
    ("Review by", 12),
    ("SHA-256", 20),
]


def safe_name(text: str, limit: int = 80) -> str:
    """A folder or file name that every operating system accepts."""
    name = UNSAFE.sub("-", text or "").strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    return name[:limit].rstrip(" .") or "unnamed"


def folders_for(root_cause) -> tuple[str, str]:
    """(key question folder, key line of enquiry folder) for a root cause (the module's rule)."""
    item = root_cause.assessment_item
    if item is not None:
        kq = item.key_question
        return (
            safe_name(f"{kq.order}. {kq.name}"),
            safe_name(f"{item.code} {item.title or item.question}"),
        )
    questions = sorted(root_cause.finding.key_questions.all(), key=lambda k: k.order)
    if questions:
        kq = questions[0]
        return safe_name(f"{kq.order}. {kq.name}"), NO_ITEM
    return NO_QUESTION, ""


def closed_root_causes(programme, isg=None):
    confirmed = EvidenceFile.objects.filter(
        closure_request__decision=ClosureRequest.Decision.CONFIRMED
    ).order_by("uploaded_at", "pk")
    root_causes = (
        RootCause.objects.filter(
            programme=programme, completed_on__isnull=False, withdrawn_on__isnull=True
        )
        .select_related(
            "finding", "owner", "closure_confirmed_by", "isg", "assessment_item__key_question"
        )
        .prefetch_related(
            "finding__key_questions",
            Prefetch("evidence_files", queryset=confirmed, to_attr="closure_evidence"),
        )
        .order_by("isg__order", "reference")
    )
    if isg is not None:
        root_causes = root_causes.filter(isg=isg)
    return root_causes


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _unique(path: str, used: set[str]) -> str:
    if path not in used:
        used.add(path)
        return path
    stem, dot, ext = path.rpartition(".")
    if not dot:
        stem, ext = path, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}){'.' + ext if ext else ''}"
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def _index(rows: list[list]) -> bytes:
    import io

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Index"
    fill = PatternFill("solid", fgColor="D8E7F6")
    for c, (name, width) in enumerate(INDEX_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=c)
        write_cell(cell, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            write_cell(sheet.cell(row=r, column=c), value)
    sheet.freeze_panes = "A2"
    last = sheet.cell(row=1, column=len(INDEX_COLUMNS)).column_letter
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows), 1) + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _readme(programme, isg, today: dt.date, counts: dict) -> str:
    scope = isg.name if isg else f"the whole programme ({programme.name})"
    return (
        f"Evidence pack for {scope}, made on {today:%d %B %Y}.\n\n"
        "Every root cause whose closure the ISG chair confirmed is here, with the files "
        "attached to that closure as its evidence. index.xlsx lists each file (and each closed "
        "root cause without closure evidence) with its finding, owner, closure date and who "
        "confirmed it.\n\n"
        "Folders: <key question>/<key line of enquiry or quality statement>/<root cause>/.\n"
        "A root cause with no key line of enquiry recorded is filed under its finding's first "
        f"key question, in '{NO_ITEM}'; the index lists all the finding's key questions. A "
        f"finding with no key question is filed under '{NO_QUESTION}'.\n\n"
        f"Closed root causes: {counts['root_causes']}. With closure evidence: "
        f"{counts['with_files']}. Files: {counts['files']}.\n"
        "The files may hold personal data: keep the pack on trust systems only.\n"
    )


def build(programme, *, isg=None, today: dt.date):
    """(an open temporary file holding the zip, at its start; the download's file name)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    rows: list[list] = []
    used: set[str] = {INDEX_NAME, README_NAME}
    counts = defaultdict(int)
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rc in closed_root_causes(programme, isg):
            counts["root_causes"] += 1
            kq_folder, item_folder = folders_for(rc)
            folder = "/".join(
                part for part in (kq_folder, item_folder, safe_name(rc.reference, 40)) if part
            )
            item = rc.assessment_item
            common = [
                kq_folder.split(". ", 1)[-1] if kq_folder != NO_QUESTION else "",
                f"{item.code}: {item.question or item.title}" if item else "",
                ", ".join(
                    k.name for k in sorted(rc.finding.key_questions.all(), key=lambda k: k.order)
                ),
                rc.finding.reference,
                rc.finding.text,
                rc.reference,
                rc.title,
                rc.isg.name,
                _person(rc.owner),
                rc.completed_on,
                _person(rc.closure_confirmed_by),
                rc.verified_on,
            ]
            files = rc.closure_evidence
            if not files:
                rows.append([*common, "No closure evidence uploaded", "", "", None, None, ""])
                continue
            counts["with_files"] += 1
            for evidence in files:
                path = _unique(f"{folder}/{safe_name(evidence.original_name, 120)}", used)
                try:
                    with evidence.file.open("rb") as source, archive.open(path, "w") as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
                except FileNotFoundError:
                    used.discard(path)
                    path = "Missing from storage: tell the system administrator"
                else:
                    counts["files"] += 1
                rows.append(
                    [
                        *common,
                        evidence.original_name,
                        path,
                        evidence.description,
                        evidence.effective_from,
                        evidence.review_by,
                        evidence.sha256,
                    ]
                )
        archive.writestr(INDEX_NAME, _index(rows))
        archive.writestr(README_NAME, _readme(programme, isg, today, counts))
    handle.seek(0)
    scope = slugify(isg.code if isg else programme.name) or "programme"
    return handle, f"evidence-pack-{scope}-{today:%Y-%m-%d}.zip"
