import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.clock import today
from qip.boardpapers import services
from qip.models import BoardPaper, BoardPaperFile, Programme, ReportingPeriod


class Command(BaseCommand):
    help = (
        "Write the board paper for the month holding --as-of, as Word or PDF. Uses the PMO's "
        "paper for that month when there is one (an issued paper's stored file, byte for "
        "byte); otherwise builds one with the last paper's cover-sheet answers, or defaults."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="A day in the month, YYYY-MM-DD.")
        parser.add_argument("--format", required=True, choices=["docx", "pdf"])
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument("--programme", help="Programme name (default: the only one).")
        parser.add_argument("--meeting", default="", help='Default "Trust Board".')
        parser.add_argument("--meeting-date", help="YYYY-MM-DD (default: today).")

    def _date(self, text: str, option: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"{option} {text!r} is not a date (use YYYY-MM-DD).") from exc

    def handle(self, *args, **options):
        as_of = self._date(options["as_of"], "--as-of")
        programmes = Programme.objects.all()
        if options["programme"]:
            programmes = programmes.filter(name=options["programme"])
        if programmes.count() != 1:
            names = ", ".join(Programme.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"Name one programme with --programme (there are: {names}).")
        programme = programmes.get()
        period = programme.periods.filter(
            cadence=ReportingPeriod.Cadence.MONTHLY, starts_on__lte=as_of, ends_on__gte=as_of
        ).first()
        if period is None:
            raise CommandError(f"The programme's calendar has no month holding {as_of}.")
        if period.starts_on > today():
            raise CommandError(f"{period} has not started yet.")
        output = Path(options["output"])
        fmt = options["format"]

        saved = (
            BoardPaper.objects.filter(programme=programme, period=period)
            .order_by("-issued_at", "-meeting_date", "-pk")
            .first()
        )
        if saved is not None and saved.is_issued:
            issued = saved.files.filter(issued=True, format=fmt).first()
            if issued is not None:
                with issued.file.open("rb") as handle:
                    output.write_bytes(handle.read())
                self.stdout.write(f"Wrote the issued paper {saved} to {output}.")
                return
        paper = saved or self._unsaved(programme, period, options)
        built = services.build_paper(paper)
        output.write_bytes(services.render(built, fmt))
        figures = built.figures
        self.stdout.write(
            f"Wrote {'the draft ' + str(paper) if saved else 'a paper with default answers'} "
            f"to {output} ({BoardPaperFile.Format(fmt).label}). Figures: {figures.source_words}."
        )

    def _unsaved(self, programme, period, options) -> BoardPaper:
        """A paper with the last paper's cover-sheet answers, or the defaults."""
        day = today()
        meeting_date = (
            self._date(options["meeting_date"], "--meeting-date")
            if options["meeting_date"]
            else day
        )
        paper = BoardPaper(
            programme=programme,
            period=period,
            meeting=options["meeting"] or "Trust Board",
            meeting_date=meeting_date,
            written_on=day,
        )
        previous = services.last_paper(programme)
        if previous is not None:
            for name in services.CARRIED_FIELDS:
                if name != "meeting" or not options["meeting"]:
                    setattr(paper, name, getattr(previous, name))
            paper._domains = {kq.pk for kq in previous.cqc_domains.all()}
            paper._objectives = {o.pk for o in previous.strategic_objectives.all()}
        return paper
