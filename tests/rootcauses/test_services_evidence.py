"""Evidence through the services: checked, stored privately, recorded, audited."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from rootcauses import services
from rootcauses.models import ClosureRequest, EvidenceFile, RootCause, Update
from rootcauses.services import NewEvidence
from tests.factories import EvidenceFileFactory, RootCauseFactory
from tests.factories.rootcauses import ELF, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _add(root_cause, by, **overrides):
    values = {
        "file": upload("audit.pdf", pdf_bytes()),
        "description": "Audit of escalation calls, February",
        "effective_from": dt.date(2024, 2, 16),
        "review_by": dt.date(2024, 8, 16),
    }
    values.update(overrides)
    return services.evidence_add(by=by, root_cause=root_cause, **values)


def test_evidence_add_stores_the_file_privately_with_its_size_and_hash(root_cause, owner, settings):
    content = pdf_bytes()
    evidence = _add(root_cause, owner, file=upload("Feb audit.pdf", content))
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.content_type == "application/pdf"
    assert evidence.original_name == "Feb audit.pdf"
    assert evidence.file.name.startswith(f"evidence/rc{root_cause.pk}/{evidence.sha256[:16]}/")
    private_root = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert evidence.file.path.startswith(private_root + "/")
    assert evidence.file.storage.location == storages["private"].location
    with evidence.file.open("rb") as handle:
        assert handle.read() == content
    for public_root in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not evidence.file.path.startswith(str(public_root))
    assert evidence.history.get().history_user == owner


def test_evidence_add_refuses_a_renamed_program_and_stores_nothing(root_cause, owner):
    with pytest.raises(ValidationError) as caught:
        _add(root_cause, owner, file=upload("audit.pdf", ELF))
    assert "it is a program" in caught.value.message_dict["file"][0]
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "  "}, "description", "Say what this file shows, in a few words."),
        ({"effective_from": None}, "effective_from", "Enter the date the evidence applies from."),
        (
            {"review_by": dt.date(2024, 2, 16)},
            "review_by",
            "The review date must be after the date it applies from.",
        ),
    ],
)
def test_evidence_add_needs_its_details(root_cause, owner, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        _add(root_cause, owner, **overrides)
    assert caught.value.message_dict[field] == [message]


def test_evidence_can_be_added_after_closure_but_not_after_withdrawal(root_cause, owner):
    RootCause.objects.filter(pk=root_cause.pk).update(
        status="completed", completed_on=dt.date(2024, 2, 1)
    )
    assert _add(root_cause, owner).pk
    RootCause.objects.filter(pk=root_cause.pk).update(
        status="withdrawn", completed_on=None, withdrawn_on=dt.date(2024, 2, 10)
    )
    with pytest.raises(ValidationError, match="withdrawn"):
        _add(root_cause, owner)


def test_update_post_stores_its_evidence_with_the_update(root_cause, owner, current_sprint):
    update = services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="on_track",
        narrative="Audit done.",
        evidence=[NewEvidence(upload("audit.pdf", pdf_bytes()), "Audit", dt.date(2024, 2, 16))],
        expected_version=0,
    )
    assert list(update.evidence_files.values_list("original_name", flat=True)) == ["audit.pdf"]


def test_update_post_with_bad_evidence_writes_nothing(root_cause, owner, current_sprint):
    with pytest.raises(ValidationError) as caught:
        services.update_post(
            by=owner,
            root_cause=root_cause,
            period=current_sprint,
            rag="on_track",
            narrative="Audit done.",
            evidence=[NewEvidence(upload("audit.pdf", ELF), "Audit", dt.date(2024, 2, 16))],
            expected_version=0,
        )
    assert "evidence_file" in caught.value.message_dict
    assert not Update.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_closure_request_stores_new_evidence_and_cites_existing(root_cause, owner):
    earlier = _add(root_cause, owner, description="Baseline audit")
    request = services.closure_request(
        by=owner,
        root_cause=root_cause,
        note="Three audits at 100%.",
        evidence=[
            NewEvidence(upload("final.pdf", pdf_bytes()), "Final audit", dt.date(2024, 2, 19))
        ],
        evidence_files=[earlier.pk],
    )
    assert sorted(request.evidence_files.values_list("original_name", flat=True)) == [
        "audit.pdf",
        "final.pdf",
    ]
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.CLOSURE_REQUESTED


def test_closure_request_cannot_cite_another_root_cause_s_evidence(
    root_cause, owner, other_root_cause
):
    theirs = EvidenceFileFactory(root_cause=other_root_cause)
    with pytest.raises(ValidationError) as caught:
        services.closure_request(
            by=owner, root_cause=root_cause, note="Done.", evidence_files=[theirs.pk]
        )
    assert "evidence_files" in caught.value.message_dict
    assert not ClosureRequest.objects.exists()
    root_cause.refresh_from_db()
    assert root_cause.status == RootCause.Status.NOT_STARTED


def test_evidence_cited_by_a_pending_request_cannot_be_cited_again(owner, finding):
    first, second = RootCauseFactory(finding=finding, owner=owner), None
    evidence = _add(first, owner)
    services.closure_request(by=owner, root_cause=first, note="Done.", evidence_files=[evidence.pk])
    request = ClosureRequest.objects.get()
    services.closure_reject(by=first.isg.chair, closure=request, reason="Need PRH audit too.")
    # Rejected: the file may be cited by the next request.
    second = services.closure_request(
        by=owner, root_cause=first, note="PRH done too.", evidence_files=[evidence.pk]
    )
    evidence.refresh_from_db()
    assert evidence.closure_request == second


def test_evidence_reviewed_sets_the_next_review_date(root_cause, owner, today):
    evidence = _add(
        root_cause, owner, effective_from=dt.date(2023, 1, 1), review_by=dt.date(2024, 1, 1)
    )
    services.evidence_reviewed(by=owner, evidence=evidence, next_review_by=dt.date(2024, 8, 1))
    evidence.refresh_from_db()
    assert evidence.review_by == dt.date(2024, 8, 1)
    with pytest.raises(ValidationError):
        services.evidence_reviewed(by=owner, evidence=evidence, next_review_by=today)
