"""Who may see a finding: anyone who takes part in its programme (findings are the CQC
report's own words; the root causes under them are filtered separately)."""

import rules

from core import roles


@rules.predicate
def is_programme_member(user, finding) -> bool:
    return finding is not None and finding.programme_id in roles.member_programme_ids(user)


rules.add_perm("findings.view_finding", rules.is_superuser | is_programme_member)
