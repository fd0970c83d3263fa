"""Reads of the engagement records, each with its queries in one place.

Exports (the public page, the newsletter digest, the CSV, the board paper) read quotes only
through `feedback_for_publication` and stories only through `publishable_stories`, which hand
back plain values: a template given those cannot reach a quote without consent.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Sum

from kpis.models import KPI
from rootcauses.models import RootCause

from .models import Activity, Audience, Champion, FeedbackItem, PublicPage, Story
from .periods import month_end, month_start, months_between

# ---------------------------------------------------------------------------------------
# The consent rule and the stories every export uses


def feedback_for_publication(programme) -> QuerySet:
    """The only feedback whose words may leave the tracker: the person agreed to publication.

    Every export path (public page, newsletter digest, CSV, board paper) reads quotes from
    here and nowhere else."""
    return FeedbackItem.objects.in_programme(programme.pk).consented()


@dataclass(frozen=True)
class PublishedQuote:
    text: str
    attribution: str
    received_on: dt.date
    source: str


@dataclass(frozen=True)
class PublishedStory:
    pk: int
    title: str
    concern: str
    change: str
    isg_name: str
    published_on: dt.date
    for_board_paper: bool
    for_newsletter: bool
    root_cause_references: tuple[str, ...]
    quotes: tuple[PublishedQuote, ...]


def publishable_stories(
    programme,
    *,
    board_paper: bool = False,
    newsletter: bool = False,
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    pk: int | None = None,
) -> tuple[PublishedStory, ...]:
    """Stories the PMO approved, with only the quotes that have consent, as plain values.

    `board_paper=True` keeps the stories selected for the board paper, `newsletter=True`
    those selected for the newsletter; the dates bound the day of approval."""
    stories = Story.objects.in_programme(programme.pk).published()
    if pk is not None:
        stories = stories.filter(pk=pk)
    if board_paper:
        stories = stories.filter(for_board_paper=True)
    if newsletter:
        stories = stories.filter(for_newsletter=True)
    if published_from:
        stories = stories.filter(published_on__gte=published_from)
    if published_to:
        stories = stories.filter(published_on__lte=published_to)
    stories = stories.select_related("isg").prefetch_related(
        Prefetch(
            "feedback",
            queryset=feedback_for_publication(programme).order_by("received_on", "pk"),
            to_attr="publishable_feedback",
        ),
        Prefetch(
            "root_causes",
            queryset=RootCause.objects.only("pk", "reference").order_by("reference"),
            to_attr="root_cause_list",
        ),
    )
    return tuple(
        PublishedStory(
            pk=story.pk,
            title=story.title,
            concern=story.concern,
            change=story.change,
            isg_name=story.isg.name if story.isg else "",
            published_on=story.published_on,
            for_board_paper=story.for_board_paper,
            for_newsletter=story.for_newsletter,
            root_cause_references=tuple(rc.reference for rc in story.root_cause_list),
            quotes=tuple(
                PublishedQuote(
                    text=item.quote,
                    attribution=item.attribution,
                    received_on=item.received_on,
                    source=item.get_source_display(),
                )
                for item in story.publishable_feedback
            ),
        )
        for story in stories.order_by("-published_on", "-pk")
    )


# ---------------------------------------------------------------------------------------
# The engagement summary of a period (dashboard, board paper, summary page)


@dataclass(frozen=True)
class AudienceCount:
    """Activities with one audience, and the feedback that audience gave."""

    audience: str
    label: str
    activities: int
    reach: int
    feedback_received: int
    feedback_answered: int


@dataclass(frozen=True)
class RoleCount:
    kind: str
    label: str
    new: int
    active: int
    inducted: int

    @property
    def not_inducted(self) -> int:
        return self.active - self.inducted


# Who gave feedback, as the audience they belong to.
SOURCE_AUDIENCE = {
    FeedbackItem.Source.PATIENT: Audience.PATIENTS,
    FeedbackItem.Source.STAFF: Audience.STAFF,
    FeedbackItem.Source.PARTNER: Audience.PARTNERS,
}


@dataclass(frozen=True)
class EngagementSummary:
    """Counts only (no names, no quotes): safe for any page and any export.

    by_audience: one row per audience (patients and the public, staff, system partners) with
    the activities held, people reached, feedback received and feedback answered (a response
    recorded in the period). roles: new volunteers in the period, and those in post and
    inducted at its end, per kind of role. feedback_awaiting: received by the end with no
    response by then. stories_published: approved for publication in the period."""

    programme_id: int
    start: dt.date
    end: dt.date
    by_audience: tuple[AudienceCount, ...]
    partner_meetings: int
    roles: tuple[RoleCount, ...]
    feedback_awaiting: int
    stories_published: int

    @property
    def period_label(self) -> str:
        """ "April 2019" for a whole month, else "1 April to 14 April 2019"."""
        if self.start == month_start(self.start) and self.end == month_end(self.start):
            return f"{self.start:%B %Y}"
        return f"{self.start.day} {self.start:%B} to {self.end.day} {self.end:%B %Y}"

    @property
    def activities(self) -> int:
        return sum(row.activities for row in self.by_audience)

    @property
    def reach(self) -> int:
        return sum(row.reach for row in self.by_audience)

    @property
    def champions(self) -> RoleCount:
        return next(row for row in self.roles if row.kind == Champion.Kind.ENGAGEMENT_CHAMPION)

    @property
    def feedback_received(self) -> int:
        return sum(row.feedback_received for row in self.by_audience)

    @property
    def feedback_answered(self) -> int:
        return sum(row.feedback_answered for row in self.by_audience)

    def audience(self, key: str) -> AudienceCount:
        return next(row for row in self.by_audience if row.audience == key)


def _active_on(day: dt.date) -> Q:
    return Q(volunteered_on__lte=day) & (Q(stood_down_on__isnull=True) | Q(stood_down_on__gt=day))


def role_counts(programme, start: dt.date, end: dt.date) -> tuple[RoleCount, ...]:
    """Per kind of role: volunteered between start and end, in post at the end, and of those
    in post, inducted by the end. One query."""
    rows = {
        row["kind"]: row
        for row in Champion.objects.filter(programme=programme)
        .order_by()
        .values("kind")
        .annotate(
            new=Count("pk", filter=Q(volunteered_on__gte=start, volunteered_on__lte=end)),
            active=Count("pk", filter=_active_on(end)),
            inducted=Count("pk", filter=_active_on(end) & Q(inducted_on__lte=end)),
        )
    }
    return tuple(
        RoleCount(
            kind=kind.value,
            label=kind.label,
            new=rows.get(kind.value, {}).get("new", 0),
            active=rows.get(kind.value, {}).get("active", 0),
            inducted=rows.get(kind.value, {}).get("inducted", 0),
        )
        for kind in Champion.Kind
    )


def engagement_summary(programme, start: dt.date, end: dt.date) -> EngagementSummary:
    """What engagement happened between `start` and `end` (inclusive), in four queries:
    activities and their reach by audience, partner meetings, new and inducted volunteers,
    feedback received and answered (a response recorded) by audience, feedback still
    awaiting a response at the end, and stories approved for publication."""
    activity_rows = {
        row["audience"]: row
        for row in Activity.objects.filter(
            programme=programme, held_on__gte=start, held_on__lte=end
        )
        .order_by()
        .values("audience")
        .annotate(
            n=Count("pk"),
            reach=Sum("reach"),
            meetings=Count("pk", filter=Q(kind=Activity.Kind.PARTNER_MEETING)),
        )
    }
    feedback_rows = {
        SOURCE_AUDIENCE[row["source"]]: row
        for row in FeedbackItem.objects.filter(programme=programme)
        .order_by()
        .values("source")
        .annotate(
            received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
            answered=Count("pk", filter=Q(responded_on__gte=start, responded_on__lte=end)),
            awaiting=Count(
                "pk",
                filter=Q(received_on__lte=end)
                & (Q(responded_on__isnull=True) | Q(responded_on__gt=end)),
            ),
        )
    }
    stories = Story.objects.filter(
        programme=programme,
        status=Story.Status.PUBLISHED,
        published_on__gte=start,
        published_on__lte=end,
    ).count()
    return EngagementSummary(
        programme_id=programme.pk,
        start=start,
        end=end,
        by_audience=tuple(
            AudienceCount(
                audience=audience.value,
                label=audience.label,
                activities=activity_rows.get(audience.value, {}).get("n", 0),
                reach=activity_rows.get(audience.value, {}).get("reach") or 0,
                feedback_received=feedback_rows.get(audience, {}).get("received", 0),
                feedback_answered=feedback_rows.get(audience, {}).get("answered", 0),
            )
            for audience in Audience
        ),
        partner_meetings=sum(row["meetings"] for row in activity_rows.values()),
        roles=role_counts(programme, start, end),
        feedback_awaiting=sum(row["awaiting"] for row in feedback_rows.values()),
        stories_published=stories,
    )


def month_summary(programme, day: dt.date) -> EngagementSummary:
    return engagement_summary(programme, month_start(day), month_end(day))


# ---------------------------------------------------------------------------------------
# Champions


@dataclass(frozen=True)
class TrendRow:
    month: dt.date  # first day of the month
    volunteers: int  # in post at the end of the month
    inducted: int  # in post and inducted at the end of the month


def champion_trend(
    programme,
    until: dt.date,
    kind: str = Champion.Kind.ENGAGEMENT_CHAMPION,
    max_months: int = 24,
) -> tuple[TrendRow, ...]:
    """Month by month, volunteers in post and how many were inducted ("around 80 volunteers,
    50 inducted"). Two queries: the first volunteer's date, then one aggregate over months."""
    champions = Champion.objects.filter(programme=programme, kind=kind).order_by()
    first = champions.aggregate(first=Min("volunteered_on"))["first"]
    if first is None or first > until:
        return ()
    months = months_between(first, until)[-max_months:]
    ends = [min(month_end(month), until) for month in months]
    aggregates = {}
    for i, end in enumerate(ends):
        aggregates[f"v{i}"] = Count("pk", filter=_active_on(end))
        aggregates[f"i{i}"] = Count("pk", filter=_active_on(end) & Q(inducted_on__lte=end))
    totals = champions.aggregate(**aggregates)
    return tuple(
        TrendRow(month=month, volunteers=totals[f"v{i}"], inducted=totals[f"i{i}"])
        for i, month in enumerate(months)
    )


def champion_register(programme) -> QuerySet:
    """The register with names: for the PMO and engagement leads only (engagement.view_personal)."""
    return (
        Champion.objects.filter(programme=programme)
        .prefetch_related("isgs")
        .order_by("kind", "name", "pk")
    )


# ---------------------------------------------------------------------------------------
# Activities and partner meetings


def activities_for(programme) -> QuerySet:
    return (
        Activity.objects.filter(programme=programme)
        .prefetch_related("isgs")
        .annotate(feedback_count=Count("feedback_items"))
        # Meta.ordering does not apply to a query with an aggregate.
        .order_by("-held_on", "title", "pk")
    )


def partner_meetings(programme) -> QuerySet:
    """Partner meetings, newest first, with attendance and their feedback's progress."""
    return (
        Activity.objects.filter(programme=programme, kind=Activity.Kind.PARTNER_MEETING)
        .prefetch_related("attendance")
        .annotate(
            feedback_count=Count("feedback_items"),
            feedback_closed=Count(
                "feedback_items", filter=Q(feedback_items__closed_on__isnull=False)
            ),
        )
        .order_by("-held_on", "-pk")
    )


def feedback_heard_at(activity: Activity) -> QuerySet:
    return FeedbackItem.objects.filter(activity=activity).order_by("received_on", "pk")


# ---------------------------------------------------------------------------------------
# Feedback


def feedback_for(programme) -> QuerySet:
    """Feedback with quotes: for the PMO and engagement leads only."""
    return (
        FeedbackItem.objects.filter(programme=programme)
        .select_related("activity")
        .prefetch_related("isgs", "root_causes")
    )


@dataclass(frozen=True)
class FeedbackCounts:
    label: str
    received: int
    positive: int
    negative: int
    awaiting: int
    closed: int


def feedback_counts(programme) -> tuple[FeedbackCounts, ...]:
    """What everyone else sees of feedback: counts by source, no words. One query."""
    Sentiment = FeedbackItem.Sentiment
    rows = {
        row["source"]: row
        for row in FeedbackItem.objects.filter(programme=programme)
        .order_by()
        .values("source")
        .annotate(
            received=Count("pk"),
            positive=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE)),
            negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
            awaiting=Count("pk", filter=Q(responded_on__isnull=True)),
            closed=Count("pk", filter=Q(closed_on__isnull=False)),
        )
    }
    return tuple(
        FeedbackCounts(
            label=source.label,
            **{
                key: rows.get(source.value, {}).get(key, 0)
                for key in ("received", "positive", "negative", "awaiting", "closed")
            },
        )
        for source in FeedbackItem.Source
    )


def you_said_we_did(programme, *, source: str = "", status: str = "") -> QuerySet:
    """Feedback topics and the trust's responses, open items first. Topics are written without
    names, so this list is for everyone in the programme; it never carries the quotes."""
    items = FeedbackItem.objects.filter(programme=programme).select_related("activity")
    if source:
        items = items.filter(source=source)
    if status == FeedbackItem.Status.AWAITING:
        items = items.filter(responded_on__isnull=True)
    elif status == FeedbackItem.Status.RESPONDED:
        items = items.filter(responded_on__isnull=False, closed_on__isnull=True)
    elif status == FeedbackItem.Status.CLOSED:
        items = items.filter(closed_on__isnull=False)
    return items.only(
        "pk",
        "programme_id",
        "source",
        "received_on",
        "topic",
        "channel",
        "response",
        "responded_on",
        "closed_on",
        "activity__id",
        "activity__title",
        "activity__held_on",
        "activity__kind",
    ).order_by(
        # Open items first (no closing date), then the most recently closed.
        F("closed_on").desc(nulls_first=True),
        "-received_on",
        "-pk",
    )


# ---------------------------------------------------------------------------------------
# Stories


def stories_for_managers(programme) -> QuerySet:
    return (
        Story.objects.filter(programme=programme)
        .select_related("isg")
        .annotate(
            feedback_count=Count("feedback", distinct=True),
            consented_count=Count(
                "feedback", filter=Q(feedback__consent_to_publish=True), distinct=True
            ),
        )
        .order_by("status", "-published_on", "-pk")
    )


# ---------------------------------------------------------------------------------------
# Newsletter digest


@dataclass(frozen=True)
class ClosedRootCause:
    reference: str
    title: str
    kind: str
    completed_on: dt.date


@dataclass(frozen=True)
class ClosedInGroup:
    isg_name: str
    root_causes: tuple[ClosedRootCause, ...]


@dataclass(frozen=True)
class NewsletterDigest:
    programme_name: str
    trust_name: str
    start: dt.date
    end: dt.date
    closed: tuple[ClosedInGroup, ...]
    stories: tuple[PublishedStory, ...]
    summary: EngagementSummary
    closed_total: int = field(default=0)


def newsletter_digest(programme, day: dt.date) -> NewsletterDigest:
    """The month holding `day`, for the Improving Together newsletter: root causes whose
    closure was confirmed in the month, by group; the stories approved in the month and
    selected for the newsletter (quotes with consent only); the month's engagement figures."""
    start, end = month_start(day), month_end(day)
    closed = (
        RootCause.objects.filter(
            programme=programme,
            completed_on__gte=start,
            completed_on__lte=end,
            withdrawn_on__isnull=True,
        )
        .select_related("isg", "finding")
        .order_by("isg__order", "isg__name", "reference")
    )
    groups: dict[str, list[ClosedRootCause]] = {}
    for rc in closed:
        groups.setdefault(rc.isg.name, []).append(
            ClosedRootCause(
                reference=rc.reference,
                title=rc.title,
                kind=rc.finding.get_finding_type_display(),
                completed_on=rc.completed_on,
            )
        )
    return NewsletterDigest(
        programme_name=programme.name,
        trust_name=programme.trust_name,
        start=start,
        end=end,
        closed=tuple(ClosedInGroup(name, tuple(rcs)) for name, rcs in groups.items()),
        closed_total=sum(len(rcs) for rcs in groups.values()),
        stories=publishable_stories(
            programme, newsletter=True, published_from=start, published_to=end
        ),
        summary=engagement_summary(programme, start, end),
    )


# ---------------------------------------------------------------------------------------
# KPIs and the public page


def high_level_kpis(programme) -> QuerySet:
    return KPI.objects.filter(programme=programme, level=KPI.Level.HIGH_LEVEL).select_related("isg")


def public_page_for(programme) -> PublicPage | None:
    return PublicPage.objects.filter(programme=programme).first()
