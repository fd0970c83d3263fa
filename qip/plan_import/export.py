"""Write the plan in the import's own format (.xlsx or .csv), and the empty template.

A round trip works: a file exported here imports unchanged into an empty database.

Text that a spreadsheet would run as a formula is never written as one. In .xlsx every text
cell is stored as text (openpyxl would otherwise store a string starting with "=" as a
formula). In .csv a cell starting with =, +, - or @ gets an apostrophe in front, the usual
defence against CSV injection; the import removes that apostrophe again.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import safe_csv_text
from kpis.models import KPI
from rootcauses.models import RootCause
from rootcauses.plan_services import plan_text

from .columns import COLUMNS, HEADERS
from .readers import MAX_ROWS, SHEET_NAME
from .values import IMPROVEMENT_LABELS, STATUS_LABELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def plan_queryset(programme) -> Iterable[RootCause]:
    return (
        RootCause.objects.filter(programme=programme)
        .select_related(
            "isg",
            "owner",
            "kpi",
            "assessment_item",
            "theme",
            "finding__core_service",
            "finding__regulation",
            "finding__source",
        )
        .prefetch_related("finding__key_questions")
        .order_by(
            "isg__order", "isg__name", "finding__finding_type", "finding__reference", "reference"
        )
    )


def plan_rows(programme) -> Iterator[list]:
    """One list of cell values per root cause, in the order of COLUMNS (dates as dates)."""
    for rc in plan_queryset(programme):
        finding = rc.finding
        kpi = rc.kpi
        target = ""
        if kpi is not None and kpi.target is not None:
            target = _number(kpi.target) + ("%" if kpi.unit == KPI.Unit.PERCENTAGE else "")
        yield [
            rc.isg.name,
            finding.reference,
            finding.get_finding_type_display(),
            finding.text,
            finding.core_service.name if finding.core_service else "",
            finding.site,
            "; ".join(kq.name for kq in sorted(finding.key_questions.all(), key=lambda k: k.order)),
            f"Regulation {finding.regulation.number}" if finding.regulation else "",
            finding.source.name,
            rc.reference,
            plan_text(rc),
            (rc.owner.email or rc.owner.username).lower(),
            rc.baseline_due_date,
            rc.current_due_date,
            STATUS_LABELS[rc.status],
            rc.completed_on or rc.withdrawn_on,
            kpi.name if kpi else "",
            target,
            IMPROVEMENT_LABELS.get(kpi.improvement, "") if kpi else "",
            rc.assessment_item.code if rc.assessment_item else "",
            rc.theme.name if rc.theme else "",
        ]


def _text_cell(cell, value) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a live formula


def _workbook(rows: Iterable[list], *, with_lists: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    widths = {"finding_text": 60, "root_cause_description": 50, "owner_email": 34}
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column.key, 18)
    date_columns = {
        i for i, c in enumerate(COLUMNS) if c.key.endswith("date") or c.key.startswith("date")
    }
    for row_number, values in enumerate(rows, start=2):
        for index, value in enumerate(values):
            cell = sheet.cell(row=row_number, column=index + 1)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "DD/MM/YYYY"
            elif index in date_columns and value in (None, ""):
                continue
            else:
                _text_cell(cell, value if value is not None else "")
    if with_lists:
        _lists(sheet)
    guide = workbook.create_sheet("Columns")
    guide.append(["Column", "Required", "What to write", "Example"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append(
            [column.header, "Yes" if column.required else "No", column.help, column.example]
        )
        for cell in guide[guide.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _lists(sheet) -> None:
    """Drop-down lists for the columns with fixed answers."""
    fixed = {
        "finding_type": '"Must Do,Should Do"',
        "status": '"Not started,In progress,Completed,Withdrawn"',
        "kpi_improvement_direction": '"Higher is better,Lower is better,Neither"',
    }
    for index, column in enumerate(COLUMNS, start=1):
        if column.key not in fixed:
            continue
        letter = sheet.cell(row=1, column=index).column_letter
        validation = DataValidation(type="list", formula1=fixed[column.key], allow_blank=True)
        validation.error = f"Choose one of the answers in the list for {column.header}."
        validation.errorTitle = column.header
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def _csv(rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([safe_csv_text(value) for value in values])
    # With a byte order mark Excel opens the file as UTF-8 (apostrophes, accents).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_plan(programme, fmt: str) -> bytes:
    rows = plan_rows(programme)
    return _workbook(rows, with_lists=True) if fmt == "xlsx" else _csv(rows)


def template(fmt: str) -> bytes:
    return _workbook([], with_lists=True) if fmt == "xlsx" else _csv([])
