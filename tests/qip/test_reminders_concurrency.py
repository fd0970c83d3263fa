"""Two reminder runs at the same moment (beat and a manual tick, or two workers) send each
reminder once: the unique key of qip.ReminderSent decides, inside the sending transaction."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from qip import reminders
from qip.models import ReminderSent

FRIDAY = dt.date(2024, 2, 23)  # two days before Sprint 4 ends


@pytest.fixture(autouse=True)
def _cqc_reference_data(django_db_blocker):
    """An earlier transactional test may have flushed the CQC reference data: put it back."""
    from django.apps import apps

    from cqc.loader import load_reference
    from cqc.models import Framework

    with django_db_blocker.unblock():
        if not Framework.objects.exists():
            load_reference(apps.get_model)


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(root_cause, owner, monkeypatch):
    sent, errors = [], []
    start = threading.Barrier(2)

    def slow_send(**kwargs):
        time.sleep(0.5)  # hold the transaction open while the other run tries
        sent.append(kwargs["to"])
        return 1

    monkeypatch.setattr(reminders, "send_templated_email", slow_send)

    def run():
        try:
            start.wait(timeout=10)
            reminders.run_daily(day=FRIDAY)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sent == [[owner.email]]
    assert ReminderSent.objects.count() == 1
