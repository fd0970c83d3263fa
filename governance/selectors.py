"""Reads for the ECIB agenda, the change log and a root cause's governance history, with their
select_related/prefetch_related in one place."""

from django.db.models import Prefetch, Q, QuerySet

from rootcauses.models import Update

from .models import ChangeRequest, EcibMeeting, Escalation


def _off_track_updates() -> Prefetch:
    """Each root cause's off-track updates, latest first: the first is its recovery plan."""
    return Prefetch(
        "root_cause__updates",
        queryset=Update.objects.filter(rag="off_track")
        .select_related("period")
        .order_by("-period__starts_on"),
        to_attr="off_track_updates",
    )


def escalations_with_related() -> QuerySet:
    return Escalation.objects.select_related(
        "root_cause__isg",
        "root_cause__owner",
        "root_cause__finding",
        "rule",
        "meeting",
        "period",
        "decided_by",
        "raised_by",
    ).prefetch_related(_off_track_updates())


def changes_with_related() -> QuerySet:
    return ChangeRequest.objects.select_related(
        "root_cause__isg",
        "root_cause__owner",
        "root_cause__finding",
        "proposed_by",
        "proposed_owner",
        "proposed_isg",
        "merge_into",
        "decided_by",
        "meeting",
    )


def agenda_escalations(meeting: EcibMeeting) -> list[Escalation]:
    """The meeting's escalations, and any still open from earlier meetings (carried over)."""
    rows = list(
        escalations_with_related()
        .filter(
            Q(meeting=meeting)
            | Q(
                programme_id=meeting.programme_id,
                status=Escalation.Status.OPEN,
                meeting__meets_on__lt=meeting.meets_on,
            )
        )
        .order_by("root_cause__isg__order", "root_cause__reference", "raised_at")
    )
    for row in rows:
        updates = row.root_cause.off_track_updates
        row.recovery = updates[0] if updates else None
        row.carried_over = row.meeting_id != meeting.pk
    return rows


def agenda_changes(meeting: EcibMeeting, *, include_pending: bool) -> list[ChangeRequest]:
    """Changes decided at the meeting and, for the next meeting, those waiting for a decision."""
    condition = Q(meeting=meeting)
    if include_pending:
        condition |= Q(programme_id=meeting.programme_id, status=ChangeRequest.Status.PROPOSED)
    return list(
        changes_with_related()
        .filter(condition)
        .order_by("root_cause__isg__order", "root_cause__reference", "proposed_at")
    )


def change_log(programme) -> QuerySet:
    """Every approved change to the plan, latest first."""
    return (
        changes_with_related()
        .filter(programme=programme, status=ChangeRequest.Status.APPROVED)
        .order_by("-decided_on", "-decided_at")
    )


def root_cause_governance(root_cause) -> dict:
    """A root cause's escalations (with the ECIB's decisions) and change requests, latest first."""
    escalations = list(
        Escalation.objects.filter(root_cause=root_cause)
        .select_related("rule", "meeting", "decided_by", "raised_by", "period")
        .order_by("-raised_at")
    )
    changes = list(
        ChangeRequest.objects.filter(root_cause=root_cause)
        .select_related(
            "root_cause__isg",
            "root_cause__owner",
            "proposed_by",
            "proposed_owner",
            "proposed_isg",
            "merge_into",
            "decided_by",
        )
        .order_by("-proposed_at")
    )
    return {"escalations": escalations, "change_requests": changes}


def _part_of(programme_ids=None) -> Q:
    """People with a part in these programmes (or in any, for None): a programme role, an ISG
    they chair, lead or answer for, a root cause, an action or a cross-cutting theme."""
    from django.apps import apps

    def ids(model: str, field: str, through: str = "programme_id"):
        queryset = apps.get_model(model).objects.all()
        if programme_ids is not None:
            queryset = queryset.filter(**{f"{through}__in": programme_ids})
        return queryset.exclude(**{f"{field}__isnull": True}).values(field)

    isg_leads = apps.get_model("qip", "ImprovementSteeringGroup").leads.through.objects.all()
    if programme_ids is not None:
        isg_leads = isg_leads.filter(improvementsteeringgroup__programme_id__in=programme_ids)
    return (
        Q(pk__in=ids("qip.ProgrammeRole", "user_id"))
        | Q(pk__in=ids("qip.ImprovementSteeringGroup", "chair_id"))
        | Q(pk__in=ids("qip.ImprovementSteeringGroup", "accountable_executive_id"))
        | Q(pk__in=isg_leads.values("user_id"))
        | Q(pk__in=ids("qip.CrossCuttingTheme", "lead_id"))
        | Q(pk__in=ids("rootcauses.RootCause", "owner_id"))
        | Q(pk__in=ids("rootcauses.Action", "owner_id", through="root_cause__programme_id"))
    )


def people_for_programme(programme_id: int) -> QuerySet:
    """Whom a root cause or a theme of this programme may be handed to: active people who take
    part in it, or in no programme yet (a new starter, a support service's lead). Never people
    of another trust's programme only: the list would show them by name, and handing them a
    root cause or a theme would show them this programme's work and evidence."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(_part_of([programme_id]) | ~_part_of())
        .order_by("last_name", "first_name", "username")
    )
