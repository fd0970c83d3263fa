from django.shortcuts import render

from core.clock import today

from .. import selectors
from ..access import get_programme_for
from .common import MANAGE, crumbs


def engagement_home(request, programme_pk: int):
    """Engagement at a glance: this month's figures, volunteers, recent activity and stories."""
    programme = get_programme_for(request, programme_pk)
    day = today()
    summary = selectors.month_summary(programme, day)
    return render(
        request,
        "engagement/home.html",
        {
            "programme": programme,
            "breadcrumbs": crumbs(programme),
            "engagement_summary": summary,
            "roles": selectors.role_counts(programme, day, day),
            "activities": selectors.activities_for(programme).filter(held_on__lte=day)[:5],
            "stories": selectors.publishable_stories(programme)[:3],
            "can_manage": request.user.has_perm(MANAGE, programme),
            "can_publish": request.user.has_perm("engagement.manage_public_page", programme),
            "today": day,
        },
    )
