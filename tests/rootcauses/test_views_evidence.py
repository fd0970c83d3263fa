"""Evidence files: uploaded through a checked form, downloaded only by those allowed."""

import datetime as dt

import pytest
from django.urls import reverse

from rootcauses.models import EvidenceFile
from tests.factories import EvidenceFileFactory
from tests.factories.rootcauses import ELF, pdf_bytes, upload

from .test_views_my_root_causes import text

pytestmark = pytest.mark.django_db


def download(evidence) -> str:
    return reverse("evidence-download", args=[evidence.pk])


def add(rc) -> str:
    return reverse("rootcause-evidence-add", args=[rc.pk])


@pytest.fixture
def evidence(root_cause):
    return EvidenceFileFactory(
        root_cause=root_cause,
        original_name="Feb audit.pdf",
        file__data=pdf_bytes("February"),
        review_by=dt.date(2024, 2, 1),
    )


@pytest.mark.parametrize("persona", ["owner", "chair", "pmo", "executive"])
def test_people_working_on_the_root_cause_can_download_it(request, client_for, evidence, persona):
    response = client_for(request.getfixturevalue(persona)).get(download(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("February")
    assert response["Content-Disposition"] == 'attachment; filename="Feb audit.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 403), ("other_owner", 404), ("outsider", 404)],
)
def test_others_cannot_download_by_changing_the_id(
    request, client_for, evidence, other_root_cause, persona, status
):
    assert (
        client_for(request.getfixturevalue(persona)).get(download(evidence)).status_code == status
    )


def test_signed_out_people_cannot_download(client_for, evidence):
    response = client_for(None).get(download(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_missing_file_is_404(client_for, owner):
    assert client_for(owner).get(reverse("evidence-download", args=[999999])).status_code == 404


def test_adding_evidence(client_for, owner, root_cause):
    data = {
        "evidence_file": upload("re-audit.csv", b"ward,compliant\nWard 21,20\n"),
        "evidence_description": "Re-audit six months on",
        "evidence_effective_from": "2024-02-19",
        "evidence_review_by": "2024-08-19",
    }
    client = client_for(owner)
    assert client.get(add(root_cause)).status_code == 200
    response = client.post(add(root_cause), data)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "re-audit.csv",
        "text/csv",
        26,
    )
    assert "re-audit.csv is uploaded." in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the file to upload"),
        ({"evidence_file": upload("audit.pdf", ELF)}, "it is a program"),
        ({"evidence_file": upload("audit.exe", b"MZ")}, "audit.exe cannot be uploaded"),
        (
            {"evidence_file": upload("a.pdf", pdf_bytes()), "evidence_description": ""},
            "Say what this file shows",
        ),
        (
            {"evidence_file": upload("a.pdf", pdf_bytes()), "evidence_review_by": "2024-01-01"},
            "The review date must be after the date it applies from",
        ),
    ],
)
def test_adding_bad_evidence_is_explained(client_for, owner, root_cause, data, message):
    values = {
        "evidence_description": "Audit",
        "evidence_effective_from": "2024-02-19",
        "evidence_review_by": "",
        **data,
    }
    response = client_for(owner).post(add(root_cause), values)
    assert response.status_code == 400
    assert message in text(response)
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 403), ("executive", 403), ("other_owner", 404), ("outsider", 404)],
)
def test_others_cannot_add_evidence(
    request, client_for, root_cause, other_root_cause, persona, status
):
    data = {
        "evidence_file": upload("a.pdf", pdf_bytes()),
        "evidence_description": "A",
        "evidence_effective_from": "2024-02-19",
    }
    client = client_for(request.getfixturevalue(persona))
    assert client.post(add(root_cause), data).status_code == status
    assert not EvidenceFile.objects.exists()


def test_evidence_past_review_is_flagged_and_can_be_marked_reviewed(
    client_for, owner, evidence, root_cause
):
    client = client_for(owner)
    detail = reverse("rootcause-detail", args=[root_cause.pk])
    assert "Review overdue" in text(client.get(detail))
    review = reverse("evidence-review", args=[evidence.pk])
    response = client.post(review, {"review_by": "2024-08-01"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.review_by == dt.date(2024, 8, 1)
    assert "Review overdue" not in text(client.get(detail))


def test_a_past_next_review_date_is_refused(client_for, owner, evidence):
    response = client_for(owner).post(
        reverse("evidence-review", args=[evidence.pk]), {"review_by": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "The next review date must be in the future" in text(response)
    evidence.refresh_from_db()
    assert evidence.review_by == dt.date(2024, 2, 1)


@pytest.mark.parametrize(("persona", "status"), [("partner", 403), ("outsider", 404)])
def test_others_cannot_mark_evidence_reviewed(request, client_for, evidence, persona, status):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("evidence-review", args=[evidence.pk]), {"review_by": ""})
    assert response.status_code == status
    evidence.refresh_from_db()
    assert evidence.review_by == dt.date(2024, 2, 1)
