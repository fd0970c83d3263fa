import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from core import outbox
from qip import reminders


class Command(BaseCommand):
    help = (
        "Run the daily work without Celery beat: the reminder emails to owners and ISG chairs, "
        "the evidence review reminders, and the background tasks still waiting in the outbox. "
        "Safe to run more than once a day: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Run as if today were this date (YYYY-MM-DD). Default: the programme's today.",
        )

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"--date {options['date']!r} is not a date: use YYYY-MM-DD, e.g. 2019-04-26."
                ) from exc
        drained = outbox.drain()
        sent = reminders.run_daily(day=day)
        labels = {
            "update_due": "update-due reminders to owners",
            "missing_updates": "missing-update digests to ISG chairs",
            "evidence_review": "evidence review reminders to owners",
        }
        for kind, count in sent.items():
            self.stdout.write(f"{count} {labels.get(kind, kind)}")
        self.stdout.write(f"{drained} waiting background tasks sent")
