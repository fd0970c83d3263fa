"""The ECIB agenda, escalating a root cause, and the ECIB's decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import get_object_for
from core.clock import today
from core.spreadsheets import csv_response, wants_csv
from qip.access import get_programme_for
from qip.navigation import remember_programme
from rootcauses.access import get_root_cause_for

from .. import escalations as escalation_services
from ..forms import EscalationDecisionForm, EscalationRaiseForm, apply_errors
from ..models import EcibMeeting
from ..selectors import agenda_changes, agenda_escalations, escalations_with_related
from .common import next_url


def _decision_forms(request, rows) -> None:
    can_decide = None
    for row in rows:
        if can_decide is None:
            can_decide = request.user.has_perm("governance.decide", row)
        row.can_decide = can_decide and row.is_open
        if row.can_decide:
            row.form = EscalationDecisionForm(prefix=f"escalation-{row.pk}")


def _render_meeting(request, programme, meeting, *, is_next: bool):
    day = today()
    if meeting is not None:
        rows = agenda_escalations(meeting)
        changes = agenda_changes(meeting, include_pending=meeting.meets_on >= day)
        previous = (
            EcibMeeting.objects.filter(programme=programme, meets_on__lt=meeting.meets_on)
            .order_by("-meets_on")
            .first()
        )
        following = (
            EcibMeeting.objects.filter(programme=programme, meets_on__gt=meeting.meets_on)
            .order_by("meets_on")
            .first()
        )
    else:
        rows, changes, previous, following = [], [], None, None
    if wants_csv(request):
        return _agenda_csv(meeting, rows, changes)
    _decision_forms(request, rows)
    can_decide_changes = request.user.has_perm("governance.decide", programme)
    for change in changes:
        change.can_decide = (
            can_decide_changes and change.is_pending and change.proposed_by_id != request.user.pk
        )
    return render(
        request,
        "governance/ecib_agenda.html",
        {
            "programme": programme,
            "meeting": meeting,
            "is_next": is_next,
            "rows": rows,
            "open_rows": [row for row in rows if row.is_open],
            "decided_rows": [row for row in rows if not row.is_open],
            "changes": changes,
            "previous": previous,
            "following": following,
            "can_manage": request.user.has_perm("governance.manage", programme),
            "today": day,
        },
    )


def ecib_agenda(request, programme_pk: int):
    """The agenda of the next ECIB meeting: escalated root causes and changes to decide."""
    programme = get_programme_for(request, programme_pk, perm="governance.view_ecib")
    remember_programme(request, programme)
    meeting = (
        EcibMeeting.objects.filter(programme=programme, meets_on__gte=today())
        .order_by("meets_on")
        .first()
    )
    return _render_meeting(request, programme, meeting, is_next=True)


def ecib_meeting(request, pk: int):
    """One ECIB meeting, past or planned: its agenda and what it decided."""
    meeting = get_object_for(
        request,
        EcibMeeting.objects.select_related("programme"),
        pk,
        view_perm="governance.view_ecib",
    )
    next_meeting = (
        EcibMeeting.objects.filter(programme_id=meeting.programme_id, meets_on__gte=today())
        .order_by("meets_on")
        .values_list("pk", flat=True)
        .first()
    )
    return _render_meeting(request, meeting.programme, meeting, is_next=next_meeting == meeting.pk)


def escalation_raise(request, root_cause_pk: int):
    """An ISG chair (or the PMO) puts a root cause on the next ECIB agenda."""
    root_cause = get_root_cause_for(request, root_cause_pk, perm="governance.escalate")
    back = next_url(request, root_cause.isg.get_absolute_url())
    form = EscalationRaiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = escalation_services.escalation_raise(
                by=request.user, root_cause=root_cause, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"{root_cause.reference} is on the agenda of the {escalation.meeting}.",
            )
            return redirect(back)
    latest = root_cause.updates.select_related("period").order_by("-period__starts_on").first()
    return render(
        request,
        "governance/escalation_raise.html",
        {"form": form, "root_cause": root_cause, "latest": latest, "next": back},
    )


def escalation_decide(request, pk: int):
    """An executive records the ECIB's decision on one escalation."""
    escalation = get_object_for(
        request,
        escalations_with_related(),
        pk,
        view_perm="governance.view_ecib",
        perm="governance.decide",
    )
    back = next_url(request, reverse("ecib-meeting", args=[escalation.meeting_id]))
    form = EscalationDecisionForm(
        request.POST if request.method == "POST" else None, prefix=f"escalation-{escalation.pk}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            escalation_services.escalation_decide(
                by=request.user,
                escalation=escalation,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            escalation.refresh_from_db()
            messages.success(
                request,
                f"Decision recorded for {escalation.root_cause.reference}: "
                f"{escalation.get_decision_display().lower()}.",
            )
            return redirect(back)
    updates = escalation.root_cause.off_track_updates
    escalation.recovery = updates[0] if updates else None
    return render(
        request,
        "governance/escalation_decide.html",
        {"form": form, "escalation": escalation, "next": back},
    )


@require_POST
def escalations_evaluate(request, programme_pk: int):
    """The PMO runs the escalation rules now, instead of waiting for the morning run."""
    programme = get_programme_for(request, programme_pk, perm="governance.manage")
    result = escalation_services.escalations_evaluate(programme=programme, by=request.user)
    count = len(result.raised)
    if count:
        messages.success(
            request,
            f"The rules put {count} root cause{'s' if count != 1 else ''} on the agenda.",
        )
    else:
        messages.info(request, "The rules found nothing new to escalate.")
    if not result.kpi_rule_available:
        messages.warning(
            request,
            "The KPI rule could not run: statistical process control is not available yet.",
        )
    return redirect("ecib-agenda", programme_pk=programme.pk)


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _agenda_csv(meeting, rows, changes):
    """The agenda as CSV: each escalation, then each change to the plan."""
    day = meeting.meets_on if meeting else today()
    lines = []
    for row in rows:
        rc = row.root_cause
        lines.append(
            [
                "Escalation",
                rc.reference,
                rc.title,
                rc.isg.name,
                _who(rc.owner),
                row.rule_label,
                row.reason,
                row.recovery.recovery_note if row.recovery else "",
                row.raised_at,
                row.get_status_display(),
                row.get_decision_display() if row.decision else "",
                row.decision_note,
            ]
        )
    for change in changes:
        rc = change.root_cause
        lines.append(
            [
                "Change to the plan",
                rc.reference,
                rc.title,
                rc.isg.name,
                _who(rc.owner),
                f"{change.get_kind_display()}: {change.from_text} to {change.to_text}",
                change.rationale,
                "",
                change.proposed_at,
                change.get_status_display(),
                "",
                change.decision_note,
            ]
        )
    return csv_response(
        f"ecib-agenda-{day:%Y-%m-%d}.csv",
        [
            "Item",
            "Root cause",
            "Title",
            "Group",
            "Owner",
            "Rule or change",
            "Reason",
            "Recovery plan",
            "Raised or proposed",
            "Status",
            "Decision",
            "Decision note",
        ],
        lines,
    )
