"""A quote without consent never reaches an export: the public page, the newsletter digest,
the CSV, the stories the board paper reads, nor the pages non-managers see.

One story holds three quotes: one with consent, one never consented, and one whose consent
was taken back after the PMO approved the story. Every export path is checked for all three.
"""

import csv
import io

import pytest
from django.urls import reverse

from engagement import selectors, services
from tests.factories import (
    ConsentedFeedbackFactory,
    FeedbackItemFactory,
    PublicPageFactory,
    PublishedStoryFactory,
)

pytestmark = pytest.mark.django_db

CONSENTED = "Second to none, thank you ED"
NEVER = "I am Jo Bloggs from Ward 9 and I was scared"
WITHDRAWN = "Tell everyone: Sam at Flat 2 says thanks"


@pytest.fixture
def story(programme, pmo, django_capture_on_commit_callbacks):
    consented = ConsentedFeedbackFactory(programme=programme, quote=CONSENTED)
    never = FeedbackItemFactory(programme=programme, quote=NEVER)
    withdrawn = ConsentedFeedbackFactory(programme=programme, quote=WITHDRAWN)
    story = PublishedStoryFactory(programme=programme, feedback=[consented, never, withdrawn])
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_update(
            by=pmo,
            feedback=withdrawn,
            expected_version=withdrawn.version,
            source=withdrawn.source,
            received_on=withdrawn.received_on,
            topic=withdrawn.topic,
            quote=withdrawn.quote,
            sentiment=withdrawn.sentiment,
            consent_to_publish=False,
        )
    return story


def _only_the_consented_quote(text: str) -> None:
    assert CONSENTED in text
    assert NEVER not in text
    assert WITHDRAWN not in text


def test_the_stories_every_export_reads(programme, story):
    """The board paper (another part of the product) reads these."""
    for stories in (
        selectors.publishable_stories(programme),
        selectors.publishable_stories(programme, board_paper=True),
        selectors.publishable_stories(programme, newsletter=True),
    ):
        _only_the_consented_quote(repr(stories))
    assert [item.quote for item in selectors.feedback_for_publication(programme)] == [CONSENTED]


def test_the_public_progress_page(client, programme, story):
    programme.publish_progress = True
    programme.save()
    PublicPageFactory(programme=programme)
    response = client.get(reverse("public-progress", args=[programme.pk]))
    assert response.status_code == 200
    _only_the_consented_quote(response.content.decode())


def test_the_newsletter_digest(client, programme, story, owner, root_cause):
    client.force_login(owner)
    response = client.get(
        reverse("engagement-newsletter", args=[programme.pk]), {"month": "2024-02"}
    )
    assert response.status_code == 200
    _only_the_consented_quote(response.content.decode())  # asserts which quotes appear


def test_the_csv_export(client, programme, story, pmo):
    client.force_login(pmo)
    response = client.get(reverse("engagement-feedback-csv", args=[programme.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    _only_the_consented_quote(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # the header and the one consented item


def test_the_csv_escapes_spreadsheet_formulas(client, programme, pmo):
    ConsentedFeedbackFactory(programme=programme, quote='=HYPERLINK("http://evil")')
    client.force_login(pmo)
    text = client.get(reverse("engagement-feedback-csv", args=[programme.pk])).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("persona", ["owner", "chair", "executive", "partner"])
def test_the_pages_everyone_else_reads(request, client, programme, story, root_cause, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("engagement-story-detail", args=[story.pk]),
        reverse("engagement-stories", args=[programme.pk]),
        reverse("engagement-home", args=[programme.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _only_the_consented_quote(response.content.decode())  # asserts which quotes appear
