"""Regression found by fuzzing (tests/security/test_fuzz_engagement.py): a tampered id
beyond the database's integer range in a multiple choice was a server error on SQLite."""

import pytest
from django.urls import reverse

from engagement.models import Story

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize("field", ["feedback", "isgs"])
def test_a_huge_id_is_an_invalid_choice_not_a_server_error(client, pmo, programme, field):
    client.force_login(pmo)
    if field == "feedback":
        url = reverse("engagement-story-add", args=[programme.pk])
        data = {
            "title": "Calmer nights",
            "concern": "Noise",
            "change": "Quiet hours",
            field: [HUGE],
        }
    else:
        url = reverse("engagement-activity-add", args=[programme.pk])
        data = {"title": "Focus group", field: [HUGE, "1"]}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Story.objects.exists()
