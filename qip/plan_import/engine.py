"""Check a plan file against a programme (the dry run), then apply it (the commit).

`check()` reads and resolves every row without writing anything and returns a Report: what
will be created, updated and left alone, and every problem with its row and column.
`commit()` runs the same check inside one transaction and applies it only when there is no
problem at all: a file is imported whole or not at all, and every change is audited with the
PMO as its author and "Imported from <file>" as its reason.

The Report, its Problems and row outcomes, and the import Options are in report.py.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from core.clock import today
from findings import services as finding_services
from findings.models import Finding, FindingType
from rootcauses import plan_services
from rootcauses.models import RootCause

from ..models import CrossCuttingTheme, ImprovementSteeringGroup, Programme
from . import services, values
from .columns import BY_KEY, normalise
from .readers import FileProblem, PlanFile, RawRow, read_plan_file
from .report import Options, Problem, Report, RowOutcome

Status = RootCause.Status
FINDING_FIELDS = (
    "isg",
    "finding_type",
    "finding_text",
    "core_service",
    "site",
    "cqc_domain",
    "regulation",
    "finding_source",
)
LIMITS = {
    "finding_reference": 40,
    "root_cause_reference": 40,
    "site": 120,
    "isg": 120,
    "kpi_name": 200,
    "cross_cutting_theme": 200,
}
FIELD_NAMES = {
    "isg": "ISG",
    "finding_type": "finding type",
    "text": "finding text",
    "core_service": "core service",
    "site": "site",
    "key_questions": "CQC domain",
    "regulation": "regulation",
    "source": "finding source",
}


@dataclass
class NewIsg:
    name: str
    code: str
    created: ImprovementSteeringGroup | None = None

    def __str__(self) -> str:
        return self.name


@dataclass
class NewTheme:
    name: str
    isg_key: str
    created: CrossCuttingTheme | None = None


@dataclass
class FindingPlan:
    key: str
    reference: str
    first_row: int
    given: dict[str, Any] = field(default_factory=dict)
    given_on: dict[str, int] = field(default_factory=dict)
    existing: Finding | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    action: str = "create"
    created: Finding | None = None


@dataclass
class RootCausePlan:
    row: int
    reference: str
    finding_key: str
    text: str
    owner_email: str
    baseline: dt.date
    current: dt.date
    status: str
    closed_on: dt.date | None
    kpi: dict | None
    item: Any
    theme_key: str | None
    existing: RootCause | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _key(reference: str) -> str:
    return " ".join(reference.split()).casefold()


class PlanImport:
    """One import of one file into one programme, by one person."""

    def __init__(
        self, *, programme: Programme, plan_file: PlanFile, options: Options, by: Any
    ) -> None:
        self.programme = programme
        self.plan_file = plan_file
        self.options = options
        self.by = by
        self.report = Report(file_name=plan_file.name, options=options)
        self.report.ignored_columns = list(plan_file.ignored_columns)
        self.reason = f"Imported from {plan_file.name}"[:100]

    # -- the check ------------------------------------------------------------------------

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        column_text = BY_KEY[column].in_text if column in BY_KEY else column
        self.report.problems.append(Problem(row, column_text, message))

    def warn(self, row: int | None, column: str | None, message: str) -> None:
        column_text = BY_KEY[column].in_text if column in BY_KEY else column
        self.report.warnings.append(Problem(row, column_text, message))

    def check(self) -> Report:
        self.reference = values.Reference(self.programme.framework)
        self.row_errors: set[int] = set()
        parsed = [self._parse(row) for row in self.plan_file.rows]
        self._resolve_isgs(parsed)
        self.findings: dict[str, FindingPlan] = {}
        self.root_causes: list[RootCausePlan] = []
        seen_rc: dict[str, int] = {}
        for raw, cells in zip(self.plan_file.rows, parsed, strict=True):
            self._collect_finding(raw.number, cells)
            rc_ref = cells.get("root_cause_reference")
            if rc_ref:
                key = _key(rc_ref)
                if key in seen_rc:
                    self._row_problem(
                        raw.number,
                        "root_cause_reference",
                        f"'{rc_ref}' is also on row {seen_rc[key]}: each root cause has one row",
                    )
                else:
                    seen_rc[key] = raw.number
        self._finish_findings()
        self._resolve_owners(parsed)
        self._resolve_themes(parsed)
        for raw, cells in zip(self.plan_file.rows, parsed, strict=True):
            self._plan_root_cause(raw, cells)
        self._compare_findings()
        self._compare_root_causes()
        self._outcomes(parsed)
        return self.report

    def _row_problem(self, row: int, column: str | None, message: str) -> None:
        self.row_errors.add(row)
        self.problem(row, column, message)

    def _parse(self, raw: RawRow) -> dict[str, Any]:
        """Each cell to a typed value; a cell with a problem is left out."""
        cells: dict[str, Any] = {}
        v = raw.values
        number = raw.number

        def take(key: str, parser) -> None:
            try:
                cells[key] = parser(v[key])
            except values.CellError as exc:
                self._row_problem(number, key, str(exc))

        for key in (
            "isg",
            "finding_reference",
            "finding_text",
            "site",
            "root_cause_reference",
            "root_cause_description",
            "kpi_name",
            "cross_cutting_theme",
        ):
            cells[key] = values.text(v[key])
            limit = LIMITS.get(key)
            if limit and len(cells[key]) > limit:
                self._row_problem(
                    number,
                    key,
                    f"'{cells[key][:40]}…' is {len(cells[key])} characters long; the most is {limit}",
                )
                cells.pop(key)
        for key in ("isg", "finding_reference", "root_cause_reference", "root_cause_description"):
            if key in cells and not cells[key]:
                self._row_problem(number, key, f"enter the {BY_KEY[key].in_text}")
                cells.pop(key)
        if values.text(v["finding_type"]):
            take("finding_type", values.finding_type)
        take("core_service", self.reference.core_service)
        if values.text(v["cqc_domain"]):
            take("cqc_domain", self.reference.key_question_list)
        take("regulation", self.reference.regulation)
        if values.text(v["finding_source"]):
            take("finding_source", self.reference.source)
        take("owner_email", values.email)
        take("baseline_due_date", values.date)
        if "baseline_due_date" in cells and cells["baseline_due_date"] is None:
            self._row_problem(number, "baseline_due_date", "enter the baseline due date")
            cells.pop("baseline_due_date")
        take("current_due_date", values.date)
        take("status", values.status)
        take("date_closure_confirmed", values.date)
        take("kpi_target", values.number)
        take("kpi_improvement_direction", values.improvement)
        take("well_led_kloe", self.reference.item)
        self._check_closure(number, cells)
        if not cells.get("kpi_name") and (
            (cells.get("kpi_target") or (None,))[0] is not None
            or cells.get("kpi_improvement_direction")
        ):
            self._row_problem(
                number, "kpi_name", "a KPI target or direction is given, but no KPI name"
            )
        return cells

    def _check_closure(self, number: int, cells: dict) -> None:
        if "status" not in cells or "date_closure_confirmed" not in cells:
            return
        status, closed = cells["status"], cells["date_closure_confirmed"]
        if status is None:
            status = Status.COMPLETED if closed else Status.NOT_STARTED
            cells["status"] = status
        if status == Status.COMPLETED and closed is None:
            self._row_problem(
                number,
                "date_closure_confirmed",
                "a completed root cause needs the date its closure was confirmed",
            )
        elif status == Status.WITHDRAWN and closed is None:
            self._row_problem(
                number,
                "date_closure_confirmed",
                "a withdrawn root cause needs the date change control approved the withdrawal",
            )
        elif status in (Status.NOT_STARTED, Status.IN_PROGRESS) and closed is not None:
            label = values.STATUS_LABELS[status]
            self._row_problem(
                number,
                "date_closure_confirmed",
                f"a closure date is given but the status is {label}: make the status Completed "
                "(or Withdrawn), or clear the date",
            )
        elif closed is not None and closed > today():
            self._row_problem(
                number,
                "date_closure_confirmed",
                f"'{closed:%d/%m/%Y}' is in the future: a closure is dated when it was confirmed",
            )

    # ISGs ---------------------------------------------------------------------------------

    def _resolve_isgs(self, parsed: list[dict]) -> None:
        existing = list(self.programme.isgs.all())
        self.isgs: dict[str, ImprovementSteeringGroup | NewIsg] = {}
        # Every spelling of an ISG (its name or code) to one key, so rows can agree.
        self.isg_keys: dict[str, str] = {}
        for isg in existing:
            self.isgs[normalise(isg.name)] = isg
            self.isg_keys[normalise(isg.name)] = normalise(isg.name)
        for isg in existing:
            self.isg_keys.setdefault(normalise(isg.code), normalise(isg.name))
        taken = {isg.code for isg in existing}
        may_create = not existing or self.options.create_isgs
        names = ", ".join(isg.name for isg in existing)
        for raw, cells in zip(self.plan_file.rows, parsed, strict=True):
            name = cells.get("isg")
            if not name:
                continue
            key = normalise(name)
            if key in self.isg_keys:
                continue
            if may_create:
                new = NewIsg(name=name, code=services.isg_code_for(name, taken))
                taken.add(new.code)
                self.isgs[key] = new
                self.isg_keys[key] = key
                self.report.new_isgs.append(name)
            else:
                self._row_problem(
                    raw.number,
                    "isg",
                    f"'{name}' matches none of this programme's ISGs ({names}). Correct the "
                    'spelling, or tick "Create new ISGs" to add it',
                )
                cells.pop("isg")

    # Findings -----------------------------------------------------------------------------

    def _collect_finding(self, number: int, cells: dict) -> None:
        reference = cells.get("finding_reference")
        if not reference:
            return
        key = _key(reference)
        plan = self.findings.get(key)
        if plan is None:
            plan = self.findings[key] = FindingPlan(key=key, reference=reference, first_row=number)
        for name in FINDING_FIELDS:
            if name not in cells:
                continue
            value = cells[name]
            if value in (None, "", []):
                continue
            if name == "isg":
                value = self.isg_keys.get(normalise(value), normalise(value))
            if name not in plan.given:
                plan.given[name] = value
                plan.given_on[name] = number
            elif plan.given[name] != value:
                self._row_problem(
                    number,
                    name,
                    f"differs from row {plan.given_on[name]} for finding {plan.reference}: the "
                    "rows of one finding must agree (or leave it blank after the first row)",
                )

    def _finish_findings(self) -> None:
        existing = {
            _key(f.reference): f
            for f in Finding.objects.filter(programme=self.programme)
            .select_related("isg", "core_service", "regulation", "source")
            .prefetch_related("key_questions")
        }
        for plan in self.findings.values():
            plan.existing = existing.get(plan.key)
            given = plan.given
            if "isg" not in given and plan.first_row not in self.row_errors:
                self._row_problem(plan.first_row, "isg", "enter the ISG")
            if "finding_type" not in given:
                self._row_problem(plan.first_row, "finding_type", "enter Must Do or Should Do")
            if "finding_text" not in given:
                self._row_problem(plan.first_row, "finding_text", "enter the finding text")
            if given.get("finding_type") == FindingType.MUST_DO and not given.get("regulation"):
                self._row_problem(
                    plan.given_on.get("finding_type", plan.first_row),
                    "regulation",
                    f"{plan.reference} is a Must Do: enter the regulation it breaches "
                    "(Regulation 12, Reg 12 or 12)",
                )

    def _finding_values(self, plan: FindingPlan) -> dict[str, Any]:
        given = plan.given
        return {
            "isg": self.isgs.get(given.get("isg")),
            "finding_type": given.get("finding_type"),
            "text": given.get("finding_text", ""),
            "core_service": given.get("core_service"),
            "site": given.get("site", ""),
            "key_questions": given.get("cqc_domain", []),
            "regulation": given.get("regulation"),
            "source": given.get("finding_source") or self.reference.default_source,
        }

    def _compare_findings(self) -> None:
        for plan in self.findings.values():
            if plan.existing is None:
                plan.action = "create"
                continue
            finding = plan.existing
            wanted = self._finding_values(plan)
            changes = {}
            for name, value in wanted.items():
                if name == "key_questions":
                    if {kq.pk for kq in value} != {kq.pk for kq in finding.key_questions.all()}:
                        changes[name] = value
                elif name == "isg":
                    if value is None:
                        continue
                    if isinstance(value, NewIsg) or value.pk != finding.isg_id:
                        changes[name] = value
                elif getattr(finding, name) != value:
                    changes[name] = value
            plan.changes = changes
            plan.action = "update" if changes else "unchanged"

    # Owners and themes --------------------------------------------------------------------

    def _resolve_owners(self, parsed: list[dict]) -> None:
        emails = {cells["owner_email"] for cells in parsed if cells.get("owner_email")}
        User = get_user_model()
        self.owners: dict[str, Any] = {}
        for user in (
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .order_by("-pk")
        ):
            self.owners[user.lower_email] = user  # the oldest account wins
        for user in (
            User.objects.annotate(lower_username=Lower("username"))
            .filter(lower_username__in=emails - set(self.owners))
            .order_by("-pk")
        ):
            self.owners[user.lower_username] = user
        self.report.new_owners = sorted(emails - set(self.owners))

    def _resolve_themes(self, parsed: list[dict]) -> None:
        self.themes: dict[str, CrossCuttingTheme | NewTheme] = {
            normalise(theme.name): theme for theme in self.programme.themes.all()
        }
        for cells in parsed:
            name = cells.get("cross_cutting_theme")
            if not name:
                continue
            key = normalise(name)
            if key not in self.themes:
                plan = self.findings.get(_key(cells.get("finding_reference") or ""))
                isg_key = plan.given.get("isg") if plan else None
                if isg_key is None:
                    continue
                self.themes[key] = NewTheme(name=name, isg_key=isg_key)
                self.report.new_themes.append(name)

    # Root causes --------------------------------------------------------------------------

    def _plan_root_cause(self, raw: RawRow, cells: dict) -> None:
        if raw.number in self.row_errors:
            return
        baseline = cells["baseline_due_date"]
        target, is_percent = cells.get("kpi_target") or (None, False)
        kpi = None
        if cells.get("kpi_name"):
            kpi = {
                "name": cells["kpi_name"],
                "target": target,
                "is_percent": is_percent,
                "improvement": cells.get("kpi_improvement_direction"),
            }
        self.root_causes.append(
            RootCausePlan(
                row=raw.number,
                reference=cells["root_cause_reference"],
                finding_key=_key(cells["finding_reference"]),
                text=cells["root_cause_description"],
                owner_email=cells["owner_email"],
                baseline=baseline,
                current=cells.get("current_due_date") or baseline,
                status=cells["status"],
                closed_on=cells.get("date_closure_confirmed"),
                kpi=kpi,
                item=cells.get("well_led_kloe"),
                theme_key=normalise(cells["cross_cutting_theme"])
                if cells.get("cross_cutting_theme")
                else None,
            )
        )

    def _compare_root_causes(self) -> None:
        existing = {
            _key(rc.reference): rc
            for rc in RootCause.objects.filter(programme=self.programme).select_related(
                "owner", "kpi", "finding", "theme"
            )
        }
        for plan in self.root_causes:
            if plan.row in self.row_errors:
                continue
            rc = existing.get(_key(plan.reference))
            if rc is None:
                if plan.kpi:
                    self.report.new_kpis += 1
                continue
            plan.existing = rc
            self._compare_one(plan, rc)

    def _compare_one(self, plan: RootCausePlan, rc: RootCause) -> None:
        changes: dict[str, Any] = {}
        finding_plan = self.findings[plan.finding_key]
        if finding_plan.existing is None or finding_plan.existing.pk != rc.finding_id:
            changes["finding"] = finding_plan.reference
        if plan.text != plan_services.plan_text(rc):
            changes["text"] = plan.text
        owner = self.owners.get(plan.owner_email)
        if owner is None or owner.pk != rc.owner_id:
            changes["owner"] = plan.owner_email
        if plan.baseline != rc.baseline_due_date:
            if self.options.original_baseline:
                changes["baseline_due_date"] = plan.baseline
            else:
                self._row_problem(
                    plan.row,
                    "baseline_due_date",
                    f"the tracker's baseline for {rc.reference} is "
                    f"{rc.baseline_due_date:%d/%m/%Y}, the file says {plan.baseline:%d/%m/%Y}. "
                    'After set-up the baseline moves only by change control; tick "This is '
                    'the original baseline" only if this file is the plan as first agreed',
                )
        if plan.current != rc.current_due_date:
            changes["current_due_date"] = plan.current
            if not self.options.original_baseline:
                self.warn(
                    plan.row,
                    "current_due_date",
                    f"{rc.reference} moves from {rc.current_due_date:%d/%m/%Y} to "
                    f"{plan.current:%d/%m/%Y}; after set-up, due dates should change through "
                    "change control",
                )
        self._compare_status(plan, rc, changes)
        if plan.kpi:
            kpi = rc.kpi
            if kpi is None:
                changes["kpi"] = plan.kpi
                self.report.new_kpis += 1
            else:
                unit = "percentage" if plan.kpi["is_percent"] else kpi.unit
                improvement = plan.kpi["improvement"] or kpi.improvement
                if (
                    kpi.name != plan.kpi["name"]
                    or kpi.target != plan.kpi["target"]
                    or kpi.unit != unit
                    or kpi.improvement != improvement
                ):
                    changes["kpi"] = plan.kpi
        if (plan.item.pk if plan.item else None) != rc.assessment_item_id:
            changes["assessment_item"] = plan.item
        theme = self.themes.get(plan.theme_key) if plan.theme_key else None
        if isinstance(theme, NewTheme) or (theme.pk if theme else None) != rc.theme_id:
            changes["theme"] = plan.theme_key
        plan.changes = changes

    def _compare_status(self, plan: RootCausePlan, rc: RootCause, changes: dict) -> None:
        status, closed = plan.status, plan.closed_on
        if rc.status == Status.COMPLETED:
            if status == Status.COMPLETED and closed == rc.completed_on:
                return
            if status == Status.COMPLETED:
                message = (
                    f"{rc.reference}'s closure was confirmed on {rc.completed_on:%d/%m/%Y} in "
                    f"the tracker; the import does not change a confirmed closure date"
                )
            else:
                message = (
                    f"{rc.reference} is complete in the tracker (closure confirmed on "
                    f"{rc.completed_on:%d/%m/%Y}); the import does not reopen a completed root "
                    "cause. Make the row Completed with that date"
                )
            self._row_problem(plan.row, "status", message)
            return
        if rc.status == Status.WITHDRAWN:
            if status == Status.WITHDRAWN and closed == rc.withdrawn_on:
                return
            self._row_problem(
                plan.row,
                "status",
                f"{rc.reference} was withdrawn by change control on {rc.withdrawn_on:%d/%m/%Y}; "
                "the import does not reinstate it or change that date",
            )
            return
        if rc.status == Status.CLOSURE_REQUESTED and status in (Status.COMPLETED, Status.WITHDRAWN):
            self._row_problem(
                plan.row,
                "status",
                f"closure of {rc.reference} has been requested in the tracker and waits for the "
                "ISG chair: confirm or reject it there",
            )
            return
        if status == Status.NOT_STARTED and rc.status != Status.NOT_STARTED:
            self.warn(
                plan.row,
                "status",
                f"{rc.reference} is In progress in the tracker (updates have been posted); it "
                "stays In progress",
            )
            return
        if status == Status.IN_PROGRESS and rc.status == Status.CLOSURE_REQUESTED:
            return
        if status != rc.status:
            changes["status"] = status
            changes["closed_on"] = closed

    def _outcomes(self, parsed: list[dict]) -> None:
        by_row = {plan.row: plan for plan in self.root_causes}
        problems_by_row: dict[int, list[str]] = {}
        for problem in self.report.problems:
            if problem.row:
                text = f"{problem.column}: {problem.message}" if problem.column else problem.message
                problems_by_row.setdefault(problem.row, []).append(text)
        finding_rows = {plan.first_row: plan for plan in self.findings.values()}
        for raw, cells in zip(self.plan_file.rows, parsed, strict=True):
            outcome = RowOutcome(
                row=raw.number,
                reference=cells.get("root_cause_reference") or "",
                finding_reference=cells.get("finding_reference") or "",
            )
            plan = by_row.get(raw.number)
            if raw.number in self.row_errors or plan is None:
                outcome.action = "error"
                outcome.problems = problems_by_row.get(raw.number, [])
            elif plan.existing is None:
                outcome.action = "create"
            else:
                outcome.changes = [self._describe(name, plan) for name in plan.changes]
                outcome.action = "update" if plan.changes else "unchanged"
            finding = finding_rows.get(raw.number)
            if finding is not None and outcome.action != "error" and finding.action == "update":
                outcome.changes += [
                    f"finding {FIELD_NAMES[name]} changes" for name in finding.changes
                ]
                if outcome.action == "unchanged":
                    outcome.action = "update"
            self.report.rows.append(outcome)
        for finding in self.findings.values():
            self.report.findings[finding.action] += 1

    @staticmethod
    def _describe(name: str, plan: RootCausePlan) -> str:
        rc = plan.existing
        if name == "current_due_date":
            return f"current due date {rc.current_due_date:%d/%m/%Y} → {plan.current:%d/%m/%Y}"
        if name == "baseline_due_date":
            return f"baseline due date {rc.baseline_due_date:%d/%m/%Y} → {plan.baseline:%d/%m/%Y}"
        if name == "status":
            label = values.STATUS_LABELS[plan.status]
            when = f" on {plan.closed_on:%d/%m/%Y}" if plan.closed_on else ""
            return f"status {values.STATUS_LABELS[rc.status]} → {label}{when}"
        if name == "owner":
            return f"owner → {plan.owner_email}"
        return {
            "finding": "moves to another finding",
            "text": "description changes",
            "kpi": "KPI changes",
            "assessment_item": "KLOE changes",
            "theme": "cross-cutting theme changes",
            "closed_on": "closure date changes",
        }.get(name, name)

    # -- the commit -----------------------------------------------------------------------

    def apply(self) -> Report:
        """Write the checked plan. Call inside a transaction, after check() found no problem."""
        assert self.report.ok
        by, reason = self.by, self.reason
        for email in self.report.new_owners:
            self.owners[email], _ = services.owner_get_or_create(email=email)
        for isg in list(self.isgs.values()):
            if isinstance(isg, NewIsg) and isg.created is None:
                isg.created = services.isg_create(
                    by=by, programme=self.programme, name=isg.name, code=isg.code, reason=reason
                )
        isgs = {
            key: (isg.created if isinstance(isg, NewIsg) else isg) for key, isg in self.isgs.items()
        }
        themes = {}
        for key, theme in self.themes.items():
            if isinstance(theme, NewTheme):
                theme.created = services.theme_create(
                    by=by,
                    programme=self.programme,
                    name=theme.name,
                    reporting_isg=isgs[theme.isg_key],
                    reason=reason,
                )
                themes[key] = theme.created
            else:
                themes[key] = theme
        inspection = self.programme.inspections.first()
        findings: dict[str, Finding] = {}
        new_findings = [plan for plan in self.findings.values() if plan.existing is None]
        specs = []
        for plan in new_findings:
            wanted = self._finding_values(plan)
            wanted["isg"] = isgs[plan.given["isg"]]
            specs.append({"reference": plan.reference, **wanted})
        created = finding_services.findings_create_many(
            by=by, programme=self.programme, specs=specs, inspection=inspection, reason=reason
        )
        for plan, finding in zip(new_findings, created, strict=True):
            findings[plan.key] = finding
        for plan in self.findings.values():
            if plan.existing is None:
                continue
            wanted = self._finding_values(plan)
            wanted["isg"] = isgs[plan.given["isg"]]
            changes = {name: wanted[name] for name in plan.changes}
            key_questions = changes.pop("key_questions", None)
            if changes or key_questions is not None:
                plan.existing = finding_services.finding_update(
                    by=by,
                    finding=plan.existing,
                    reason=reason,
                    key_questions=key_questions,
                    **changes,
                )
            findings[plan.key] = plan.existing
        new_root_causes = []
        for plan in self.root_causes:
            finding = findings[plan.finding_key]
            if plan.existing is None:
                new_root_causes.append(
                    {
                        "finding": finding,
                        "reference": plan.reference,
                        "text": plan.text,
                        "owner": self.owners[plan.owner_email],
                        "baseline_due_date": plan.baseline,
                        "current_due_date": plan.current,
                        "status": plan.status,
                        "closed_on": plan.closed_on,
                        "kpi_name": plan.kpi["name"] if plan.kpi else "",
                        "kpi_target": plan.kpi["target"] if plan.kpi else None,
                        "kpi_target_is_percent": plan.kpi["is_percent"] if plan.kpi else False,
                        "kpi_improvement": plan.kpi["improvement"] if plan.kpi else None,
                        "assessment_item": plan.item,
                        "theme": themes.get(plan.theme_key) if plan.theme_key else None,
                    }
                )
                continue
            changes = dict(plan.changes)
            if (
                not changes
                and plan.existing.finding_id == finding.pk
                and (plan.existing.isg_id == finding.isg_id)
            ):
                continue
            if "finding" in changes or plan.existing.isg_id != finding.isg_id:
                changes["finding"] = finding
            if "owner" in changes:
                changes["owner"] = self.owners[plan.owner_email]
            if "theme" in changes:
                changes["theme"] = themes.get(plan.theme_key) if plan.theme_key else None
            plan_services.root_cause_update_from_plan(
                by=by,
                root_cause=plan.existing,
                reason=reason,
                original_baseline=self.options.original_baseline,
                **changes,
            )
        # New root causes (and their KPIs) in bulk: a first import of 5,000 rows stays quick.
        plan_services.root_causes_create_from_plan_many(by=by, rows=new_root_causes, reason=reason)
        return self.report


def check_file(
    *, programme: Programme, name: str, stream: IO[bytes], options: Options, by: Any
) -> Report:
    """The dry run: what importing this file would do, and every problem. Writes nothing."""
    try:
        plan_file = read_plan_file(name, stream)
    except FileProblem as exc:
        report = Report(file_name=name, options=options, file_problem=True)
        report.problems.append(Problem(None, None, str(exc)))
        return report
    return PlanImport(programme=programme, plan_file=plan_file, options=options, by=by).check()


def import_file(
    *, programme: Programme, name: str, stream: IO[bytes], options: Options, by: Any
) -> Report:
    """Check the file again and, only if it has no problem, apply it in one transaction."""
    try:
        plan_file = read_plan_file(name, stream)
    except FileProblem as exc:
        report = Report(file_name=name, options=options, file_problem=True)
        report.problems.append(Problem(None, None, str(exc)))
        return report
    with transaction.atomic():
        # One import at a time per programme: the check and the writes see the same plan.
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        job = PlanImport(programme=programme, plan_file=plan_file, options=options, by=by)
        report = job.check()
        if report.ok:
            job.apply()
    return report


def earliest_and_latest(plan_file: PlanFile) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest dates in a file, for a programme created by the first import."""
    found: list[dt.date] = []
    for row in plan_file.rows:
        for key in ("baseline_due_date", "current_due_date", "date_closure_confirmed"):
            try:
                day = values.date(row.values[key])
            except values.CellError:
                continue
            if day:
                found.append(day)
    return (min(found), max(found)) if found else (None, None)


__all__ = [
    "PlanImport",
    "check_file",
    "earliest_and_latest",
    "import_file",
]
