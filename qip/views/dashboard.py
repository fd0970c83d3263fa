"""The executive dashboard and its drill-down list (issue 6)."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse

from core.clock import today
from rootcauses.brag import brag_of
from rootcauses.models import RootCause

from ..access import get_programme_for
from ..charts import svg
from ..navigation import remember_programme
from ..reporting import dashboard as selectors
from ..reporting.filters import RootCauseDrillDown

ENGAGEMENT_SUMMARY = "engagement/partials/dashboard_summary.html"


def _has_template(name: str) -> bool:
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return False
    return True


def _engagement_summary(programme, board):
    """Engagement figures for the period shown (issue 10), when that part is installed: its
    partial template and engagement.selectors.engagement_summary(programme, start, end)."""
    if not _has_template(ENGAGEMENT_SUMMARY):
        return None
    try:
        from engagement import selectors as engagement_selectors
    except ImportError:
        return None
    summarise = getattr(engagement_selectors, "engagement_summary", None)
    if summarise is None:
        return None
    return summarise(programme, board.period.starts_on, board.as_of)


def dashboard(request, programme_pk: int):
    """Trajectory, off-track and forecasts for the PMO, executives and partners."""
    programme = get_programme_for(request, programme_pk, perm="qip.view_dashboard")
    remember_programme(request, programme)
    day = today()
    isgs = list(programme.isgs.order_by("order", "name"))
    periods = list(programme.periods.order_by("starts_on"))
    period = selectors.choose_period(periods, request.GET.get("period"), day)
    if period is None or not isgs:
        return render(request, "qip/dashboard_empty.html", {"programme": programme})
    board = selectors.build(programme, period, periods, isgs, day)
    charts = [(chart, svg.render(chart)) for chart in board.charts]
    return render(
        request,
        "qip/dashboard.html",
        {
            "programme": programme,
            "board": board,
            "charts": charts,
            "engagement_summary": _engagement_summary(programme, board),
            "bad_period": bool(request.GET.get("period"))
            and str(period.pk) != request.GET.get("period"),
        },
    )


def _csv(programme, root_causes, day) -> HttpResponse:
    """The same list as a spreadsheet (CSV), for the PMO's own analysis."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="root-causes-{day.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Reference",
            "Title",
            programme.group_label,
            "Type",
            "Owner",
            "Baseline due",
            "Current due",
            "Completed",
            "Verified",
            "Withdrawn",
            "Status",
        ]
    )
    for rc in root_causes:
        writer.writerow(
            [
                rc.reference,
                rc.title,
                rc.isg.name,
                rc.finding.get_finding_type_display(),
                rc.owner.get_full_name() or rc.owner.username,
                rc.baseline_due_date,
                rc.current_due_date,
                rc.completed_on or "",
                rc.verified_on or "",
                rc.withdrawn_on or "",
                brag_of(rc, day).label,
            ]
        )
    return response


def root_cause_list(request, programme_pk: int):
    """The root causes behind a dashboard figure."""
    programme = get_programme_for(request, programme_pk, perm="qip.view_dashboard")
    day = today()
    queryset = (
        RootCause.objects.filter(programme=programme)
        .select_related("isg", "owner", "finding")
        .order_by("isg__order", "reference")
    )
    params = request.GET.copy()
    wants_csv = params.pop("format", [""])[-1] == "csv"
    filterset = RootCauseDrillDown(
        params or None, queryset=queryset, programme=programme, today=day
    )
    if wants_csv and not (filterset.is_bound and not filterset.is_valid()):
        return _csv(programme, filterset.qs, day)
    if filterset.is_bound and not filterset.is_valid():
        page = None
        count = 0
    else:
        results = filterset.qs
        paginator = Paginator(results, 50)
        page = paginator.get_page(request.GET.get("page"))
        count = paginator.count
        for root_cause in page.object_list:
            root_cause.brag = brag_of(root_cause, day)
    return render(
        request,
        "qip/rootcause_list.html",
        {
            "programme": programme,
            "filter": filterset,
            "page_obj": page,
            "count": count,
            "crumbs": [
                {"label": "Dashboard", "url": reverse("dashboard", args=[programme.pk])},
                {"label": "Root causes", "url": ""},
            ],
        },
    )
