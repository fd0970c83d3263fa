"""Turn one cell into a typed value, or a message that says what is wrong with it.

Matching ignores case, spaces and punctuation ("must do", "MUST-DO" and "Must Do" are one).
Each parser raises CellError with the message shown after "row 17, <column>: ".
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils.datetime import from_excel

from cqc.models import AssessmentItem, CoreService, FindingSource, KeyQuestion, Regulation
from findings.models import FindingType
from kpis.models import KPI
from rootcauses.models import RootCause

from .columns import normalise

REGULATION_INSTRUMENT = "HSCA2008_RA2014"
# Excel serial dates between 1 January 1990 and 31 December 2099: anything else in a date
# column is not a plausible plan date but a typo.
EXCEL_SERIAL_RANGE = (32874, 73050)


class CellError(Exception):
    pass


def text(value: Any) -> str:
    """The cell as text, trimmed; numbers without a trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value).strip()


def shown(value: Any) -> str:
    """The cell as the PMO typed it, for messages."""
    return text(value)[:80]


DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
)


def date(value: Any) -> dt.date | None:
    """ISO (2019-04-30), UK (30/04/2019) or an Excel date; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, value)
    raw = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return _serial(float(raw), raw)
    # "2019-04-30 00:00:00" from a spreadsheet that kept the time.
    raw_date = re.sub(r"[ T]00:00(:00)?$", "", raw)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw_date, fmt).date()
        except ValueError:
            continue
    raise CellError(f"'{shown(value)}' is not a date (write it as 30/04/2019 or 2019-04-30)")


def _serial(number: float, original: Any) -> dt.date:
    low, high = EXCEL_SERIAL_RANGE
    if not (low <= number <= high):
        raise CellError(f"'{shown(original)}' is not a date (write it as 30/04/2019 or 2019-04-30)")
    return from_excel(number).date()


def number(value: Any) -> tuple[Decimal | None, bool]:
    """A KPI target: (the number, whether it was written as a percentage)."""
    raw = text(value)
    if not raw:
        return None, False
    percent = raw.endswith("%")
    cleaned = raw.rstrip("%").strip().replace(",", "")
    try:
        result = Decimal(cleaned)
    except InvalidOperation as exc:
        raise CellError(f"'{shown(value)}' is not a number") from exc
    if not result.is_finite() or abs(result) >= Decimal("1e10"):
        raise CellError(f"'{shown(value)}' is not a number a KPI target can hold")
    return result.quantize(Decimal("0.0001")).normalize(), percent


def email(value: Any) -> str:
    raw = text(value).lower()
    if not raw:
        raise CellError("every root cause needs an owner: enter their email address")
    try:
        validate_email(raw)
    except ValidationError as exc:
        raise CellError(f"'{shown(value)}' is not an email address") from exc
    if len(raw) > 150:
        raise CellError("the email address is longer than 150 characters")
    return raw


FINDING_TYPES = {
    normalise(FindingType.MUST_DO.label): FindingType.MUST_DO.value,
    normalise(FindingType.MUST_DO.value): FindingType.MUST_DO.value,
    normalise("Must"): FindingType.MUST_DO.value,
    normalise(FindingType.SHOULD_DO.label): FindingType.SHOULD_DO.value,
    normalise(FindingType.SHOULD_DO.value): FindingType.SHOULD_DO.value,
    normalise("Should"): FindingType.SHOULD_DO.value,
}


def finding_type(value: Any) -> str:
    raw = text(value)
    if not raw:
        raise CellError("enter Must Do or Should Do")
    try:
        return FINDING_TYPES[normalise(raw)]
    except KeyError:
        raise CellError(f"'{shown(value)}' is not Must Do or Should Do") from None


STATUSES = {
    normalise("Not started"): RootCause.Status.NOT_STARTED.value,
    normalise("In progress"): RootCause.Status.IN_PROGRESS.value,
    normalise("Completed"): RootCause.Status.COMPLETED.value,
    normalise("Complete"): RootCause.Status.COMPLETED.value,
    normalise("Withdrawn"): RootCause.Status.WITHDRAWN.value,
}
STATUS_LABELS = {
    RootCause.Status.NOT_STARTED.value: "Not started",
    RootCause.Status.IN_PROGRESS.value: "In progress",
    # A pending closure request is the tracker's own business: the plan says In progress.
    RootCause.Status.CLOSURE_REQUESTED.value: "In progress",
    RootCause.Status.COMPLETED.value: "Completed",
    RootCause.Status.WITHDRAWN.value: "Withdrawn",
}


def status(value: Any) -> str | None:
    """None when blank: the row's closure date decides."""
    raw = text(value)
    if not raw:
        return None
    try:
        return STATUSES[normalise(raw)]
    except KeyError:
        raise CellError(
            f"'{shown(value)}' is not a status: use Not started, In progress, Completed or Withdrawn"
        ) from None


IMPROVEMENTS = {
    normalise(KPI.Improvement.INCREASE.label): KPI.Improvement.INCREASE.value,
    **{
        normalise(word): KPI.Improvement.INCREASE.value
        for word in ("increase", "higher", "up", "higher better")
    },
    normalise(KPI.Improvement.DECREASE.label): KPI.Improvement.DECREASE.value,
    **{
        normalise(word): KPI.Improvement.DECREASE.value
        for word in ("decrease", "lower", "down", "lower better")
    },
    normalise(KPI.Improvement.NEUTRAL.label): KPI.Improvement.NEUTRAL.value,
    **{
        normalise(word): KPI.Improvement.NEUTRAL.value
        for word in ("neither", "neutral", "monitor only", "monitor")
    },
}
IMPROVEMENT_LABELS = {
    KPI.Improvement.INCREASE.value: "Higher is better",
    KPI.Improvement.DECREASE.value: "Lower is better",
    KPI.Improvement.NEUTRAL.value: "Neither",
}


def improvement(value: Any) -> str | None:
    raw = text(value)
    if not raw:
        return None
    try:
        return IMPROVEMENTS[normalise(raw)]
    except KeyError:
        raise CellError(
            f"'{shown(value)}' is not a direction: use Higher is better, Lower is better or Neither"
        ) from None


def _without_brackets(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


class Reference:
    """The CQC reference data, loaded once per import and matched by name or code."""

    def __init__(self, framework) -> None:
        self.framework = framework
        self.key_questions: dict[str, KeyQuestion] = {}
        for kq in KeyQuestion.objects.all():
            self.key_questions[normalise(kq.name)] = kq
            self.key_questions[normalise(kq.code)] = kq
        self.core_services: dict[str, CoreService] = {}
        for service in CoreService.objects.all():
            for key in (service.code, service.name, _without_brackets(service.name)):
                self.core_services.setdefault(normalise(key), service)
        self.sources: dict[str, FindingSource] = {}
        for source in FindingSource.objects.all():
            for key in (source.code, source.name, _without_brackets(source.name)):
                self.sources.setdefault(normalise(key), source)
        self.default_source = self.sources.get(normalise("INSPECTION_REPORT"))
        self.regulations: dict[str, Regulation] = {}
        for regulation in Regulation.objects.filter(instrument=REGULATION_INSTRUMENT):
            self.regulations[normalise(regulation.number)] = regulation
            self.regulations[normalise(regulation.code)] = regulation
        self.items: dict[str, AssessmentItem] = {
            normalise(item.code): item
            for item in AssessmentItem.objects.filter(framework=framework, retired=False)
        }

    def key_question_list(self, value: Any) -> list[KeyQuestion]:
        found: list[KeyQuestion] = []
        for part in re.split(r"[;,\n]", text(value)):
            if not part.strip():
                continue
            kq = self.key_questions.get(normalise(part))
            if kq is None:
                raise CellError(
                    f"'{part.strip()}' is not a CQC domain: use Safe, Effective, Caring, "
                    "Responsive or Well-led"
                )
            if kq not in found:
                found.append(kq)
        return sorted(found, key=lambda kq: kq.order)

    def core_service(self, value: Any) -> CoreService | None:
        raw = text(value)
        if not raw:
            return None
        service = self.core_services.get(normalise(raw)) or self.core_services.get(
            normalise(_without_brackets(raw))
        )
        if service is None:
            raise CellError(f"'{shown(value)}' is not a CQC core service")
        return service

    def source(self, value: Any) -> FindingSource:
        raw = text(value)
        if not raw:
            return self.default_source
        source = self.sources.get(normalise(raw)) or self.sources.get(
            normalise(_without_brackets(raw))
        )
        if source is None:
            names = ", ".join(sorted({s.name for s in self.sources.values()}))
            raise CellError(f"'{shown(value)}' is not a finding source: use one of {names}")
        return source

    def regulation(self, value: Any) -> Regulation | None:
        raw = text(value)
        if not raw:
            return None
        match = re.fullmatch(
            r"(?:regulation|regs?)?\.?\s*(\d+[a-z]?)(?:\s*[:\-–(].*)?", raw, flags=re.IGNORECASE
        )
        key = normalise(match.group(1)) if match else normalise(raw)
        regulation = self.regulations.get(key)
        if regulation is None:
            raise CellError(
                f"'{shown(value)}' is not a regulation of the 2014 Regulated Activities "
                "Regulations (write Regulation 12, Reg 12 or 12)"
            )
        return regulation

    def item(self, value: Any) -> AssessmentItem | None:
        raw = text(value)
        if not raw:
            return None
        code = re.split(r"[\s:–-]", raw, maxsplit=1)[0] if re.match(r"^[A-Za-z]+\d", raw) else raw
        item = self.items.get(normalise(code))
        if item is None:
            raise CellError(
                f"'{shown(value)}' is not a key line of enquiry of {self.framework} (use a code "
                "such as W3)"
            )
        return item
