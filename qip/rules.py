"""Who may do what with a programme and its ISGs. Root cause rules are in rootcauses/rules.py.

Views fetch objects through qip.access, which asks these rules: outsiders get 404,
people who may look but not act get 403.
"""

import rules

from core import roles


def _programme_id(obj) -> int | None:
    """Programme, ISG, period, theme or anything with programme_id."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Programme":
        return obj.pk
    return getattr(obj, "programme_id", None)


@rules.predicate
def is_programme_member(user, obj) -> bool:
    pid = _programme_id(obj)
    return pid is not None and pid in roles.member_programme_ids(user)


@rules.predicate
def is_pmo(user, obj) -> bool:
    return roles.has_role(user, _programme_id(obj), roles.PMO)


@rules.predicate
def is_executive(user, obj) -> bool:
    return roles.has_role(user, _programme_id(obj), roles.EXECUTIVE)


@rules.predicate
def is_engagement_lead(user, obj) -> bool:
    return roles.has_role(user, _programme_id(obj), roles.ENGAGEMENT_LEAD)


@rules.predicate
def is_isg_chair_or_lead(user, isg) -> bool:
    return isg is not None and isg.pk in roles.led_isg_ids(user)


is_superuser = rules.is_superuser

# Programme
rules.add_perm("qip.view_programme", is_superuser | is_programme_member)
rules.add_perm("qip.manage_programme", is_superuser | is_pmo)
rules.add_perm("qip.view_board_papers", is_superuser | is_pmo | is_executive)
rules.add_perm("qip.issue_board_paper", is_superuser | is_pmo)
rules.add_perm("qip.decide_at_ecib", is_superuser | is_executive)
rules.add_perm("qip.manage_engagement", is_superuser | is_pmo | is_engagement_lead)

# ISG (object: ImprovementSteeringGroup)
rules.add_perm("qip.view_isg", is_superuser | is_programme_member)
rules.add_perm("qip.chair_isg", is_superuser | is_isg_chair_or_lead)


@rules.predicate
def is_partner(user, obj) -> bool:
    return roles.has_role(user, _programme_id(obj), roles.PARTNER)


# The executive dashboard and its drill-down lists (issue 6): the PMO, executives and system
# partners. An owner or chair who holds none of these roles gets 403: they may see the
# programme, and their own pages show their share of it.
rules.add_perm("qip.view_dashboard", is_superuser | is_pmo | is_executive | is_partner)
