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


def get_board_paper_for(request: Any, pk: int, perm: str = "qip.view_board_papers"):
    """A board paper: the PMO and executives see it; anyone else gets 404."""
    from .models import BoardPaper

    return get_object_for(
        request,
        BoardPaper.objects.select_related("programme", "period", "created_by", "issued_by"),
        pk,
        view_perm="qip.view_board_papers",
        perm=perm,
    )


def get_board_paper_file_for(request: Any, pk: int):
    """A Word or PDF file of a board paper, for whoever may see the paper."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from .models import BoardPaperFile

    export = get_object_or_404(
        BoardPaperFile.objects.select_related("paper__programme", "paper__period", "requested_by"),
        pk=pk,
    )
    if not request.user.has_perm("qip.view_board_papers", export.paper):
        raise Http404("No such page.")
    return export
