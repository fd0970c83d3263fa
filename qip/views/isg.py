"""The ISG list, an ISG's front door (its current sprint page) and the programme-wide view of a period."""

from django.http import Http404
from django.shortcuts import redirect, render

from core.clock import today

from ..access import get_isg_for, get_period_for, get_programme_for
from ..models import ImprovementSteeringGroup, PeriodSignoff, ReportingPeriod
from ..navigation import remember_programme
from ..reporting.trajectory import FINDING_TYPES, Counts, counts_by_isg
from ..services import current_period


def _period_of(periods: list[ReportingPeriod], day) -> ReportingPeriod | None:
    """The period holding `day`, else the latest one started before it."""
    started = [p for p in periods if p.starts_on <= day]
    return started[-1] if started else (periods[0] if periods else None)


def isg_list(request, programme_pk: int):
    """Every ISG with its chair, its current period and its trajectory to date."""
    programme = get_programme_for(request, programme_pk)
    remember_programme(request, programme)
    day = today()
    isgs = list(
        ImprovementSteeringGroup.objects.filter(programme=programme).select_related(
            "chair", "accountable_executive"
        )
    )
    periods: dict[str, list[ReportingPeriod]] = {}
    for period in ReportingPeriod.objects.filter(programme=programme).order_by("starts_on"):
        periods.setdefault(period.cadence, []).append(period)
    counts = counts_by_isg(programme.root_causes.all(), day, programme.trajectory_colour)
    rows = []
    for isg in isgs:
        rows.append(
            {
                "isg": isg,
                "period": _period_of(periods.get(isg.cadence, []), day),
                "figures": [counts.get((isg.pk, kind), Counts()) for kind in FINDING_TYPES],
            }
        )
    return render(
        request,
        "qip/isg_list.html",
        {"programme": programme, "rows": rows, "today": day},
    )


def isg_detail(request, pk: int):
    """An ISG's page is its current sprint (or month): where the chair runs the meeting."""
    isg = get_isg_for(request, pk)
    period = current_period(isg)
    if period is None:
        period = (
            ReportingPeriod.objects.filter(programme_id=isg.programme_id, cadence=isg.cadence)
            .order_by("-starts_on")
            .first()
        )
    if period is None:
        raise Http404("This programme has no calendar yet.")
    return redirect("sprint-page", isg_pk=isg.pk, period_pk=period.pk)


def period_detail(request, pk: int):
    """One period across the programme: each ISG's figures at its end and its sprint page."""
    period = get_period_for(request, pk)
    programme = period.programme
    day = today()
    isgs = list(
        ImprovementSteeringGroup.objects.filter(programme=programme).select_related("chair")
    )
    periods: dict[str, list[ReportingPeriod]] = {}
    for other in ReportingPeriod.objects.filter(programme=programme).order_by("starts_on"):
        periods.setdefault(other.cadence, []).append(other)
    signed = {
        (s.isg_id, s.period_id): s
        for s in PeriodSignoff.objects.filter(isg__programme=programme).select_related("signed_by")
    }
    counts = counts_by_isg(programme.root_causes.all(), period.ends_on, programme.trajectory_colour)
    rows = []
    for isg in isgs:
        own = (
            period
            if isg.cadence == period.cadence
            else _period_of(periods.get(isg.cadence, []), period.ends_on)
        )
        rows.append(
            {
                "isg": isg,
                "period": own,
                "signoff": signed.get((isg.pk, own.pk)) if own else None,
                "figures": [counts.get((isg.pk, kind), Counts()) for kind in FINDING_TYPES],
            }
        )
    same = periods.get(period.cadence, [])
    index = next(i for i, p in enumerate(same) if p.pk == period.pk)
    return render(
        request,
        "qip/isg_period.html",
        {
            "programme": programme,
            "period": period,
            "rows": rows,
            "previous": same[index - 1] if index > 0 else None,
            "next": same[index + 1] if index + 1 < len(same) else None,
            "today": day,
        },
    )
