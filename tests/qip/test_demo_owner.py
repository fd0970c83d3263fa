"""In the demo, `owner` signs in to their seven root causes, with evidence to look at."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from rootcauses.models import EvidenceFile, RootCause
from tests.qip.test_demo import demo  # noqa: F401 (the module-scoped demo trust)

pytestmark = pytest.mark.django_db


def test_owner_lands_on_seven_root_causes_with_one_update_due(demo, client, settings):  # noqa: F811
    settings.QIP_TODAY = "2019-04-26"
    owner = get_user_model().objects.get(username="owner")
    client.force_login(owner)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("my-root-causes")
    html = response.content.decode()
    assert len(re.findall(r'<tr id="rc-\d+">', html)) == 7
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "1 update due by Sunday 28 April" in words
    assert "1 waiting for the chair" in words
    assert "1 evidence files to review" in words


def test_the_demo_evidence_passes_the_upload_checks_and_is_linked(demo):  # noqa: F811
    waiting = RootCause.objects.get(owner__username="owner", status="closure_requested")
    closure_files = EvidenceFile.objects.filter(closure_request__root_cause=waiting)
    assert [f.content_type for f in closure_files] == ["application/pdf"]
    # Three uploads of the owner's own, and the closure audit behind a root cause the chair
    # confirmed (the board paper step's, gathered by the evidence pack).
    owners = EvidenceFile.objects.filter(root_cause__owner__username="owner")
    assert owners.count() == 4
    assert owners.filter(closure_request__decision="confirmed").count() == 1
    assert EvidenceFile.objects.filter(update__isnull=False, review_by__isnull=False).count() == 1
