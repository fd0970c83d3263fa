"""Round trip: export the demo plan, import it into an empty database, get the same plan and
the same trajectory figures."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from findings.models import Finding
from qip.management.commands.load_demo import _delete_programme
from qip.models import Programme
from qip.plan_import import export
from qip.reporting.trajectory import trajectory_as_of
from rootcauses.models import RootCause
from rootcauses.plan_services import plan_text

pytestmark = pytest.mark.django_db

AS_OF = [
    dt.date(2019, 3, 31),
    dt.date(2019, 4, 26),
    dt.date(2019, 4, 30),
    dt.date(2019, 9, 30),
    dt.date(2020, 3, 31),
]


def plan_snapshot(programme) -> dict:
    findings = {
        f.reference: (
            f.isg.name,
            f.finding_type,
            f.text,
            f.core_service_id,
            f.site,
            tuple(sorted(kq.code for kq in f.key_questions.all())),
            f.regulation_id,
            f.source_id,
        )
        for f in Finding.objects.filter(programme=programme).prefetch_related("key_questions")
    }
    root_causes = {}
    for rc in RootCause.objects.filter(programme=programme).select_related(
        "finding", "isg", "owner", "kpi", "assessment_item", "theme"
    ):
        root_causes[rc.reference] = (
            rc.finding.reference,
            rc.isg.name,
            plan_text(rc),
            rc.owner.email.lower(),
            rc.baseline_due_date,
            rc.current_due_date,
            # A pending closure request is the tracker's own: the plan says In progress.
            "in_progress" if rc.status == "closure_requested" else rc.status,
            rc.completed_on,
            rc.withdrawn_on,
            (rc.kpi.name, rc.kpi.target, rc.kpi.unit, rc.kpi.improvement) if rc.kpi else None,
            rc.assessment_item.code if rc.assessment_item else None,
            rc.theme.name if rc.theme else None,
        )
    return {"findings": findings, "root_causes": root_causes}


def figures(programme) -> list[dict]:
    return [trajectory_as_of(programme, day) for day in AS_OF]


def test_export_then_import_into_an_empty_database_gives_the_same_plan(tmp_path, settings):
    settings.QIP_TODAY = "2019-04-26"
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    demo = Programme.objects.get(name="Quality Improvement Plan 2019")
    # A withdrawn root cause too, which the demo does not have.
    withdrawn = RootCause.objects.filter(programme=demo, completed_on__isnull=True).first()
    RootCause.objects.filter(pk=withdrawn.pk).update(
        status="withdrawn", withdrawn_on=dt.date(2019, 4, 10)
    )
    expected_plan = plan_snapshot(demo)
    expected_figures = figures(demo)
    statuses = {v[6] for v in expected_plan["root_causes"].values()}
    assert {"completed", "withdrawn", "in_progress"} <= statuses
    xlsx = tmp_path / "demo plan.xlsx"
    xlsx.write_bytes(export.export_plan(demo, "xlsx"))
    csv = tmp_path / "demo plan.csv"
    csv.write_bytes(export.export_plan(demo, "csv"))

    # An empty database: no programme, no people; only the CQC reference data.
    for programme in Programme.objects.all():
        _delete_programme(programme)
    get_user_model().objects.all().delete()

    call_command("import_plan", str(xlsx), stdout=io.StringIO())
    imported = Programme.objects.get()
    assert imported.name == "demo plan"
    for name in ("findings", "root_causes"):
        assert plan_snapshot(imported)[name] == expected_plan[name]
    for got, want in zip(figures(imported), expected_figures, strict=True):
        assert got == want
    assert expected_figures[2]["programme"]["must_do"]["completed"] > 0

    # The CSV export of the same plan matches what the workbook created: all left alone.
    out = io.StringIO()
    call_command("import_plan", str(csv), "--dry-run", stdout=out)
    assert (
        f"0 root causes to create, 0 to update, {len(expected_plan['root_causes'])} left alone"
        in (out.getvalue())
    )
