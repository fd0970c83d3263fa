"""Who may see KPIs and enter their values. Views ask through kpis.access.

Every programme member reads every KPI of the programme. Values are entered by the PMO, the
KPI's owner, the owner of the root cause it measures, and the chairs and leads of its ISG;
executives and system partners read only.
"""

import rules

from core import roles
from qip.rules import is_pmo, is_programme_member

_CACHE = "_qip_kpi_cache"


def owned_root_cause_kpi_ids(user) -> frozenset[int]:
    """KPIs of the root causes this person owns.

    Reached through the user's `owned_root_causes` relation by name, as core.roles does, so
    that kpis (below rootcauses, docs/decisions/0002) imports nothing from rootcauses.
    Cached on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = frozenset(
            user.owned_root_causes.filter(kpi__isnull=False).values_list("kpi_id", flat=True)
        )
        setattr(user, _CACHE, cached)
    return cached


@rules.predicate
def is_kpi_owner(user, kpi) -> bool:
    return kpi is not None and kpi.owner_id is not None and kpi.owner_id == user.pk


@rules.predicate
def owns_root_cause_of(user, kpi) -> bool:
    return kpi is not None and kpi.pk in owned_root_cause_kpi_ids(user)


@rules.predicate
def leads_isg_of(user, kpi) -> bool:
    return kpi is not None and kpi.isg_id is not None and kpi.isg_id in roles.led_isg_ids(user)


@rules.predicate
def leads_isg(user, isg) -> bool:
    return isg is not None and isg.pk in roles.led_isg_ids(user)


is_superuser = rules.is_superuser

# Object: KPI
rules.add_perm("kpis.view_kpi", is_superuser | is_programme_member | is_kpi_owner)
rules.add_perm(
    "kpis.record_measurement",
    is_superuser | is_pmo | is_kpi_owner | owns_root_cause_of | leads_isg_of,
)
rules.add_perm("kpis.change_kpi_settings", is_superuser | is_pmo)
# Object: ImprovementSteeringGroup (the grid of many KPIs at once)
rules.add_perm("kpis.enter_isg_measurements", is_superuser | is_pmo | leads_isg)
