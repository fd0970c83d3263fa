from typing import Any

from core.access import get_object_for

from .models import RootCause


def get_root_cause_for(
    request: Any, pk: int, perm: str = "rootcauses.view_root_cause"
) -> RootCause:
    """The root cause, if this person may see it (else 404) and do `perm` (else 403)."""
    return get_object_for(
        request,
        RootCause.objects.with_related().select_related("isg__programme", "finding__isg"),
        pk,
        view_perm="rootcauses.view_root_cause",
        perm=perm,
    )
