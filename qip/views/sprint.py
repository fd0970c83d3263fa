"""The sprint page: what an ISG chair puts on the projector, and the chair's sign-off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.clock import today
from governance.forms import SignOffForm

from .. import services
from ..access import get_isg_for
from ..models import ReportingPeriod
from ..reporting.sprint import sprint_report


def _period_of_isg(isg, period_pk: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod, pk=period_pk, programme_id=isg.programme_id, cadence=isg.cadence
    )


def sprint_page(request, isg_pk: int, period_pk: int):
    isg = get_isg_for(request, isg_pk)
    period = _period_of_isg(isg, period_pk)
    day = today()
    report = sprint_report(isg, period, day)
    user = request.user
    for closure in report.closures_waiting:
        closure.can_decide = user.has_perm("rootcauses.confirm_closure", closure.root_cause)
    for rc in report.newly_off_track + report.still_off_track:
        rc.on_agenda = next((e for e in rc.sprint_escalations if e.is_open), None)
        rc.can_escalate = rc.on_agenda is None and user.has_perm("governance.escalate", rc)
    for rc in report.completed:
        rc.can_verify = rc.verified_on is None and user.has_perm("rootcauses.verify_closure", rc)
    can_chair = user.has_perm("qip.chair_isg", isg)
    return render(
        request,
        "qip/sprint_page.html",
        {
            "isg": isg,
            "programme": isg.programme,
            "report": report,
            "period": period,
            "today": day,
            "can_chair": can_chair,
            "can_sign_off": can_chair
            and report.signoff is None
            and report.has_started
            and not period.is_locked,
            "signoff_form": SignOffForm(),
        },
    )


@require_POST
def sprint_sign_off(request, isg_pk: int, period_pk: int):
    """The chair signs the period's report off: updates for it become read-only."""
    isg = get_isg_for(request, isg_pk, perm="qip.chair_isg")
    period = _period_of_isg(isg, period_pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.period_sign_off(
                by=request.user, isg=isg, period=period, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"You signed off {period} for {isg}. Its updates are now read-only."
            )
    return redirect("sprint-page", isg_pk=isg.pk, period_pk=period.pk)
