"""The engagement reads: the summary of a hand-built month, the trend, stories, the digest."""

import datetime as dt

import pytest

from engagement import selectors
from engagement.models import Activity, Audience, Champion, FeedbackItem, Story
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    ChampionFactory,
    ConsentedFeedbackFactory,
    FeedbackItemFactory,
    PartnerMeetingFactory,
    ProgrammeFactory,
    PublishedStoryFactory,
    RootCauseFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
FEB = (D(2024, 2, 1), D(2024, 2, 29))
EC, FTSU = Champion.Kind.ENGAGEMENT_CHAMPION, Champion.Kind.FTSU_ADVOCATE
PATIENT, STAFF, PARTNER = FeedbackItem.Source.values


@pytest.fixture
def february(programme):
    """A month of engagement built by hand, with records either side of it."""
    p = programme
    # Activities: two with staff, one with the public, one partner meeting in February.
    ActivityFactory(programme=p, audience=Audience.STAFF, held_on=D(2024, 2, 1), reach=20)
    ActivityFactory(programme=p, audience=Audience.STAFF, held_on=D(2024, 2, 29), reach=30)
    ActivityFactory(
        programme=p,
        kind=Activity.Kind.BOARD_MEETING,
        audience=Audience.PATIENTS,
        held_on=D(2024, 2, 8),
        reach=None,
    )
    meeting = PartnerMeetingFactory(programme=p, held_on=D(2024, 2, 14), reach=5)
    AttendanceFactory(activity=meeting, organisation="CQC", attendees=5)
    ActivityFactory(programme=p, audience=Audience.STAFF, held_on=D(2024, 1, 31), reach=99)
    ActivityFactory(programme=p, audience=Audience.PATIENTS, held_on=D(2024, 3, 1), reach=99)
    # Champions.
    ChampionFactory(
        programme=p, volunteered_on=D(2024, 1, 15), induction="inducted", inducted_on=D(2024, 2, 1)
    )
    ChampionFactory(programme=p, volunteered_on=D(2024, 2, 10))
    ChampionFactory(
        programme=p, volunteered_on=D(2024, 2, 20), induction="inducted", inducted_on=D(2024, 2, 25)
    )
    ChampionFactory(programme=p, volunteered_on=D(2024, 1, 5), stood_down_on=D(2024, 2, 10))
    ChampionFactory(programme=p, volunteered_on=D(2024, 3, 1))
    ChampionFactory(
        programme=p,
        kind=FTSU,
        volunteered_on=D(2024, 2, 12),
        induction="inducted",
        inducted_on=D(2024, 2, 12),
    )
    # Feedback.
    FeedbackItemFactory(
        programme=p, source=PATIENT, received_on=D(2024, 2, 3), responded_on=D(2024, 2, 10)
    )
    FeedbackItemFactory(
        programme=p, source=PATIENT, received_on=D(2024, 1, 20), responded_on=D(2024, 2, 5)
    )
    FeedbackItemFactory(programme=p, source=STAFF, received_on=D(2024, 2, 14))
    FeedbackItemFactory(
        programme=p, source=PARTNER, received_on=D(2024, 2, 28), responded_on=D(2024, 3, 1)
    )
    FeedbackItemFactory(programme=p, source=PARTNER, received_on=D(2024, 1, 10))
    FeedbackItemFactory(programme=p, source=STAFF, received_on=D(2024, 3, 1))
    # Stories.
    PublishedStoryFactory(programme=p, published_on=D(2024, 2, 15))
    PublishedStoryFactory(programme=p, published_on=D(2024, 1, 31))
    StoryFactory(programme=p)
    # Another programme's records never count.
    other = ProgrammeFactory(name="Elsewhere")
    ActivityFactory(programme=other, held_on=D(2024, 2, 10))
    ChampionFactory(programme=other, volunteered_on=D(2024, 2, 10))
    FeedbackItemFactory(programme=other, received_on=D(2024, 2, 10))
    PublishedStoryFactory(programme=other, published_on=D(2024, 2, 10))
    return p


def test_summary_counts_a_hand_built_month(february, django_assert_num_queries):
    with django_assert_num_queries(4):
        summary = selectors.engagement_summary(february, *FEB)
    rows = {
        row.audience: (
            row.activities,
            row.reach,
            row.feedback_received,
            row.feedback_answered,
        )
        for row in summary.by_audience
    }
    assert rows == {
        Audience.PATIENTS: (1, 0, 1, 2),
        Audience.STAFF: (2, 50, 1, 0),
        Audience.PARTNERS: (1, 5, 1, 0),
    }
    assert (summary.activities, summary.reach, summary.partner_meetings) == (4, 55, 1)
    roles = {role.kind: (role.new, role.active, role.inducted) for role in summary.roles}
    assert roles == {EC: (2, 3, 2), FTSU: (1, 1, 1), Champion.Kind.PEER_LISTENER: (0, 0, 0)}
    assert (summary.champions.active, summary.champions.not_inducted) == (3, 1)
    assert (summary.feedback_received, summary.feedback_answered) == (3, 2)
    assert summary.feedback_awaiting == 3
    assert summary.stories_published == 1
    assert summary.period_label == "February 2024"


def test_summary_of_part_of_a_month_says_so(february):
    summary = selectors.engagement_summary(february, D(2024, 2, 1), D(2024, 2, 10))
    assert summary.period_label == "1 February to 10 February 2024"
    assert summary.activities == 2  # 1 Feb (staff) and 8 Feb (board)
    assert summary.champions.new == 1


def test_an_empty_programme_has_a_summary_of_zeros(programme):
    summary = selectors.month_summary(programme, D(2024, 2, 20))
    assert (summary.activities, summary.feedback_received, summary.stories_published) == (0, 0, 0)
    assert [row.label for row in summary.by_audience] == [
        "Patients and the public",
        "Staff",
        "System partners",
    ]


def test_champion_trend_counts_those_in_post_month_by_month(
    february, today, django_assert_num_queries
):
    with django_assert_num_queries(2):
        trend = selectors.champion_trend(february, today)
    assert [(row.month, row.volunteers, row.inducted) for row in trend] == [
        (D(2024, 1, 1), 2, 0),
        (D(2024, 2, 1), 3, 1),  # to 20 February: the 25 February induction is still ahead
    ]
    assert selectors.champion_trend(february, today, kind=Champion.Kind.PEER_LISTENER) == ()


def test_feedback_counts_carry_no_words(february):
    counts = {row.label: row for row in selectors.feedback_counts(february)}
    patients = counts["Patient, relative or carer"]
    assert (patients.received, patients.awaiting, patients.closed) == (2, 0, 0)
    assert counts["System partner"].awaiting == 1  # the other has a response
    assert not any(hasattr(row, "quote") for row in counts.values())


def test_you_said_we_did_lists_open_items_first(programme):
    closed = FeedbackItemFactory(
        programme=programme,
        received_on=D(2024, 2, 1),
        response="Done",
        responded_on=D(2024, 2, 2),
        closed_on=D(2024, 2, 3),
    )
    open_old = FeedbackItemFactory(programme=programme, received_on=D(2024, 1, 1))
    open_new = FeedbackItemFactory(programme=programme, received_on=D(2024, 2, 5))
    assert list(selectors.you_said_we_did(programme)) == [open_new, open_old, closed]
    assert list(selectors.you_said_we_did(programme, status="closed")) == [closed]
    assert list(selectors.you_said_we_did(programme, status="awaiting")) == [open_new, open_old]


def test_publishable_stories_carry_only_consented_quotes(programme):
    consented = ConsentedFeedbackFactory(programme=programme, quote="You were wonderful")
    private = FeedbackItemFactory(programme=programme, quote="My name is Jo Bloggs")
    story = PublishedStoryFactory(
        programme=programme, feedback=[consented, private], for_board_paper=False
    )
    StoryFactory(programme=programme, feedback=[consented])  # a draft
    stories = selectors.publishable_stories(programme)
    assert [s.pk for s in stories] == [story.pk]
    assert [q.text for q in stories[0].quotes] == ["You were wonderful"]
    assert selectors.publishable_stories(programme, board_paper=True) == ()
    assert len(selectors.publishable_stories(programme, newsletter=True)) == 1
    assert selectors.publishable_stories(programme, published_from=D(2024, 3, 1)) == ()


def test_feedback_for_publication_is_the_consent_rule(programme):
    consented = ConsentedFeedbackFactory(programme=programme)
    FeedbackItemFactory(programme=programme)
    ConsentedFeedbackFactory(programme=ProgrammeFactory(name="Elsewhere"))
    assert list(selectors.feedback_for_publication(programme)) == [consented]


def test_newsletter_digest_holds_the_months_closed_root_causes_and_stories(
    programme, finding, owner
):
    closed = RootCauseFactory(
        finding=finding,
        owner=owner,
        reference="WC-MD-07 RC90",
        status="completed",
        completed_on=D(2024, 2, 9),
    )
    RootCauseFactory(finding=finding, owner=owner, status="completed", completed_on=D(2024, 1, 9))
    RootCauseFactory(finding=finding, owner=owner)  # open
    consented = ConsentedFeedbackFactory(programme=programme, quote="Much better now")
    private = FeedbackItemFactory(programme=programme, quote="Private words")
    PublishedStoryFactory(
        programme=programme, feedback=[consented, private], published_on=D(2024, 2, 15)
    )
    PublishedStoryFactory(programme=programme, for_newsletter=False, published_on=D(2024, 2, 15))
    StoryFactory(programme=programme, status=Story.Status.AWAITING_APPROVAL)

    digest = selectors.newsletter_digest(programme, D(2024, 2, 20))
    assert (digest.start, digest.end, digest.closed_total) == (D(2024, 2, 1), D(2024, 2, 29), 1)
    assert digest.closed[0].isg_name == "Women's and Children's"
    assert [rc.reference for rc in digest.closed[0].root_causes] == [closed.reference]
    assert len(digest.stories) == 1
    assert [q.text for q in digest.stories[0].quotes] == ["Much better now"]
    assert digest.summary.stories_published == 2
