"""Issuing a paper: its month locks, its files are kept byte for byte, and it never changes
again. Exports run as a task (in-process here) and record a failure instead of raising."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from core.locking import StaleEdit
from qip.boardpapers import narrative, services
from qip.boardpapers.figures import collect
from qip.models import BoardPaper, BoardPaperFile, Snapshot
from tests.factories import BoardPaperFactory

from . import boardpaper_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(settings):
    settings.QIP_TODAY = boardpaper_world.TODAY.isoformat()
    return boardpaper_world.TODAY


@pytest.fixture
def world(programme, isg, other_isg, owner, chair):
    return boardpaper_world.build(programme, isg, other_isg, owner, chair)


@pytest.fixture
def paper(world, pmo):
    return BoardPaperFactory(period=world["february"], created_by=pmo)


@pytest.fixture
def issued(paper, pmo):
    return services.board_paper_issue(by=pmo, paper=paper, expected_version=paper.version)


def test_issuing_locks_the_month_and_keeps_both_files(issued, world, pmo):
    february = world["february"]
    february.refresh_from_db()
    assert february.is_locked
    assert Snapshot.objects.filter(period=february, isg__isnull=True).get().md_completed == 6
    assert issued.issued_by == pmo and issued.issued_at is not None
    files = {f.format: f for f in issued.files.filter(issued=True)}
    assert set(files) == {"docx", "pdf"}
    for f in files.values():
        with f.file.open("rb") as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == f.sha256
        assert f.size == len(data)
        assert f.file.storage is not None and not f.file.name.startswith("/")


def test_an_issued_paper_says_no_draft_and_uses_the_frozen_figures(issued, world, owner, today):
    # A closure back-dated into February after the paper was issued changes nothing the board saw.
    rc5 = world["root_causes"]["rc5"]
    rc5.status, rc5.completed_on = "completed", dt.date(2024, 2, 20)
    rc5.save()
    built = services.build_paper(issued)
    assert built.note == ""
    assert built.figures.source == "snapshot"
    assert built.figures.total.md_completed == 6


def test_an_issued_paper_is_immutable(issued, pmo, today):
    issued.refresh_from_db()
    keys = narrative.narrative_keys(collect(issued.programme, issued.period, today=today))
    with pytest.raises(ValidationError, match="issued"):
        services.board_paper_update_cover(
            by=pmo, paper=issued, expected_version=issued.version, title="Something else"
        )
    with pytest.raises(ValidationError, match="issued"):
        services.board_paper_save_narrative(
            by=pmo,
            paper=issued,
            key="background",
            text="New",
            expected_version=issued.version,
            keys=keys,
        )
    with pytest.raises(ValidationError, match="issued"):
        services.board_paper_issue(by=pmo, paper=issued, expected_version=issued.version)
    with pytest.raises(ValidationError, match="issued"):
        services.board_paper_delete(by=pmo, paper=issued)
    fresh = BoardPaper.objects.get(pk=issued.pk)
    assert fresh.title == issued.title and fresh.narrative == issued.narrative
    assert fresh.files.filter(issued=True).count() == 2


def test_the_database_refuses_an_issued_paper_without_who_and_when(paper):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BoardPaper.objects.filter(pk=paper.pk).update(
            issued_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
        )


def test_the_database_keeps_one_issued_file_per_format(issued):
    from django.db import IntegrityError, transaction

    docx = issued.files.get(issued=True, format="docx")
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardPaperFile.objects.create(
            paper=issued,
            format="docx",
            issued=True,
            status="ready",
            file=docx.file.name,
            sha256=docx.sha256,
            requested_by=issued.issued_by,
        )


def test_a_month_still_running_cannot_be_issued(world, pmo):
    paper = BoardPaperFactory(period=world["march"], created_by=pmo)
    with pytest.raises(ValidationError, match="has not ended yet"):
        services.board_paper_issue(by=pmo, paper=paper, expected_version=paper.version)
    paper.refresh_from_db()
    world["march"].refresh_from_db()
    assert not paper.is_issued and not world["march"].is_locked
    assert not paper.files.exists()


def test_a_second_paper_for_a_locked_month_uses_its_frozen_snapshot(issued, world, pmo):
    committee = BoardPaperFactory(
        period=world["february"], created_by=pmo, meeting="Quality and Safety Committee"
    )
    services.board_paper_issue(by=pmo, paper=committee, expected_version=committee.version)
    assert committee.files.filter(issued=True).count() == 2


def test_issuing_an_out_of_date_paper_is_a_stale_edit(paper, pmo):
    with pytest.raises(StaleEdit):
        services.board_paper_issue(by=pmo, paper=paper, expected_version=paper.version - 1 + 7)
    paper.refresh_from_db()
    assert not paper.is_issued


def test_a_cover_sheet_saved_from_a_stale_form_overwrites_nothing(paper, pmo):
    services.board_paper_update_cover(
        by=pmo, paper=paper, expected_version=paper.version, author="First"
    )
    with pytest.raises(StaleEdit):
        services.board_paper_update_cover(by=pmo, paper=paper, expected_version=1, author="Second")
    paper.refresh_from_db()
    assert paper.author == "First"


def test_an_export_task_makes_the_file(paper, pmo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.board_paper_export_request(by=pmo, paper=paper, fmt="docx")
    export.refresh_from_db()
    assert export.status == "ready" and export.progress == 100 and not export.issued
    assert export.filename.endswith("-draft.docx")
    with export.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == export.sha256


def test_a_failed_export_is_recorded_not_raised(paper, pmo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "render", broken)
    export = BoardPaperFile.objects.create(paper=paper, format="pdf", requested_by=pmo)
    result = services.board_paper_export_run(export_id=export.pk)
    assert result.status == "failed"
    assert "RuntimeError" in result.error and not result.file


def test_an_export_in_an_unknown_format_is_refused(paper, pmo):
    with pytest.raises(ValidationError):
        services.board_paper_export_request(by=pmo, paper=paper, fmt="odt")


def test_a_new_paper_starts_from_the_last_papers_answers(issued, world, pmo, today):
    issued.refresh_from_db()
    march = services.board_paper_create(
        by=pmo,
        programme=issued.programme,
        period=world["march"],
        meeting="Trust Board",
        meeting_date=dt.date(2024, 4, 25),
    )
    assert march.responsible_director == issued.responsible_director
    assert march.author == issued.author
    assert march.written_on == today
    assert list(march.cqc_domains.all()) == list(issued.cqc_domains.all())
    assert march.narrative == {}


def test_starting_a_paper_checks_its_answers(world, pmo):
    programme = world["march"].programme
    with pytest.raises(ValidationError) as error:
        services.board_paper_create(
            by=pmo,
            programme=programme,
            period=world["march"],
            meeting=" ",
            meeting_date=dt.date(2024, 2, 1),
        )
    assert set(error.value.message_dict) == {"meeting", "meeting_date"}
    april = programme.periods.get(cadence="monthly", starts_on=dt.date(2024, 4, 1))
    with pytest.raises(ValidationError, match="has not started yet"):
        services.board_paper_create(
            by=pmo,
            programme=programme,
            period=april,
            meeting="Trust Board",
            meeting_date=dt.date(2024, 5, 1),
        )
    sprint = programme.periods.filter(cadence="fortnightly").first()
    with pytest.raises(ValidationError, match="months"):
        services.board_paper_create(
            by=pmo,
            programme=programme,
            period=sprint,
            meeting="Trust Board",
            meeting_date=dt.date(2024, 5, 1),
        )
    services.board_paper_create(
        by=pmo,
        programme=programme,
        period=world["march"],
        meeting="Trust Board",
        meeting_date=dt.date(2024, 4, 25),
    )
    with pytest.raises(ValidationError, match="already a paper"):
        services.board_paper_create(
            by=pmo,
            programme=programme,
            period=world["march"],
            meeting="trust board",
            meeting_date=dt.date(2024, 4, 25),
        )


def test_the_narrative_of_an_unknown_section_is_refused(paper, pmo, today):
    keys = narrative.narrative_keys(collect(paper.programme, paper.period, today=today))
    with pytest.raises(ValidationError, match="no such section"):
        services.board_paper_save_narrative(
            by=pmo, paper=paper, key="nonsense", text="x", expected_version=paper.version, keys=keys
        )


def _draft_export(paper, pmo) -> BoardPaperFile:
    from django.core.files.base import ContentFile

    export = BoardPaperFile(
        paper=paper, format="docx", status="ready", progress=100, requested_by=pmo
    )
    export.filename, export.sha256, export.size = "draft.docx", "0" * 64, 7
    export.file.save("draft.docx", ContentFile(b"a draft"), save=False)
    export.save()
    return export


def test_deleting_a_draft_removes_its_files_once_committed(
    paper, pmo, django_capture_on_commit_callbacks
):
    export = _draft_export(paper, pmo)
    storage, name = export.file.storage, export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.board_paper_delete(by=pmo, paper=paper)
    assert not BoardPaper.objects.filter(pk=paper.pk).exists()
    assert not storage.exists(name)


def test_a_deletion_rolled_back_keeps_the_files_its_rows_point_to(paper, pmo):
    from django.db import transaction

    export = _draft_export(paper, pmo)
    storage, name = export.file.storage, export.file.name
    with transaction.atomic():
        services.board_paper_delete(by=pmo, paper=paper)
        transaction.set_rollback(True)
    assert BoardPaperFile.objects.filter(pk=export.pk).exists()
    assert storage.exists(name)
