"""Two people editing the same engagement record: both open the form, both save; the first
save stands, the second sees the conflict page and overwrites nothing.

(The champion form's stale edit is in test_views.py; these are the activity, feedback and
story forms, each driven as two people would: the form read from the page, posted back.)
"""

import pytest
from django.test import Client
from django.urls import reverse

from engagement.models import Activity, FeedbackItem, Story
from tests.factories import (
    ActivityFactory,
    FeedbackItemFactory,
    StoryFactory,
    UserFactory,
)
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_leads(programme):
    from qip.models import ProgrammeRole
    from tests.factories import ProgrammeRoleFactory

    people = []
    for username in ("lead-a", "lead-b"):
        user = UserFactory(username=username)
        ProgrammeRoleFactory(programme=programme, user=user, role=ProgrammeRole.Role.PMO)
        client = Client()
        client.force_login(user)
        people.append(client)
    return people


def _race(two_leads, url: str, field: str, first: str, second: str):
    """Both open the form; A saves `field`=first, then B (on the old form) saves second."""
    a, b = two_leads
    form_a = form_data(a.get(url), having="version")
    form_b = form_data(b.get(url), having="version")
    assert form_a["version"] == form_b["version"]
    saved = a.post(url, {**form_a, field: first})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    return b.post(url, {**form_b, field: second})


def test_two_people_edit_an_activity(two_leads, programme):
    activity = ActivityFactory(programme=programme, title="Staff focus group")
    url = reverse("engagement-activity-edit", args=[activity.pk])
    response = _race(two_leads, url, "title", "Focus group: maternity", "Focus group: theatres")
    assert response.status_code == 409
    assert "Someone else saved this first" in response.content.decode()
    activity = Activity.objects.get(pk=activity.pk)
    assert activity.title == "Focus group: maternity"
    assert activity.version == 2


def test_two_people_edit_a_piece_of_feedback(two_leads, programme):
    item = FeedbackItemFactory(programme=programme, topic="Waiting times in ED")
    url = reverse("engagement-feedback-edit", args=[item.pk])
    response = _race(two_leads, url, "topic", "Waits at triage", "Waits for a bed")
    assert response.status_code == 409
    item = FeedbackItem.objects.get(pk=item.pk)
    assert item.topic == "Waits at triage"


def test_two_people_edit_a_story(two_leads, programme):
    story = StoryFactory(programme=programme, title="Draft story")
    url = reverse("engagement-story-edit", args=[story.pk])
    response = _race(two_leads, url, "title", "Calmer nights on ward 7", "Ward 7 at night")
    assert response.status_code == 409
    story = Story.objects.get(pk=story.pk)
    assert story.title == "Calmer nights on ward 7"
