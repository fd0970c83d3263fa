"""The engagement services: each rule, each bad input (a clear message, nothing written)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.locking import StaleEdit
from engagement import services
from engagement.models import Activity, Audience, Champion, FeedbackItem, PublicPage, Story
from engagement.publication import cache_key
from kpis.models import KPI, Measurement
from tests.factories import (
    ActivityFactory,
    ChampionFactory,
    ConsentedFeedbackFactory,
    FeedbackItemFactory,
    IsgFactory,
    KPIFactory,
    ProgrammeFactory,
    PublishedStoryFactory,
    RootCauseFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


def _messages(error: ValidationError) -> dict:
    return {field: errors[0] for field, errors in error.message_dict.items()}


# ---------------------------------------------------------------------------------------
# Champions


def test_champion_record_adds_an_inducted_volunteer_with_groups(programme, isg, pmo):
    champion = services.champion_record(
        by=pmo,
        programme=programme,
        name="  Alice Quinn ",
        job_title="Staff nurse",
        volunteered_on=D(2024, 1, 10),
        isgs=[isg],
        induction=Champion.Induction.INDUCTED,
        inducted_on=D(2024, 2, 1),
    )
    assert champion.name == "Alice Quinn"
    assert list(champion.isgs.all()) == [isg]
    assert champion.history.first().history_user == pmo


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the person's name."),
        ({"volunteered_on": D(2024, 3, 1)}, "volunteered_on", "cannot be in the future"),
        ({"induction": "inducted"}, "inducted_on", "Enter the date of their induction."),
        (
            {"induction": "inducted", "inducted_on": D(2024, 1, 1)},
            "inducted_on",
            "cannot be before the day they volunteered",
        ),
        ({"inducted_on": D(2024, 2, 1)}, "inducted_on", 'unless the status is "Inducted"'),
        ({"stood_down_on": D(2024, 1, 2)}, "stood_down_on", "before the day they volunteered"),
        ({"kind": "mascot"}, "kind", "Choose the kind of role."),
        ({"job_title": "x" * 121}, "job_title", "120 characters or fewer"),
    ],
)
def test_champion_record_rejects_bad_input_and_writes_nothing(
    programme, pmo, changes, field, message
):
    fields = {
        "name": "Alice Quinn",
        "job_title": "Staff nurse",
        "volunteered_on": D(2024, 1, 10),
        **changes,
    }
    with pytest.raises(ValidationError) as raised:
        services.champion_record(by=pmo, programme=programme, **fields)
    assert message in _messages(raised.value)[field]
    assert not Champion.objects.exists()


def test_champion_cannot_join_another_programmes_group(programme, pmo):
    stranger = IsgFactory(programme=ProgrammeFactory(name="Elsewhere"))
    with pytest.raises(ValidationError) as raised:
        services.champion_record(
            by=pmo,
            programme=programme,
            name="Alice Quinn",
            job_title="Staff nurse",
            volunteered_on=D(2024, 1, 10),
            isgs=[stranger],
        )
    assert "another programme" in _messages(raised.value)["isgs"]


def test_champion_update_loses_to_a_newer_save(programme, pmo):
    champion = ChampionFactory(programme=programme, name="Alice Quinn")
    fields = {
        "kind": champion.kind,
        "name": "Alice Quinn-Jones",
        "job_title": "Sister",
        "volunteered_on": champion.volunteered_on,
    }
    services.champion_update(by=pmo, champion=champion, expected_version=champion.version, **fields)
    with pytest.raises(StaleEdit):
        services.champion_update(by=pmo, champion=champion, expected_version=1, **fields)
    champion.refresh_from_db()
    assert (champion.name, champion.version) == ("Alice Quinn-Jones", 2)


# ---------------------------------------------------------------------------------------
# Activities and partner meetings


def test_a_partner_meeting_counts_its_attendance_as_reach(programme, pmo, isg):
    meeting = services.activity_record(
        by=pmo,
        programme=programme,
        kind=Activity.Kind.PARTNER_MEETING,
        forum=Activity.Forum.SOAG,
        title="SOAG, February",
        held_on=D(2024, 2, 14),
        attendance=[("NHS England", 3), ("Care Quality Commission", 2), ("  ", 4)],
        isgs=[isg],
    )
    assert meeting.audience == Audience.PARTNERS
    assert meeting.reach == 5
    assert sorted(meeting.attendance.values_list("organisation", "attendees")) == [
        ("Care Quality Commission", 2),
        ("NHS England", 3),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"forum": ""}, "forum", "Choose which meeting it was."),
        (
            {"attendance": [("CQC", 1), ("cqc", 2)]},
            "attendance",
            "listed twice",
        ),
        ({"attendance": [("CQC", 0)]}, "attendance", "1 or more"),
        ({"ends_on": D(2024, 2, 1)}, "ends_on", "cannot be before the first"),
        ({"title": ""}, "title", "Enter a title"),
    ],
)
def test_activity_record_rejects_bad_input(programme, pmo, changes, field, message):
    fields = {
        "kind": Activity.Kind.PARTNER_MEETING,
        "forum": Activity.Forum.CQRM,
        "title": "CQRM",
        "held_on": D(2024, 2, 14),
        **changes,
    }
    with pytest.raises(ValidationError) as raised:
        services.activity_record(by=pmo, programme=programme, **fields)
    assert message in _messages(raised.value)[field]
    assert not Activity.objects.exists()


def test_only_a_partner_meeting_has_a_forum(programme, pmo):
    with pytest.raises(ValidationError) as raised:
        services.activity_record(
            by=pmo,
            programme=programme,
            kind=Activity.Kind.NEWSLETTER,
            forum=Activity.Forum.SOAG,
            audience=Audience.STAFF,
            title="Issue 1",
            held_on=D(2024, 2, 1),
        )
    assert "Only a partner meeting" in _messages(raised.value)["forum"]


def test_activity_root_causes_must_be_in_the_programme(programme, pmo, root_cause):
    stranger = RootCauseFactory(finding__isg__programme=ProgrammeFactory(name="Elsewhere"))
    with pytest.raises(ValidationError) as raised:
        services.activity_record(
            by=pmo,
            programme=programme,
            kind=Activity.Kind.FOCUS_GROUP,
            audience=Audience.STAFF,
            title="Focus group",
            held_on=D(2024, 2, 1),
            root_causes=[root_cause, stranger],
        )
    assert stranger.reference in _messages(raised.value)["root_causes"]


def test_a_planned_activity_may_be_in_the_future(programme, pmo):
    activity = services.activity_record(
        by=pmo,
        programme=programme,
        kind=Activity.Kind.CEO_BREAKFAST,
        audience=Audience.STAFF,
        title="CEO breakfast",
        held_on=D(2024, 5, 15),
    )
    assert activity.held_on > D(2024, 2, 20)


def test_a_partner_meeting_stays_a_partner_meeting(programme, pmo):
    meeting = ActivityFactory(
        programme=programme,
        kind=Activity.Kind.PARTNER_MEETING,
        forum=Activity.Forum.SOAG,
        audience=Audience.PARTNERS,
    )
    with pytest.raises(ValidationError) as raised:
        services.activity_update(
            by=pmo,
            activity=meeting,
            expected_version=meeting.version,
            kind=Activity.Kind.FOCUS_GROUP,
            audience=Audience.STAFF,
            title="Focus group",
            held_on=meeting.held_on,
        )
    assert "stays a partner meeting" in _messages(raised.value)["kind"]


# ---------------------------------------------------------------------------------------
# Feedback


def _feedback_fields(**changes):
    return {
        "source": FeedbackItem.Source.PATIENT,
        "received_on": D(2024, 2, 12),
        "topic": "Waiting times in ED",
        "quote": "I waited a long time.",
        "sentiment": FeedbackItem.Sentiment.NEGATIVE,
        **changes,
    }


def test_feedback_record_links_groups_and_root_causes(programme, pmo, isg, root_cause):
    item = services.feedback_record(
        by=pmo, programme=programme, isgs=[isg], root_causes=[root_cause], **_feedback_fields()
    )
    assert item.recorded_by == pmo
    assert item.status == FeedbackItem.Status.AWAITING
    assert list(item.root_causes.all()) == [root_cause]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent_to_publish": True}, "attribution", "without names"),
        ({"received_on": D(2024, 2, 21)}, "received_on", "cannot be in the future"),
        ({"topic": ""}, "topic", "what it was about"),
        ({"quote": " "}, "quote", "Enter what they said."),
        ({"sentiment": "ecstatic"}, "sentiment", "positive"),
    ],
)
def test_feedback_record_rejects_bad_input(programme, pmo, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        services.feedback_record(by=pmo, programme=programme, **_feedback_fields(**changes))
    assert message in _messages(raised.value)[field]
    assert not FeedbackItem.objects.exists()


def test_feedback_respond_then_close(programme, pmo, today):
    item = FeedbackItemFactory(programme=programme)
    item = services.feedback_respond(
        by=pmo, feedback=item, response="Extra nurse at night", close=False, expected_version=1
    )
    assert (item.status, item.responded_on, item.responded_by) == ("responded", today, pmo)
    item = services.feedback_respond(
        by=pmo, feedback=item, response="Done and audited", close=True, expected_version=2
    )
    assert (item.status, item.closed_on, item.response) == ("closed", today, "Done and audited")
    # A new response that does not close it reopens it.
    item = services.feedback_respond(
        by=pmo, feedback=item, response="Audit slipped", close=False, expected_version=3
    )
    assert item.closed_on is None


def test_feedback_respond_needs_words_and_a_current_version(programme, pmo):
    item = FeedbackItemFactory(programme=programme)
    with pytest.raises(ValidationError) as raised:
        services.feedback_respond(
            by=pmo, feedback=item, response="  ", close=True, expected_version=1
        )
    assert "Enter what the trust did" in _messages(raised.value)["response"]
    with pytest.raises(StaleEdit):
        services.feedback_respond(
            by=pmo, feedback=item, response="Done", close=True, expected_version=7
        )
    item.refresh_from_db()
    assert item.responded_on is None


def test_withdrawing_consent_drops_the_cached_public_page(
    programme, pmo, django_capture_on_commit_callbacks
):
    item = ConsentedFeedbackFactory(programme=programme)
    cache.set(cache_key(programme.pk), {"stale": True})
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_update(
            by=pmo,
            feedback=item,
            expected_version=item.version,
            **_feedback_fields(consent_to_publish=False, topic=item.topic, quote=item.quote),
        )
    assert cache.get(cache_key(programme.pk)) is None
    item.refresh_from_db()
    assert item.consent_to_publish is False


# ---------------------------------------------------------------------------------------
# Stories


def _story(programme, pmo, feedback=()):
    return services.story_create(
        by=pmo,
        programme=programme,
        title="ED streaming",
        concern="Concerns about how quickly children are seen",
        change="recruited nurses",
        feedback=list(feedback),
        for_newsletter=True,
    )


def test_a_story_goes_from_draft_to_published_through_the_pmo(programme, pmo, today):
    story = _story(programme, pmo, [ConsentedFeedbackFactory(programme=programme)])
    assert story.status == Story.Status.DRAFT
    story = services.story_submit(by=pmo, story=story)
    assert story.status == Story.Status.AWAITING_APPROVAL
    story = services.story_approve(by=pmo, story=story)
    assert (story.status, story.published_on, story.approved_by) == ("published", today, pmo)
    assert story.history.first().history_user == pmo


def test_a_story_is_not_approved_with_a_quote_lacking_consent(programme, pmo):
    unconsented = FeedbackItemFactory(programme=programme, topic="Corridor wait")
    story = _story(programme, pmo, [ConsentedFeedbackFactory(programme=programme), unconsented])
    with pytest.raises(ValidationError) as raised:
        services.story_approve(by=pmo, story=story)
    assert "Corridor wait" in raised.value.messages[0]
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_a_story_needs_feedback_before_approval(programme, pmo):
    story = _story(programme, pmo)
    with pytest.raises(ValidationError, match="Add the feedback"):
        services.story_approve(by=pmo, story=story)


def test_the_pmo_sends_a_story_back_with_a_note(programme, pmo):
    story = services.story_submit(by=pmo, story=_story(programme, pmo))
    with pytest.raises(ValidationError):
        services.story_return(by=pmo, story=story, note=" ")
    story = services.story_return(by=pmo, story=story, note="Add the date")
    assert (story.status, story.return_note) == (Story.Status.DRAFT, "Add the date")
    with pytest.raises(ValidationError, match="Only a story awaiting approval"):
        services.story_return(by=pmo, story=story, note="Again")


def test_changing_a_published_storys_words_sends_it_back_for_approval(programme, pmo):
    item = ConsentedFeedbackFactory(programme=programme)
    story = PublishedStoryFactory(programme=programme, feedback=[item])
    fields = {
        "title": story.title,
        "concern": story.concern,
        "change": story.change,
        "isg": None,
        "for_board_paper": False,  # flags alone keep it published
        "for_newsletter": True,
    }
    story = services.story_update(
        by=pmo, story=story, expected_version=story.version, feedback=[item], **fields
    )
    assert story.status == Story.Status.PUBLISHED
    story = services.story_update(
        by=pmo,
        story=story,
        expected_version=story.version,
        feedback=[item],
        **{**fields, "change": "recruited more nurses and a play worker"},
    )
    assert (story.status, story.published_on, story.approved_by) == (
        Story.Status.AWAITING_APPROVAL,
        None,
        None,
    )


def test_withdrawing_a_story_unpublishes_it_and_drops_the_public_page(
    programme, pmo, django_capture_on_commit_callbacks
):
    story = PublishedStoryFactory(programme=programme)
    cache.set(cache_key(programme.pk), {"stale": True})
    with django_capture_on_commit_callbacks(execute=True):
        story = services.story_withdraw(by=pmo, story=story)
    assert (story.status, story.published_on) == (Story.Status.DRAFT, None)
    assert cache.get(cache_key(programme.pk)) is None
    with pytest.raises(ValidationError, match="Only a published story"):
        services.story_withdraw(by=pmo, story=story)


def test_story_feedback_must_be_in_the_programme(programme, pmo):
    stranger = ConsentedFeedbackFactory(programme=ProgrammeFactory(name="Elsewhere"))
    with pytest.raises(ValidationError) as raised:
        _story(programme, pmo, [stranger])
    assert "another programme" in _messages(raised.value)["feedback"]
    assert not Story.objects.exists()


def test_submitting_twice_is_refused(programme, pmo):
    story = StoryFactory(programme=programme, status=Story.Status.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="already awaiting"):
        services.story_submit(by=pmo, story=story)


# ---------------------------------------------------------------------------------------
# Survey results become high-level KPI values


def test_a_survey_result_creates_the_high_level_kpi_and_its_value(programme, isg, pmo):
    measurement = services.survey_result_record(
        by=pmo,
        programme=programme,
        new_kpi_name="% of staff who would recommend the trust as a place to work",
        isg=isg,
        period_end=D(2024, 1, 31),
        numerator=412,
        denominator=751,
        note="Pulse survey 1",
    )
    kpi = measurement.kpi
    assert (kpi.level, kpi.isg, kpi.unit, kpi.improvement) == (
        KPI.Level.HIGH_LEVEL,
        isg,
        KPI.Unit.PERCENTAGE,
        KPI.Improvement.INCREASE,
    )
    assert kpi.key_question.code == "WELL_LED"
    assert measurement.value == Decimal("54.8602")
    assert measurement.entered_by == pmo
    # A second result goes to the same KPI.
    services.survey_result_record(
        by=pmo, programme=programme, kpi=kpi, period_end=D(2024, 2, 15), value="61.5"
    )
    assert list(kpi.measurements.values_list("value", flat=True)) == [
        Decimal("54.8602"),
        Decimal("61.5"),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "kpi", "Choose the KPI"),
        ({"new_kpi_name": "Pulse"}, "isg", "Choose the group"),
        ({"new_kpi_name": "Pulse", "period_end": D(2024, 3, 1)}, "period_end", "has closed"),
    ],
)
def test_survey_result_rejects_bad_input(programme, pmo, changes, field, message):
    fields = {"period_end": D(2024, 1, 31), "value": "50", **changes}
    with pytest.raises(ValidationError) as raised:
        services.survey_result_record(by=pmo, programme=programme, **fields)
    assert message in _messages(raised.value)[field]
    assert not Measurement.objects.exists()


def test_survey_result_refuses_a_root_cause_kpi_or_a_duplicate_name(programme, isg, pmo):
    rc_kpi = KPIFactory(programme=programme, isg=isg, name="Audit compliance")
    with pytest.raises(ValidationError) as raised:
        services.survey_result_record(
            by=pmo, programme=programme, kpi=rc_kpi, period_end=D(2024, 1, 31), value="5"
        )
    assert "high-level" in _messages(raised.value)["kpi"]
    with pytest.raises(ValidationError) as raised:
        services.survey_result_record(
            by=pmo,
            programme=programme,
            new_kpi_name="audit COMPLIANCE",
            isg=isg,
            period_end=D(2024, 1, 31),
            value="5",
        )
    assert "choose it from the list" in _messages(raised.value)["new_kpi_name"]
    assert KPI.objects.filter(programme=programme).count() == 1


# ---------------------------------------------------------------------------------------
# The public page's settings


def test_publishing_needs_an_introduction_and_records_the_approval(
    programme, pmo, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as raised:
        services.public_page_update(by=pmo, programme=programme, publish=True, introduction=" ")
    assert "introduction" in _messages(raised.value)
    programme.refresh_from_db()
    assert programme.publish_progress is False

    cache.set(cache_key(programme.pk), {"stale": True})
    with django_capture_on_commit_callbacks(execute=True):
        page = services.public_page_update(
            by=pmo,
            programme=programme,
            publish=True,
            introduction="What we are doing",
            show_stories=False,
        )
    programme.refresh_from_db()
    assert programme.publish_progress is True
    assert (page.approved_by, page.show_stories) == (pmo, False)
    assert programme.history.first().history_user == pmo
    assert cache.get(cache_key(programme.pk)) is None

    with pytest.raises(StaleEdit):
        services.public_page_update(
            by=pmo, programme=programme, publish=False, introduction="x", expected_version=0
        )
    services.public_page_update(
        by=pmo, programme=programme, publish=False, introduction="", expected_version=1
    )
    programme.refresh_from_db()
    assert programme.publish_progress is False
    assert PublicPage.objects.get(programme=programme).version == 2
