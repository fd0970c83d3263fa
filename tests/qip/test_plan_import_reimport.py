"""Re-importing updates by reference, never duplicates, leaves unchanged rows alone, and keeps
the baseline and confirmed closures as the tracker has them."""

import datetime as dt
import io

import pytest

from findings.models import Finding
from kpis.models import KPI
from qip.plan_import.engine import check_file, import_file
from qip.plan_import.report import Options
from rootcauses import services as rc_services
from rootcauses.models import RootCause

from .plan_files import csv_bytes, row

pytestmark = pytest.mark.django_db


def run(programme, pmo, rows, *, commit=True, name="plan.csv", **options):
    action = import_file if commit else check_file
    return action(
        programme=programme,
        name=name,
        stream=io.BytesIO(csv_bytes(rows)),
        options=Options(**options),
        by=pmo,
    )


def messages(report):
    return [str(p) for p in report.problems]


def history_count():
    return RootCause.history.count() + Finding.history.count() + KPI.history.count()


@pytest.fixture
def rows():
    return [
        row(),
        row(root_cause_reference="WC-MD-01 RC2", owner_email="ben@example-trust.nhs.uk"),
        row(
            finding_reference="WC-SD-01",
            finding_type="Should Do",
            regulation="",
            root_cause_reference="WC-SD-01 RC1",
            status="Completed",
            date_closure_confirmed="01/05/2019",
        ),
    ]


@pytest.fixture
def imported(programme, pmo, rows, today):
    report = run(programme, pmo, rows)
    assert report.ok, messages(report)
    return programme


def test_the_same_file_again_changes_nothing(imported, pmo, rows):
    before = history_count()
    ids = set(RootCause.objects.values_list("pk", flat=True))
    report = run(imported, pmo, rows)
    assert report.ok
    assert report.totals()["root_causes_unchanged"] == 3
    assert report.totals()["findings_unchanged"] == 2
    assert not report.has_changes
    assert set(RootCause.objects.values_list("pk", flat=True)) == ids
    assert Finding.objects.count() == 2 and KPI.objects.count() == 3
    assert history_count() == before  # nothing written, not even an audit row


def test_a_corrected_file_updates_by_reference(imported, pmo, rows):
    rows[0]["root_cause_description"] = "Escalation not followed at night or weekends"
    rows[0]["current_due_date"] = "31/05/2019"
    rows[0]["status"] = "In progress"
    rows[0]["kpi_target"] = "98%"
    rows[1]["owner_email"] = "carol@example-trust.nhs.uk"
    rows[2]["site"] = "PRH"
    rows.append(row(root_cause_reference="WC-MD-01 RC3"))
    report = run(imported, pmo, rows, name="plan v2.csv")
    assert report.ok, messages(report)
    assert [(r.row, r.action) for r in report.rows] == [
        (2, "update"),
        (3, "update"),
        (4, "update"),
        (5, "create"),
    ]
    assert "current due date 30/04/2019 → 31/05/2019" in report.rows[0].changes
    # After set-up a moved date is worth a note, not a refusal.
    assert "should change through change control" in str(report.warnings[0])
    rc = RootCause.objects.get(reference="WC-MD-01 RC1")
    assert rc.title == "Escalation not followed at night or weekends"
    assert rc.current_due_date == dt.date(2019, 5, 31)
    assert rc.baseline_due_date == dt.date(2019, 4, 30)
    assert rc.status == "in_progress"
    assert rc.kpi.target == 98
    assert rc.history.first().history_change_reason == "Imported from plan v2.csv"
    assert (
        RootCause.objects.get(reference="WC-MD-01 RC2").owner.email == "carol@example-trust.nhs.uk"
    )
    assert Finding.objects.get(reference="WC-SD-01").site == "PRH"
    assert RootCause.objects.count() == 4 and Finding.objects.count() == 2


class TestBaseline:
    def test_a_changed_baseline_is_refused(self, imported, pmo, rows):
        rows[0]["baseline_due_date"] = "15/05/2019"
        report = run(imported, pmo, rows)
        assert messages(report) == [
            "row 2, baseline due date: the tracker's baseline for WC-MD-01 RC1 is 30/04/2019, the "
            "file says 15/05/2019. After set-up the baseline moves only by change control; tick "
            '"This is the original baseline" only if this file is the plan as first agreed'
        ]
        assert RootCause.objects.get(reference="WC-MD-01 RC1").baseline_due_date == dt.date(
            2019, 4, 30
        )

    def test_allowed_when_this_is_the_original_baseline(self, imported, pmo, rows):
        rows[0]["baseline_due_date"] = "15/05/2019"
        report = run(imported, pmo, rows, original_baseline=True)
        assert report.ok, messages(report)
        rc = RootCause.objects.get(reference="WC-MD-01 RC1")
        assert rc.baseline_due_date == dt.date(2019, 5, 15)
        # A blank current due date means the baseline.
        assert rc.current_due_date == dt.date(2019, 5, 15)
        assert not report.warnings

    def test_refused_in_the_service_too(self, imported, pmo):
        from django.core.exceptions import ValidationError

        from rootcauses.plan_services import root_cause_update_from_plan

        rc = RootCause.objects.get(reference="WC-MD-01 RC1")
        with pytest.raises(ValidationError, match="moves only by change control"):
            root_cause_update_from_plan(
                by=pmo, root_cause=rc, baseline_due_date=dt.date(2019, 6, 1)
            )


class TestStatus:
    def test_completion_on_re_import_sets_the_date_and_status(self, imported, pmo, rows):
        rows[0]["status"] = "Completed"
        rows[0]["date_closure_confirmed"] = "2019-05-10"
        report = run(imported, pmo, rows)
        assert report.ok
        rc = RootCause.objects.get(reference="WC-MD-01 RC1")
        assert (rc.status, rc.completed_on) == ("completed", dt.date(2019, 5, 10))

    def test_a_completed_root_cause_is_not_reopened(self, imported, pmo, rows):
        rows[2]["status"] = "In progress"
        rows[2]["date_closure_confirmed"] = ""
        report = run(imported, pmo, rows)
        assert messages(report) == [
            "row 4, status: WC-SD-01 RC1 is complete in the tracker (closure confirmed on "
            "01/05/2019); the import does not reopen a completed root cause. Make the row "
            "Completed with that date"
        ]
        assert RootCause.objects.get(reference="WC-SD-01 RC1").status == "completed"

    def test_a_confirmed_closure_date_is_not_moved(self, imported, pmo, rows):
        rows[2]["date_closure_confirmed"] = "02/05/2019"
        report = run(imported, pmo, rows)
        assert "the import does not change a confirmed closure date" in messages(report)[0]

    def test_a_pending_closure_request_is_left_to_the_chair(self, imported, pmo, rows):
        rc = RootCause.objects.get(reference="WC-MD-01 RC1")
        rc_services.closure_request(by=rc.owner, root_cause=rc, note="Audit at 100%.")
        rows[0]["status"] = "Completed"
        rows[0]["date_closure_confirmed"] = "2019-05-10"
        report = run(imported, pmo, rows)
        assert "waits for the ISG chair" in messages(report)[0]
        # The plan's "In progress" matches a pending request: nothing to change.
        rows[0]["status"], rows[0]["date_closure_confirmed"] = "In progress", ""
        report = run(imported, pmo, rows)
        assert report.ok and not report.has_changes

    def test_not_started_in_the_file_keeps_in_progress_with_a_note(self, imported, pmo, rows):
        RootCause.objects.filter(reference="WC-MD-01 RC1").update(status="in_progress")
        report = run(imported, pmo, rows)
        assert report.ok and not report.has_changes
        assert "it stays In progress" in str(report.warnings[0])

    def test_withdrawn_is_not_reinstated(self, imported, pmo, rows):
        rows[0]["status"] = "Withdrawn"
        rows[0]["date_closure_confirmed"] = "2019-05-10"
        assert run(imported, pmo, rows).ok
        rows[0]["status"], rows[0]["date_closure_confirmed"] = "Not started", ""
        report = run(imported, pmo, rows)
        assert "does not reinstate it" in messages(report)[0]


def test_the_commit_is_all_or_nothing(imported, pmo, rows, monkeypatch):
    """A failure half-way through the writes leaves the plan as it was."""
    from rootcauses import plan_services

    rows.append(row(root_cause_reference="WC-MD-01 RC3"))
    rows.append(row(finding_reference="WC-MD-02", root_cause_reference="WC-MD-02 RC1"))
    rows[0]["current_due_date"] = "31/05/2019"
    calls = []

    def failing(**kwargs):
        calls.append([r["reference"] for r in kwargs["rows"]])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(plan_services, "root_causes_create_from_plan_many", failing)
    with pytest.raises(RuntimeError):
        run(imported, pmo, rows)
    # The failure came after the update and the new finding had been written...
    assert calls == [["WC-MD-01 RC3", "WC-MD-02 RC1"]]
    # ...and both were rolled back.
    assert not Finding.objects.filter(reference="WC-MD-02").exists()
    assert RootCause.objects.get(reference="WC-MD-01 RC1").current_due_date == dt.date(2019, 4, 30)


def test_a_file_with_an_error_imports_nothing(imported, pmo, rows):
    rows.append(row(root_cause_reference="WC-MD-01 RC3"))
    rows[0]["current_due_date"] = "31/05/2019"
    rows[1]["baseline_due_date"] = "not a date"
    report = run(imported, pmo, rows)
    assert not report.ok
    assert not RootCause.objects.filter(reference="WC-MD-01 RC3").exists()
    assert RootCause.objects.get(reference="WC-MD-01 RC1").current_due_date == dt.date(2019, 4, 30)


def test_a_root_cause_moved_to_another_finding_and_isg_takes_its_kpi(imported, pmo, rows):
    rows[1]["isg"] = "Scheduled Care"
    rows[1]["finding_reference"] = "SC-MD-01"
    report = run(imported, pmo, rows, create_isgs=True)
    assert report.ok, messages(report)
    rc = RootCause.objects.get(reference="WC-MD-01 RC2")
    assert (rc.finding.reference, rc.isg.name, rc.kpi.isg.name) == (
        "SC-MD-01",
        "Scheduled Care",
        "Scheduled Care",
    )
