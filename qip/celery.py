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
    # Every night at 01:30: keep every programme's calendar a year ahead.
    "extend-calendars": {
        "task": "qip.tasks.extend_all_calendars",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every night at 02:15: delete plan files uploaded for a dry run and never imported.
    "discard-stale-plan-uploads": {
        "task": "qip.tasks.discard_stale_plan_uploads",
        "schedule": crontab(hour=2, minute=15),
    },
}
