from django.core.paginator import Paginator
from django.shortcuts import render

from core.clock import today

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
