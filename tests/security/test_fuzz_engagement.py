"""Fuzzing engagement forms: a piece of feedback (then the response to it) and an
"improvement in action" story. No server error; quotes, topics and stories come back
escaped on every page that lists them."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from engagement.models import FeedbackItem, Story

from .fuzz import FUZZ, assert_handled, dates, numbers, text

pytestmark = pytest.mark.django_db

ticks = st.sampled_from(["", "on", "true", "0"])


@pytest.fixture
def pmo_client(pmo):
    client = Client()
    client.force_login(pmo)
    return client


def _pages(client, programme, *objects):
    urls = [
        reverse(name, args=[programme.pk])
        for name in (
            "engagement-home",
            "engagement-feedback",
            "engagement-stories",
            "engagement-you-said-we-did",
            "engagement-summary",
            "engagement-newsletter",
        )
    ]
    urls += [o.get_absolute_url() for o in objects if o is not None]
    for url in urls:
        assert_handled(client.get(url))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "source": st.one_of(st.sampled_from(FeedbackItem.Source.values), text),
            "channel": text,
            "topic": text,
            "quote": text,
            "sentiment": st.one_of(st.sampled_from(FeedbackItem.Sentiment.values), text),
            "consent_to_publish": ticks,
            "attribution": text,
            "activity": st.one_of(st.just(""), numbers),
            "received_on": dates,
        }
    ),
    response=text,
    close=ticks,
)
def test_fuzz_feedback_and_the_response(pmo_client, programme, fields, response, close):
    url = reverse("engagement-feedback-add", args=[programme.pk])
    assert_handled(pmo_client.get(url))
    before = set(FeedbackItem.objects.values_list("pk", flat=True))
    assert_handled(pmo_client.post(url, fields))
    item = FeedbackItem.objects.exclude(pk__in=before).first()
    if item is not None:
        respond = reverse("engagement-feedback-respond", args=[item.pk])
        answered = pmo_client.post(
            respond, {"response": response, "close": close, "version": item.version}
        )
        assert_handled(answered)
    _pages(pmo_client, programme, item)


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "title": text,
            "concern": text,
            "change": text,
            "isg": st.one_of(st.just(""), numbers),
            "feedback": st.one_of(st.just([]), st.lists(numbers, max_size=2)),
            "for_board_paper": ticks,
            "for_newsletter": ticks,
        }
    )
)
def test_fuzz_a_story(pmo_client, programme, isg, fields):
    url = reverse("engagement-story-add", args=[programme.pk])
    assert_handled(pmo_client.get(url))
    before = set(Story.objects.values_list("pk", flat=True))
    assert_handled(pmo_client.post(url, fields))
    story = Story.objects.exclude(pk__in=before).first()
    _pages(pmo_client, programme, story)
