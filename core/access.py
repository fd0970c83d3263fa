"""Fetch an object for a request, checking permission the same way on every page.

Someone who may not see the object gets 404 (we do not confirm it exists); someone who may
see it but not do this gets 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_object_for(
    request: Any, queryset: QuerySet, pk: Any, *, view_perm: str, perm: str | None = None
) -> Model:
    obj = get_object_or_404(queryset, pk=pk)
    user = request.user
    if not user.has_perm(view_perm, obj):
        raise Http404("No such page.")
    if perm is not None and perm != view_perm and not user.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")
    return obj
