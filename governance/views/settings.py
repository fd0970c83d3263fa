"""The PMO's governance settings: which colour counts, the escalation rules, the ECIB meetings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render

from core.clock import today
from qip.access import get_programme_for

from .. import escalations, services
from ..forms import EcibMeetingForm, EscalationRuleForm, TrajectoryColourForm, apply_errors


def governance_settings(request, programme_pk: int):
    programme = get_programme_for(request, programme_pk, perm="governance.manage")
    ensured = escalations.escalation_rules_ensure(programme=programme, by=request.user)
    rules = [ensured[kind] for kind in escalations.DEFAULT_THRESHOLDS]
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None

    colour_form = TrajectoryColourForm(
        data if action == "colour" else None,
        initial={"trajectory_colour": programme.trajectory_colour},
    )
    rule_forms = [
        EscalationRuleForm(data if action == "rules" else None, rule=rule) for rule in rules
    ]
    meeting_form = EcibMeetingForm(data if action == "meeting" else None)

    if action == "colour" and colour_form.is_valid():
        try:
            services.programme_trajectory_colour_set(
                by=request.user,
                programme=programme,
                colour=colour_form.cleaned_data["trajectory_colour"],
            )
        except ValidationError as exc:
            apply_errors(colour_form, exc)
        else:
            messages.success(
                request,
                "Saved: the trajectory now counts "
                + (
                    "verified (blue) closures."
                    if colour_form.cleaned_data["trajectory_colour"] == "blue"
                    else "confirmed (green) closures."
                ),
            )
            return redirect("governance-settings", programme_pk=programme.pk)
    elif action == "rules" and all(form.is_valid() for form in rule_forms):
        try:
            with transaction.atomic():
                for form in rule_forms:
                    escalations.escalation_rule_update(
                        by=request.user,
                        rule=form.rule,
                        threshold=form.cleaned_data["threshold"],
                        active=form.cleaned_data["active"],
                    )
        except ValidationError as exc:
            apply_errors(rule_forms[0], exc)
        else:
            messages.success(request, "Saved the escalation rules.")
            return redirect("governance-settings", programme_pk=programme.pk)
    elif action == "meeting" and meeting_form.is_valid():
        try:
            meeting = escalations.ecib_meeting_add(
                by=request.user,
                programme=programme,
                meets_on=meeting_form.cleaned_data["meets_on"],
                note=meeting_form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(meeting_form, exc)
        else:
            messages.success(request, f"Added the {meeting}.")
            return redirect("governance-settings", programme_pk=programme.pk)

    return render(
        request,
        "governance/settings.html",
        {
            "programme": programme,
            "colour_form": colour_form,
            "rule_forms": rule_forms,
            "meeting_form": meeting_form,
            "meetings": list(
                programme.ecib_meetings.filter(meets_on__gte=today()).order_by("meets_on")[:8]
            ),
        },
    )
