"""The whole tracker as one Excel workbook (openpyxl): a summary sheet with each ISG's figures,
then one sheet per ISG with a row per root cause — its finding, actions, latest update, KPI
and status. Every sheet has an auto-filter and a frozen header row; text is written through
core.spreadsheets, so a cell can never run as a formula.

Reads are a fixed number of queries whatever the plan's size: the root causes with their
finding, owner, KPI and theme; their actions; each one's latest update; each KPI's latest
value; and the live roll-up for the summary.
"""

import datetime as dt
import tempfile
from collections import defaultdict

from django.db.models import OuterRef, Prefetch, Subquery
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.spreadsheets import write_cell
from kpis.models import Measurement
from rootcauses.brag import brag_of
from rootcauses.models import Action, RootCause, Update

from ..reporting import dashboard, rollup
from ..reporting import trajectory as tj

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="D8E7F6")
ISG_COLUMNS = [
    ("Finding", 12),
    ("Type", 10),
    ("Finding text", 50),
    ("Root cause", 16),
    ("Root cause title", 40),
    ("Owner", 22),
    ("Baseline due", 12),
    ("Current due", 12),
    ("Status", 20),
    ("Closed on", 12),
    ("Verified on", 12),
    ("Withdrawn on", 12),
    ("Actions done", 10),
    ("Actions", 60),
    ("Latest update", 14),
    ("RAG", 10),
    ("What happened", 60),
    ("Recovery plan", 40),
    ("Forecast date", 12),
    ("KPI", 40),
    ("KPI latest value", 12),
    ("KPI value for", 12),
    ("KPI target", 10),
    ("Key line of enquiry", 12),
    ("Cross-cutting theme", 30),
]
SUMMARY_COLUMNS = [
    ("ISG", 28),
    ("Must Do findings", 10),
    ("Should Do findings", 10),
    ("Must Do root causes", 10),
    ("Should Do root causes", 10),
    ("Must Do planned to date", 10),
    ("Must Do completed", 10),
    ("Must Do % of trajectory", 10),
    ("Should Do planned to date", 10),
    ("Should Do completed", 10),
    ("Should Do % of trajectory", 10),
    ("Open", 8),
    ("Overdue", 8),
    ("On track", 8),
    ("At risk", 8),
    ("Off track", 8),
    ("No update", 8),
]


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\ and unique."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    title, n = clean, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _header(sheet, columns) -> None:
    for index, (name, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        write_cell(cell, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _finish(sheet, columns, rows: int) -> None:
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(rows, 1) + 1}"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _root_causes(programme):
    latest_value = Measurement.objects.filter(kpi=OuterRef("kpi_id")).order_by("-period_end")
    return (
        RootCause.objects.filter(programme=programme)
        .select_related("finding", "owner", "kpi", "assessment_item", "theme", "isg")
        .annotate(
            kpi_value=Subquery(latest_value.values("value")[:1]),
            kpi_value_for=Subquery(latest_value.values("period_end")[:1]),
        )
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("order", "id")),
        )
        .order_by("isg__order", "finding__finding_type", "finding__reference", "reference")
    )


def _latest_updates(programme) -> dict[int, Update]:
    """Each root cause's latest update (one query, the last per root cause wins)."""
    latest: dict[int, Update] = {}
    for update in (
        Update.objects.filter(root_cause__programme=programme)
        .select_related("period")
        .only(
            "root_cause_id",
            "rag",
            "narrative",
            "recovery_note",
            "forecast_date",
            "period__label",
            "period__starts_on",
        )
        .order_by("root_cause_id", "period__starts_on")
    ):
        latest[update.root_cause_id] = update
    return latest


def _isg_row(rc, update: Update | None, day: dt.date) -> list:
    actions = list(rc.actions.all())
    done = sum(1 for a in actions if a.done_on)
    kpi = rc.kpi
    return [
        rc.finding.reference,
        rc.finding.get_finding_type_display(),
        rc.finding.text,
        rc.reference,
        rc.title,
        _person(rc.owner),
        rc.baseline_due_date,
        rc.current_due_date,
        brag_of(rc, day).label,
        rc.completed_on,
        rc.verified_on,
        rc.withdrawn_on,
        f"{done} of {len(actions)}",
        "\n".join(
            f"{'Done' if a.done_on else 'Open'}: {a.description}"
            + (f" (due {a.due_date:%d/%m/%Y})" if a.due_date and not a.done_on else "")
            for a in actions
        ),
        update.period.label if update else "",
        update.get_rag_display() if update else "",
        update.narrative if update else "",
        update.recovery_note if update else "",
        update.forecast_date if update else None,
        kpi.name if kpi else "",
        rc.kpi_value,
        rc.kpi_value_for,
        kpi.target if kpi else None,
        rc.assessment_item.code if rc.assessment_item else "",
        rc.theme.name if rc.theme else "",
    ]


def _summary(programme, isgs, day: dt.date) -> tuple[list[list], str]:
    periods = list(programme.periods.order_by("starts_on"))
    period = dashboard.choose_period(periods, None, day)
    if period is None:
        return [], "No calendar yet."
    as_of = min(day, period.ends_on)
    snapshots = rollup.compute(
        programme,
        [rollup.Target(period, as_of)],
        live=period.ends_on >= day,
        today=day,
        isgs=isgs,
        periods=periods,
        in_period=False,
    )
    from django.db.models import Count

    from findings.models import Finding

    findings = defaultdict(int)
    for row in (
        Finding.objects.filter(programme=programme)
        .order_by()
        .values("isg_id", "finding_type")
        .annotate(n=Count("pk"))
    ):
        findings[(row["isg_id"], row["finding_type"])] += row["n"]
        findings[(None, row["finding_type"])] += row["n"]
    root_causes = defaultdict(int)
    for row in (
        RootCause.objects.filter(programme=programme)
        .order_by()
        .values("isg_id", "finding__finding_type")
        .annotate(n=Count("pk"))
    ):
        root_causes[(row["isg_id"], row["finding__finding_type"])] += row["n"]
        root_causes[(None, row["finding__finding_type"])] += row["n"]
    names = {isg.pk: isg.name for isg in isgs}
    rows = []
    for snap in snapshots:
        key = snap.isg_id
        rows.append(
            [
                names.get(key, "Programme"),
                findings[(key, tj.MUST_DO)],
                findings[(key, tj.SHOULD_DO)],
                root_causes[(key, tj.MUST_DO)],
                root_causes[(key, tj.SHOULD_DO)],
                snap.md_planned,
                snap.md_completed,
                float(snap.md_percent) if snap.md_percent is not None else "",
                snap.sd_planned,
                snap.sd_completed,
                float(snap.sd_percent) if snap.sd_percent is not None else "",
                snap.open_count,
                snap.overdue_count,
                snap.rag_on_track,
                snap.rag_at_risk,
                snap.rag_off_track,
                snap.rag_none,
            ]
        )
    words = (
        f"Live, as at {as_of:%d %B %Y} ({period} is still running)"
        if period.ends_on >= day
        else f"As at the end of {period} ({period.ends_on:%d %B %Y})"
    )
    return rows, words


def tracker_workbook(programme, *, today: dt.date):
    """The workbook in a temporary file (open, at its start), ready to stream."""
    isgs = list(programme.isgs.order_by("order", "name"))
    workbook = Workbook()
    used: set[str] = set()
    summary = workbook.active
    summary.title = _sheet_title("Summary", used)
    _header(summary, SUMMARY_COLUMNS)
    rows, words = _summary(programme, isgs, today)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            write_cell(summary.cell(row=r, column=c), value)
    _finish(summary, SUMMARY_COLUMNS, len(rows))
    about = len(rows) + 3
    write_cell(summary.cell(row=about, column=1), f"{programme.name}: {words}.")
    write_cell(
        summary.cell(row=about + 1, column=1),
        "One sheet per group follows, a row per root cause. Status is derived from the data: "
        "closed, verified, withdrawn, the latest update's RAG and the current due date.",
    )

    latest = _latest_updates(programme)
    by_isg = defaultdict(list)
    for rc in _root_causes(programme):
        by_isg[rc.isg_id].append(rc)
    wrap = Alignment(wrap_text=True, vertical="top")
    for isg in isgs:
        sheet = workbook.create_sheet(_sheet_title(isg.name, used))
        _header(sheet, ISG_COLUMNS)
        items = by_isg.get(isg.pk, [])
        for r, rc in enumerate(items, start=2):
            for c, value in enumerate(_isg_row(rc, latest.get(rc.pk), today), start=1):
                cell = sheet.cell(row=r, column=c)
                write_cell(cell, value)
                cell.alignment = wrap
        _finish(sheet, ISG_COLUMNS, len(items))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
