import datetime as dt

import factory

from engagement.models import (
    Activity,
    ActivityAttendance,
    Audience,
    Champion,
    FeedbackItem,
    PublicPage,
    Story,
)

from .plan import ProgrammeFactory


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Champion

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Champion.Kind.ENGAGEMENT_CHAMPION
    name = factory.Faker("name", locale="en_GB")
    job_title = "Staff nurse"
    department = "Emergency Department"
    site = "RSH"
    volunteered_on = dt.date(2024, 1, 15)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Activity.Kind.FOCUS_GROUP
    title = factory.Sequence(lambda n: f"Staff focus group {n}")
    audience = Audience.STAFF
    held_on = dt.date(2024, 2, 5)
    reach = 20


class PartnerMeetingFactory(ActivityFactory):
    kind = Activity.Kind.PARTNER_MEETING
    forum = Activity.Forum.SOAG
    title = factory.Sequence(lambda n: f"SOAG {n}")
    audience = Audience.PARTNERS
    progress_shared = "Trajectory and KPIs."
    reach = None


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityAttendance

    activity = factory.SubFactory(PartnerMeetingFactory)
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    attendees = 2


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackItem

    programme = factory.SubFactory(ProgrammeFactory)
    source = FeedbackItem.Source.PATIENT
    received_on = dt.date(2024, 2, 10)
    topic = factory.Sequence(lambda n: f"Feedback topic {n}")
    quote = factory.Sequence(lambda n: f"Private words of patient {n}")
    sentiment = FeedbackItem.Sentiment.POSITIVE
    consent_to_publish = False


class ConsentedFeedbackFactory(FeedbackItemFactory):
    consent_to_publish = True
    quote = factory.Sequence(lambda n: f"Publishable words {n}")
    attribution = "A parent, Emergency Department"


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Story {n}")
    concern = "Concerns were raised about waiting times"
    change = "recruited more nurses"

    @factory.post_generation
    def feedback(self, create, extracted, **kwargs):
        if create and extracted:
            self.feedback.set(extracted)


class PublishedStoryFactory(StoryFactory):
    status = Story.Status.PUBLISHED
    published_on = dt.date(2024, 2, 15)
    for_board_paper = True
    for_newsletter = True


class PublicPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicPage

    programme = factory.SubFactory(ProgrammeFactory)
    introduction = "What the CQC found and what we are doing about it."
    approved_at = factory.LazyFunction(lambda: dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC))
