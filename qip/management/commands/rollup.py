import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.clock import today
from qip.models import Programme, ReportingPeriod
from qip.reporting import rollup


class Command(BaseCommand):
    help = (
        "Write the snapshots of ended reporting periods. With --period DATE: the period(s) "
        "ending on that date. Without: every ended period that has no snapshot yet. "
        "Locked periods (board paper issued) are never rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="The last day of the period(s), YYYY-MM-DD.")
        parser.add_argument(
            "--all", action="store_true", help="Every ended period again, not only missing ones."
        )
        parser.add_argument("--programme", help="Programme name (default: all programmes).")

    def handle(self, *args, **options):
        programmes = Programme.objects.all()
        if options["programme"]:
            programmes = programmes.filter(name=options["programme"])
            if not programmes.exists():
                raise CommandError(f"There is no programme called {options['programme']!r}.")
        try:
            if options["period"]:
                try:
                    day = dt.date.fromisoformat(options["period"])
                except ValueError as exc:
                    raise CommandError(
                        f"--period {options['period']!r} is not a date (use YYYY-MM-DD)."
                    ) from exc
                results = self._by_filter(programmes, ends_on=day)
                if not any(r.periods or r.skipped_locked for r in results):
                    raise CommandError(f"No reporting period ends on {day:%d %B %Y}.")
            elif options["all"]:
                results = self._by_filter(programmes, ends_on__lt=today())
            else:
                results = [
                    r
                    for programme in programmes
                    for r in rollup.rollup_due(today=today(), programme=programme)
                ]
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for result in results:
            for period in result.periods:
                self.stdout.write(f"Rolled up {period.programme}: {period}")
            for period in result.skipped_locked:
                self.stdout.write(f"Skipped {period}: locked by an issued board paper")
        written = sum(r.snapshots for r in results)
        self.stdout.write(self.style.SUCCESS(f"{written} snapshots written."))

    def _by_filter(self, programmes, **lookup):
        results = []
        for programme in programmes:
            periods = list(ReportingPeriod.objects.filter(programme=programme, **lookup))
            if periods:
                results.append(rollup.rollup_periods(programme=programme, periods=periods))
        return results
