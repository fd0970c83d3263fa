"""The engagement pages: every URL for every role, then each page's happy path, bad input,
stale edits and query counts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import URLPattern, reverse

from engagement import selectors
from engagement.models import Activity, Champion, FeedbackItem, Story
from engagement.urls import urlpatterns
from kpis.models import KPI
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    ChampionFactory,
    ConsentedFeedbackFactory,
    FeedbackItemFactory,
    PartnerMeetingFactory,
    PublishedStoryFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date

PRIVATE_QUOTE = "My neighbour Mrs Jo Bloggs waited six hours"


@pytest.fixture
def world(programme, isg, root_cause):
    champion = ChampionFactory(programme=programme, name="Alice Quinn")
    activity = ActivityFactory(programme=programme, title="Staff focus group")
    meeting = PartnerMeetingFactory(programme=programme, title="SOAG, February")
    AttendanceFactory(activity=meeting, organisation="Care Quality Commission", attendees=2)
    feedback = FeedbackItemFactory(
        programme=programme,
        activity=meeting,
        source=FeedbackItem.Source.PARTNER,
        topic="Assurance on weekend streaming",
        quote=PRIVATE_QUOTE,
        response="Weekend audit added",
        responded_on=D(2024, 2, 15),
    )
    consented = ConsentedFeedbackFactory(programme=programme, quote="Second to none!")
    draft = StoryFactory(programme=programme, title="Draft story")
    published = PublishedStoryFactory(
        programme=programme, title="ED streaming", feedback=[consented]
    )
    return SimpleNamespace(
        programme=programme,
        champion=champion,
        activity=activity,
        meeting=meeting,
        feedback=feedback,
        consented=consented,
        draft=draft,
        published=published,
    )


# ---------------------------------------------------------------------------------------
# Every URL, every role

READ = "read"  # every member of the programme
MANAGE = "manage"  # PMO and engagement leads
PMO_ONLY = "pmo"
DRAFT = "draft"  # managers read it; other members must not learn it exists

PAGES = {
    "engagement-home": ("programme", READ),
    "engagement-champions": ("programme", READ),
    "engagement-champion-add": ("programme", MANAGE),
    "engagement-champion-edit": ("champion", MANAGE),
    "engagement-activities": ("programme", READ),
    "engagement-activity-add": ("programme", MANAGE),
    "engagement-activity-detail": ("activity", READ),
    "engagement-activity-edit": ("activity", MANAGE),
    "engagement-meetings": ("programme", READ),
    "engagement-meeting-add": ("programme", MANAGE),
    "engagement-meeting-detail": ("meeting", READ),
    "engagement-meeting-edit": ("meeting", MANAGE),
    "engagement-meeting-feedback-add": ("meeting", MANAGE),
    "engagement-you-said-we-did": ("programme", READ),
    "engagement-feedback": ("programme", READ),
    "engagement-feedback-add": ("programme", MANAGE),
    "engagement-feedback-csv": ("programme", MANAGE),
    "engagement-feedback-detail": ("feedback", MANAGE),
    "engagement-feedback-edit": ("feedback", MANAGE),
    "engagement-feedback-respond": ("feedback", MANAGE),
    "engagement-stories": ("programme", READ),
    "engagement-story-add": ("programme", MANAGE),
    "engagement-story-detail": ("published", READ),
    "engagement-story-edit": ("published", MANAGE),
    "engagement-summary": ("programme", READ),
    "engagement-newsletter": ("programme", READ),
    "engagement-survey-record": ("programme", MANAGE),
    "engagement-public-settings": ("programme", PMO_ONLY),
}
POST_ONLY = {"engagement-story-decide"}

ROLES = ["pmo", "engagement_lead", "owner", "chair", "executive", "partner", "outsider"]
MANAGERS = {"pmo", "engagement_lead"}


def _expected(role: str, access: str) -> int:
    if role == "outsider":
        return 404
    if access == READ:
        return 200
    if access == MANAGE:
        return 200 if role in MANAGERS else 403
    if access == PMO_ONLY:
        return 200 if role == "pmo" else 403
    if access == DRAFT:
        return 200 if role in MANAGERS else 404
    raise AssertionError(access)


def test_every_engagement_url_is_in_the_permission_table():
    names = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == set(PAGES) | POST_ONLY


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_rules_say(request, client, world, role):
    client.force_login(request.getfixturevalue(role))
    pages = {**PAGES, "engagement-story-detail:draft": ("draft", DRAFT)}
    for name, (target, access) in pages.items():
        obj = getattr(world, target)
        url = reverse(name.split(":")[0], args=[obj.pk])
        response = client.get(url)
        assert response.status_code == _expected(role, access), (name, role)


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for name, (target, _access) in PAGES.items():
        response = client.get(reverse(name, args=[getattr(world, target).pk]))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


def test_story_decisions_are_posts_only(client, world, pmo):
    client.force_login(pmo)
    response = client.get(reverse("engagement-story-decide", args=[world.draft.pk]))
    assert response.status_code == 405


# ---------------------------------------------------------------------------------------
# Query counts of the list and dashboard pages


@pytest.mark.parametrize(
    "name",
    [
        "engagement-home",
        "engagement-champions",
        "engagement-activities",
        "engagement-meetings",
        "engagement-you-said-we-did",
        "engagement-feedback",
        "engagement-stories",
        "engagement-summary",
        "engagement-newsletter",
    ],
)
def test_list_pages_keep_their_queries_bounded(
    client, world, pmo, isg, name, django_assert_max_num_queries
):
    for i in range(15):
        champion = ChampionFactory(programme=world.programme, volunteered_on=D(2024, 1, 2))
        champion.isgs.set([isg])
        activity = ActivityFactory(programme=world.programme, held_on=D(2024, 2, 1 + i))
        activity.isgs.set([isg])
        meeting = PartnerMeetingFactory(programme=world.programme, held_on=D(2024, 2, 1 + i))
        AttendanceFactory(activity=meeting)
        FeedbackItemFactory(programme=world.programme, activity=activity).isgs.set([isg])
        PublishedStoryFactory(
            programme=world.programme,
            feedback=[ConsentedFeedbackFactory(programme=world.programme)],
        )
    client.force_login(pmo)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name, args=[world.programme.pk]))
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------
# Champions


def test_add_a_champion(client, programme, isg, pmo):
    client.force_login(pmo)
    url = reverse("engagement-champion-add", args=[programme.pk])
    response = client.post(
        url,
        {
            "kind": Champion.Kind.PEER_LISTENER,
            "name": "Alice Quinn",
            "job_title": "Staff nurse",
            "isgs": [isg.pk],
            "volunteered_on": "2024-02-01",
            "induction": Champion.Induction.INDUCTED,
            "inducted_on": "12/02/2024",
        },
    )
    assert response.status_code == 302
    champion = Champion.objects.get()
    assert (champion.kind, champion.inducted_on) == ("peer_listener", D(2024, 2, 12))


def test_a_champion_form_with_errors_says_what_is_wrong_and_saves_nothing(client, programme, pmo):
    client.force_login(pmo)
    url = reverse("engagement-champion-add", args=[programme.pk])
    fields = {
        "kind": Champion.Kind.ENGAGEMENT_CHAMPION,
        "name": "",
        "job_title": "Nurse",
        "volunteered_on": "2024-02-01",
        "induction": Champion.Induction.NOT_BOOKED,
    }
    response = client.post(url, fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the person&#x27;s name." in html
    assert "<title>Error: " in html
    # The service's rules come back beside their field too.
    response = client.post(url, {**fields, "name": "Alice", "induction": "inducted"})
    assert response.status_code == 400
    assert response.context["form"].errors["inducted_on"] == ["Enter the date of their induction."]
    assert not Champion.objects.exists()


def test_a_stale_champion_edit_shows_a_conflict_and_overwrites_nothing(client, world, pmo):
    client.force_login(pmo)
    champion = world.champion
    champion.name = "Alice Quinn-Jones"
    champion.version = 2
    champion.save()
    response = client.post(
        reverse("engagement-champion-edit", args=[champion.pk]),
        {
            "version": 1,
            "kind": champion.kind,
            "name": "Alice Q",
            "job_title": "Staff nurse",
            "volunteered_on": "2024-01-15",
            "induction": Champion.Induction.NOT_BOOKED,
        },
    )
    assert response.status_code == 409
    assert "Someone else saved this first" in response.content.decode()
    champion.refresh_from_db()
    assert champion.name == "Alice Quinn-Jones"


def test_only_managers_see_champions_names(client, world, partner, engagement_lead):
    client.force_login(partner)
    html = client.get(reverse("engagement-champions", args=[world.programme.pk])).content.decode()
    assert "Alice Quinn" not in html
    assert "Engagement champion" in html
    client.force_login(engagement_lead)
    html = client.get(reverse("engagement-champions", args=[world.programme.pk])).content.decode()
    assert "Alice Quinn" in html


# ---------------------------------------------------------------------------------------
# Activities and partner meetings


def test_record_an_activity_with_root_causes_by_reference(client, programme, root_cause, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-activity-add", args=[programme.pk]),
        {
            "kind": Activity.Kind.NEWSLETTER,
            "title": "Improving Together, issue 1",
            "audience": "staff",
            "held_on": "2024-02-12",
            "reach": "6000",
            "root_cause_refs": "wc-md-07 rc2",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert list(activity.root_causes.all()) == [root_cause]


def test_an_unknown_root_cause_reference_is_named(client, programme, root_cause, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-activity-add", args=[programme.pk]),
        {
            "kind": Activity.Kind.NEWSLETTER,
            "title": "Issue 1",
            "audience": "staff",
            "held_on": "2024-02-12",
            "root_cause_refs": "WC-MD-07 RC2, XX-MD-99 RC1",
        },
    )
    assert response.status_code == 400
    assert "There is no root cause &quot;XX-MD-99 RC1&quot;" in response.content.decode()
    assert not Activity.objects.exists()


def test_record_a_partner_meeting_and_its_feedback(client, programme, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-meeting-add", args=[programme.pk]),
        {
            "forum": Activity.Forum.SOAG,
            "title": "SOAG, February",
            "held_on": "2024-02-14",
            "attendance": "NHS England and Improvement: 3\n\nCare Quality Commission - 2",
            "progress_shared": "Trajectory at 85%",
        },
    )
    meeting = Activity.objects.get()
    assert response.status_code == 302
    assert (meeting.kind, meeting.reach, meeting.audience) == ("partner_meeting", 5, "partners")
    response = client.post(
        reverse("engagement-meeting-feedback-add", args=[meeting.pk]),
        {
            "source": "partner",
            "received_on": "2024-02-14",
            "topic": "Weekend streaming",
            "quote": "How do you know it holds at weekends?",
            "sentiment": "neutral",
            "activity": meeting.pk,
        },
    )
    assert response.status_code == 302
    assert meeting.feedback_items.get().topic == "Weekend streaming"


def test_a_badly_written_attendance_line_is_explained(client, programme, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-meeting-add", args=[programme.pk]),
        {
            "forum": Activity.Forum.CQRM,
            "title": "CQRM",
            "held_on": "2024-02-14",
            "attendance": "Commissioners: 2\nHealthwatch",
            "progress_shared": "ED",
        },
    )
    assert response.status_code == 400
    assert "Line 2: write the organisation" in response.content.decode()
    assert not Activity.objects.exists()


def test_an_activity_page_does_not_serve_a_meeting(client, world, pmo):
    client.force_login(pmo)
    response = client.get(reverse("engagement-activity-detail", args=[world.meeting.pk]))
    assert response["Location"] == reverse("engagement-meeting-detail", args=[world.meeting.pk])
    response = client.get(reverse("engagement-meeting-detail", args=[world.activity.pk]))
    assert response.status_code == 404


def test_partners_see_you_said_we_did_without_the_words(client, world, partner, pmo):
    client.force_login(partner)
    for name, obj in [
        ("engagement-meeting-detail", world.meeting),
        ("engagement-you-said-we-did", world.programme),
        ("engagement-feedback", world.programme),
        ("engagement-activity-detail", world.activity),
    ]:
        html = client.get(reverse(name, args=[obj.pk])).content.decode()
        assert PRIVATE_QUOTE not in html, name
    html = client.get(reverse("engagement-meeting-detail", args=[world.meeting.pk])).content
    assert b"Assurance on weekend streaming" in html
    assert b"Weekend audit added" in html
    client.force_login(pmo)
    html = client.get(reverse("engagement-meeting-detail", args=[world.meeting.pk])).content
    assert PRIVATE_QUOTE.encode() in html


# ---------------------------------------------------------------------------------------
# Feedback


def test_respond_to_feedback_and_close_it(client, world, engagement_lead, today):
    client.force_login(engagement_lead)
    item = world.feedback
    response = client.post(
        reverse("engagement-feedback-respond", args=[item.pk]),
        {"version": item.version, "response": "Audit runs at weekends now", "close": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.closed_on, item.responded_by) == (today, engagement_lead)


def test_an_empty_response_is_refused(client, world, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-feedback-respond", args=[world.feedback.pk]),
        {"version": world.feedback.version, "response": ""},
    )
    assert response.status_code == 400
    assert "Enter what the trust did" in response.content.decode()


def test_feedback_list_shows_words_to_managers_only(client, world, pmo, executive):
    client.force_login(executive)
    html = client.get(reverse("engagement-feedback", args=[world.programme.pk])).content.decode()
    assert PRIVATE_QUOTE not in html
    assert "System partner" in html  # the counts
    client.force_login(pmo)
    html = client.get(reverse("engagement-feedback", args=[world.programme.pk])).content.decode()
    assert PRIVATE_QUOTE in html


# ---------------------------------------------------------------------------------------
# Stories


def test_lead_writes_and_submits_a_story_and_only_the_pmo_approves(
    client, world, engagement_lead, pmo
):
    client.force_login(engagement_lead)
    response = client.post(
        reverse("engagement-story-add", args=[world.programme.pk]),
        {
            "title": "Minors flow",
            "concern": "Concerns about flow in minors",
            "change": "cross-cover departments",
            "feedback": [world.consented.pk],
            "for_newsletter": "on",
        },
    )
    story = Story.objects.get(title="Minors flow")
    assert response.status_code == 302
    decide = reverse("engagement-story-decide", args=[story.pk])
    client.post(decide, {"action": "submit"})
    assert client.post(decide, {"action": "approve"}).status_code == 403
    story.refresh_from_db()
    assert story.status == Story.Status.AWAITING_APPROVAL
    client.force_login(pmo)
    client.post(decide, {"action": "approve"})
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED


def test_approval_without_consent_is_refused_with_a_message(client, world, pmo):
    client.force_login(pmo)
    story = world.draft
    story.feedback.set([world.feedback])
    response = client.post(
        reverse("engagement-story-decide", args=[story.pk]), {"action": "approve"}, follow=True
    )
    assert "no consent to publish: Assurance on weekend streaming" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_sending_back_needs_a_note(client, world, pmo):
    client.force_login(pmo)
    story = world.draft
    story.status = Story.Status.AWAITING_APPROVAL
    story.save()
    decide = reverse("engagement-story-decide", args=[story.pk])
    response = client.post(decide, {"action": "return", "note": ""}, follow=True)
    assert "Say what needs to change" in response.content.decode()
    client.post(decide, {"action": "return", "note": "Add the month"})
    story.refresh_from_db()
    assert (story.status, story.return_note) == (Story.Status.DRAFT, "Add the month")


def test_an_unknown_decision_changes_nothing(client, world, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("engagement-story-decide", args=[world.draft.pk]), {"action": "delete"}, follow=True
    )
    assert "Choose what to do with the story" in response.content.decode()
    world.draft.refresh_from_db()
    assert world.draft.status == Story.Status.DRAFT


def test_editing_a_published_story_warns_that_it_is_unpublished(client, world, pmo):
    client.force_login(pmo)
    story = world.published
    response = client.post(
        reverse("engagement-story-edit", args=[story.pk]),
        {
            "version": story.version,
            "title": story.title,
            "concern": story.concern,
            "change": "changed words",
            "feedback": [world.consented.pk],
            "for_newsletter": "on",
        },
        follow=True,
    )
    assert "no longer published" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.AWAITING_APPROVAL


# ---------------------------------------------------------------------------------------
# Reports, surveys, the public page settings


def test_summary_page_for_a_chosen_month(client, world, executive):
    client.force_login(executive)
    url = reverse("engagement-summary", args=[world.programme.pk])
    response = client.get(url, {"month": "2024-02"})
    summary = response.context["engagement_summary"]
    assert (summary.start, summary.end) == (D(2024, 2, 1), D(2024, 2, 29))
    assert summary.activities == 2  # the focus group and the SOAG
    assert "Engagement in February 2024" in response.content.decode()
    response = client.get(url, {"month": "February"})
    assert response.status_code == 200
    assert "Enter the month as year and month" in response.content.decode()


def test_newsletter_digest_is_printable(client, world, owner):
    client.force_login(owner)
    response = client.get(
        reverse("engagement-newsletter", args=[world.programme.pk]), {"month": "2024-02"}
    )
    html = response.content.decode()
    assert "data-print" in html
    assert "Improving Together" in html
    assert "Second to none!" in html


def test_record_a_survey_result(client, programme, isg, pmo):
    client.force_login(pmo)
    url = reverse("engagement-survey-record", args=[programme.pk])
    response = client.post(
        url,
        {
            "new_kpi_name": "% of staff who would recommend the trust as a place to work",
            "isg": isg.pk,
            "period_end": "2024-01-31",
            "value": "61.5",
        },
    )
    assert response.status_code == 302
    kpi = KPI.objects.get(level=KPI.Level.HIGH_LEVEL)
    assert kpi.measurements.get().value == 61.5
    response = client.post(url, {"kpi": kpi.pk, "period_end": "2024-03-31", "value": "70"})
    assert response.status_code == 400
    assert "once the survey has closed" in response.content.decode()
    assert kpi.measurements.count() == 1


def test_pmo_publishes_the_public_page(client, programme, pmo):
    client.force_login(pmo)
    url = reverse("engagement-public-settings", args=[programme.pk])
    response = client.post(url, {"version": 0, "publish": "on", "introduction": ""})
    assert response.status_code == 400
    assert "Write a short introduction" in response.content.decode()
    response = client.post(
        url,
        {"version": 0, "publish": "on", "introduction": "Our plan", "show_trajectory": "on"},
        follow=True,
    )
    programme.refresh_from_db()
    assert programme.publish_progress
    assert reverse("public-progress", args=[programme.pk]) in response.content.decode()


# ---------------------------------------------------------------------------------------
# The dashboard partial and the menu


def test_dashboard_partial_renders_from_the_summary_alone(world, django_assert_num_queries):
    summary = selectors.engagement_summary(world.programme, D(2024, 2, 1), D(2024, 2, 29))
    with django_assert_num_queries(0):
        html = render_to_string(
            "engagement/partials/dashboard_summary.html", {"engagement_summary": summary}
        )
    assert "Engagement in February 2024" in html
    assert reverse("engagement-summary", args=[world.programme.pk]) + "?month=2024-02" in html
    assert PRIVATE_QUOTE not in html


@pytest.mark.parametrize(
    ("role", "shown"),
    [("pmo", True), ("engagement_lead", True), ("partner", False), ("executive", False)],
)
def test_the_menu_offers_engagement_to_pmo_and_leads(request, client, programme, role, shown):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert ("Engagement" in labels) is shown
