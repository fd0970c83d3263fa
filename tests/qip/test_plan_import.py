"""The plan import: matching, dates, shared findings, owners, KPIs, ISGs and the closure rules."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from findings.models import Finding
from kpis.models import KPI
from qip.models import CrossCuttingTheme, ImprovementSteeringGroup, Programme
from qip.plan_import.engine import check_file, import_file
from qip.plan_import.report import Options
from qip.plan_import.services import isg_code_for
from rootcauses.models import RootCause
from tests.factories import UserFactory

from .plan_files import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(programme, pmo, rows, *, fmt="csv", commit=True, **options):
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    action = import_file if commit else check_file
    return action(
        programme=programme,
        name=f"plan.{fmt}",
        stream=io.BytesIO(content),
        options=Options(**options),
        by=pmo,
    )


def messages(report):
    return [str(p) for p in report.problems]


def test_import_creates_the_plan_with_owners_kpis_and_isgs(programme, pmo):
    rows = [
        row(),
        row(root_cause_reference="WC-MD-01 RC2", owner_email="ben.morgan@example-trust.nhs.uk"),
        row(
            isg="Well-led",
            finding_reference="WL-SD-01",
            finding_type="Should Do",
            regulation="",
            root_cause_reference="WL-SD-01 RC1",
            well_led_kloe="w3",
            kpi_target="12",
            kpi_improvement_direction="Lower is better",
        ),
    ]
    report = run(programme, pmo, rows)
    assert report.ok, messages(report)
    assert report.totals()["root_causes_created"] == 3
    assert report.totals()["findings_created"] == 2
    isgs = {isg.name: isg for isg in programme.isgs.all()}
    assert set(isgs) == {"Women's and Children's", "Well-led"}
    assert isgs["Well-led"].cadence == ImprovementSteeringGroup.Cadence.MONTHLY
    assert isgs["Well-led"].structured_by_kloe
    assert isgs["Women's and Children's"].code == "WC"

    rc = RootCause.objects.get(reference="WC-MD-01 RC1")
    assert rc.owner.username == "amara.okafor@example-trust.nhs.uk"
    assert rc.owner.email == "amara.okafor@example-trust.nhs.uk"
    assert not rc.owner.has_usable_password()
    assert rc.baseline_due_date == rc.current_due_date == dt.date(2019, 4, 30)
    assert rc.status == RootCause.Status.NOT_STARTED
    assert rc.kpi.unit == KPI.Unit.PERCENTAGE and rc.kpi.target == Decimal(95)
    assert rc.kpi.level == KPI.Level.ROOT_CAUSE and rc.kpi.isg == rc.isg

    wl = RootCause.objects.get(reference="WL-SD-01 RC1")
    assert wl.assessment_item.code == "W3"
    assert wl.kpi.unit == KPI.Unit.COUNT
    assert wl.kpi.improvement == KPI.Improvement.DECREASE

    finding = Finding.objects.get(reference="WC-MD-01")
    assert finding.root_causes.count() == 2  # a shared finding is created once
    assert finding.regulation.number == "18"
    assert finding.core_service.code == "MAT"
    assert [kq.code for kq in finding.key_questions.order_by("order")] == ["SAFE", "WELL_LED"]
    history = finding.history.first()
    assert history.history_user == pmo
    assert history.history_change_reason == "Imported from plan.csv"
    assert rc.history.first().history_user == pmo


def test_matching_ignores_case_spacing_and_punctuation(programme, pmo):
    report = run(
        programme,
        pmo,
        [
            row(
                isg="womens and childrens",
                finding_type="  MUST-DO ",
                cqc_domain="safe , WELL LED",
                regulation="Reg 12",
                finding_source="section 31 notice",
                core_service="mat",
                status="in PROGRESS",
                kpi_improvement_direction="higher",
            ),
            row(
                root_cause_reference="WC-MD-01 RC2",
                regulation="12",
                cqc_domain="Safe; Well-led",
                finding_source="S31 notice",
                core_service="Maternity",
            ),
        ],
    )
    # The finding's rows spell the same things differently: they still agree.
    assert report.ok, messages(report)
    finding = Finding.objects.get()
    assert finding.regulation.number == "12"
    assert finding.source.code == "S31_NOTICE"
    assert RootCause.objects.get(reference="WC-MD-01 RC1").status == "in_progress"


@pytest.mark.parametrize(
    "written",
    ["Regulation 12", "Reg 12", "12", "reg. 12", "Regulation 12: Safe care and treatment"],
)
def test_regulation_spellings(programme, pmo, written):
    report = run(programme, pmo, [row(regulation=written)])
    assert report.ok, messages(report)
    assert Finding.objects.get().regulation.number == "12"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019-04-30", dt.date(2019, 4, 30)),
        ("30/04/2019", dt.date(2019, 4, 30)),
        ("30/04/19", dt.date(2019, 4, 30)),
        ("43585", dt.date(2019, 4, 30)),  # an Excel serial date in a CSV
    ],
)
def test_dates_in_iso_uk_and_excel_form(programme, pmo, written, expected):
    report = run(programme, pmo, [row(baseline_due_date=written)])
    assert report.ok, messages(report)
    assert RootCause.objects.get().baseline_due_date == expected


def test_real_date_cells_and_serial_numbers_in_xlsx(programme, pmo):
    content = xlsx_bytes(
        [row(), row(root_cause_reference="WC-MD-01 RC2")],
        raw_cells={"M2": dt.datetime(2019, 5, 31), "M3": 43616},
    )
    report = import_file(
        programme=programme,
        name="plan.xlsx",
        stream=io.BytesIO(content),
        options=Options(),
        by=pmo,
    )
    assert report.ok, messages(report)
    dates = dict(RootCause.objects.values_list("reference", "baseline_due_date"))
    assert dates == {"WC-MD-01 RC1": dt.date(2019, 5, 31), "WC-MD-01 RC2": dt.date(2019, 5, 31)}


def test_an_impossible_date_is_reported_with_its_row_and_column(programme, pmo):
    rows = [row(root_cause_reference=f"WC-MD-01 RC{n}") for n in range(1, 17)]
    rows.append(row(root_cause_reference="WC-MD-01 RC17", baseline_due_date="31/02/2019"))
    report = run(programme, pmo, rows)
    assert not report.ok
    assert messages(report) == [
        "row 18, baseline due date: '31/02/2019' is not a date "
        "(write it as 30/04/2019 or 2019-04-30)"
    ]
    assert not RootCause.objects.exists() and not Finding.objects.exists()
    assert not programme.isgs.exists()


def test_every_problem_is_listed_and_nothing_is_written(programme, pmo):
    rows = [
        row(finding_type="Could Do"),
        row(root_cause_reference="WC-MD-01 RC2", owner_email="not an email"),
        row(root_cause_reference="WC-MD-01 RC3", status="Done-ish"),
        row(root_cause_reference="WC-MD-01 RC4", cqc_domain="Safe; Kind"),
        row(root_cause_reference="WC-MD-01 RC5", well_led_kloe="W9"),
        row(root_cause_reference="WC-MD-01 RC6", kpi_target="lots"),
        row(root_cause_reference="", baseline_due_date=""),
    ]
    report = run(programme, pmo, rows)
    text = "\n".join(messages(report))
    assert "row 2, finding type: 'Could Do' is not Must Do or Should Do" in text
    assert "row 3, owner email: 'not an email' is not an email address" in text
    assert "row 4, status: 'Done-ish' is not a status" in text
    assert "row 5, CQC domain: 'Kind' is not a CQC domain" in text
    assert "row 6, Well-led KLOE: 'W9' is not a key line of enquiry" in text
    assert "row 7, KPI target: 'lots' is not a number" in text
    assert "row 8, root cause reference: enter the root cause reference" in text
    assert "row 8, baseline due date: enter the baseline due date" in text
    assert {r.action for r in report.rows} == {"error"}
    assert not RootCause.objects.exists()


def test_rows_that_disagree_about_a_shared_finding_are_an_error(programme, pmo):
    rows = [
        row(),
        row(root_cause_reference="WC-MD-01 RC2", finding_text="", regulation=""),  # blank: same
        row(root_cause_reference="WC-MD-01 RC3", finding_text="Something else entirely."),
    ]
    report = run(programme, pmo, rows)
    assert messages(report) == [
        "row 4, finding text: differs from row 2 for finding WC-MD-01: the rows of one finding "
        "must agree (or leave it blank after the first row)"
    ]


def test_a_must_do_needs_a_regulation(programme, pmo):
    report = run(programme, pmo, [row(regulation="")])
    assert messages(report) == [
        "row 2, regulation: WC-MD-01 is a Must Do: enter the regulation it breaches "
        "(Regulation 12, Reg 12 or 12)"
    ]


def test_a_duplicate_root_cause_reference_is_an_error(programme, pmo):
    report = run(programme, pmo, [row(), row(root_cause_reference="wc-md-01  rc1")])
    assert messages(report) == [
        "row 3, root cause reference: 'wc-md-01  rc1' is also on row 2: each root cause has one row"
    ]


def test_owners_are_matched_by_email_without_regard_to_case(programme, pmo):
    existing = UserFactory(username="aokafor", email="Amara.Okafor@Example-Trust.nhs.uk")
    report = run(programme, pmo, [row(owner_email="AMARA.OKAFOR@example-trust.NHS.uk")])
    assert report.ok and report.new_owners == []
    assert RootCause.objects.get().owner == existing


class TestIsgs:
    def test_an_unknown_isg_is_an_error_naming_the_spelling_and_the_isgs(
        self, programme, pmo, isg, other_isg
    ):
        report = run(programme, pmo, [row(isg="Womens & Childrens services")])
        assert messages(report) == [
            "row 2, ISG: 'Womens & Childrens services' matches none of this programme's ISGs "
            "(Scheduled Care, Women's and Children's). Correct the spelling, or tick \"Create new "
            'ISGs" to add it'
        ] or messages(report) == [
            "row 2, ISG: 'Womens & Childrens services' matches none of this programme's ISGs "
            "(Women's and Children's, Scheduled Care). Correct the spelling, or tick \"Create "
            'new ISGs" to add it'
        ]
        assert programme.isgs.count() == 2

    def test_isg_names_match_existing_ones_loosely_and_by_code(self, programme, pmo, isg):
        report = run(
            programme,
            pmo,
            [row(isg="WOMENS AND CHILDRENS"), row(isg="wc", root_cause_reference="WC-MD-01 RC2")],
        )
        assert report.ok, messages(report)
        assert set(RootCause.objects.values_list("isg", flat=True)) == {isg.pk}

    def test_create_new_isgs_when_ticked(self, programme, pmo, isg):
        report = run(
            programme,
            pmo,
            [row(isg="Workforce", finding_reference="WF-MD-01", root_cause_reference="WF-1")],
            create_isgs=True,
        )
        assert report.ok, messages(report)
        assert report.new_isgs == ["Workforce"]
        assert programme.isgs.get(name="Workforce").code == "WO"

    def test_codes_come_from_initials_and_are_unique(self):
        assert isg_code_for("Women's and Children's", set()) == "WC"
        assert isg_code_for("Well-led", set()) == "WL"
        assert isg_code_for("Workforce", set()) == "WO"
        assert isg_code_for("Women and Children", {"WC"}) == "WC2"
        assert isg_code_for("Women and Children", {"WC", "WC2"}) == "WC3"


class TestClosure:
    def test_a_closure_date_makes_a_row_completed_on_that_date(self, programme, pmo, today):
        rows = [
            row(status="", date_closure_confirmed="02/05/2019"),
            row(
                root_cause_reference="WC-MD-01 RC2",
                status="Completed",
                date_closure_confirmed="2019-05-03",
            ),
            row(
                root_cause_reference="WC-MD-01 RC3",
                status="Withdrawn",
                date_closure_confirmed="2019-05-04",
            ),
        ]
        report = run(programme, pmo, rows)
        assert report.ok, messages(report)
        got = {
            rc.reference: (rc.status, rc.completed_on, rc.withdrawn_on)
            for rc in RootCause.objects.all()
        }
        assert got == {
            "WC-MD-01 RC1": ("completed", dt.date(2019, 5, 2), None),
            "WC-MD-01 RC2": ("completed", dt.date(2019, 5, 3), None),
            "WC-MD-01 RC3": ("withdrawn", None, dt.date(2019, 5, 4)),
        }

    @pytest.mark.parametrize(
        ("status", "closed", "message"),
        [
            ("Completed", "", "a completed root cause needs the date its closure was confirmed"),
            (
                "Withdrawn",
                "",
                "a withdrawn root cause needs the date change control approved the withdrawal",
            ),
            (
                "In progress",
                "01/05/2019",
                "a closure date is given but the status is In progress: make the status "
                "Completed (or Withdrawn), or clear the date",
            ),
            (
                "Completed",
                "01/05/2099",
                "'01/05/2099' is in the future: a closure is dated when it was confirmed",
            ),
        ],
    )
    def test_closure_rules(self, programme, pmo, today, status, closed, message):
        report = run(programme, pmo, [row(status=status, date_closure_confirmed=closed)])
        assert messages(report) == [f"row 2, date closure confirmed: {message}"]


def test_cross_cutting_theme_is_created_reporting_through_the_rows_isg(programme, pmo):
    rows = [
        row(cross_cutting_theme="Digital templates"),
        row(root_cause_reference="WC-MD-01 RC2", cross_cutting_theme="digital  TEMPLATES"),
    ]
    report = run(programme, pmo, rows)
    assert report.ok and report.new_themes == ["Digital templates"]
    theme = CrossCuttingTheme.objects.get()
    assert theme.reporting_isg.name == "Women's and Children's"
    assert set(RootCause.objects.values_list("theme", flat=True)) == {theme.pk}


def test_dry_run_writes_nothing_and_counts_what_it_would_do(programme, pmo):
    report = run(programme, pmo, [row(), row(root_cause_reference="X-2")], commit=False)
    assert report.ok
    assert report.totals() == {
        "root_causes_created": 2,
        "root_causes_updated": 0,
        "root_causes_unchanged": 0,
        "rows_with_errors": 0,
        "findings_created": 1,
        "findings_updated": 0,
        "findings_unchanged": 0,
        "isgs_created": 1,
        "owners_created": 1,
        "kpis_created": 2,
        "themes_created": 0,
    }
    assert not RootCause.objects.exists() and not programme.isgs.exists()
    assert not get_user_model().objects.filter(email__startswith="amara").exists()


def test_text_starting_with_formula_characters_is_kept_as_text(programme, pmo):
    rows = [
        row(finding_text='=HYPERLINK("http://evil")', root_cause_description="- bullet point"),
        row(root_cause_reference="RC-2", finding_text="", root_cause_description="@mention and +1"),
    ]
    report = run(programme, pmo, rows, fmt="xlsx")
    assert report.ok, messages(report)
    assert Finding.objects.get().text == '=HYPERLINK("http://evil")'
    assert RootCause.objects.get(reference="RC-2").title == "@mention and +1"


class TestCommand:
    def write(self, tmp_path, rows, name="trust plan.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows))
        return path

    def test_creates_a_programme_named_after_the_file_when_there_is_none(self, tmp_path, today):
        path = self.write(tmp_path, [row(baseline_due_date="2019-04-30")])
        out = io.StringIO()
        call_command("import_plan", str(path), stdout=out)
        programme = Programme.objects.get()
        assert programme.name == "trust plan"
        assert programme.framework.code == "KLOE_HC_2017"
        assert programme.sprint_anchor == dt.date(2019, 4, 29)  # the Monday on or before
        assert programme.periods.filter(cadence="fortnightly").exists()
        assert RootCause.objects.count() == 1
        assert "Imported trust plan.csv into trust plan" in out.getvalue()

    def test_uses_the_only_programme(self, tmp_path, programme, pmo):
        path = self.write(tmp_path, [row()])
        call_command("import_plan", str(path), "--by", "pmo", stdout=io.StringIO())
        assert RootCause.objects.get().programme == programme
        assert RootCause.objects.get().history.first().history_user == pmo

    def test_dry_run_changes_nothing(self, tmp_path, programme):
        path = self.write(tmp_path, [row()])
        out = io.StringIO()
        call_command("import_plan", str(path), "--dry-run", stdout=out)
        assert "Would import" in out.getvalue()
        assert not RootCause.objects.exists()

    def test_errors_exit_non_zero_with_the_same_messages(self, tmp_path, programme, isg):
        path = self.write(tmp_path, [row(baseline_due_date="31/02/2019", isg="Wemen")])
        err = io.StringIO()
        with pytest.raises(CommandError, match="2 problem"):
            call_command("import_plan", str(path), stdout=io.StringIO(), stderr=err)
        assert "row 2, baseline due date: '31/02/2019' is not a date" in err.getvalue()
        assert "row 2, ISG: 'Wemen' matches none of this programme's ISGs" in err.getvalue()
        assert not RootCause.objects.exists()

    def test_create_isgs_option(self, tmp_path, programme, isg):
        path = self.write(tmp_path, [row(isg="Workforce")])
        call_command("import_plan", str(path), "--create-isgs", stdout=io.StringIO())
        assert programme.isgs.filter(name="Workforce").exists()

    def test_a_bad_file_exits_non_zero(self, tmp_path, programme):
        path = tmp_path / "plan.xlsx"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        with pytest.raises(CommandError, match="looks like a PNG image"):
            call_command("import_plan", str(path), stdout=io.StringIO())

    def test_several_programmes_need_a_name(self, tmp_path, programme):
        Programme.objects.create(
            name="Other", framework=programme.framework, sprint_anchor=dt.date(2024, 1, 1)
        )
        path = self.write(tmp_path, [row()])
        with pytest.raises(CommandError, match="several programmes"):
            call_command("import_plan", str(path), stdout=io.StringIO())
        call_command("import_plan", str(path), "--programme", "Other", stdout=io.StringIO())
        assert RootCause.objects.get().programme.name == "Other"
