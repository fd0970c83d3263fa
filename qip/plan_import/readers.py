"""Read a plan file (.xlsx or .csv) into rows of raw cell values, refusing files that are not
a plan: not a spreadsheet, too big, too many rows, formulas, wrong or missing columns.

Rows are streamed (openpyxl's read-only mode, csv's reader) and reading stops as soon as the
row limit is passed, so a 50,000-row file costs no more memory than a 5,000-row one.
"""

import csv
import difflib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS

from .columns import BY_NORMALISED_HEADER, COLUMNS, Column, normalise

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
# Columns past this are never read: a plan has 21.
MAX_COLUMNS = 60
# The header row may sit under a title or two; it is looked for in the first rows.
HEADER_SEARCH_ROWS = 10
SHEET_NAME = "Plan"
# A CSV export writes an apostrophe before text that a spreadsheet would run as a formula
# (=, +, -, @); reading it back removes it again.


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class RawRow:
    number: int  # the spreadsheet's own row number, as the PMO sees it
    values: dict[str, Any]


@dataclass
class PlanFile:
    name: str
    kind: str  # "xlsx" or "csv"
    rows: list[RawRow] = field(default_factory=list)
    header_row: int = 1
    ignored_columns: list[str] = field(default_factory=list)


def _describe(content: bytes) -> str | None:
    kind = filetype.guess(content[:8192])
    if kind is None:
        return None
    names = {
        "application/pdf": "a PDF document",
        "image/png": "a PNG image",
        "image/jpeg": "a JPEG image",
        "image/gif": "a GIF image",
        "application/zip": "a zip archive",
        "application/x-ole-storage": "an older Excel (.xls) or Word file",
        "application/vnd.ms-excel": "an older Excel (.xls) file",
        "application/msword": "a Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    }
    return names.get(kind.mime, f"a {kind.extension.upper()} file")


def read_plan_file(name: str, stream: IO[bytes], size: int | None = None) -> PlanFile:
    """Read and check a plan file; raise FileProblem with a plain message if it is not one."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise FileProblem(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Remove other sheets and pictures, or split "
            "the plan into several files."
        )
    content = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileProblem(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB. Remove other sheets "
            "and pictures, or split the plan into several files."
        )
    if not content.strip():
        raise FileProblem("The file is empty: fill in the template and upload it again.")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("xls", "xlsm", "xlsb", "ods"):
        raise FileProblem(
            f"'{name}' is a .{extension} file. Save it as an Excel workbook (.xlsx) or as CSV "
            "and upload that."
        )
    if extension not in ("xlsx", "csv"):
        raise FileProblem(
            f"'{name}' is not a spreadsheet the import reads: upload an Excel workbook (.xlsx) "
            "or a CSV file, such as the template on this page."
        )
    plan = PlanFile(name=name, kind=extension)
    rows = _xlsx_rows(name, content) if extension == "xlsx" else _csv_rows(name, content)
    _take_rows(plan, rows)
    return plan


def _xlsx_rows(name: str, content: bytes) -> Iterator[tuple[int, list[tuple[str, Any, bool]]]]:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        what = _describe(content)
        raise FileProblem(
            f"'{name}' is not an Excel workbook"
            + (f": it looks like {what}" if what else "")
            + ". Upload the plan as .xlsx or .csv."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise FileProblem(
            f"'{name}' could not be opened as an Excel workbook ({exc.__class__.__name__}). "
            "Open it in Excel, save it as .xlsx and upload it again."
        ) from exc
    try:
        sheet = (
            workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        )
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            cells = []
            number = None
            for cell in row:
                if getattr(cell, "row", None) is not None:
                    number = cell.row
                is_formula = cell.data_type == "f"
                coordinate = getattr(cell, "coordinate", "")
                cells.append((coordinate, cell.value, is_formula))
            if number is None:
                continue  # an empty row
            yield number, cells
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem("The CSV file's text could not be read: save it as CSV UTF-8 and try again.")


def _csv_rows(name: str, content: bytes) -> Iterator[tuple[int, list[tuple[str, Any, bool]]]]:
    what = _describe(content)
    if what or b"\x00" in content[:8192]:
        raise FileProblem(
            f"'{name}' is not a CSV file"
            + (f": it looks like {what}" if what else "")
            + ". Upload the plan as .xlsx or .csv."
        )
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileProblem(
                f"Row {reader.line_num} of the CSV file could not be read ({exc})."
            ) from exc
        number += 1
        cells = []
        for index, value in enumerate(values[:MAX_COLUMNS]):
            if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
                value = value[1:]
            cells.append((f"{_letter(index)}{number}", value, False))
        yield number, cells


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(
    rows: Iterator[tuple[int, list[tuple[str, Any, bool]]]],
) -> tuple[int, list[tuple[str, Any, bool]]]:
    seen_anything = False
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        if all(_blank(value) for _, value, _ in cells):
            continue
        seen_anything = True
        _refuse_formulas(cells)
        matches = sum(1 for _, value, _ in cells if normalise(value) in BY_NORMALISED_HEADER)
        if matches >= 3:
            return number, cells
    if not seen_anything:
        raise FileProblem("The file is empty: fill in the template and upload it again.")
    raise FileProblem(
        "No row of column names was found at the top of the file. The first row should name the "
        "columns, as the template does: " + ", ".join(column.header for column in COLUMNS) + "."
    )


def _refuse_formulas(cells: list[tuple[str, Any, bool]]) -> None:
    for coordinate, value, is_formula in cells:
        if is_formula:
            shown = str(value)[:60]
            raise FileProblem(
                f"Cell {coordinate} holds a formula ({shown}). The import reads values only: "
                "copy the sheet and use Paste Special → Values, then upload it again."
            )


def _map_columns(plan: PlanFile, cells: list[tuple[str, Any, bool]]) -> dict[int, Column]:
    mapping: dict[int, Column] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, (_coordinate, value, _f) in enumerate(cells):
        if _blank(value):
            continue
        column = BY_NORMALISED_HEADER.get(normalise(value))
        if column is None:
            unknown.append(str(value).strip())
        elif column in mapping.values():
            duplicates.append(column.header)
        else:
            mapping[index] = column
    missing = [column for column in COLUMNS if column not in mapping.values()]
    problems = []
    if duplicates:
        problems.append(
            "These columns appear more than once: " + ", ".join(f"'{d}'" for d in duplicates) + "."
        )
    if missing:
        hints = []
        for column in missing:
            close = difflib.get_close_matches(
                normalise(column.header), [normalise(u) for u in unknown], n=1, cutoff=0.6
            )
            if close:
                spelt = next(u for u in unknown if normalise(u) == close[0])
                hints.append(f"'{column.header}' (is '{spelt}' meant to be it?)")
            else:
                hints.append(f"'{column.header}'")
        problems.append(
            "These columns are missing: "
            + ", ".join(hints)
            + ". Use the column names of the template; the order does not matter."
        )
    if problems:
        raise FileProblem(" ".join(problems))
    plan.ignored_columns = unknown
    return mapping


def _take_rows(plan: PlanFile, rows: Iterator[tuple[int, list[tuple[str, Any, bool]]]]) -> None:
    header_number, header = _find_header(rows)
    plan.header_row = header_number
    mapping = _map_columns(plan, header)
    for number, cells in rows:
        if all(_blank(value) for _, value, _ in cells):
            continue
        _refuse_formulas(cells)
        if len(plan.rows) >= MAX_ROWS:
            raise FileProblem(
                f"The file has more than {MAX_ROWS:,} rows of plan; the limit is {MAX_ROWS:,} "
                "rows in one file. Split it into several files (one per ISG, say) and import "
                "them one after another."
            )
        values = {column.key: None for column in COLUMNS}
        for index, column in mapping.items():
            if index < len(cells):
                values[column.key] = cells[index][1]
        plan.rows.append(RawRow(number=number, values=values))
    if not plan.rows:
        raise FileProblem(
            "The file has column names but no rows of plan under them: add one row per root cause."
        )
