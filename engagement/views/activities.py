from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from core.clock import today
from core.locking import StaleEdit

from .. import selectors, services
from ..access import get_activity_for, get_programme_for
from ..forms import ActivityForm, apply_errors
from ..models import Activity, Audience
from .common import MANAGE, PERSONAL, conflict, crumbs, status_for


def activity_list(request, programme_pk: int):
    """Every activity, newest first, filtered by audience; planned ones are marked."""
    programme = get_programme_for(request, programme_pk)
    activities = selectors.activities_for(programme)
    audience = request.GET.get("audience", "")
    if audience in Audience.values:
        activities = activities.filter(audience=audience)
    else:
        audience = ""
    page = Paginator(activities, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/activity_list.html",
        {
            "programme": programme,
            "breadcrumbs": crumbs(programme, ("Activities", "")),
            "page_obj": page,
            "audiences": Audience.choices,
            "audience": audience,
            "today": today(),
            "can_manage": request.user.has_perm(MANAGE, programme),
        },
    )


def _fields(data: dict) -> dict:
    return {
        key: data[key]
        for key in ("kind", "title", "audience", "held_on", "ends_on", "reach", "outcome")
    }


def activity_add(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    form = ActivityForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(
                by=request.user,
                programme=programme,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=form.cleaned_data["root_cause_refs"],
                **_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recorded {activity.title}.")
            return redirect(activity.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Record an activity",
            "submit": "Record the activity",
            "breadcrumbs": crumbs(
                programme,
                ("Activities", reverse("engagement-activities", args=[programme.pk])),
                ("Record", ""),
            ),
        },
        status=status_for(form),
    )


def activity_detail(request, pk: int):
    activity = get_activity_for(request, pk)
    if activity.is_partner_meeting:
        return redirect("engagement-meeting-detail", activity.pk)
    programme = activity.programme
    can_see_quotes = request.user.has_perm(PERSONAL, activity)
    feedback = selectors.feedback_heard_at(activity)
    return render(
        request,
        "engagement/activity_detail.html",
        {
            "programme": programme,
            "activity": activity,
            "breadcrumbs": crumbs(
                programme,
                ("Activities", reverse("engagement-activities", args=[programme.pk])),
                (activity.title, ""),
            ),
            "feedback": feedback if can_see_quotes else None,
            "feedback_count": feedback.count() if not can_see_quotes else None,
            "can_manage": request.user.has_perm(MANAGE, activity),
            "today": today(),
        },
    )


def activity_edit(request, pk: int):
    activity = get_activity_for(request, pk, perm=MANAGE)
    if activity.kind == Activity.Kind.PARTNER_MEETING:
        return redirect("engagement-meeting-edit", activity.pk)
    programme = activity.programme
    form = ActivityForm(
        request.POST or None, programme=programme, initial=ActivityForm.initial_for(activity)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                by=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"] or 0,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=form.cleaned_data["root_cause_refs"],
                **_fields(form.cleaned_data),
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, activity.get_absolute_url(), "activity")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Saved {activity.title}.")
            return redirect(activity.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"Edit {activity.title}",
            "submit": "Save",
            "breadcrumbs": crumbs(
                programme,
                ("Activities", reverse("engagement-activities", args=[programme.pk])),
                (activity.title, activity.get_absolute_url()),
                ("Edit", ""),
            ),
        },
        status=status_for(form),
    )
