"""The roll-up: snapshots per ISG and programme, idempotent, atomic, set-based, frozen."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from qip import tasks
from qip.models import Snapshot
from qip.reporting import rollup
from rootcauses.services import update_post
from tests.factories import RootCauseFactory

pytestmark = pytest.mark.django_db

D = dt.date
FIGURES = [f for f in rollup.FIGURE_FIELDS if f != "computed_at"]


def sprint(programme, n):
    return programme.periods.get(cadence="fortnightly", number=n)


def month(programme, n):
    return programme.periods.get(cadence="monthly", number=n)


@pytest.fixture
def plan(rollup_plan):
    return rollup_plan


def snaps(period):
    return {s.isg_id: s for s in Snapshot.objects.filter(period=period)}


def test_a_snapshot_per_isg_and_one_for_the_programme(programme, isg, other_isg, plan):
    s2 = sprint(programme, 2)
    result = rollup.rollup_periods(programme=programme, periods=[s2])
    assert result.snapshots == 3
    rows = snaps(s2)
    assert set(rows) == {isg.pk, other_isg.pk, None}
    mine = rows[isg.pk]
    assert (mine.md_planned, mine.md_completed, mine.md_percent) == (2, 1, 50)
    assert (mine.md_planned_in_period, mine.md_completed_in_period) == (1, 0)
    # Open: the late one (overdue, off track, updated) and the later one (no update yet).
    assert (mine.open_count, mine.overdue_count, mine.completed_count) == (2, 1, 1)
    assert (mine.rag_off_track, mine.rag_none, mine.missing_updates) == (1, 1, 1)
    theirs = rows[other_isg.pk]
    assert (theirs.sd_planned, theirs.rag_none, theirs.missing_updates) == (0, 1, 1)
    total = rows[None]
    assert (total.md_planned, total.sd_planned, total.missing_updates) == (2, 0, 2)
    assert total.as_of == s2.ends_on


def test_rag_is_the_latest_update_up_to_the_period_end(programme, isg, other_isg, plan):
    s3 = sprint(programme, 3)
    rollup.rollup_periods(programme=programme, periods=[s3])
    rows = snaps(s3)
    # No update in sprint 3: the sprint 2 update (off track) still stands, and one is missing.
    assert (rows[isg.pk].rag_off_track, rows[isg.pk].missing_updates) == (1, 2)
    assert (rows[other_isg.pk].rag_at_risk, rows[other_isg.pk].missing_updates) == (1, 0)
    # Due 5 February, in sprint 3: planned by its end, and planned in the period.
    assert (rows[other_isg.pk].sd_planned, rows[other_isg.pk].sd_planned_in_period) == (1, 1)
    assert rows[other_isg.pk].sd_percent == 0


def test_a_month_judges_fortnightly_isgs_on_their_last_sprint_that_ended(
    programme, isg, other_isg, plan
):
    january = month(programme, 1)  # ends 31 Jan; sprint 2 ended on 28 Jan
    rollup.rollup_periods(programme=programme, periods=[january])
    rows = snaps(january)
    assert rows[isg.pk].missing_updates == 1  # the later one never reported; late did
    assert rows[other_isg.pk].missing_updates == 1


def test_rollup_is_idempotent(programme, plan):
    periods = [sprint(programme, n) for n in (1, 2, 3)] + [month(programme, 1)]
    rollup.rollup_periods(programme=programme, periods=periods)
    first = {
        (s.period_id, s.isg_id): (s.pk, [getattr(s, f) for f in FIGURES])
        for s in Snapshot.objects.all()
    }
    rollup.rollup_periods(programme=programme, periods=periods)
    second = {
        (s.period_id, s.isg_id): (s.pk, [getattr(s, f) for f in FIGURES])
        for s in Snapshot.objects.all()
    }
    assert first == second
    assert len(second) == 4 * 3


def test_a_crash_midway_leaves_no_half_snapshot(programme, plan, monkeypatch):
    real = Snapshot.objects.bulk_create

    def write_then_crash(*args, **kwargs):
        real(*args, **kwargs)
        assert Snapshot.objects.exists()  # rows were written inside the transaction
        raise RuntimeError("the worker died")

    monkeypatch.setattr(Snapshot.objects, "bulk_create", write_then_crash)
    with pytest.raises(RuntimeError):
        rollup.rollup_periods(programme=programme, periods=[sprint(programme, 2)])
    assert not Snapshot.objects.exists()


def test_a_locked_period_is_never_rewritten(programme, isg, plan, pmo):
    s2 = sprint(programme, 2)
    rollup.period_lock(by=pmo, period=s2)
    s2.refresh_from_db()
    assert s2.locked_at is not None
    frozen = snaps(s2)[isg.pk]
    late = plan["late"]
    late.completed_on, late.status = D(2024, 1, 25), "completed"
    late.save()
    result = rollup.rollup_periods(programme=programme, periods=[s2])
    assert result.skipped_locked == [s2] and result.snapshots == 0
    again = snaps(s2)[isg.pk]
    assert [getattr(again, f) for f in FIGURES] == [getattr(frozen, f) for f in FIGURES]
    assert again.md_completed == 1  # not 2: the board was told 1
    out = io.StringIO()
    call_command("rollup", period="2024-01-28", stdout=out)
    assert "locked by an issued board paper" in out.getvalue()


def test_period_lock_refuses_a_period_that_has_not_ended_or_is_locked(
    programme, pmo, current_sprint
):
    with pytest.raises(ValidationError, match="has not ended"):
        rollup.period_lock(by=pmo, period=current_sprint)
    s1 = sprint(programme, 1)
    rollup.period_lock(by=pmo, period=s1)
    with pytest.raises(ValidationError, match="already locked"):
        rollup.period_lock(by=pmo, period=s1)


def test_rollup_refuses_a_period_that_has_not_ended(programme, current_sprint):
    with pytest.raises(ValidationError, match="has not ended"):
        rollup.rollup_periods(programme=programme, periods=[current_sprint])
    assert not Snapshot.objects.exists()


def _queries(programme, django_assert_max_num_queries, captured):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        rollup.rollup_periods(
            programme=programme,
            periods=list(programme.periods.filter(ends_on__lt=D(2024, 2, 20))),
        )
    captured.append(len(ctx.captured_queries))


def test_rollup_is_set_based(
    programme, isg, other_isg, finding, owner, django_assert_max_num_queries
):
    """The number of queries does not grow with the root causes (nor the periods)."""
    counts: list[int] = []
    RootCauseFactory(finding=finding, owner=owner, baseline_due_date=D(2024, 1, 10))
    _queries(programme, django_assert_max_num_queries, counts)
    for n in range(15):
        rc = RootCauseFactory(
            finding=finding, owner=owner, baseline_due_date=D(2024, 1, 1) + dt.timedelta(days=n * 3)
        )
        update_post(
            by=owner,
            root_cause=rc,
            period=sprint(programme, 1 + n % 3),
            rag="on_track",
            narrative="Fine.",
        )
    _queries(programme, django_assert_max_num_queries, counts)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(15):
        rollup.rollup_periods(programme=programme, periods=[sprint(programme, 1)])


def test_rollup_due_finds_ended_periods_without_a_snapshot(programme, plan):
    rollup.rollup_periods(programme=programme, periods=[sprint(programme, 1)])
    due = list(rollup.periods_due(today=D(2024, 2, 20), programme=programme))
    assert [p.label for p in due] == ["January 2024", "Sprint 2", "Sprint 3"]
    assert tasks.rollup_ended_periods.delay().get() == 3 * 3
    assert not rollup.periods_due(today=D(2024, 2, 20), programme=programme).exists()


def test_the_celery_task_loads_by_id(programme, plan):
    s2 = sprint(programme, 2)
    assert tasks.rollup_periods.delay(programme.pk, [s2.pk]).get() == 3
    assert Snapshot.objects.filter(period=s2).count() == 3


def test_rollup_command(programme, plan):
    out = io.StringIO()
    call_command("rollup", period="2024-01-28", stdout=out)
    assert "Sprint 2" in out.getvalue()
    assert Snapshot.objects.filter(period__label="Sprint 2").count() == 3
    call_command("rollup", stdout=out)
    assert Snapshot.objects.count() == 4 * 3  # sprints 1–3 and January
    with pytest.raises(CommandError, match="not a date"):
        call_command("rollup", period="28/01/2024")
    with pytest.raises(CommandError, match="No reporting period ends"):
        call_command("rollup", period="2024-01-27")
    with pytest.raises(CommandError, match="has not ended"):
        call_command("rollup", period="2024-02-25")


def test_beat_runs_the_rollup_every_night():
    from qip.celery import app

    entry = app.conf.beat_schedule["rollup-ended-periods"]
    assert entry["task"] == "qip.tasks.rollup_ended_periods"
    assert entry["task"] in app.tasks
