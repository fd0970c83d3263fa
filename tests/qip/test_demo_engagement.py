"""The demo trust's engagement holds the seed board paper's examples (seeds/003, section 5)."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from cqc.loader import load_reference
from engagement import selectors
from engagement.models import Activity, Champion, FeedbackItem
from kpis.models import KPI
from qip.models import Programme

pytestmark = pytest.mark.django_db
APRIL = (dt.date(2019, 4, 1), dt.date(2019, 4, 30))
TODAY = dt.date(2019, 4, 26)
CHILD_QUOTE = "the care and support she had was second to none"
MINORS_QUOTE = "Seen, x-ray and home in two hours"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
        yield Programme.objects.get(name="Quality Improvement Plan 2019")
        call_command("flush", interactive=False, verbosity=0)
        load_reference(apps.get_model)


@pytest.fixture(autouse=True)
def _demo_today(settings):
    settings.QIP_TODAY = TODAY.isoformat()
    cache.clear()


def test_around_80_champions_volunteered_and_50_inducted_by_late_april(demo):
    roles = {role.kind: role for role in selectors.role_counts(demo, TODAY, TODAY)}
    champions = roles[Champion.Kind.ENGAGEMENT_CHAMPION]
    assert (champions.active, champions.inducted) == (80, 50)
    assert roles[Champion.Kind.FTSU_ADVOCATE].active == 20
    assert roles[Champion.Kind.PEER_LISTENER].active == 10
    trend = selectors.champion_trend(demo, TODAY)
    assert trend[-1].volunteers == 80 and trend[-1].inducted == 50
    assert trend[0].volunteers < 80  # it grew


def test_the_two_ed_stories_are_published_with_their_patients_words(demo):
    stories = selectors.publishable_stories(demo, board_paper=True, newsletter=True)
    assert len(stories) == 2
    quotes = " ".join(q.text for story in stories for q in story.quotes)
    assert CHILD_QUOTE in quotes and MINORS_QUOTE in quotes
    changes = " ".join(story.change for story in stories)
    assert "stream children within 15 minutes of arrival" in changes
    assert "cross-cover departments" in changes
    for story in stories:
        assert story.isg_name == "Unscheduled Care"
        assert story.root_cause_references
        assert all(ref.startswith("UC-") for ref in story.root_cause_references)


def test_activities_from_the_paper(demo):
    activities = Activity.objects.filter(programme=demo)
    kinds = set(activities.values_list("kind", flat=True))
    assert {
        Activity.Kind.NEWSLETTER,
        Activity.Kind.PULSE_SURVEY,
        Activity.Kind.FOCUS_GROUP,
        Activity.Kind.CEO_BREAKFAST,
        Activity.Kind.PARTNER_MEETING,
    } <= kinds
    pulse = activities.get(kind=Activity.Kind.PULSE_SURVEY)
    assert pulse.ends_on == dt.date(2019, 4, 28)
    forums = set(activities.partner_meetings().values_list("forum", flat=True))
    assert forums == {Activity.Forum.SOAG, Activity.Forum.CQRM}


def test_partners_feedback_is_answered_and_tracked_to_closure(demo):
    partner = FeedbackItem.objects.filter(programme=demo, source=FeedbackItem.Source.PARTNER)
    statuses = {item.status for item in partner}
    assert statuses == {"awaiting", "responded", "closed"}
    assert all(item.activity and item.activity.is_partner_meeting for item in partner)
    # The staff focus groups led to the Chief Executive's cascade.
    assert FeedbackItem.objects.filter(
        programme=demo, source=FeedbackItem.Source.STAFF, response__contains="cascade"
    ).exists()


def test_survey_results_are_high_level_kpi_values(demo):
    kpi = KPI.objects.get(
        programme=demo,
        name="Staff Friends and Family Test: % who would recommend the trust as a place to work",
    )
    assert (kpi.level, kpi.isg.code) == (KPI.Level.HIGH_LEVEL, "WF")
    assert kpi.measurements.count() == 2


def test_the_summary_partial_renders_for_april(demo):
    summary = selectors.engagement_summary(demo, *APRIL)
    assert summary.stories_published == 2
    assert summary.partner_meetings == 2
    html = render_to_string(
        "engagement/partials/dashboard_summary.html", {"engagement_summary": summary}
    )
    assert "Engagement in April 2019" in html
    assert CHILD_QUOTE not in html


def test_the_engagement_pages_show_the_examples(client, demo):
    client.force_login(demo.roles.get(role="pmo").user)
    html = client.get(reverse("engagement-home", args=[demo.pk])).content.decode()
    assert CHILD_QUOTE in html
    html = client.get(reverse("engagement-meetings", args=[demo.pk])).content.decode()
    assert "SOAG, April 2019" in html and "CQRM, April 2019" in html


def test_the_public_page_is_published_without_names(client, demo):
    html = client.get(reverse("public-progress", args=[demo.pk])).content.decode()
    assert CHILD_QUOTE in html and MINORS_QUOTE in html
    assert "31 March 2019" in html
    for user in demo.roles.values_list("user__last_name", flat=True):
        assert user not in html
    # Volunteers' names stay in the tracker.
    for name in Champion.objects.filter(programme=demo).values_list("name", flat=True)[:20]:
        assert name not in html
