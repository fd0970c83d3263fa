"""Pieces the engagement views share: breadcrumbs, the month in the query string, conflicts."""

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from core.clock import today

from ..periods import month_start, parse_month

MANAGE = "engagement.manage_engagement"
PERSONAL = "engagement.view_personal"


def crumbs(programme, *trail: tuple[str, str]) -> list[dict]:
    """Programme › Engagement › … ; the last crumb is the current page."""
    items = [
        {"label": programme.name, "url": programme.get_absolute_url()},
        {"label": "Engagement", "url": reverse("engagement-home", args=[programme.pk])},
    ]
    items += [{"label": label, "url": url} for label, url in trail]
    return items


def chosen_month(request) -> tuple[dt.date, bool]:
    """The month asked for in ?month=YYYY-MM (first day), else this month; and whether the
    request asked for a month we could not read."""
    raw = request.GET.get("month", "")
    month = parse_month(raw)
    if month is None:
        return month_start(today()), bool(raw)
    return month, False


def conflict(request, record, back_url: str, what: str):
    """Someone saved this record after the form was opened: show theirs, overwrite nothing."""
    return render(
        request,
        "engagement/conflict.html",
        {"record": record, "back_url": back_url, "what": what},
        status=409,
    )


def status_for(form) -> int:
    return 400 if form.is_bound and form.errors else 200
