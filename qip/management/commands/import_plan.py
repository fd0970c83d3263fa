"""Import a plan spreadsheet from the command line, with the same checks as the plan page.

    python manage.py import_plan plan.xlsx --programme "Quality Improvement Plan 2019" --dry-run

Exits with status 1, printing every problem, when the file cannot be imported.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qip.models import Programme
from qip.plan_import.engine import PlanImport, earliest_and_latest
from qip.plan_import.readers import FileProblem, read_plan_file
from qip.plan_import.report import Options, Report
from qip.plan_import.services import programme_create_for_import


class Command(BaseCommand):
    help = "Import (or check, with --dry-run) a plan from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The plan: an .xlsx workbook or a .csv file.")
        parser.add_argument(
            "--programme",
            help="The programme's name. Without it: the only programme, or a new one named "
            "after the file when there is none.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and say what would change."
        )
        parser.add_argument(
            "--create-isgs",
            action="store_true",
            help="Create ISGs named in the file that the programme does not have.",
        )
        parser.add_argument(
            "--original-baseline",
            action="store_true",
            help="This file is the plan as first agreed: baseline due dates may be corrected.",
        )
        parser.add_argument(
            "--by",
            help="Username recorded as the author of the changes (default: the first superuser).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            with path.open("rb") as stream:
                plan_file = read_plan_file(path.name, stream, size=path.stat().st_size)
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc
        by = self._author(options.get("by"))
        import_options = Options(
            create_isgs=options["create_isgs"], original_baseline=options["original_baseline"]
        )
        dry_run = options["dry_run"]
        try:
            with transaction.atomic():
                programme, created = self._programme(options.get("programme"), path, plan_file)
                job = PlanImport(
                    programme=programme, plan_file=plan_file, options=import_options, by=by
                )
                report = job.check()
                if report.ok and not dry_run:
                    job.apply()
                elif created or dry_run:
                    # A programme made only to check the file is not kept.
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self._print(report, programme, created, dry_run)
        if not report.ok:
            raise CommandError(
                f"{len(report.problems)} problem(s) in {path.name}: nothing was imported."
            )

    def _author(self, username: str | None):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username)
            except User.DoesNotExist as exc:
                raise CommandError(f"No user called {username}.") from exc
        return User.objects.filter(is_superuser=True).order_by("pk").first()

    def _programme(self, name: str | None, path: Path, plan_file) -> tuple[Programme, bool]:
        if name:
            programme = Programme.objects.filter(name=name).first()
            if programme is None:
                names = ", ".join(Programme.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No programme called '{name}' (programmes: {names}).")
            return programme, False
        programmes = list(Programme.objects.all()[:2])
        if len(programmes) == 1:
            return programmes[0], False
        if programmes:
            names = ", ".join(Programme.objects.values_list("name", flat=True))
            raise CommandError(
                f"There are several programmes: choose one with --programme ({names})."
            )
        earliest, latest = earliest_and_latest(plan_file)
        if earliest is None:
            raise CommandError("The file has no valid date to start the programme's calendar from.")
        programme = programme_create_for_import(
            name=path.stem.replace("_", " ").strip(), earliest=earliest, until=latest
        )
        return programme, True

    def _print(self, report: Report, programme: Programme, created: bool, dry_run: bool) -> None:
        write = self.stdout.write
        if created:
            write(
                f"Programme '{programme}' {'would be' if dry_run or not report.ok else 'was'} created."
            )
        for problem in report.problems:
            self.stderr.write(str(problem))
        for warning in report.warnings:
            write(f"Note: {warning}")
        if report.ignored_columns:
            write("Columns not read: " + ", ".join(report.ignored_columns))
        if report.ok:
            verb = "Would import" if dry_run else "Imported"
            write(f"{verb} {report.file_name} into {programme}: {report.summary()}")
