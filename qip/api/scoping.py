"""What each person may read through the API: the same rules as the pages.

Root causes come from RootCause.objects.visible_to(user); actions, updates and root cause KPIs
follow their root cause; findings, ISGs, periods and high-level KPIs are visible to everyone
who takes part in the programme. Evidence files are never served by the API.
"""

from django.db.models import Q, QuerySet

from core import roles
from findings.models import Finding
from kpis.models import KPI, Measurement
from rootcauses.models import Action, RootCause, Update

from ..models import ImprovementSteeringGroup, ReportingPeriod, Snapshot

PROGRAMME_ROLES = (roles.PMO, roles.EXECUTIVE, roles.PARTNER, roles.ENGAGEMENT_LEAD)


def member_programme_ids(user) -> frozenset[int] | None:
    """None means every programme (a superuser)."""
    if user.is_superuser:
        return None
    return roles.member_programme_ids(user)


def _in_programmes(queryset: QuerySet, user, field: str = "programme_id") -> QuerySet:
    ids = member_programme_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def root_causes(user) -> QuerySet[RootCause]:
    return RootCause.objects.visible_to(user)


def findings(user) -> QuerySet[Finding]:
    return _in_programmes(Finding.objects.all(), user)


def actions(user) -> QuerySet[Action]:
    if user.is_superuser:
        return Action.objects.all()
    return Action.objects.filter(root_cause__in=root_causes(user).values("pk"))


def updates(user) -> QuerySet[Update]:
    if user.is_superuser:
        return Update.objects.all()
    return Update.objects.filter(root_cause__in=root_causes(user).values("pk"))


def kpis(user) -> QuerySet[KPI]:
    if user.is_superuser:
        return KPI.objects.all()
    with_role = {pid for pid, role in roles.programme_roles(user) if role in PROGRAMME_ROLES}
    members = roles.member_programme_ids(user)
    return KPI.objects.filter(
        Q(programme_id__in=with_role)
        | Q(level=KPI.Level.HIGH_LEVEL, programme_id__in=members)
        | Q(root_cause__in=root_causes(user).values("pk"))
    )


def measurements(user) -> QuerySet[Measurement]:
    if user.is_superuser:
        return Measurement.objects.all()
    return Measurement.objects.filter(kpi__in=kpis(user).values("pk"))


def isgs(user) -> QuerySet[ImprovementSteeringGroup]:
    return _in_programmes(ImprovementSteeringGroup.objects.all(), user)


def periods(user) -> QuerySet[ReportingPeriod]:
    return _in_programmes(ReportingPeriod.objects.all(), user)


def snapshots(user) -> QuerySet[Snapshot]:
    """The frozen roll-ups of the programmes this person is part of (figures, no names)."""
    return _in_programmes(Snapshot.objects.all(), user)
