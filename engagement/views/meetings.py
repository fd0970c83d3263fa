from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core.locking import StaleEdit

from .. import selectors, services
from ..access import get_activity_for, get_programme_for
from ..forms import FeedbackFilterForm, FeedbackForm, MeetingForm, apply_errors
from ..models import Activity, FeedbackItem
from .common import MANAGE, PERSONAL, conflict, crumbs, status_for
from .feedback import feedback_fields


def _meetings_url(programme) -> str:
    return reverse("engagement-meetings", args=[programme.pk])


def meeting_list(request, programme_pk: int):
    """Partner meetings (SOAG, CQRM…), newest first, with how much of their feedback is closed."""
    programme = get_programme_for(request, programme_pk)
    page = Paginator(selectors.partner_meetings(programme), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/meeting_list.html",
        {
            "programme": programme,
            "breadcrumbs": crumbs(programme, ("Partner meetings", "")),
            "page_obj": page,
            "can_manage": request.user.has_perm(MANAGE, programme),
        },
    )


def _meeting_fields(data: dict) -> dict:
    return {
        "kind": Activity.Kind.PARTNER_MEETING,
        **{key: data[key] for key in ("forum", "title", "held_on", "progress_shared", "outcome")},
    }


def meeting_add(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    form = MeetingForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.activity_record(
                by=request.user,
                programme=programme,
                isgs=list(form.cleaned_data["isgs"]),
                attendance=form.cleaned_data["attendance"],
                **_meeting_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recorded {meeting.title}. Now add the partners' feedback.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Record a partner meeting",
            "submit": "Record the meeting",
            "breadcrumbs": crumbs(
                programme, ("Partner meetings", _meetings_url(programme)), ("Record", "")
            ),
        },
        status=status_for(form),
    )


def _get_meeting(request, pk: int, perm: str = "engagement.view_engagement") -> Activity:
    meeting = get_activity_for(request, pk, perm=perm)
    if not meeting.is_partner_meeting:
        raise Http404("No such meeting.")
    return meeting


def meeting_detail(request, pk: int):
    """One meeting: who came, what was shared, and each item of partners' feedback with the
    trust's response. Quotes for the PMO and engagement leads only; topics for everyone."""
    meeting = _get_meeting(request, pk)
    programme = meeting.programme
    return render(
        request,
        "engagement/meeting_detail.html",
        {
            "programme": programme,
            "meeting": meeting,
            "feedback": selectors.feedback_heard_at(meeting),
            "can_see_quotes": request.user.has_perm(PERSONAL, meeting),
            "can_manage": request.user.has_perm(MANAGE, meeting),
            "breadcrumbs": crumbs(
                programme, ("Partner meetings", _meetings_url(programme)), (meeting.title, "")
            ),
        },
    )


def meeting_edit(request, pk: int):
    meeting = _get_meeting(request, pk, perm=MANAGE)
    programme = meeting.programme
    form = MeetingForm(
        request.POST or None, programme=programme, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                by=request.user,
                activity=meeting,
                expected_version=form.cleaned_data["version"] or 0,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=list(meeting.root_causes.all()),
                attendance=form.cleaned_data["attendance"],
                audience=meeting.audience,
                reach=None,
                ends_on=None,
                **_meeting_fields(form.cleaned_data),
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, meeting.get_absolute_url(), "meeting")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Saved {meeting.title}.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"Edit {meeting.title}",
            "submit": "Save",
            "breadcrumbs": crumbs(
                programme,
                ("Partner meetings", _meetings_url(programme)),
                (meeting.title, meeting.get_absolute_url()),
                ("Edit", ""),
            ),
        },
        status=status_for(form),
    )


def meeting_feedback_add(request, pk: int):
    """Record one item of partners' feedback given at this meeting."""
    meeting = _get_meeting(request, pk, perm=MANAGE)
    programme = meeting.programme
    form = FeedbackForm(
        request.POST or None,
        programme=programme,
        initial={
            "source": FeedbackItem.Source.PARTNER,
            "received_on": meeting.held_on,
            "channel": meeting.get_forum_display(),
            "activity": meeting.pk,
            "isgs": list(meeting.isgs.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_record(
                by=request.user,
                programme=programme,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=form.cleaned_data["root_cause_refs"],
                **feedback_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Recorded the feedback. Add the trust's response when there is one."
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"Partners' feedback at {meeting.title}",
            "submit": "Record the feedback",
            "breadcrumbs": crumbs(
                programme,
                ("Partner meetings", _meetings_url(programme)),
                (meeting.title, meeting.get_absolute_url()),
                ("Add feedback", ""),
            ),
        },
        status=status_for(form),
    )


def you_said_we_did(request, programme_pk: int):
    """What people told us and what we did about it, open items first. Topics, not quotes."""
    programme = get_programme_for(request, programme_pk)
    filters = FeedbackFilterForm(request.GET or None)
    source = status = ""
    if filters.is_valid():
        source, status = filters.cleaned_data["source"], filters.cleaned_data["status"]
    items = selectors.you_said_we_did(programme, source=source, status=status)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/you_said_we_did.html",
        {
            "programme": programme,
            "breadcrumbs": crumbs(programme, ("You said, we did", "")),
            "filters": filters,
            "page_obj": page,
            "can_manage": request.user.has_perm(MANAGE, programme),
        },
    )
