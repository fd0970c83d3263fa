from typing import Any

from core.access import get_object_for

from .models import KPI


def get_kpi_for(request: Any, pk: int, perm: str = "kpis.view_kpi") -> KPI:
    """The KPI, if this person may see it (else 404) and do `perm` (else 403)."""
    return get_object_for(
        request,
        KPI.objects.select_related("programme", "isg", "key_question", "owner"),
        pk,
        view_perm="kpis.view_kpi",
        perm=perm,
    )
