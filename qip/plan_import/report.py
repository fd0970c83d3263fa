"""What checking or importing a plan file tells the PMO: the options they ticked ("Create new
ISGs", "This is the original baseline"), each row's outcome (root cause to create, update or
leave alone, with what changes, or the row's problems), every problem and warning with its row
and column, and the totals (findings, root causes, new ISGs, owners, KPIs and themes) that the
dry run shows before anything is written and the import confirms afterwards.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Options:
    create_isgs: bool = False
    original_baseline: bool = False


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None  # the column as named in a sentence
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return f"row {self.row}, {self.column}: {self.message}"
        if self.row:
            return f"row {self.row}: {self.message}"
        return self.message


@dataclass
class RowOutcome:
    row: int
    reference: str
    finding_reference: str
    action: str = "create"  # create, update, unchanged, error
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    file_name: str
    options: Options
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    new_isgs: list[str] = field(default_factory=list)
    new_owners: list[str] = field(default_factory=list)
    new_themes: list[str] = field(default_factory=list)
    new_kpis: int = 0
    findings: Counter = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)
    file_problem: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def root_causes(self) -> Counter:
        return Counter(row.action for row in self.rows)

    @property
    def has_changes(self) -> bool:
        counts = self.root_causes
        return bool(
            counts["create"]
            or counts["update"]
            or self.findings["create"]
            or self.findings["update"]
            or self.new_isgs
            or self.new_themes
        )

    def totals(self) -> dict[str, int]:
        counts = self.root_causes
        return {
            "root_causes_created": counts["create"],
            "root_causes_updated": counts["update"],
            "root_causes_unchanged": counts["unchanged"],
            "rows_with_errors": counts["error"],
            "findings_created": self.findings["create"],
            "findings_updated": self.findings["update"],
            "findings_unchanged": self.findings["unchanged"],
            "isgs_created": len(self.new_isgs),
            "owners_created": len(self.new_owners),
            "kpis_created": self.new_kpis,
            "themes_created": len(self.new_themes),
        }

    def summary(self) -> str:
        t = self.totals()
        return (
            f"{t['root_causes_created']} root causes to create, {t['root_causes_updated']} to "
            f"update, {t['root_causes_unchanged']} left alone; {t['findings_created']} findings "
            f"to create, {t['findings_updated']} to update; {t['isgs_created']} new ISGs, "
            f"{t['owners_created']} new owners, {t['kpis_created']} new KPIs, "
            f"{t['themes_created']} new themes."
        )
