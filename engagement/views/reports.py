from django.contrib import messages
from django.shortcuts import render

from .. import selectors
from ..access import get_programme_for
from ..forms import MonthForm
from ..periods import add_months, month_end
from .common import MANAGE, chosen_month, crumbs


def _month_context(request, programme, title: str) -> dict:
    month, unreadable = chosen_month(request)
    if unreadable:
        messages.error(request, "Enter the month as year and month, e.g. 2019-04.")
    return {
        "programme": programme,
        "month": month,
        "month_end": month_end(month),
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "month_form": MonthForm(initial={"month": f"{month:%Y-%m}"}),
        "breadcrumbs": crumbs(programme, (title, "")),
    }


def engagement_summary(request, programme_pk: int):
    """The month's engagement in figures, as the dashboard and the board paper show it."""
    programme = get_programme_for(request, programme_pk)
    context = _month_context(request, programme, "Summary")
    context["engagement_summary"] = selectors.engagement_summary(
        programme, context["month"], context["month_end"]
    )
    context["can_manage"] = request.user.has_perm(MANAGE, programme)
    return render(request, "engagement/summary.html", context)


def newsletter_digest(request, programme_pk: int):
    """A printable digest for the Improving Together newsletter: the month's closed root
    causes and published stories (quotes with consent only), and its engagement figures."""
    programme = get_programme_for(request, programme_pk)
    context = _month_context(request, programme, "Newsletter digest")
    context["digest"] = selectors.newsletter_digest(programme, context["month"])
    return render(request, "engagement/newsletter.html", context)
