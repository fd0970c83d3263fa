"""Prepare the demo database for the load test and say who the virtual users are.

Run by `make load` (load/run.sh) after `manage.py load_demo`, with the same DATABASE_URL and
QIP_TODAY=2019-04-26. Gives every person the load test signs in as the load password (the
demo's own staff have unusable passwords; this happens in the load test's database only,
never in the demo itself) and prints a JSON plan:

    {"programme": id,
     "owners": [{"username", "root_cause", "period"}...],   # open, updatable this period
     "chairs": [{"username", "isg", "period"}...],           # the ISG's current period
     "executives": [username...]}
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qip.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402

from core.clock import today  # noqa: E402
from qip.models import Programme, ProgrammeRole  # noqa: E402
from rootcauses.models import RootCause  # noqa: E402
from rootcauses.selectors import current_period, period_is_signed_off  # noqa: E402

PASSWORD = os.environ.get("LOAD_PASSWORD", "improving-together-2019")


def main() -> None:
    programme = Programme.objects.get(name="Quality Improvement Plan 2019")
    day = today()
    owners = []
    for rc in (
        RootCause.objects.filter(
            programme=programme, completed_on__isnull=True, withdrawn_on__isnull=True
        )
        .select_related("isg", "owner")
        .order_by("owner__username", "reference")
    ):
        period = current_period(rc, day)
        if period is None or period_is_signed_off(rc, period) or not rc.owner.is_active:
            continue
        owners.append({"username": rc.owner.username, "root_cause": rc.pk, "period": period.pk})
    chairs = []
    for isg in programme.isgs.select_related("chair").order_by("pk"):
        period = programme.periods.filter(
            cadence=isg.cadence, starts_on__lte=day, ends_on__gte=day
        ).first()
        if isg.chair_id and period is not None:
            chairs.append({"username": isg.chair.username, "isg": isg.pk, "period": period.pk})
    executives = sorted(
        ProgrammeRole.objects.filter(
            programme=programme, role=ProgrammeRole.Role.EXECUTIVE
        ).values_list("user__username", flat=True)
    )
    usernames = {o["username"] for o in owners} | {c["username"] for c in chairs} | set(executives)
    get_user_model().objects.filter(username__in=usernames).update(
        password=make_password(PASSWORD), is_active=True
    )
    # Spread the virtual owners over different people first: one root cause per person,
    # then each person's next one.
    by_person: dict[str, list[dict]] = {}
    for owner in owners:
        by_person.setdefault(owner["username"], []).append(owner)
    spread = []
    while any(by_person.values()):
        for queue in by_person.values():
            if queue:
                spread.append(queue.pop(0))
    json.dump(
        {"programme": programme.pk, "owners": spread, "chairs": chairs, "executives": executives},
        sys.stdout,
        indent=1,
    )
    sys.stderr.write(
        f"Load plan: {len(spread)} updatable root causes of {len(by_person)} owners, "
        f"{len(chairs)} chairs, {len(executives)} executives; their password is set.\n"
    )


if __name__ == "__main__":
    main()
