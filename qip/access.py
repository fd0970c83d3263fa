from typing import Any

from core.access import get_object_for

from .models import CrossCuttingTheme, ImprovementSteeringGroup, Programme, ReportingPeriod


def get_programme_for(request: Any, pk: int, perm: str = "qip.view_programme") -> Programme:
    return get_object_for(
        request,
        Programme.objects.select_related("framework"),
        pk,
        view_perm="qip.view_programme",
        perm=perm,
    )


def get_isg_for(request: Any, pk: int, perm: str = "qip.view_isg") -> ImprovementSteeringGroup:
    return get_object_for(
        request,
        ImprovementSteeringGroup.objects.select_related(
            "programme", "chair", "accountable_executive"
        ),
        pk,
        view_perm="qip.view_isg",
        perm=perm,
    )


def get_period_for(request: Any, pk: int) -> ReportingPeriod:
    return get_object_for(
        request,
        ReportingPeriod.objects.select_related("programme"),
        pk,
        view_perm="qip.view_programme",
    )


def get_theme_for(request: Any, pk: int, perm: str = "qip.view_programme") -> CrossCuttingTheme:
    return get_object_for(
        request,
        CrossCuttingTheme.objects.select_related("programme", "reporting_isg", "lead"),
        pk,
        view_perm="qip.view_programme",
        perm=perm,
    )
