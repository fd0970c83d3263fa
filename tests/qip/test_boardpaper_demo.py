"""Done when (issue 9): in the demo, `pmo` builds the April 2019 paper and downloads a Word file
a board secretary would recognise as the seed paper, with the seed's figures (seeds/003)."""

import io
import zipfile

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from docx import Document

from cqc.loader import load_reference
from qip.models import BoardPaper, BoardPaperFile, Programme
from tests.responses import close as close_response

pytestmark = pytest.mark.django_db

SEED_SENTENCES = [
    "At the end of April, the latest full month for which reporting is available, 93 Must Do "
    "Root Causes and eight Should Do Root Causes were completed. This is over 75% of the "
    "forecast completion trajectory, a slight reduction from the 80% of trajectory completion "
    "achieved at the end of March.",
    "The ISG has made good progress to date, and at the end of April had achieved 85% of planned "
    "trajectory for Root Causes. 22 Must Do Root Causes had been closed, against a target of 26.",
    "at the end of April had achieved 84% of planned trajectory for Root Causes. 21 Must Do Root "
    "Causes had been closed, against a target of 25.",
    "at the end of April had achieved 67% of planned trajectory for Root Causes. 16 Must Do Root "
    "Causes had been closed, against a target of 24.",
    "The ISG has made good progress to date, and at the end of April had achieved 87% of planned "
    "trajectory for Root Causes. 34 Must Do Root Causes had been closed, against a target of 39.",
    "Overall, 137 Must Do Root Causes are marked as on track.",
    "The Trust was found to be Inadequate in two domains (Safe and Well-led) and was rated "
    "overall as Inadequate. The CQC's 79 Must Do findings describe areas where the Trust must "
    "demonstrate improvement. A further 91 Should Do findings recommend additional areas for "
    "improvement.",
    "The Women's and Children's QIP addresses the 21 Must Do and 27 Should Do findings",
    "The unpacking process led to the identification of 47 Must Do and 35 Should Do Root Causes.",
    "At the end of March, we had completed 52 Root Causes in total. This represented over 80% "
    "of the trajectory of Must Do Root Causes due for completion by that point.",
    "At the 4 April 2019 Trust Board meeting an update was provided",
]


@pytest.fixture(scope="module")
def demo_private(tmp_path_factory):
    """Where the demo stores its files (evidence, the issued March paper)."""
    return tmp_path_factory.mktemp("private")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_private):
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(demo_private), "base_url": None},
    }
    storages = {**django_settings.STORAGES, "private": private}
    with django_db_blocker.unblock(), override_settings(DEBUG=True, STORAGES=storages):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


@pytest.fixture
def demo_storage(demo, demo_private, settings):
    """The tests read the files the demo stored (the autouse fixture would point elsewhere)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(demo_private), "base_url": None},
        },
    }


def _login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def _docx_text(data: bytes) -> tuple[Document, str]:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return document, "\n".join(parts)


def test_pmo_builds_the_april_paper_and_downloads_the_seeds_word_file(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.QIP_TODAY = "2019-04-26"
    april = BoardPaper.objects.get(programme=demo, period__label="April 2019")
    assert april.meeting == "Trust Board" and april.meeting_date.isoformat() == "2019-05-30"
    _login(client, "pmo")
    page = client.get(reverse("board-paper-detail", args=[april.pk])).content.decode()
    assert "Figures computed live" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("board-paper-export", args=[april.pk]), {"format": "docx"})
    export = BoardPaperFile.objects.get(paper=april, format="docx", issued=False)
    assert response["Location"] == export.get_absolute_url()
    assert export.status == "ready"
    download = client.get(reverse("board-paper-file-download", args=[export.pk]))
    data = b"".join(download.streaming_content)
    close_response(download)
    document, text = _docx_text(data)
    flat = " ".join(text.replace("\u2019", "'").split())
    for sentence in SEED_SENTENCES:
        assert " ".join(sentence.split()) in flat, sentence
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in (
        "Situation",
        "Background",
        "Assessment",
        "1a. Delivery against trajectory",
        "1b. ISG summary progress",
        "Women's and Children's ISG",
        "1c. QIP examples of progress",
        "2. Well-led improvement plan",
        "3. Measuring the impact of QIPs",
        "Recommendation",
    ):
        assert heading in headings, heading
    for cover in (
        "Simon Wright, Chief Executive",
        "Rajinder Biran, Head of Improving Care PMO",
        "30/05/2019",
        "☒ Note",
        "☒ SAFEST AND KINDEST",
        "☐ PATIENT AND FAMILY",
        "RR1533",
    ):
        assert cover in text, cover
    assert len(document.inline_shapes) >= 2
    assert (
        "Figure 3: Actions underway, how impact will be evidenced and future plans for KLOE W1"
        in text
    )


def test_the_march_paper_was_issued_and_march_is_frozen(client, demo, demo_storage, settings):
    settings.QIP_TODAY = "2019-04-26"
    march = BoardPaper.objects.get(programme=demo, period__label="March 2019")
    assert march.is_issued and march.period.is_locked
    issued = march.files.get(issued=True, format="pdf")
    _login(client, "exec")
    listing = client.get(reverse("board-papers", args=[demo.pk])).content.decode()
    assert reverse("board-paper-file-download", args=[issued.pk]) in listing
    download = client.get(reverse("board-paper-file-download", args=[issued.pk]))
    data = b"".join(download.streaming_content)
    close_response(download)
    import hashlib

    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == issued.sha256


def test_the_demo_evidence_pack_holds_closure_audits(client, demo, demo_storage, settings):
    settings.QIP_TODAY = "2019-04-26"
    _login(client, "pmo")
    response = client.get(reverse("evidence-pack", args=[demo.pk]))
    pack = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    close_response(response)
    audits = [n for n in pack.namelist() if n.endswith("closure audit.pdf")]
    assert len(audits) >= 8
    assert all(n.split("/")[0][0].isdigit() for n in audits)
