from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.clock import today
from core.locking import StaleEdit

from .. import services
from ..access import get_root_cause_for
from ..forms import UpdateForm, add_service_errors, period_word
from ..models import Update
from ..selectors import current_period, period_is_signed_off
from .uploads import accepts_evidence


def _period_from_post(request, root_cause):
    """The period the form was opened for (the sprint may have turned since)."""
    try:
        pk = int(request.POST.get("period", ""))
    except ValueError:
        return None
    return root_cause.isg.programme.periods.filter(pk=pk, cadence=root_cause.isg.cadence).first()


def _kpi_initial(root_cause, period) -> dict:
    if root_cause.kpi_id is None:
        return {}
    measurement = root_cause.kpi.measurements.filter(period_end=period.ends_on).first()
    if measurement is None:
        return {}
    return {
        "kpi_value": measurement.value.normalize() if measurement.numerator is None else None,
        "kpi_numerator": measurement.numerator,
        "kpi_denominator": measurement.denominator,
    }


@accepts_evidence
def rootcause_update(request, pk: int):
    """Post this period's update, or edit it until the ISG signs the period off."""
    root_cause = get_root_cause_for(request, pk, perm="rootcauses.post_update")
    word = period_word(root_cause)
    period = None
    if request.method == "POST":
        period = _period_from_post(request, root_cause)
    if period is None:
        period = current_period(root_cause, today())
    context = {"root_cause": root_cause, "period": period, "period_word": word}
    if period is None:
        return render(
            request, "rootcauses/update_unavailable.html", {**context, "reason": "no_period"}
        )
    if root_cause.is_closed:
        return render(
            request, "rootcauses/update_unavailable.html", {**context, "reason": "closed"}
        )
    if period_is_signed_off(root_cause, period):
        return render(
            request, "rootcauses/update_unavailable.html", {**context, "reason": "signed_off"}
        )

    existing = Update.objects.filter(root_cause=root_cause, period=period).first()
    actions = list(root_cause.actions.select_related("owner"))
    initial = {"version": existing.version if existing else 0, "period": period.pk}
    if existing is not None:
        initial.update(
            rag=existing.rag,
            narrative=existing.narrative,
            recovery_note=existing.recovery_note,
            forecast_date=existing.forecast_date,
        )
        initial.update(_kpi_initial(root_cause, period))
    if request.method == "POST":
        form = UpdateForm(
            request.POST, request.FILES, root_cause=root_cause, period=period, actions=actions
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                update = services.update_post(
                    by=request.user,
                    root_cause=root_cause,
                    period=period,
                    rag=data["rag"],
                    narrative=data["narrative"],
                    recovery_note=data["recovery_note"],
                    forecast_date=data["forecast_date"],
                    kpi_value=data.get("kpi_value"),
                    kpi_numerator=data.get("kpi_numerator"),
                    kpi_denominator=data.get("kpi_denominator"),
                    actions_done=data.get("actions_done", []),
                    evidence=form.evidence_items(),
                    expected_version=data["version"],
                )
            except StaleEdit as conflict:
                return _conflict(request, context, form, conflict, actions)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                verb = "updated" if existing else "posted"
                messages.success(request, f"Your update for {period} is {verb}.")
                return redirect(f"{root_cause.get_absolute_url()}#update-{update.pk}")
        status = 400
    else:
        form = UpdateForm(initial=initial, root_cause=root_cause, period=period, actions=actions)
        status = 200
    return render(
        request,
        "rootcauses/update_form.html",
        {**context, "form": form, "existing": existing},
        status=status,
    )


def _conflict(request, context, form, conflict: StaleEdit, actions):
    """Someone saved first: show both versions, write nothing, offer to start again."""
    theirs = conflict.current if isinstance(conflict.current, Update) else None
    if theirs is not None:
        theirs = Update.objects.select_related("author", "period").get(pk=theirs.pk)
    data = form.cleaned_data
    ticked = set(data.get("actions_done") or [])
    return render(
        request,
        "rootcauses/update_conflict.html",
        {
            **context,
            "theirs": theirs,
            "yours": data,
            "yours_rag": dict(form.fields["rag"].choices).get(data.get("rag"), ""),
            "yours_actions": [a for a in actions if a.pk in ticked],
            "had_file": bool(form.evidence_items()),
        },
        status=409,
    )
