import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from core.clock import today
from qip.models import Programme
from qip.reporting.trajectory import trajectory_as_of


class Command(BaseCommand):
    help = "Print the trajectory figures (planned, planned current, completed, %) as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="A date, YYYY-MM-DD (default: today).")
        parser.add_argument("--programme", help="Programme name (default: the only one).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options):
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else today()
        except ValueError as exc:
            raise CommandError(
                f"--as-of {options['as_of']!r} is not a date (use YYYY-MM-DD)."
            ) from exc
        programmes = Programme.objects.all()
        if options["programme"]:
            programmes = programmes.filter(name=options["programme"])
        if programmes.count() != 1:
            names = ", ".join(Programme.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"Name one programme with --programme (there are: {names}).")
        figures = trajectory_as_of(programmes.get(), as_of)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self.stdout.write(f"Trajectory as of {figures['as_of']}")
        for row in [{"name": "Programme", **figures["programme"]}, *figures["isgs"]]:
            md, sd = row["must_do"], row["should_do"]
            self.stdout.write(
                f"  {row['name']:<26} Must Do {md['completed']:>4}/{md['planned']:<4} "
                f"{md['percent'] if md['percent'] is not None else '–':>6}%   "
                f"Should Do {sd['completed']:>4}/{sd['planned']:<4} "
                f"{sd['percent'] if sd['percent'] is not None else '–':>6}%"
            )
