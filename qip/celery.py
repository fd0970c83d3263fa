"""The Celery app. Without a broker (no REDIS_URL) tasks run in-process (see settings).

Schedules are declared here, once; django-celery-beat copies them into its tables so the
PMO can see them in the admin.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qip.settings")

app = Celery("qip")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: send the tasks that waited in the outbox while the broker was down
    # (core.outbox); usually there are none.
    "drain-outbox": {
        "task": "core.tasks.drain_outbox",
        "schedule": 60.0,
    },
    # Every night at 01:30: keep every programme's calendar a year ahead.
    "extend-calendars": {
        "task": "qip.tasks.extend_all_calendars",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every morning at 06:00, before the day's ISG meetings: run the escalation rules and put
    # what they find on the next ECIB agenda.
    "evaluate-escalations": {
        "task": "governance.tasks.evaluate_all_escalations",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every morning at 07:00 (Europe/London): remind owners whose update is due in two days,
    # send each ISG chair yesterday's missing updates, and flag evidence due for review.
    "send-daily-reminders": {
        "task": "qip.tasks.send_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every night at 02:00, after the calendar: snapshot each sprint or month that ended
    # yesterday (or earlier) and has no snapshot yet.
    "rollup-ended-periods": {
        "task": "qip.tasks.rollup_ended_periods",
        "schedule": crontab(hour=2, minute=0),
    },
    # Every night at 02:15: delete plan files uploaded for a dry run and never imported.
    "discard-stale-plan-uploads": {
        "task": "qip.tasks.discard_stale_plan_uploads",
        "schedule": crontab(hour=2, minute=15),
    },
}
