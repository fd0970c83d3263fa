import datetime as dt

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ..selectors import root_cause_governance

register = template.Library()


@register.simple_tag
def governance_for(root_cause) -> dict:
    """{% governance_for root_cause as gov %}: its escalations and change requests (two queries)."""
    return root_cause_governance(root_cause)


@register.simple_tag
def root_cause_url(root_cause) -> str:
    """The root cause's page, or "" while that page does not exist."""
    try:
        return reverse("rootcause-detail", args=[root_cause.pk])
    except NoReverseMatch:
        return ""


@register.filter
def day(value) -> str:
    """2 May 2019 (no leading zero), or a dash."""
    if not value:
        return "–"
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


@register.filter
def person(user) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.username


@register.filter
def period_dates(period) -> str:
    """15–28 April 2019; 29 April – 12 May 2019; 1–30 April 2019."""
    start, end = period.starts_on, period.ends_on
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


@register.filter
def percent(value) -> str:
    """84.6% or a dash when nothing is planned."""
    return "–" if value is None else f"{value}%"


@register.filter
def lines(text) -> list[str]:
    """Non-empty lines of a text, for a bulleted list."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
