"""Upload a KPI's values from a CSV file: a dry run first, then all or nothing.

The file has a header row and one row per period:

    period,value                    or    period,numerator,denominator

(an optional `note` column is kept with the value). A period is an ISO date (2019-03-31), a
UK date (31/03/2019) or a month (2019-03, meaning its last day). Each problem is reported
with its row number as a spreadsheet shows it: "row 7, value: 'abc' is not a number".
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core.clock import today

from .models import KPI, Measurement
from .periods import parse_period
from .selectors import LockIndex
from .services import MAX_DAYS_AHEAD, Entry, measurement_value

MAX_BYTES = 200_000
MAX_ROWS = 2_000
COLUMNS = {"period", "value", "numerator", "denominator", "note"}

CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"


@dataclass
class PlannedRow:
    row: int
    period_end: dt.date
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    action: str
    current: Measurement | None

    @property
    def old_value(self) -> Decimal | None:
        return self.current.value if self.current else None


@dataclass
class CsvPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(row.action == action for row in self.rows)

    @property
    def creates(self) -> int:
        return self.count(CREATE)

    @property
    def changes(self) -> int:
        return self.count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def digest(self) -> str:
        """What the PMO saw in the dry run: the commit goes ahead only if it is still true."""
        text = "\n".join(
            f"{r.period_end}|{r.value}|{r.numerator}|{r.denominator}|{r.note}|{r.action}|"
            f"{r.current.version if r.current else 0}"
            for r in self.rows
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def entries(self, kpi: KPI) -> list[Entry]:
        return [
            Entry(
                key=f"row {row.row}",
                kpi=kpi,
                period_end=row.period_end,
                value=row.value,
                numerator=row.numerator,
                denominator=row.denominator,
                note=row.note,
                expected_version=row.current.version if row.current else 0,
            )
            for row in self.rows
            if row.action != UNCHANGED
        ]


def read_upload(upload) -> str:
    """The text of an uploaded file; ValueError with a plain message if it cannot be used."""
    if upload.size > MAX_BYTES:
        raise ValueError(
            f"The file is {upload.size // 1000} KB; upload at most {MAX_BYTES // 1000} KB "
            "(about two thousand rows)."
        )
    raw = upload.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")  # Excel's "CSV" on Windows
        except UnicodeDecodeError as exc:
            raise ValueError(
                "The file is not a text CSV file: save it as CSV and try again."
            ) from exc


def _number(text: str, column: str, row: int, errors: list[str]) -> Decimal | None:
    text = text.strip().replace(",", "") if text else ""
    if text.endswith("%"):
        text = text[:-1].strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(f"row {row}, {column}: {text!r} is not a number")
        return None
    if not number.is_finite():
        errors.append(f"row {row}, {column}: {text!r} is not a number")
        return None
    return number


def plan_csv(kpi: KPI, text: str) -> CsvPlan:
    """What uploading `text` would do to the KPI's values, and every problem found."""
    plan = CsvPlan()
    try:
        # newline="": a carriage return inside a cell is the csv module's to read, not a crash.
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        plan.errors.append(
            f"The file is not a CSV file we can read ({exc}). Save it again as CSV (UTF-8)."
        )
        return plan
    numbered = [(i + 1, line) for i, line in enumerate(lines) if any(c.strip() for c in line)]
    if not numbered:
        plan.errors.append("The file is empty: it needs a header row and one row per period.")
        return plan
    header_row, header = numbered[0]
    columns = [c.strip().lower() for c in header]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or "period" not in columns:
        plan.errors.append(
            f"row {header_row}: the first row must name the columns: period,value or "
            "period,numerator,denominator"
            + (f" (not {', '.join(repr(c) for c in unknown)})" if unknown else "")
        )
        return plan
    has_value = "value" in columns
    has_fraction = "numerator" in columns and "denominator" in columns
    if not (has_value or has_fraction):
        plan.errors.append(
            f"row {header_row}: add a value column, or numerator and denominator columns"
        )
        return plan
    if len(numbered) - 1 > MAX_ROWS:
        plan.errors.append(f"The file has {len(numbered) - 1} rows; upload at most {MAX_ROWS}.")
        return plan

    seen: dict[dt.date, int] = {}
    parsed = []
    latest = today() + dt.timedelta(days=MAX_DAYS_AHEAD)
    for row, line in numbered[1:]:
        if len(line) > len(columns):
            plan.errors.append(
                f"row {row}: {len(line)} cells, but the header names {len(columns)} columns"
            )
            continue
        cells = dict(zip(columns, [c.strip() for c in line], strict=False))
        errors_before = len(plan.errors)
        try:
            period_end = parse_period(cells.get("period", ""))
        except ValueError as exc:
            plan.errors.append(f"row {row}, period: {exc}")
            period_end = None
        if period_end is not None:
            if period_end in seen:
                plan.errors.append(
                    f"row {row}, period: {period_end:%d/%m/%Y} is also on row {seen[period_end]}"
                )
            elif period_end > latest:
                plan.errors.append(
                    f"row {row}, period: {period_end:%d/%m/%Y} is more than a month ahead"
                )
            seen.setdefault(period_end, row)
        value = _number(cells.get("value", ""), "value", row, plan.errors)
        numerator = _number(cells.get("numerator", ""), "numerator", row, plan.errors)
        denominator = _number(cells.get("denominator", ""), "denominator", row, plan.errors)
        if len(plan.errors) > errors_before:
            continue
        if value is None and numerator is None and denominator is None:
            plan.errors.append(f"row {row}, value: enter a number")
            continue
        try:
            value, numerator, denominator = measurement_value(kpi, value, numerator, denominator)
        except ValidationError as exc:
            for message in exc.messages:
                plan.errors.append(f"row {row}: {message}")
            continue
        parsed.append((row, period_end, value, numerator, denominator, cells.get("note", "")))

    if not parsed:
        if not plan.errors:
            plan.errors.append("The file has a header row but no values.")
        return plan
    locks = LockIndex([kpi])
    current = {
        m.period_end: m
        for m in Measurement.objects.filter(kpi=kpi, period_end__in=[p[1] for p in parsed])
    }
    for row, period_end, value, numerator, denominator, note in parsed:
        existing = current.get(period_end)
        if existing is None:
            action = CREATE
        elif (existing.value, existing.numerator, existing.denominator, existing.note) == (
            value,
            numerator,
            denominator,
            note[:300],
        ) or (existing.value == value and numerator is None and not note):
            action = UNCHANGED
        else:
            action = CHANGE
        if action != UNCHANGED and locks.is_locked(kpi, period_end):
            plan.errors.append(
                f"row {row}, period: {period_end:%d/%m/%Y} is in a period that has been signed "
                "off; its value is read-only"
            )
        if len(note) > 300:
            plan.errors.append(f"row {row}, note: keep it under 300 characters")
        plan.rows.append(
            PlannedRow(row, period_end, value, numerator, denominator, note, action, existing)
        )
    plan.rows.sort(key=lambda r: r.period_end)
    return plan
