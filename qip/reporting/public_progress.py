"""The public progress page's content, as plain values cached per programme.

What it holds, and only when the programme publishes its progress and the PMO has approved
the page (engagement.PublicPage): counts and % of trajectory per group at the end of the last
full month (the counting rule in qip.reporting.trajectory), the CQC findings whose every root
cause is complete, and "Improvement in action" stories the PMO approved, with only the quotes
people agreed to publish (engagement.selectors.publishable_stories). No names anywhere.

The roll-up calls `refresh_public_progress(programme)` after each run; engagement's own writes
(a story withdrawn, consent taken back, the settings changed) drop the cached copy at once
(engagement.publication). The page itself is qip.views.public.
"""

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, F, Max, Q

from core.clock import today
from engagement.models import PublicPage
from engagement.publication import CACHE_SECONDS, cache_key
from engagement.selectors import publishable_stories
from findings.models import Finding, FindingType

from ..models import Programme
from .trajectory import completion_field, trajectory_as_of


def figures_date(day: dt.date) -> dt.date:
    """The last day of the last full month: the public sees the month the board last saw."""
    return day.replace(day=1) - dt.timedelta(days=1)


def closed_findings(programme: Programme, as_of: dt.date) -> list[dict]:
    """Findings with at least one root cause in the plan, all of them complete by `as_of`
    (counted as the trajectory counts them: confirmed, or verified if the programme counts
    blue; a root cause withdrawn by then no longer holds its finding open). One query."""
    in_plan = Q(root_causes__withdrawn_on__isnull=True) | Q(root_causes__withdrawn_on__gt=as_of)
    done_field = f"root_causes__{completion_field(programme.trajectory_colour)}"
    done = in_plan & Q(**{f"{done_field}__lte": as_of})
    findings = (
        Finding.objects.filter(programme=programme)
        .annotate(
            in_plan=Count("root_causes", filter=in_plan),
            done=Count("root_causes", filter=done),
            closed_on=Max(done_field, filter=done),
        )
        .filter(in_plan__gt=0, done=F("in_plan"))
        .select_related("isg")
        .order_by("isg__order", "isg__name", "finding_type", "reference")
    )
    return [
        {
            "group": finding.isg.name,
            "kind": "Must do" if finding.finding_type == FindingType.MUST_DO else "Should do",
            "text": finding.text,
            "closed_on": finding.closed_on,
        }
        for finding in findings
    ]


def public_progress_data(programme: Programme, page: PublicPage) -> dict:
    """Everything the page shows, as plain values (it is cached and must not hold models)."""
    day = today()
    as_of = figures_date(day)
    return {
        "trust_name": programme.trust_name or programme.name,
        "programme_name": programme.name,
        "group_label": programme.group_label,
        "introduction": page.introduction,
        "as_of": as_of,
        "figures": trajectory_as_of(programme, as_of) if page.show_trajectory else None,
        "show_closed_findings": page.show_closed_findings,
        "closed_findings": closed_findings(programme, as_of) if page.show_closed_findings else [],
        "show_stories": page.show_stories,
        "stories": publishable_stories(programme) if page.show_stories else (),
        "generated_on": day,
    }


def published_page(programme_pk: int) -> tuple[Programme, PublicPage] | None:
    programme = (
        Programme.objects.filter(
            pk=programme_pk, publish_progress=True, public_page__approved_at__isnull=False
        )
        .select_related("public_page")
        .first()
    )
    return (programme, programme.public_page) if programme else None


def refresh_public_progress(programme: Programme) -> bool:
    """Rebuild and cache the programme's public page; drop it if the programme does not
    publish. The roll-up calls this after each run. Returns whether the page is published."""
    published = published_page(programme.pk)
    if published is None:
        cache.delete(cache_key(programme.pk))
        return False
    programme, page = published
    cache.set(cache_key(programme.pk), public_progress_data(programme, page), CACHE_SECONDS)
    return True
