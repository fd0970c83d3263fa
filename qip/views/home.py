from django.shortcuts import redirect, render

from core import roles
from core.clock import today

from ..navigation import current_programme


def _only_owns_root_causes(user) -> bool:
    """Owners with no other part (no programme role, chair, lead or executive) go to their list."""
    return (
        not user.is_superuser
        and not user.is_staff
        and bool(roles.owned_programme_ids(user))
        and not roles.programme_roles(user)
        and not roles.isg_programme_ids(user)
    )


def home(request):
    """Where everyone lands after signing in: what their role asks of them."""
    user = request.user
    if _only_owns_root_causes(user):
        return redirect("my-root-causes")
    programme = current_programme(request)
    context = {"programme": programme, "today": today(), "roles": []}
    if programme is not None:
        pid = programme.pk
        context["roles"] = sorted(role for p, role in roles.programme_roles(user) if p == pid)
        context["is_owner"] = pid in roles.owned_programme_ids(user)
        context["led_isgs"] = programme.isgs.filter(pk__in=roles.led_isg_ids(user))
    return render(request, "home/home.html", context)
