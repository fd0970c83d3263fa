"""The plan spreadsheet's columns: one row per root cause.

This is the one place that says what the columns are called, what goes in them and which
are required. The template, the column guide on the plan page, the reader and the export all
use it, so a file exported from the tracker can be imported again unchanged.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    example: str
    required: bool = False
    # How the column is named inside a sentence ("row 17, baseline due date: …").
    phrase: str = ""

    @property
    def in_text(self) -> str:
        return self.phrase or self.header[0].lower() + self.header[1:]


COLUMNS: tuple[Column, ...] = (
    Column(
        "isg",
        "ISG",
        "The Improvement Steering Group (or workstream) that owns the row, by name or code. "
        "Into a programme that has no ISGs yet they are created from this column.",
        "Women's and Children's",
        required=True,
        phrase="ISG",
    ),
    Column(
        "finding_reference",
        "Finding reference",
        "The trust's reference for the CQC finding. Rows with the same reference share one "
        "finding; its columns may be left blank on the later rows.",
        "WC-MD-07",
        required=True,
    ),
    Column(
        "finding_type",
        "Finding type",
        "Must Do or Should Do.",
        "Must Do",
        required=True,
    ),
    Column(
        "finding_text",
        "Finding text",
        "The finding as CQC wrote it.",
        "The trust must ensure that midwifery staffing is escalated when below planned levels.",
        required=True,
    ),
    Column(
        "core_service",
        "Core service",
        "The CQC core service, by name or code (for example Maternity, or MAT). Blank for trust-wide.",
        "Maternity",
    ),
    Column("site", "Site", "The hospital site; blank for trust-wide.", "RSH"),
    Column(
        "cqc_domain",
        "CQC domain",
        "One or more of Safe, Effective, Caring, Responsive and Well-led, separated by ; or ,.",
        "Safe; Well-led",
        phrase="CQC domain",
    ),
    Column(
        "regulation",
        "Regulation",
        "The regulation a Must Do breaches: Regulation 12, Reg 12 or 12. Required for a Must Do.",
        "Regulation 18",
    ),
    Column(
        "finding_source",
        "Finding source",
        "Where the finding came from: Inspection report, Section 29A warning notice, Section 31 "
        "notice, Other notice or letter, Well-led review. Blank means the inspection report.",
        "Inspection report",
    ),
    Column(
        "root_cause_reference",
        "Root cause reference",
        "The root cause's reference, unique in the plan. A re-import updates the root cause with "
        "this reference.",
        "WC-MD-07 RC2",
        required=True,
    ),
    Column(
        "root_cause_description",
        "Root cause description",
        "What the root cause is, in a sentence.",
        "Midwife staffing escalation not followed at night",
        required=True,
    ),
    Column(
        "owner_email",
        "Owner email",
        "The email address of the one person who owns the root cause. Someone new to the tracker "
        "gets an account without a password until they are invited.",
        "amara.okafor@example-trust.nhs.uk",
        required=True,
    ),
    Column(
        "baseline_due_date",
        "Baseline due date",
        "The due date agreed when the plan was set (30/04/2019 or 2019-04-30). After set-up it "
        "never moves: a different date on re-import is refused.",
        "30/04/2019",
        required=True,
    ),
    Column(
        "current_due_date",
        "Current due date",
        "The due date now, after any approved change. Blank means the baseline due date.",
        "31/05/2019",
    ),
    Column(
        "status",
        "Status",
        "Not started, In progress, Completed or Withdrawn. Completed and Withdrawn need the date "
        "in the next column.",
        "In progress",
    ),
    Column(
        "date_closure_confirmed",
        "Date closure confirmed",
        "For a completed root cause, the day the ISG chair confirmed closure; for a withdrawn "
        "one, the day change control approved the withdrawal. Blank while it is open.",
        "",
    ),
    Column(
        "kpi_name",
        "KPI name",
        "The one KPI that shows whether fixing the root cause worked. Blank: no KPI yet.",
        "% of shifts with escalation recorded",
        phrase="KPI name",
    ),
    Column(
        "kpi_target",
        "KPI target",
        "The KPI's target as a number; write 95% for a percentage.",
        "95%",
        phrase="KPI target",
    ),
    Column(
        "kpi_improvement_direction",
        "KPI improvement direction",
        "Higher is better, Lower is better, or Neither. Blank means higher is better.",
        "Higher is better",
        phrase="KPI improvement direction",
    ),
    Column(
        "well_led_kloe",
        "Well-led KLOE",
        "The key line of enquiry the root cause answers, by code (W1 to W8), mainly for the "
        "Well-led plan.",
        "",
        phrase="Well-led KLOE",
    ),
    Column(
        "cross_cutting_theme",
        "Cross-cutting theme",
        "The cross-cutting theme the root cause belongs to, by name. A new theme reports through "
        "the row's ISG.",
        "",
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]


def normalise(text: object) -> str:
    """Lower case with every space and punctuation mark removed: "Well-led" == "well led"."""
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


BY_NORMALISED_HEADER = {normalise(column.header): column for column in COLUMNS}
