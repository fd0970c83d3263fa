"""Did the fix work? The sustainability watch list and one closed root cause's KPI since closure."""

from django.shortcuts import render

from kpis import spc
from rootcauses.access import get_root_cause_for

from ..access import get_programme_for
from ..reporting.sustainability import closed_root_causes, judge, watch_list


def kpi_watch(request, programme_pk: int):
    """Closed root causes whose KPI has not improved, or shows special-cause concern, since."""
    programme = get_programme_for(request, programme_pk)
    return render(
        request,
        "qip/kpi_watch.html",
        {
            "programme": programme,
            "watch": watch_list(programme.pk),
            "min_after": spc.MIN_POINTS_AFTER_CHANGE,
        },
    )


def kpi_watch_detail(request, pk: int):
    """One closed root cause: its KPI's chart rebased at closure, and the verdict."""
    root_cause = get_root_cause_for(request, pk)
    root_cause = closed_root_causes(root_cause.programme_id).filter(pk=root_cause.pk).first()
    if root_cause is None:
        return render(
            request,
            "qip/kpi_watch_detail.html",
            {"root_cause": get_root_cause_for(request, pk), "item": None},
        )
    return render(
        request, "qip/kpi_watch_detail.html", {"root_cause": root_cause, "item": judge(root_cause)}
    )
