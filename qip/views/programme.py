from django.shortcuts import render

from core.clock import today

from ..access import get_programme_for
from ..navigation import remember_programme
from ..reporting.trajectory import trajectory_as_of


def programme_detail(request, pk: int):
    """The programme at a glance: its ISGs and today's trajectory."""
    programme = get_programme_for(request, pk)
    remember_programme(request, programme)
    figures = trajectory_as_of(programme, today())
    return render(
        request,
        "qip/programme_detail.html",
        {
            "programme": programme,
            "figures": figures,
            "isgs": programme.isgs.select_related("chair"),
        },
    )
