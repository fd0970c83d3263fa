"""Spreadsheet cells and CSV downloads that never run as formulas (CSV injection).

A text cell starting with =, +, -, @, a tab or a carriage return would be run as a formula by
Excel or LibreOffice. In .csv such a cell gets an apostrophe in front (the usual defence; the
plan import removes it again); a plain number such as -3 or +5% is left alone. In .xlsx text
is stored as text, never as a formula. Every CSV and spreadsheet the tracker writes goes
through here.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")
CSV_TYPE = "text/csv; charset=utf-8"


def safe_csv_text(value: Any) -> str:
    """The text a CSV cell holds: dates as YYYY-MM-DD, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    if text and text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_cell(cell, value: Any) -> None:
    """Put a value in an openpyxl cell: dates as dates, text always as text."""
    if isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, bool) or value is None:
        cell.value = "" if value is None else ("Yes" if value else "No")
    elif isinstance(value, int | float | Decimal):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # text, never a live formula


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file with a byte order mark, so that Excel opens it as UTF-8."""
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_csv_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_csv_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV download of a list page (the same rows the page shows, all pages at once)."""
    response = HttpResponse(csv_bytes(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_csv(request) -> bool:
    """The list page was asked for as CSV (?format=csv)."""
    return request.GET.get("format") == "csv"
