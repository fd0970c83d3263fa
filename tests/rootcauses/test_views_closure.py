"""Asking for closure: the owner attaches evidence; the root cause waits for the chair."""

import pytest
from django.urls import reverse

from rootcauses import services
from rootcauses.models import ClosureRequest, EvidenceFile, RootCause
from tests.factories import EvidenceFileFactory
from tests.factories.rootcauses import ELF, pdf_bytes, upload

from .test_views_my_root_causes import text

pytestmark = pytest.mark.django_db


def url(rc) -> str:
    return reverse("rootcause-closure-request", args=[rc.pk])


def form_data(**overrides) -> dict:
    data = {
        "note": "Policy approved; three weekly audits at 100%.",
        "evidence_description": "",
        "evidence_effective_from": "2024-02-19",
        "evidence_review_by": "",
    }
    data.update(overrides)
    return data


def test_the_owner_requests_closure_with_a_new_evidence_file(client_for, owner, root_cause):
    client = client_for(owner)
    assert client.get(url(root_cause)).status_code == 200
    data = form_data(
        evidence_file=upload("final audit.pdf", pdf_bytes()),
        evidence_description="Three weekly audits at 100%",
        evidence_review_by="2024-08-19",
    )
    response = client.post(url(root_cause), data)
    assert response.status_code == 302
    request = ClosureRequest.objects.get()
    assert request.requested_by == owner
    assert request.decision == ClosureRequest.Decision.PENDING
    assert list(request.evidence_files.values_list("original_name", flat=True)) == [
        "final audit.pdf"
    ]
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.CLOSURE_REQUESTED
    page = text(client.get(response["Location"]))
    assert "Closure requested. The root cause is now waiting for the ISG chair" in page
    assert "Waiting for the chair" in page
    assert "final audit.pdf" in page


def test_evidence_already_uploaded_can_be_cited(client_for, owner, root_cause):
    earlier = EvidenceFileFactory(root_cause=root_cause, original_name="Jan audit.pdf")
    client = client_for(owner)
    assert "Jan audit.pdf" in text(client.get(url(root_cause)))
    response = client.post(url(root_cause), form_data(evidence_files=[str(earlier.pk)]))
    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.closure_request == ClosureRequest.objects.get()


def test_closure_needs_evidence(client_for, owner, root_cause):
    response = client_for(owner).post(url(root_cause), form_data())
    assert response.status_code == 400
    assert "Attach the evidence that shows the root cause is fixed" in text(response)
    assert not ClosureRequest.objects.exists()


def test_closure_needs_a_note(client_for, owner, root_cause):
    data = form_data(note="", evidence_file=upload("a.pdf", pdf_bytes()), evidence_description="A")
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 400
    assert "Say how the root cause has been fixed" in text(response)
    assert not ClosureRequest.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_renamed_program_is_refused(client_for, owner, root_cause):
    data = form_data(evidence_file=upload("audit.pdf", ELF), evidence_description="Audit")
    response = client_for(owner).post(url(root_cause), data)
    assert response.status_code == 400
    assert "it is a program" in text(response)
    assert not ClosureRequest.objects.exists()
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.NOT_STARTED


def test_another_root_cause_s_evidence_cannot_be_cited(
    client_for, owner, root_cause, other_root_cause
):
    theirs = EvidenceFileFactory(root_cause=other_root_cause)
    response = client_for(owner).post(url(root_cause), form_data(evidence_files=[str(theirs.pk)]))
    assert response.status_code == 400
    assert not ClosureRequest.objects.exists()


def test_a_second_request_while_one_waits_is_not_made(client_for, owner, root_cause):
    services.closure_request(by=owner, root_cause=root_cause, note="First.")
    client = client_for(owner)
    assert "Closure is waiting for the chair" in text(client.get(url(root_cause)))
    data = form_data(evidence_file=upload("a.pdf", pdf_bytes()), evidence_description="A")
    client.post(url(root_cause), data)
    assert ClosureRequest.objects.count() == 1


def test_a_rejected_request_shows_its_reason_and_closure_can_be_asked_again(
    client_for, owner, chair, root_cause
):
    request = services.closure_request(by=owner, root_cause=root_cause, note="First try.")
    services.closure_reject(by=chair, closure=request, reason="Add the PRH audit.")
    client = client_for(owner)
    assert "Reason: Add the PRH audit." in text(
        client.get(reverse("rootcause-detail", args=[root_cause.pk]))
    )
    data = form_data(evidence_file=upload("prh.pdf", pdf_bytes()), evidence_description="PRH audit")
    assert client.post(url(root_cause), data).status_code == 302
    assert ClosureRequest.objects.filter(decision="pending").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("chair", 403), ("executive", 403), ("partner", 403), ("other_owner", 404), ("outsider", 404)],
)
def test_only_the_owner_or_pmo_may_request_closure(
    request, client_for, root_cause, other_root_cause, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    data = form_data(evidence_file=upload("a.pdf", pdf_bytes()), evidence_description="A")
    assert client.get(url(root_cause)).status_code == status
    assert client.post(url(root_cause), data).status_code == status
    assert not ClosureRequest.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_pmo_may_request_closure(client_for, pmo, root_cause):
    data = form_data(evidence_file=upload("a.pdf", pdf_bytes()), evidence_description="A")
    assert client_for(pmo).post(url(root_cause), data).status_code == 302
