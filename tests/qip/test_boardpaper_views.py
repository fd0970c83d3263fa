"""The board paper pages, by role: the PMO builds and issues; executives read and download;
anyone else in the programme gets 403 and an outsider 404. Bad input and stale forms change
nothing; pages stay within a fixed number of queries."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from qip import urls_boardpapers
from qip.boardpapers import services
from qip.models import BoardPaper, BoardPaperFile, StrategicObjective
from tests.factories import BoardPaperFactory
from tests.responses import close as close_response

from . import boardpaper_world

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "chair", "pmo", "executive", "partner", "outsider"]


@pytest.fixture
def today(settings):
    settings.QIP_TODAY = boardpaper_world.TODAY.isoformat()
    return boardpaper_world.TODAY


@pytest.fixture
def world(programme, isg, other_isg, owner, chair, pmo, executive, partner, outsider):
    built = boardpaper_world.build(programme, isg, other_isg, owner, chair)
    paper = BoardPaperFactory(period=built["february"], created_by=pmo)
    # A finished draft export (made for real in the export tests below).
    data = b"PK\x03\x04 a draft"
    export = BoardPaperFile(
        paper=paper,
        format="docx",
        status="ready",
        progress=100,
        requested_by=pmo,
        filename="draft.docx",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    export.file.save("draft.docx", ContentFile(data), save=False)
    export.save()
    built.update(paper=paper, export=export, programme=programme)
    return built


def _urls(w):
    p, paper = w["programme"].pk, w["paper"].pk
    return {
        "board-papers": ("get", reverse("board-papers", args=[p]), {}),
        "board-paper-new": ("get", reverse("board-paper-new", args=[p]), {}),
        "strategic-objectives": ("get", reverse("strategic-objectives", args=[p]), {}),
        "tracker-export": ("get", reverse("tracker-export", args=[p]), {}),
        "evidence-pack": ("get", reverse("evidence-pack", args=[p]), {}),
        "board-paper-detail": ("get", reverse("board-paper-detail", args=[paper]), {}),
        "board-paper-cover": ("get", reverse("board-paper-cover", args=[paper]), {}),
        "board-paper-section": (
            "get",
            reverse("board-paper-section", args=[paper, "background"]),
            {},
        ),
        "board-paper-export": (
            "post",
            reverse("board-paper-export", args=[paper]),
            {"format": "pdf"},
        ),
        "board-paper-issue": ("get", reverse("board-paper-issue", args=[paper]), {}),
        "board-paper-delete": ("post", reverse("board-paper-delete", args=[paper]), {}),
        "board-paper-file": ("get", reverse("board-paper-file", args=[w["export"].pk]), {}),
        "board-paper-file-download": (
            "get",
            reverse("board-paper-file-download", args=[w["export"].pk]),
            {},
        ),
    }


M, R = 200, 302
READERS = {"owner": 403, "chair": 403, "pmo": M, "executive": M, "partner": 403}
BUILDERS = {"owner": 403, "chair": 403, "pmo": M, "executive": 403, "partner": 403}
PAPER_READERS = {"owner": 404, "chair": 404, "pmo": M, "executive": M, "partner": 404}
EXPECTED = {
    "board-papers": READERS,
    "board-paper-new": BUILDERS,
    "strategic-objectives": BUILDERS,
    "tracker-export": READERS,
    "evidence-pack": READERS,
    "board-paper-detail": PAPER_READERS,
    "board-paper-cover": {**PAPER_READERS, "executive": 403},
    "board-paper-section": {**PAPER_READERS, "executive": 403},
    "board-paper-export": {**PAPER_READERS, "pmo": R, "executive": 403},
    "board-paper-issue": {**PAPER_READERS, "executive": 403},
    "board-paper-delete": {**PAPER_READERS, "pmo": R, "executive": 403},
    "board-paper-file": PAPER_READERS,
    "board-paper-file-download": PAPER_READERS,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_may_do_what(client, request, world, today, persona, name):
    client.force_login(request.getfixturevalue(persona))
    method, url, data = _urls(world)[name]
    response = getattr(client, method)(url, data)
    close_response(response)  # a download's file
    assert response.status_code == EXPECTED[name].get(persona, 404), f"{persona} {name}"


def test_the_permission_table_covers_every_page():
    names = set()
    for pattern in urls_boardpapers.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names.add(pattern.name)
    assert names == set(EXPECTED)


def test_every_page_needs_sign_in(client, world, today):
    for name, (_method, url, _data) in _urls(world).items():
        response = client.get(url)
        close_response(response)
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name


def test_the_pmo_starts_a_paper_from_the_last_papers_answers(client, pmo, world, today):
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-new", args=[world["programme"].pk]),
        {"period": world["march"].pk, "meeting": "Trust Board", "meeting_date": "2024-04-25"},
    )
    paper = BoardPaper.objects.get(period=world["march"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "board-paper-cover", args=[paper.pk]
    )
    assert paper.author == world["paper"].author


def test_starting_a_paper_with_bad_input_shows_the_errors_and_saves_nothing(
    client, pmo, world, today
):
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-new", args=[world["programme"].pk]),
        {"period": world["march"].pk, "meeting": "", "meeting_date": "31/02/2024"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the meeting the paper goes to" in page
    assert "Enter the date of the meeting as a real date" in page
    assert not BoardPaper.objects.filter(period=world["march"]).exists()


def _cover_data(paper, **changes):
    data = {
        "meeting": paper.meeting,
        "meeting_date": paper.meeting_date.isoformat(),
        "title": paper.title,
        "written_on": paper.written_on.isoformat(),
        "responsible_director": paper.responsible_director,
        "author": paper.author,
        "executive_summary": paper.executive_summary,
        "purpose": "assurance",
        "cqc_domains": [],
        "strategic_objectives": [],
        "baf_risks": "RR1533 Implement the plan",
        "equality_impact": "stage_1",
        "foi_status": "full",
        "financial_impact": "",
        "previously_considered_by": "ECIB",
        "version": paper.version,
    }
    data.update(changes)
    return data


def test_the_pmo_fills_the_cover_sheet(client, pmo, world, today):
    paper = world["paper"]
    objective = StrategicObjective.objects.create(programme=paper.programme, title="OUR PEOPLE")
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-cover", args=[paper.pk]),
        _cover_data(paper, strategic_objectives=[objective.pk], author="Rajinder Biran"),
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.purpose == "assurance" and paper.author == "Rajinder Biran"
    assert list(paper.strategic_objectives.all()) == [objective]


def test_a_cover_sheet_with_bad_input_changes_nothing(client, pmo, world, today):
    paper = world["paper"]
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-cover", args=[paper.pk]),
        _cover_data(paper, title="", purpose="vote", meeting_date="2023-01-01"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('href="#id_') >= 2 and "There is a problem" in page
    assert "Enter the paper&#x27;s title" in page
    paper.refresh_from_db()
    assert paper.purpose == "note"


def test_a_stale_cover_sheet_shows_the_conflict_page(client, pmo, world, today):
    paper = world["paper"]
    client.force_login(pmo)
    data = _cover_data(paper, author="Mine")
    services.board_paper_update_cover(
        by=pmo, paper=paper, expected_version=paper.version, author="Theirs"
    )
    response = client.post(reverse("board-paper-cover", args=[paper.pk]), data)
    assert response.status_code == 409
    assert "Someone else saved first" in response.content.decode()
    paper.refresh_from_db()
    assert paper.author == "Theirs"


def test_the_pmo_edits_and_resets_a_sections_narrative(client, pmo, world, today):
    paper = world["paper"]
    client.force_login(pmo)
    url = reverse("board-paper-section", args=[paper.pk, "background"])
    page = client.get(url).content.decode()
    assert "In response comprehensive improvement plans" in page  # pre-filled
    response = client.post(url, {"text": "Our own words.", "version": paper.version})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.narrative == {"background": "Our own words."}
    detail = client.get(reverse("board-paper-detail", args=[paper.pk])).content.decode()
    assert "Our own words." in detail
    client.post(url, {"text": "ignored", "version": paper.version, "reset": "1"})
    paper.refresh_from_db()
    assert paper.narrative == {}


def test_an_unknown_section_is_404(client, pmo, world, today):
    client.force_login(pmo)
    assert (
        client.get(reverse("board-paper-section", args=[world["paper"].pk, "nonsense"])).status_code
        == 404
    )


def test_an_export_completes_at_once_without_a_broker(
    client, pmo, world, today, django_capture_on_commit_callbacks
):
    client.force_login(pmo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("board-paper-export", args=[world["paper"].pk]), {"format": "pdf"}
        )
    export = BoardPaperFile.objects.filter(format="pdf").get()
    assert response["Location"] == reverse("board-paper-file", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page and reverse("board-paper-file-download", args=[export.pk]) in page
    assert "http-equiv" not in page  # finished: no refresh


def test_a_running_export_refreshes_itself_and_htmx_polls_it(client, pmo, world, today):
    export = BoardPaperFile.objects.create(
        paper=world["paper"],
        format="pdf",
        requested_by=pmo,
        status="running",
        progress=40,
        step="Drawing the charts",
    )
    client.force_login(pmo)
    page = client.get(reverse("board-paper-file", args=[export.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'hx-trigger="every 2s"' in page and 'value="40"' in page
    fragment = client.get(
        reverse("board-paper-file", args=[export.pk]), headers={"HX-Request": "true"}
    )
    assert fragment.content.decode().lstrip().startswith('<div id="export-status"')
    assert "<html" not in fragment.content.decode()


def test_an_export_in_an_unknown_format_is_refused(client, pmo, world, today):
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-export", args=[world["paper"].pk]), {"format": "odt"}
    )
    assert response.status_code == 302
    assert not BoardPaperFile.objects.filter(format="odt").exists()


def test_issuing_from_the_page_then_executives_download_the_same_bytes(
    client, pmo, executive, world, today
):
    paper = world["paper"]
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-issue", args=[paper.pk]), {"version": paper.version}
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.is_issued
    issued = paper.files.get(issued=True, format="docx")
    client.force_login(executive)
    download = client.get(reverse("board-paper-file-download", args=[issued.pk]))
    data = b"".join(download.streaming_content)
    close_response(download)
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert download["Content-Disposition"].startswith("attachment")
    listing = client.get(reverse("board-papers", args=[paper.programme_id])).content.decode()
    assert reverse("board-paper-file-download", args=[issued.pk]) in listing


def test_an_issued_paper_cannot_be_edited_from_the_pages(client, pmo, world, today):
    paper = world["paper"]
    services.board_paper_issue(by=pmo, paper=paper, expected_version=paper.version)
    paper.refresh_from_db()
    client.force_login(pmo)
    response = client.post(
        reverse("board-paper-cover", args=[paper.pk]), _cover_data(paper, title="Changed")
    )
    assert response.status_code == 302
    response = client.post(
        reverse("board-paper-section", args=[paper.pk, "background"]),
        {"text": "x", "version": paper.version},
    )
    assert response.status_code == 302
    client.post(reverse("board-paper-delete", args=[paper.pk]))
    fresh = BoardPaper.objects.get(pk=paper.pk)
    assert fresh.title == paper.title and fresh.narrative == {}
    detail = client.get(reverse("board-paper-detail", args=[paper.pk])).content.decode()
    assert "Edit the cover sheet" not in detail and "Issued" in detail


def test_a_month_still_running_cannot_be_issued_from_the_page(client, pmo, world, today):
    paper = BoardPaperFactory(period=world["march"], created_by=pmo)
    client.force_login(pmo)
    page = client.get(reverse("board-paper-issue", args=[paper.pk])).content.decode()
    assert "Not yet:" in page and "ends on 31 March 2024" in page
    response = client.post(
        reverse("board-paper-issue", args=[paper.pk]), {"version": paper.version}
    )
    assert response.status_code == 200 and "has not ended yet" in response.content.decode()
    paper.refresh_from_db()
    assert not paper.is_issued


def test_strategic_objectives_are_kept_by_the_pmo(client, pmo, world, today):
    client.force_login(pmo)
    url = reverse("strategic-objectives", args=[world["programme"].pk])
    data = {
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "0",
        "objectives-0-title": "SAFEST AND KINDEST",
        "objectives-0-description": "Safe and kind care",
        "objectives-0-active": "on",
        "objectives-1-title": "",
    }
    assert client.post(url, data).status_code == 302
    assert list(StrategicObjective.objects.values_list("title", flat=True)) == [
        "SAFEST AND KINDEST"
    ]
    data["objectives-1-title"] = "safest and kindest"
    response = client.post(url, data)
    assert response.status_code == 200 and "Two objectives are called" in response.content.decode()


def test_the_builder_page_reads_in_a_fixed_number_of_queries(
    client, pmo, world, today, django_assert_max_num_queries
):
    client.force_login(pmo)
    with django_assert_max_num_queries(60):
        response = client.get(reverse("board-paper-detail", args=[world["paper"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Figures computed live" in page
    assert "six Must Do Root Causes and one Should Do Root Cause were completed" in page
    assert "<svg" in page  # the charts, drawn for the page


def test_the_list_reads_in_a_fixed_number_of_queries(
    client, executive, world, today, django_assert_max_num_queries
):
    for n in range(5):
        BoardPaperFactory(
            period=world["january"], created_by=world["paper"].created_by, meeting=f"Committee {n}"
        )
    client.force_login(executive)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("board-papers", args=[world["programme"].pk]))
    assert response.status_code == 200
    assert "Start a paper" not in response.content.decode()  # executives read, the PMO builds


def test_with_the_broker_down_an_export_waits_and_is_made_once_when_it_is_back(
    client, pmo, world, today, django_capture_on_commit_callbacks, monkeypatch
):
    from core import outbox
    from core.models import OutboxMessage
    from qip.boardpapers import services
    from qip.celery import app

    paper = world["paper"]
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False  # refused
    try:
        client.force_login(pmo)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("board-paper-export", args=[paper.pk]), {"format": "docx"}
            )
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
    export = BoardPaperFile.objects.get(paper=paper, status="queued")
    assert response["Location"] == reverse("board-paper-file", args=[export.pk])
    message = OutboxMessage.objects.get(task=services.EXPORT_TASK)
    assert message.status == "pending" and message.kwargs == {"export_id": export.pk}
    assert "Waiting for the exporter to start" in client.get(response["Location"]).content.decode()

    # The broker is back (tasks in-process here): the drain makes the file, and a second
    # delivery of the same message makes nothing more.
    rendered = []
    real_render = services.render
    monkeypatch.setattr(
        services, "render", lambda *a, **k: rendered.append(1) or real_render(*a, **k)
    )
    outbox.drain()
    message.refresh_from_db()
    assert message.status == "sent" and message.done_at is None  # the export claims instead
    services.board_paper_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "ready" and len(rendered) == 1
    page = client.get(reverse("board-paper-file", args=[export.pk])).content.decode()
    assert reverse("board-paper-file-download", args=[export.pk]) in page
