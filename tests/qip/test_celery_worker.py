"""The worker path: a real Celery worker over Redis runs a task against the database."""

import datetime as dt

import pytest

from qip.celery import app
from qip.models import ReportingPeriod
from qip.tasks import extend_calendar
from tests.factories import ProgrammeFactory


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_extend_calendar_runs_on_a_real_worker(settings):
    from celery.contrib.testing.worker import start_worker

    settings.QIP_TODAY = "2024-01-10"
    programme = ProgrammeFactory(sprint_anchor=dt.date(2024, 1, 1))
    assert not app.conf.task_always_eager
    app.control.purge()  # messages left by an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        created = extend_calendar.delay(programme.pk, "2024-06-30").get(timeout=30)
    assert created == ReportingPeriod.objects.filter(programme=programme).count()
    assert ReportingPeriod.objects.filter(programme=programme, cadence="monthly").count() == 6
