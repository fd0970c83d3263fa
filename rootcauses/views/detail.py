from django.core.paginator import Paginator
from django.shortcuts import render

from core.clock import today

from ..access import get_root_cause_for
from ..forms import period_word
from ..history import entries_for
from ..selectors import current_period, root_cause_page

HISTORY_PAGE_SIZE = 50


def _can(request, root_cause) -> dict[str, bool]:
    user = request.user
    return {
        name: user.has_perm(f"rootcauses.{name}", root_cause)
        for name in (
            "post_update",
            "request_closure",
            "upload_evidence",
            "view_evidence",
            "confirm_closure",
            "verify_closure",
        )
    }


def rootcause_detail(request, pk: int):
    """The root cause page: the finding, actions, KPI, updates, evidence and closure."""
    root_cause = get_root_cause_for(request, pk)
    page = root_cause_page(root_cause, today())
    return render(
        request,
        "rootcauses/detail.html",
        {
            "root_cause": root_cause,
            "page": page,
            "can": _can(request, root_cause),
            "period_word": period_word(root_cause),
            "current_update": page.current_update,
            "tab": "overview",
            "today": today(),
        },
    )


def rootcause_history(request, pk: int):
    """The audit history tab: who changed what, and when."""
    root_cause = get_root_cause_for(request, pk)
    period = current_period(root_cause, today())
    entries = entries_for(root_cause)
    page_obj = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rootcauses/history.html",
        {
            "root_cause": root_cause,
            "page_obj": page_obj,
            "entries": page_obj.object_list,
            "can": _can(request, root_cause),
            "period_word": period_word(root_cause),
            "current_update": period and root_cause.updates.filter(period=period).first(),
            "tab": "history",
        },
    )
