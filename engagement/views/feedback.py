import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.clock import today
from core.locking import StaleEdit

from .. import selectors, services
from ..access import get_feedback_for, get_programme_for
from ..forms import FeedbackFilterForm, FeedbackForm, ResponseForm, apply_errors
from ..models import FeedbackItem
from .common import MANAGE, PERSONAL, conflict, crumbs, status_for

FIELDS = (
    "source",
    "received_on",
    "channel",
    "topic",
    "quote",
    "sentiment",
    "consent_to_publish",
    "attribution",
    "activity",
)


def feedback_fields(data: dict) -> dict:
    return {key: data[key] for key in FIELDS}


def _list_url(programme) -> str:
    return reverse("engagement-feedback", args=[programme.pk])


def feedback_list(request, programme_pk: int):
    """Feedback: every item with its words for the PMO and engagement leads; counts for others."""
    programme = get_programme_for(request, programme_pk)
    context = {
        "programme": programme,
        "breadcrumbs": crumbs(programme, ("Feedback", "")),
        "counts": selectors.feedback_counts(programme),
        "can_manage": request.user.has_perm(MANAGE, programme),
    }
    if request.user.has_perm(PERSONAL, programme):
        filters = FeedbackFilterForm(request.GET or None)
        items = selectors.feedback_for(programme)
        if filters.is_valid():
            source, status = filters.cleaned_data["source"], filters.cleaned_data["status"]
            if source:
                items = items.filter(source=source)
            if status == FeedbackItem.Status.AWAITING:
                items = items.filter(responded_on__isnull=True)
            elif status == FeedbackItem.Status.RESPONDED:
                items = items.filter(responded_on__isnull=False, closed_on__isnull=True)
            elif status == FeedbackItem.Status.CLOSED:
                items = items.filter(closed_on__isnull=False)
        context.update(
            filters=filters,
            page_obj=Paginator(items, 25).get_page(request.GET.get("page")),
        )
    return render(request, "engagement/feedback_list.html", context)


def feedback_add(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    initial = {"received_on": today()}
    activity = request.GET.get("activity", "")
    if activity.isdigit():
        initial["activity"] = int(activity)
    form = FeedbackForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.feedback_record(
                by=request.user,
                programme=programme,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=form.cleaned_data["root_cause_refs"],
                **feedback_fields(form.cleaned_data),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Recorded the feedback.")
            return redirect(item.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Record feedback",
            "submit": "Record the feedback",
            "breadcrumbs": crumbs(programme, ("Feedback", _list_url(programme)), ("Record", "")),
        },
        status=status_for(form),
    )


def feedback_detail(request, pk: int):
    """One item with its words, its links and the trust's response (PMO and engagement leads)."""
    item = get_feedback_for(request, pk)
    programme = item.programme
    return render(
        request,
        "engagement/feedback_detail.html",
        {
            "programme": programme,
            "item": item,
            "response_form": ResponseForm(
                initial={
                    "version": item.version,
                    "response": item.response,
                    "close": item.closed_on is not None,
                }
            ),
            "breadcrumbs": crumbs(programme, ("Feedback", _list_url(programme)), (item.topic, "")),
        },
    )


def feedback_edit(request, pk: int):
    item = get_feedback_for(request, pk, perm=MANAGE)
    programme = item.programme
    form = FeedbackForm(
        request.POST or None, programme=programme, initial=FeedbackForm.initial_for(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_update(
                by=request.user,
                feedback=item,
                expected_version=form.cleaned_data["version"] or 0,
                isgs=list(form.cleaned_data["isgs"]),
                root_causes=form.cleaned_data["root_cause_refs"],
                **feedback_fields(form.cleaned_data),
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, item.get_absolute_url(), "feedback")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved the feedback.")
            return redirect(item.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": "Edit feedback",
            "submit": "Save",
            "breadcrumbs": crumbs(
                programme,
                ("Feedback", _list_url(programme)),
                (item.topic, item.get_absolute_url()),
                ("Edit", ""),
            ),
        },
        status=status_for(form),
    )


def feedback_respond(request, pk: int):
    """Record the trust's response ("we did…"), and close the item when the work is done."""
    item = get_feedback_for(request, pk, perm=MANAGE)
    programme = item.programme
    form = ResponseForm(
        request.POST or None,
        initial={"version": item.version, "response": item.response, "close": bool(item.closed_on)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_respond(
                by=request.user,
                feedback=item,
                response=form.cleaned_data["response"],
                close=form.cleaned_data["close"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleEdit as stale:
            return conflict(request, stale.current, item.get_absolute_url(), "feedback")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Closed the feedback." if form.cleaned_data["close"] else "Saved the response.",
            )
            back = request.POST.get("next", "")
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect(item.get_absolute_url())
    return render(
        request,
        "engagement/form.html",
        {
            "programme": programme,
            "form": form,
            "title": f"Respond: {item.topic}",
            "submit": "Save the response",
            "breadcrumbs": crumbs(
                programme,
                ("Feedback", _list_url(programme)),
                (item.topic, item.get_absolute_url()),
                ("Respond", ""),
            ),
        },
        status=status_for(form),
    )


CSV_COLUMNS = [
    "Date given",
    "From",
    "How it reached us",
    "About",
    "Sentiment",
    "Quote",
    "Credited to",
    "Groups",
    "Root causes",
    "Our response",
    "Status",
]


def feedback_csv(request, programme_pk: int):
    """Feedback that may be published, for the communications team. Only items with consent
    to publish: the export reads engagement.selectors.feedback_for_publication."""
    programme = get_programme_for(request, programme_pk, perm=MANAGE)
    items = (
        selectors.feedback_for_publication(programme)
        .prefetch_related("isgs", "root_causes")
        .order_by("received_on", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="publishable-feedback-{programme.pk}-{today():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark.
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow(
            _safe(value)
            for value in [
                item.received_on.isoformat(),
                item.get_source_display(),
                item.channel,
                item.topic,
                item.get_sentiment_display(),
                item.quote,
                item.attribution,
                "; ".join(isg.name for isg in item.isgs.all()),
                "; ".join(rc.reference for rc in item.root_causes.all()),
                item.response,
                item.get_status_display(),
            ]
        )
    return response


def _safe(value: str) -> str:
    """Stop a spreadsheet reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
