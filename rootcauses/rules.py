"""Who may see and act on a root cause. One place decides; views ask through get_root_cause_for."""

import rules

from core import roles


@rules.predicate
def is_root_cause_owner(user, root_cause) -> bool:
    return root_cause is not None and root_cause.owner_id == user.pk


@rules.predicate
def is_action_owner(user, root_cause) -> bool:
    return root_cause is not None and root_cause.actions.filter(owner_id=user.pk).exists()


@rules.predicate
def is_isg_chair_for(user, root_cause) -> bool:
    """Chairs or leads the root cause's ISG."""
    return root_cause is not None and root_cause.isg_id in roles.led_isg_ids(user)


@rules.predicate
def is_accountable_executive_for(user, root_cause) -> bool:
    return root_cause is not None and root_cause.isg_id in roles.accountable_isg_ids(user)


@rules.predicate
def is_theme_lead_for(user, root_cause) -> bool:
    return (
        root_cause is not None
        and root_cause.theme_id is not None
        and root_cause.theme.lead_id == user.pk
    )


@rules.predicate
def is_pmo(user, root_cause) -> bool:
    return root_cause is not None and roles.has_role(user, root_cause.programme_id, roles.PMO)


@rules.predicate
def is_executive(user, root_cause) -> bool:
    return root_cause is not None and roles.has_role(user, root_cause.programme_id, roles.EXECUTIVE)


@rules.predicate
def has_any_programme_role(user, root_cause) -> bool:
    return root_cause is not None and roles.has_role(
        user,
        root_cause.programme_id,
        roles.PMO,
        roles.EXECUTIVE,
        roles.PARTNER,
        roles.ENGAGEMENT_LEAD,
    )


is_superuser = rules.is_superuser

can_act = is_superuser | is_root_cause_owner | is_isg_chair_for | is_pmo
can_view = (
    can_act
    | is_accountable_executive_for
    | is_theme_lead_for
    | has_any_programme_role
    | is_action_owner
)

rules.add_perm("rootcauses.view_root_cause", can_view)
rules.add_perm("rootcauses.post_update", can_act)
rules.add_perm("rootcauses.request_closure", is_superuser | is_root_cause_owner | is_pmo)
rules.add_perm("rootcauses.upload_evidence", can_act)
# Evidence may hold staff and patient details: not for system partners.
rules.add_perm(
    "rootcauses.view_evidence",
    can_act | is_accountable_executive_for | is_theme_lead_for | is_executive | is_action_owner,
)
# Independence: nobody confirms the closure of their own root cause.
rules.add_perm(
    "rootcauses.confirm_closure", (is_superuser | is_isg_chair_for) & ~is_root_cause_owner
)
rules.add_perm(
    "rootcauses.verify_closure", (is_superuser | is_isg_chair_for | is_pmo) & ~is_root_cause_owner
)
rules.add_perm("rootcauses.propose_change", can_act)
