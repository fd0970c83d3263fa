"""The navigation bar: each part of the product adds its entry here, shown by role."""

from django.urls import NoReverseMatch, reverse

from core import roles

from .models import Programme


def remember_programme(request, programme: Programme) -> None:
    """The page is about this programme: show it in the header and make it the default.

    The session is written only when the choice changes (a write costs three queries).
    """
    request._qip_programme = programme
    if request.session.get("programme_id") != programme.pk:
        request.session["programme_id"] = programme.pk


def current_programme(request) -> Programme | None:
    """The programme this person works in: the one chosen in the session, else their latest."""
    cached = getattr(request, "_qip_programme", False)
    if cached is not False:
        return cached
    user = request.user
    member_ids = (
        set(Programme.objects.values_list("pk", flat=True))
        if user.is_superuser
        else set(roles.member_programme_ids(user))
    )
    chosen = request.session.get("programme_id") if hasattr(request, "session") else None
    pid = chosen if chosen in member_ids else (max(member_ids) if member_ids else None)
    programme = Programme.objects.filter(pk=pid).first() if pid else None
    request._qip_programme = programme
    return programme


def _entry(request, label: str, url_name: str, args=()) -> dict | None:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return None
    return {"label": label, "url": url, "active": request.path.startswith(url) and url != "/"}


def nav_items_for(request) -> tuple[list[dict], Programme | None]:
    user = request.user
    programme = current_programme(request)
    items = [_entry(request, "Home", "home")]
    if programme is not None:
        pid = programme.pk
        is_pmo = user.is_superuser or roles.has_role(user, pid, roles.PMO)
        is_exec = roles.has_role(user, pid, roles.EXECUTIVE)
        if pid in roles.owned_programme_ids(user):
            items.append(_entry(request, "My root causes", "my-root-causes"))
        items.append(_entry(request, programme.group_label_short + "s", "isg-list", [pid]))
        if is_pmo or is_exec or roles.has_role(user, pid, roles.PARTNER):
            items.append(_entry(request, "Dashboard", "dashboard", [pid]))
        items.append(_entry(request, "Findings", "finding-list", [pid]))
        items.append(_entry(request, "KPIs", "kpi-summary", [pid]))
        if is_pmo or is_exec or pid in roles.isg_programme_ids(user):
            items.append(_entry(request, "ECIB", "ecib-agenda", [pid]))
        if is_pmo or roles.has_role(user, pid, roles.ENGAGEMENT_LEAD):
            items.append(_entry(request, "Engagement", "engagement-home", [pid]))
        if is_pmo or is_exec:
            items.append(_entry(request, "Board papers", "board-papers", [pid]))
        if is_pmo:
            items.append(_entry(request, "Plan", "plan-home", [pid]))
    if user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": False})
    return [item for item in items if item], programme
