from django.shortcuts import render

from core import roles
from core.clock import today

from ..navigation import current_programme


def home(request):
    """Where everyone lands after signing in: what their role asks of them."""
    user = request.user
    programme = current_programme(request)
    context = {"programme": programme, "today": today(), "roles": []}
    if programme is not None:
        pid = programme.pk
        context["roles"] = sorted(role for p, role in roles.programme_roles(user) if p == pid)
        context["is_owner"] = pid in roles.owned_programme_ids(user)
        context["led_isgs"] = programme.isgs.filter(pk__in=roles.led_isg_ids(user))
    return render(request, "home/home.html", context)
