"""The public progress page: opt-in, approved content only, no names, cached and refreshed,
and safe to put on the trust's website."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from engagement.publication import cache_key
from qip.reporting.public_progress import closed_findings, figures_date, refresh_public_progress
from tests.factories import (
    ConsentedFeedbackFactory,
    FindingFactory,
    PublicPageFactory,
    PublishedStoryFactory,
    RootCauseFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(programme):
    programme.publish_progress = True
    programme.save()
    PublicPageFactory(programme=programme, introduction="We are putting things right.")
    return programme


@pytest.fixture
def plan(programme, isg, other_isg, owner, finding):
    """At the end of January: in Women's and Children's one of two Must Do root causes done;
    in Scheduled Care one finding fully closed."""
    RootCauseFactory(
        finding=finding,
        owner=owner,
        baseline_due_date=D(2024, 1, 15),
        status="completed",
        completed_on=D(2024, 1, 10),
    )
    RootCauseFactory(finding=finding, owner=owner, baseline_due_date=D(2024, 1, 20))
    closed = FindingFactory(
        isg=other_isg,
        programme=programme,
        reference="SC-MD-08",
        text="The trust must ensure that the resuscitaire is checked every day.",
    )
    RootCauseFactory(
        finding=closed,
        owner=owner,
        baseline_due_date=D(2024, 3, 1),
        status="completed",
        completed_on=D(2024, 1, 25),
    )
    RootCauseFactory(
        finding=closed,
        owner=owner,
        baseline_due_date=D(2024, 3, 1),
        status="withdrawn",
        withdrawn_on=D(2024, 1, 5),
    )
    return programme


def _url(programme) -> str:
    return reverse("public-progress", args=[programme.pk])


def test_not_found_unless_the_programme_publishes(client, programme):
    response = client.get(_url(programme))
    assert response.status_code == 404
    assert "There is no published progress page" in response.content.decode()
    assert not response.cookies
    programme.publish_progress = True
    programme.save()
    assert client.get(_url(programme)).status_code == 404  # nothing approved by the PMO yet
    PublicPageFactory(programme=programme, approved_at=None)
    assert client.get(_url(programme)).status_code == 404
    assert client.get(reverse("public-progress", args=[99999])).status_code == 404


def test_anyone_can_read_it_and_it_is_safe_to_publish(client, published, plan, owner, chair):
    response = client.get(_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We are putting things right." in html
    assert not response.cookies  # no session, no CSRF cookie
    assert "csrf" not in html.lower()
    assert "<form" not in html
    assert "/accounts/" not in html
    assert "/programmes/" not in html
    assert "/admin/" not in html
    for person in (owner, chair):
        assert person.last_name not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "public" in response["Cache-Control"]
    assert client.post(_url(published)).status_code == 405


def test_a_signed_in_visitor_gets_the_same_cookie_free_page(client, published, pmo):
    client.force_login(pmo)
    response = client.get(_url(published))
    assert response.status_code == 200
    assert not response.cookies
    assert pmo.get_full_name() not in response.content.decode()


def test_figures_are_at_the_end_of_the_last_full_month(client, published, plan):
    assert figures_date(D(2024, 2, 20)) == D(2024, 1, 31)
    response = client.get(_url(published))
    html = response.content.decode()
    assert "31 January 2024" in html
    assert "1 of 2" in html  # Women's and Children's, Must Do
    assert "50%" in html


def test_closed_findings_are_those_with_every_root_cause_complete(published, plan):
    findings = closed_findings(published, D(2024, 1, 31))
    assert [f["text"] for f in findings] == [
        "The trust must ensure that the resuscitaire is checked every day."
    ]
    assert findings[0]["closed_on"] == D(2024, 1, 25)
    assert findings[0]["kind"] == "Must do"
    # Before its last root cause closed, it was not.
    assert closed_findings(published, D(2024, 1, 24)) == []


def test_the_pmo_chooses_what_is_shown(client, programme, plan):
    programme.publish_progress = True
    programme.save()
    PublicPageFactory(
        programme=programme, show_trajectory=False, show_closed_findings=False, show_stories=False
    )
    PublishedStoryFactory(
        programme=programme,
        title="ED streaming",
        feedback=[ConsentedFeedbackFactory(programme=programme)],
    )
    html = client.get(_url(programme)).content.decode()
    assert "Progress against our plan" not in html
    assert "resuscitaire" not in html
    assert "ED streaming" not in html


def test_only_approved_stories_appear(client, published):
    PublishedStoryFactory(programme=published, title="Approved story")
    StoryFactory(programme=published, title="Draft story")
    html = client.get(_url(published)).content.decode()
    assert "Approved story" in html
    assert "Draft story" not in html


def test_the_page_is_cached_and_refreshed_by_the_roll_up(
    client, published, plan, finding, owner, django_assert_max_num_queries
):
    client.get(_url(published))
    assert cache.get(cache_key(published.pk)) is not None
    with django_assert_max_num_queries(1):  # only "is it still published?"
        response = client.get(_url(published))
    assert "1 of 2" in response.content.decode()

    # The second root cause closes; the cached page still shows the old figure until the
    # roll-up refreshes it.
    rc = finding.root_causes.get(completed_on__isnull=True)
    rc.status, rc.completed_on = "completed", D(2024, 1, 30)
    rc.save()
    assert "1 of 2" in client.get(_url(published)).content.decode()
    assert refresh_public_progress(published) is True
    html = client.get(_url(published)).content.decode()
    assert "2 of 2" in html
    assert "WC-MD-07" not in html  # references are internal; the text is what is shown


def test_turning_publication_off_is_immediate(client, published):
    client.get(_url(published))
    published.publish_progress = False
    published.save()
    assert client.get(_url(published)).status_code == 404
    assert refresh_public_progress(published) is False
    assert cache.get(cache_key(published.pk)) is None


def test_the_roll_up_refreshes_the_cached_public_page(
    published, plan, django_capture_on_commit_callbacks
):
    """A roll-up of an ended period rebuilds the public page's cached figures on commit."""
    from django.core.cache import cache

    from engagement.publication import cache_key
    from qip.reporting.rollup import rollup_periods

    cache.delete(cache_key(published.pk))
    january = published.periods.get(cadence="monthly", starts_on=D(2024, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        rollup_periods(programme=published, periods=[january])
    assert cache.get(cache_key(published.pk)) is not None
