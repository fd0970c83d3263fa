"""Who may see the ECIB agenda, decide at it, escalate, run change control and write the Well-led plan.

Programme-level permissions take a programme or anything with `programme_id` (an ISG, an
escalation, a change request); `governance.escalate` takes a root cause. Proposing a change is
rootcauses.propose_change (owner, chair, PMO); deciding one is qip.decide_at_ecib.
"""

import rules

from core import roles
from qip.rules import is_executive, is_pmo
from rootcauses.rules import is_isg_chair_for
from rootcauses.rules import is_pmo as is_pmo_for_root_cause


def _programme_id(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Programme":
        return obj.pk
    return getattr(obj, "programme_id", None)


@rules.predicate
def leads_an_isg_in_programme(user, obj) -> bool:
    """Chairs, leads or is the accountable executive of an ISG of the programme."""
    pid = _programme_id(obj)
    return pid is not None and pid in roles.isg_programme_ids(user)


@rules.predicate
def reports_by_kloe(user, isg) -> bool:
    return isg is not None and bool(getattr(isg, "structured_by_kloe", False))


@rules.predicate
def leads_this_isg(user, isg) -> bool:
    return isg is not None and isg.pk in roles.led_isg_ids(user)


is_superuser = rules.is_superuser

# Programme (or anything with programme_id)
rules.add_perm(
    "governance.view_ecib", is_superuser | is_pmo | is_executive | leads_an_isg_in_programme
)
rules.add_perm("governance.decide", is_superuser | is_executive)
rules.add_perm("governance.manage", is_superuser | is_pmo)

# Root cause
rules.add_perm("governance.escalate", is_superuser | is_isg_chair_for | is_pmo_for_root_cause)
rules.add_perm("governance.set_theme", is_superuser | is_pmo_for_root_cause)

# ISG: the Well-led plan is written by the Well-led ISG's chair and leads (and the PMO).
rules.add_perm(
    "governance.edit_wellled", reports_by_kloe & (is_superuser | leads_this_isg | is_pmo)
)
