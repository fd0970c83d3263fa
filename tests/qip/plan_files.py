"""Build plan files for the import tests: rows as dicts keyed by column header."""

import csv
import io

from openpyxl import Workbook

from qip.plan_import.columns import HEADERS


def row(**overrides) -> dict:
    """One valid plan row; override cells by column key (finding_reference="WC-MD-01")."""
    base = {
        "isg": "Women's and Children's",
        "finding_reference": "WC-MD-01",
        "finding_type": "Must Do",
        "finding_text": "The trust must ensure midwifery staffing is escalated.",
        "core_service": "Maternity",
        "site": "RSH",
        "cqc_domain": "Safe; Well-led",
        "regulation": "Regulation 18",
        "finding_source": "Inspection report",
        "root_cause_reference": "WC-MD-01 RC1",
        "root_cause_description": "Escalation not followed at night",
        "owner_email": "Amara.Okafor@example-trust.nhs.uk",
        "baseline_due_date": "30/04/2019",
        "current_due_date": "",
        "status": "Not started",
        "date_closure_confirmed": "",
        "kpi_name": "% of shifts with escalation recorded",
        "kpi_target": "95%",
        "kpi_improvement_direction": "Higher is better",
        "well_led_kloe": "",
        "cross_cutting_theme": "",
    }
    base.update(overrides)
    return base


def _keys():
    from qip.plan_import.columns import COLUMNS

    return [c.key for c in COLUMNS]


def csv_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers or HEADERS)
    for r in rows:
        writer.writerow([r.get(k, "") for k in _keys()])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict], headers: list[str] | None = None, raw_cells=None) -> bytes:
    """raw_cells: {"B2": value} written after the rows (a formula, a real date …)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append(headers or HEADERS)
    for r in rows:
        sheet.append([r.get(k, "") for k in _keys()])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a person typed it
    for coordinate, value in (raw_cells or {}).items():
        sheet[coordinate] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
