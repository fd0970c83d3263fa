"""Writes to the engagement records. Views, the admin-free demo and any import come through
here, so each rule is checked once and every change is audited (simple-history, `by`).

Permissions are checked by the caller (views through engagement/rules.py); business rules
here. Each function is keyword-only and atomic; a bad value raises ValidationError with a
message for the field, and nothing is written.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.clock import today
from core.locking import StaleEdit, save_versioned
from cqc.models import KeyQuestion
from kpis.models import KPI, Measurement
from kpis.services import measurement_record

from .models import (
    Activity,
    ActivityAttendance,
    Audience,
    Champion,
    FeedbackItem,
    PublicPage,
    Story,
)
from .publication import forget_public_progress

Errors = dict[str, str]


# ---------------------------------------------------------------------------------------
# Shared checks


def _text(value: Any) -> str:
    return (value or "").strip()


def _require(errors: Errors, field: str, value: str, message: str) -> None:
    if not value:
        errors[field] = message


def _choice(errors: Errors, field: str, value: str, choices, message: str) -> None:
    if value not in choices.values:
        errors[field] = message


def _not_future(errors: Errors, field: str, day: dt.date | None, what: str) -> None:
    if day is not None and day > today():
        errors[field] = f"{what} cannot be in the future."


def _same_programme(errors: Errors, programme, field: str, items: Iterable, what: str) -> None:
    strangers = [str(item) for item in items if item.programme_id != programme.pk]
    if strangers:
        errors[field] = f"These {what} belong to another programme: {', '.join(strangers)}."


def _check_lengths(errors: Errors, model, fields: dict) -> None:
    """Text longer than its column gets a message, not a database error."""
    for name, value in fields.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(name, f"Keep this to {limit} characters or fewer.")


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _save_new(instance, by) -> None:
    instance._history_user = by
    instance.save()


def _forget_public_page(programme_id: int) -> None:
    transaction.on_commit(lambda: forget_public_progress(programme_id))


# ---------------------------------------------------------------------------------------
# Champions


def _check_champion(errors: Errors, programme, fields: dict, isgs: Sequence) -> None:
    _require(errors, "name", fields["name"], "Enter the person's name.")
    _require(errors, "job_title", fields["job_title"], 'Enter their role, e.g. "Staff nurse".')
    _choice(errors, "kind", fields["kind"], Champion.Kind, "Choose the kind of role.")
    _choice(
        errors, "induction", fields["induction"], Champion.Induction, "Choose the induction status."
    )
    volunteered_on = fields["volunteered_on"]
    if volunteered_on is None:
        errors["volunteered_on"] = "Enter the date they volunteered."
    _not_future(errors, "volunteered_on", volunteered_on, "The date they volunteered")
    inducted_on = fields["inducted_on"]
    if fields["induction"] == Champion.Induction.INDUCTED:
        if inducted_on is None:
            errors["inducted_on"] = "Enter the date of their induction."
        elif volunteered_on and inducted_on < volunteered_on:
            errors["inducted_on"] = "The induction cannot be before the day they volunteered."
        _not_future(errors, "inducted_on", inducted_on, "The induction date")
    elif inducted_on is not None:
        errors["inducted_on"] = 'Leave the induction date empty unless the status is "Inducted".'
    stood_down_on = fields["stood_down_on"]
    if stood_down_on is not None and volunteered_on and stood_down_on < volunteered_on:
        errors["stood_down_on"] = "They cannot stand down before the day they volunteered."
    _not_future(errors, "stood_down_on", stood_down_on, "The date they stood down")
    _same_programme(errors, programme, "isgs", isgs, "groups")
    _check_lengths(errors, Champion, fields)


def _champion_fields(**kwargs) -> dict:
    return {
        "kind": kwargs["kind"],
        "name": _text(kwargs["name"]),
        "job_title": _text(kwargs["job_title"]),
        "department": _text(kwargs.get("department")),
        "site": _text(kwargs.get("site")),
        "volunteered_on": kwargs["volunteered_on"],
        "induction": kwargs.get("induction") or Champion.Induction.NOT_BOOKED,
        "inducted_on": kwargs.get("inducted_on"),
        "stood_down_on": kwargs.get("stood_down_on"),
    }


@transaction.atomic
def champion_record(
    *,
    by: Any,
    programme,
    name: str,
    job_title: str,
    volunteered_on: dt.date,
    kind: str = Champion.Kind.ENGAGEMENT_CHAMPION,
    department: str = "",
    site: str = "",
    isgs: Sequence = (),
    induction: str = Champion.Induction.NOT_BOOKED,
    inducted_on: dt.date | None = None,
    stood_down_on: dt.date | None = None,
) -> Champion:
    """Add a volunteer to the register (an engagement champion, an advocate or a listener)."""
    fields = _champion_fields(
        kind=kind,
        name=name,
        job_title=job_title,
        department=department,
        site=site,
        volunteered_on=volunteered_on,
        induction=induction,
        inducted_on=inducted_on,
        stood_down_on=stood_down_on,
    )
    errors: Errors = {}
    _check_champion(errors, programme, fields, isgs)
    _raise(errors)
    champion = Champion(programme=programme, **fields)
    _save_new(champion, by)
    champion.isgs.set(isgs)
    return champion


@transaction.atomic
def champion_update(
    *, by: Any, champion: Champion, expected_version: int, isgs: Sequence = (), **changes: Any
) -> Champion:
    """Correct a volunteer's details, record their induction or that they stood down."""
    fields = _champion_fields(**changes)
    errors: Errors = {}
    _check_champion(errors, champion.programme, fields, isgs)
    _raise(errors)
    saved = save_versioned(champion, expected_version, by=by, **fields)
    saved._history_user = by
    saved.isgs.set(isgs)
    return saved


# ---------------------------------------------------------------------------------------
# Activities and partner meetings


def _check_activity(
    errors: Errors, programme, fields: dict, isgs: Sequence, root_causes: Sequence, attendance
) -> None:
    _choice(errors, "kind", fields["kind"], Activity.Kind, "Choose what kind of activity it was.")
    _choice(errors, "audience", fields["audience"], Audience, "Choose who it was for.")
    _require(errors, "title", fields["title"], 'Enter a title, e.g. "Improving Together, issue 1".')
    if fields["held_on"] is None:
        errors["held_on"] = "Enter the date it happened (or is planned)."
    ends_on = fields["ends_on"]
    if ends_on is not None and fields["held_on"] and ends_on < fields["held_on"]:
        errors["ends_on"] = "The last day cannot be before the first."
    reach = fields["reach"]
    if reach is not None and reach < 0:
        errors["reach"] = "Reach cannot be negative."
    if fields["kind"] == Activity.Kind.PARTNER_MEETING:
        _choice(errors, "forum", fields["forum"], Activity.Forum, "Choose which meeting it was.")
    elif fields["forum"]:
        errors["forum"] = "Only a partner meeting has a forum."
    _same_programme(errors, programme, "isgs", isgs, "groups")
    _same_programme(errors, programme, "root_causes", root_causes, "root causes")
    seen: set[str] = set()
    for organisation, attendees in attendance:
        key = organisation.casefold()
        if key in seen:
            errors["attendance"] = f"{organisation} is listed twice."
        seen.add(key)
        if attendees is None or attendees < 1:
            errors["attendance"] = f"Enter how many people came from {organisation} (1 or more)."
        if len(organisation) > ActivityAttendance._meta.get_field("organisation").max_length:
            errors["attendance"] = "Keep each organisation's name to 120 characters or fewer."
    _check_lengths(errors, Activity, fields)


def _activity_fields(**kwargs) -> dict:
    kind = kwargs["kind"]
    audience = kwargs.get("audience") or ""
    if kind == Activity.Kind.PARTNER_MEETING:
        audience = audience or Audience.PARTNERS
    return {
        "kind": kind,
        "title": _text(kwargs["title"]),
        "audience": audience,
        "held_on": kwargs["held_on"],
        "ends_on": kwargs.get("ends_on"),
        "reach": kwargs.get("reach"),
        "outcome": _text(kwargs.get("outcome")),
        "forum": kwargs.get("forum") or "",
        "progress_shared": _text(kwargs.get("progress_shared")),
    }


def _clean_attendance(attendance: Iterable[tuple[str, int | None]]) -> list[tuple[str, Any]]:
    return [(_text(org), n) for org, n in attendance if _text(org)]


def _set_attendance(activity: Activity, attendance: list[tuple[str, Any]]) -> None:
    activity.attendance.all().delete()
    ActivityAttendance.objects.bulk_create(
        ActivityAttendance(activity=activity, organisation=org, attendees=n)
        for org, n in attendance
    )


@transaction.atomic
def activity_record(
    *,
    by: Any,
    programme,
    kind: str,
    title: str,
    held_on: dt.date,
    audience: str = "",
    ends_on: dt.date | None = None,
    reach: int | None = None,
    isgs: Sequence = (),
    root_causes: Sequence = (),
    outcome: str = "",
    forum: str = "",
    progress_shared: str = "",
    attendance: Iterable[tuple[str, int | None]] = (),
) -> Activity:
    """Record an engagement activity. A partner meeting also records its forum, the progress
    shared and attendance by organisation; its reach is then the number who attended."""
    fields = _activity_fields(
        kind=kind,
        title=title,
        audience=audience,
        held_on=held_on,
        ends_on=ends_on,
        reach=reach,
        outcome=outcome,
        forum=forum,
        progress_shared=progress_shared,
    )
    attendance = _clean_attendance(attendance)
    errors: Errors = {}
    _check_activity(errors, programme, fields, isgs, root_causes, attendance)
    _raise(errors)
    if attendance and fields["reach"] is None:
        fields["reach"] = sum(n for _org, n in attendance)
    activity = Activity(programme=programme, created_by=by, **fields)
    _save_new(activity, by)
    activity.isgs.set(isgs)
    activity.root_causes.set(root_causes)
    _set_attendance(activity, attendance)
    return activity


@transaction.atomic
def activity_update(
    *,
    by: Any,
    activity: Activity,
    expected_version: int,
    isgs: Sequence = (),
    root_causes: Sequence = (),
    attendance: Iterable[tuple[str, int | None]] = (),
    **changes: Any,
) -> Activity:
    """Correct an activity, or add what came of it once it has happened."""
    fields = _activity_fields(**changes)
    attendance = _clean_attendance(attendance)
    errors: Errors = {}
    if (activity.kind == Activity.Kind.PARTNER_MEETING) != (
        fields["kind"] == Activity.Kind.PARTNER_MEETING
    ):
        errors["kind"] = "A partner meeting stays a partner meeting; record a new activity instead."
    _check_activity(errors, activity.programme, fields, isgs, root_causes, attendance)
    _raise(errors)
    if attendance and fields["reach"] is None:
        fields["reach"] = sum(n for _org, n in attendance)
    saved = save_versioned(activity, expected_version, by=by, **fields)
    saved._history_user = by
    saved.isgs.set(isgs)
    saved.root_causes.set(root_causes)
    _set_attendance(saved, attendance)
    return saved


# ---------------------------------------------------------------------------------------
# Feedback


def _feedback_fields(**kwargs) -> dict:
    return {
        "source": kwargs["source"],
        "received_on": kwargs["received_on"],
        "channel": _text(kwargs.get("channel")),
        "topic": _text(kwargs["topic"]),
        "quote": _text(kwargs["quote"]),
        "sentiment": kwargs["sentiment"],
        "consent_to_publish": bool(kwargs.get("consent_to_publish")),
        "attribution": _text(kwargs.get("attribution")),
        "activity": kwargs.get("activity"),
    }


def _check_feedback(
    errors: Errors, programme, fields: dict, isgs: Sequence, root_causes: Sequence
) -> None:
    _choice(
        errors, "source", fields["source"], FeedbackItem.Source, "Choose who gave the feedback."
    )
    _choice(
        errors,
        "sentiment",
        fields["sentiment"],
        FeedbackItem.Sentiment,
        "Choose whether the feedback was positive, mixed, negative or neutral.",
    )
    if fields["received_on"] is None:
        errors["received_on"] = "Enter the date the feedback was given."
    _not_future(errors, "received_on", fields["received_on"], "The date it was given")
    _require(errors, "topic", fields["topic"], "Say in a few words what it was about.")
    _require(errors, "quote", fields["quote"], "Enter what they said.")
    if fields["consent_to_publish"] and not fields["attribution"]:
        errors["attribution"] = (
            'Say how to credit the quote without names, e.g. "A parent, Emergency Department".'
        )
    activity = fields["activity"]
    if activity is not None and activity.programme_id != programme.pk:
        errors["activity"] = "That activity belongs to another programme."
    _same_programme(errors, programme, "isgs", isgs, "groups")
    _same_programme(errors, programme, "root_causes", root_causes, "root causes")
    _check_lengths(errors, FeedbackItem, fields)


@transaction.atomic
def feedback_record(
    *,
    by: Any,
    programme,
    source: str,
    received_on: dt.date,
    topic: str,
    quote: str,
    sentiment: str,
    consent_to_publish: bool = False,
    attribution: str = "",
    channel: str = "",
    isgs: Sequence = (),
    root_causes: Sequence = (),
    activity: Activity | None = None,
) -> FeedbackItem:
    """Record feedback from a patient, a member of staff or a partner."""
    fields = _feedback_fields(
        source=source,
        received_on=received_on,
        channel=channel,
        topic=topic,
        quote=quote,
        sentiment=sentiment,
        consent_to_publish=consent_to_publish,
        attribution=attribution,
        activity=activity,
    )
    errors: Errors = {}
    _check_feedback(errors, programme, fields, isgs, root_causes)
    _raise(errors)
    item = FeedbackItem(programme=programme, recorded_by=by, **fields)
    _save_new(item, by)
    item.isgs.set(isgs)
    item.root_causes.set(root_causes)
    return item


@transaction.atomic
def feedback_update(
    *,
    by: Any,
    feedback: FeedbackItem,
    expected_version: int,
    isgs: Sequence = (),
    root_causes: Sequence = (),
    **changes: Any,
) -> FeedbackItem:
    """Correct a feedback item. Withdrawing consent takes the quote out of every export at once
    (the exports all read engagement.selectors.feedback_for_publication)."""
    fields = _feedback_fields(**changes)
    errors: Errors = {}
    _check_feedback(errors, feedback.programme, fields, isgs, root_causes)
    if (
        feedback.responded_on
        and fields["received_on"]
        and fields["received_on"] > feedback.responded_on
    ):
        errors["received_on"] = "It cannot have been given after the trust responded to it."
    _raise(errors)
    saved = save_versioned(feedback, expected_version, by=by, **fields)
    saved._history_user = by
    saved.isgs.set(isgs)
    saved.root_causes.set(root_causes)
    _forget_public_page(saved.programme_id)
    return saved


@transaction.atomic
def feedback_respond(
    *,
    by: Any,
    feedback: FeedbackItem,
    response: str,
    close: bool,
    expected_version: int,
    on: dt.date | None = None,
) -> FeedbackItem:
    """Record what the trust did about a feedback item ("we did…"), and close it when done.

    A later response replaces the earlier one (the history keeps both); an item can be closed
    only with a response, and reopens if a new response does not close it.
    """
    response = _text(response)
    day = on or today()
    errors: Errors = {}
    if not response:
        errors["response"] = "Enter what the trust did, or is doing, about this feedback."
    if day < feedback.received_on:
        errors["response"] = "A response cannot be dated before the feedback was given."
    _not_future(errors, "response", day, "The response date")
    _raise(errors)
    return save_versioned(
        feedback,
        expected_version,
        by=by,
        response=response,
        responded_on=day,
        responded_by=by,
        closed_on=day if close else None,
    )


# ---------------------------------------------------------------------------------------
# "Improvement in action" stories


def _story_fields(**kwargs) -> dict:
    return {
        "title": _text(kwargs["title"]),
        "concern": _text(kwargs["concern"]),
        "change": _text(kwargs["change"]),
        "isg": kwargs.get("isg"),
        "for_board_paper": bool(kwargs.get("for_board_paper")),
        "for_newsletter": bool(kwargs.get("for_newsletter")),
    }


def _check_story(
    errors: Errors, programme, fields: dict, root_causes: Sequence, feedback: Sequence
) -> None:
    _require(errors, "title", fields["title"], "Enter a short heading for the story.")
    _require(errors, "concern", fields["concern"], "Say what people were concerned about.")
    _require(errors, "change", fields["change"], 'Finish the sentence "As a result of this we…".')
    isg = fields["isg"]
    if isg is not None and isg.programme_id != programme.pk:
        errors["isg"] = "That group belongs to another programme."
    _same_programme(errors, programme, "root_causes", root_causes, "root causes")
    _same_programme(errors, programme, "feedback", feedback, "feedback items")
    _check_lengths(errors, Story, fields)


@transaction.atomic
def story_create(
    *,
    by: Any,
    programme,
    title: str,
    concern: str,
    change: str,
    isg=None,
    root_causes: Sequence = (),
    feedback: Sequence = (),
    for_board_paper: bool = False,
    for_newsletter: bool = False,
) -> Story:
    """Draft an "Improvement in action" story. It is published only once the PMO approves it."""
    fields = _story_fields(
        title=title,
        concern=concern,
        change=change,
        isg=isg,
        for_board_paper=for_board_paper,
        for_newsletter=for_newsletter,
    )
    errors: Errors = {}
    _check_story(errors, programme, fields, root_causes, feedback)
    _raise(errors)
    story = Story(programme=programme, created_by=by, **fields)
    _save_new(story, by)
    story.root_causes.set(root_causes)
    story.feedback.set(feedback)
    return story


@transaction.atomic
def story_update(
    *,
    by: Any,
    story: Story,
    expected_version: int,
    root_causes: Sequence = (),
    feedback: Sequence = (),
    **changes: Any,
) -> Story:
    """Edit a story. Changing the words or the feedback of a published story takes it back to
    the PMO for approval: nothing unapproved is ever published. Ticking or unticking the board
    paper and newsletter boxes does not."""
    fields = _story_fields(**changes)
    errors: Errors = {}
    _check_story(errors, story.programme, fields, root_causes, feedback)
    _raise(errors)
    content_changed = (
        any(getattr(story, name) != fields[name] for name in ("title", "concern", "change", "isg"))
        or {f.pk for f in story.feedback.all()} != {f.pk for f in feedback}
        or {rc.pk for rc in story.root_causes.all()} != {rc.pk for rc in root_causes}
    )
    if content_changed and story.status == Story.Status.PUBLISHED:
        fields.update(status=Story.Status.AWAITING_APPROVAL, published_on=None, approved_by=None)
        _forget_public_page(story.programme_id)
    saved = save_versioned(story, expected_version, by=by, **fields)
    saved._history_user = by
    saved.root_causes.set(root_causes)
    saved.feedback.set(feedback)
    if not content_changed and story.status == Story.Status.PUBLISHED:
        _forget_public_page(story.programme_id)
    return saved


def _locked_story(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


@transaction.atomic
def story_submit(*, by: Any, story: Story) -> Story:
    """Send a draft to the PMO for approval."""
    story = _locked_story(story)
    if story.status != Story.Status.DRAFT:
        raise ValidationError(f"This story is already {story.get_status_display().lower()}.")
    story.status = Story.Status.AWAITING_APPROVAL
    story._history_user = by
    story.version += 1
    story.save()
    return story


@transaction.atomic
def story_approve(*, by: Any, story: Story) -> Story:
    """The PMO approves a story for publication (board paper, newsletter, public page).

    Every feedback item in it must have consent to publish: approval is the moment the PMO
    vouches for the story, so a quote without consent blocks it rather than silently dropping.
    """
    story = _locked_story(story)
    if story.status == Story.Status.PUBLISHED:
        raise ValidationError("This story is already approved for publication.")
    feedback = list(story.feedback.all())
    if not feedback:
        raise ValidationError(
            "Add the feedback that shows the effect of the change before approving the story."
        )
    without_consent = [item.topic for item in feedback if not item.consent_to_publish]
    if without_consent:
        raise ValidationError(
            "These feedback items have no consent to publish: "
            + "; ".join(without_consent)
            + ". Record consent or take them out of the story."
        )
    story.status = Story.Status.PUBLISHED
    story.published_on = today()
    story.approved_by = by
    story.return_note = ""
    story._history_user = by
    story.version += 1
    story.save()
    _forget_public_page(story.programme_id)
    return story


@transaction.atomic
def story_return(*, by: Any, story: Story, note: str) -> Story:
    """The PMO sends a story back to its authors, saying why."""
    note = _text(note)
    if not note:
        raise ValidationError({"note": "Say what needs to change before you can approve it."})
    story = _locked_story(story)
    if story.status != Story.Status.AWAITING_APPROVAL:
        raise ValidationError("Only a story awaiting approval can be sent back.")
    story.status = Story.Status.DRAFT
    story.return_note = note
    story._history_user = by
    story.version += 1
    story.save()
    return story


@transaction.atomic
def story_withdraw(*, by: Any, story: Story) -> Story:
    """Take a published story down everywhere; it goes back to draft."""
    story = _locked_story(story)
    if story.status != Story.Status.PUBLISHED:
        raise ValidationError("Only a published story can be withdrawn.")
    story.status = Story.Status.DRAFT
    story.published_on = None
    story.approved_by = None
    story._history_user = by
    story.version += 1
    story.save()
    _forget_public_page(story.programme_id)
    return story


# ---------------------------------------------------------------------------------------
# Survey results as high-level KPI measurements


@transaction.atomic
def survey_result_record(
    *,
    by: Any,
    programme,
    period_end: dt.date,
    kpi: KPI | None = None,
    new_kpi_name: str = "",
    isg=None,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    note: str = "",
) -> Measurement:
    """Record a pulse or staff survey result as a measurement of a high-level KPI, so it is
    charted like any KPI. Give an existing KPI, or a name and a group to create one (a
    percentage where higher is better, as survey questions are)."""
    new_kpi_name = _text(new_kpi_name)
    errors: Errors = {}
    if kpi is None and not new_kpi_name:
        errors["kpi"] = "Choose the KPI the survey measures, or name a new one."
    if kpi is not None and new_kpi_name:
        errors["new_kpi_name"] = "Choose an existing KPI or name a new one, not both."
    if kpi is not None and (kpi.programme_id != programme.pk or kpi.level != KPI.Level.HIGH_LEVEL):
        errors["kpi"] = "Choose one of this programme's high-level KPIs."
    if kpi is None and new_kpi_name:
        if isg is None:
            errors["isg"] = "Choose the group whose high-level KPI this is."
        elif isg.programme_id != programme.pk:
            errors["isg"] = "That group belongs to another programme."
        if len(new_kpi_name) > KPI._meta.get_field("name").max_length:
            errors["new_kpi_name"] = "Keep the KPI's name to 200 characters or fewer."
        elif KPI.objects.filter(programme=programme, name__iexact=new_kpi_name).exists():
            errors["new_kpi_name"] = "A KPI with this name exists: choose it from the list."
    if period_end is None:
        errors["period_end"] = "Enter the date the survey closed."
    elif period_end > today():
        errors["period_end"] = "Record the result once the survey has closed."
    _raise(errors)
    if kpi is None:
        kpi = KPI(
            programme=programme,
            level=KPI.Level.HIGH_LEVEL,
            isg=isg,
            name=new_kpi_name,
            unit=KPI.Unit.PERCENTAGE,
            improvement=KPI.Improvement.INCREASE,
            frequency=KPI.Frequency.MONTHLY,
            data_source="Staff survey",
            # Staff surveys measure culture and leadership: the Well-led key question.
            key_question=KeyQuestion.objects.filter(code="WELL_LED").first(),
        )
        kpi._history_user = by
        kpi.save()
    return measurement_record(
        by=by,
        kpi=kpi,
        period_end=period_end,
        value=value,
        numerator=numerator,
        denominator=denominator,
        note=_text(note),
    )


# ---------------------------------------------------------------------------------------
# The public progress page


@transaction.atomic
def public_page_update(
    *,
    by: Any,
    programme,
    publish: bool,
    introduction: str,
    show_trajectory: bool = True,
    show_closed_findings: bool = True,
    show_stories: bool = True,
    expected_version: int = 0,
) -> PublicPage:
    """The PMO decides whether the programme publishes its progress and approves what the
    public page shows. Saving is the approval: it records who approved it and when.

    `expected_version` is the settings' version the form was opened on (0 before any)."""
    introduction = _text(introduction)
    errors: Errors = {}
    if publish and not introduction:
        errors["introduction"] = "Write a short introduction for the public before publishing."
    _raise(errors)
    fields = {
        "introduction": introduction,
        "show_trajectory": bool(show_trajectory),
        "show_closed_findings": bool(show_closed_findings),
        "show_stories": bool(show_stories),
        "approved_by": by,
        "approved_at": timezone.now(),
    }
    page = PublicPage.objects.select_for_update().filter(programme=programme).first()
    if page is None:
        if expected_version not in (0, None):
            raise StaleEdit(programme, fields)
        page = PublicPage(programme=programme, **fields)
        page._history_user = by
        page.save()
    else:
        page = save_versioned(page, expected_version, by=by, **fields)
    if programme.publish_progress != bool(publish):
        programme.publish_progress = bool(publish)
        programme._history_user = by
        programme.save(update_fields=["publish_progress"])
    _forget_public_page(programme.pk)
    return page
