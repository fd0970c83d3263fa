from django.shortcuts import render

from core.clock import today

from ..access import get_programme_for
from ..reporting.trajectory import trajectory_as_of


def programme_detail(request, pk: int):
    """The programme at a glance: its ISGs and today's trajectory."""
    programme = get_programme_for(request, pk)
    request.session["programme_id"] = programme.pk
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
