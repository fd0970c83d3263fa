from .navigation import nav_items_for


def navigation(request):
    """The navigation bar for this person, and the programme they are working in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items, programme = nav_items_for(request)
    return {"nav_items": items, "current_programme": programme}
