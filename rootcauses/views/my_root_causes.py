from django.core.paginator import Paginator
from django.shortcuts import render

from core.clock import today
from core.spreadsheets import csv_response, wants_csv

from ..filters import MyRootCausesFilter, default_order
from ..selectors import decorate, owned_by, summarise

PAGE_SIZE = 50


def my_root_causes(request):
    """The owner's list: what is due, what is overdue, what waits for the chair."""
    day = today()
    everything, periods = decorate(list(owned_by(request.user, day)), day)
    summary = summarise(everything)
    filterset = MyRootCausesFilter(
        request.GET,
        queryset=default_order(owned_by(request.user, day)),
        request=request,
        day=day,
    )
    if wants_csv(request):
        rows, _ = decorate(list(filterset.qs), day, periods=periods)
        return _csv(rows, day)
    # Invalid values are left out of the filtering; the form shows their errors.
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, _ = decorate(list(page.object_list), day, periods=periods)
    return render(
        request,
        "rootcauses/my_root_causes.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "rows": rows,
            "summary": summary,
            "total": len(everything),
            "filtered": bool(request.GET.keys() - {"page"}),
            "today": day,
        },
    )


def _csv(rows, day):
    """The owner's filtered list as CSV, every page at once."""
    return csv_response(
        f"my-root-causes-{day:%Y-%m-%d}.csv",
        [
            "Reference",
            "Title",
            "Group",
            "Type",
            "Status",
            "Baseline due",
            "Current due",
            "Update due this period",
            "Waiting for the chair",
            "Evidence files to review",
        ],
        (
            [
                rc.reference,
                rc.title,
                rc.isg.name,
                rc.finding.get_finding_type_display(),
                rc.brag.label,
                rc.baseline_due_date,
                rc.current_due_date,
                "Yes" if rc.update_due else "No",
                "Yes" if rc.waiting_for_chair else "No",
                rc.evidence_to_review,
            ]
            for rc in rows
        ),
    )
