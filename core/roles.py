"""Who a person is in a programme, loaded once per request and cached on the user object.

Owners, chairs and leads are facts of the plan (RootCause.owner, ImprovementSteeringGroup.chair);
programme-wide roles (PMO, executive, partner, engagement lead) are qip.ProgrammeRole rows,
reached through the `programme_roles` relation so that this module imports no domain app.
Permission predicates in each app's rules.py call these functions, so a page of fifty root
causes costs these few queries, not fifty.
"""

from typing import Any

PMO = "pmo"
EXECUTIVE = "executive"
PARTNER = "partner"
ENGAGEMENT_LEAD = "engagement_lead"

_CACHE = "_qip_roles_cache"


def _cache(user: Any) -> dict:
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


def clear_role_cache(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def programme_roles(user: Any) -> frozenset[tuple[int, str]]:
    """(programme id, role) pairs for this user."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "roles" not in cache:
        cache["roles"] = frozenset(user.programme_roles.values_list("programme_id", "role"))
    return cache["roles"]


def has_role(user: Any, programme_id: int | None, *roles: str) -> bool:
    held = programme_roles(user)
    return any((programme_id, role) in held for role in roles)


def led_isg_ids(user: Any) -> frozenset[int]:
    """ISGs this person chairs or leads (a lead acts for the chair)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "led" not in cache:
        chaired = user.chaired_isgs.values_list("id", flat=True)
        led = user.led_isgs.values_list("id", flat=True)
        cache["led"] = frozenset(chaired) | frozenset(led)
    return cache["led"]


def accountable_isg_ids(user: Any) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "accountable" not in cache:
        cache["accountable"] = frozenset(user.accountable_isgs.values_list("id", flat=True))
    return cache["accountable"]


def owned_programme_ids(user: Any) -> frozenset[int]:
    """Programmes in which this person owns at least one root cause."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "owned" not in cache:
        cache["owned"] = frozenset(
            user.owned_root_causes.values_list("programme_id", flat=True).distinct()
        )
    return cache["owned"]


def isg_programme_ids(user: Any) -> frozenset[int]:
    """Programmes in which this person chairs, leads or is accountable for an ISG."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if "isg_programmes" not in cache:
        ids = set(user.chaired_isgs.values_list("programme_id", flat=True))
        ids |= set(user.led_isgs.values_list("programme_id", flat=True))
        ids |= set(user.accountable_isgs.values_list("programme_id", flat=True))
        cache["isg_programmes"] = frozenset(ids)
    return cache["isg_programmes"]


def member_programme_ids(user: Any) -> frozenset[int]:
    """Every programme this person takes part in, in any role."""
    return (
        frozenset(pid for pid, _ in programme_roles(user))
        | owned_programme_ids(user)
        | isg_programme_ids(user)
    )
