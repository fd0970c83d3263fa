"""After the load test: every update it posted is stored, once.

Reads the markers the locustfile recorded (root cause id, period id, marker per accepted
post) and checks against the database (same DATABASE_URL):

- each (root cause, period) the test posted to has exactly one update row, and its
  narrative holds every marker posted to it exactly once (each post kept the narrative it
  was shown and added its own marker, so a lost or doubled write would show);
- each marker is the newest marker of exactly one saved version in the update's history
  (one save per accepted post, and no save the test did not see accepted);
- no (root cause, period) has two update rows anywhere in the database.

Exit 1 on any mismatch.
"""

import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qip.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from rootcauses.models import Update  # noqa: E402

MARKER = re.compile(r"\[load-[0-9a-f]{12}\]")


def main(path: str) -> int:
    posted: dict[tuple[int, int], list[str]] = defaultdict(list)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        rc, period, marker = line.split("\t")
        posted[(int(rc), int(period))].append(marker)
    markers = [m for ms in posted.values() for m in ms]
    problems = []

    stored_once = 0
    for (rc, period), expected in posted.items():
        rows = list(Update.objects.filter(root_cause_id=rc, period_id=period))
        if len(rows) != 1:
            problems.append(f"root cause {rc}, period {period}: {len(rows)} update rows")
            continue
        found = Counter(MARKER.findall(rows[0].narrative))
        for marker in expected:
            if found[marker] == 1:
                stored_once += 1
            else:
                problems.append(f"{marker} is in the stored update {found[marker]} times")

    history = Update.history.filter(narrative__contains="[load-")
    newest = Counter(MARKER.findall(h.narrative)[-1] for h in history.iterator())
    versions_once = sum(1 for m in markers if newest[m] == 1)
    problems += [
        f"{m} is the newest marker of {newest[m]} saved versions" for m in markers if newest[m] != 1
    ]
    unseen = set(newest) - set(markers)
    problems += [f"{m} was saved but the load test did not see it accepted" for m in sorted(unseen)]

    doubled = (
        Update.objects.values("root_cause_id", "period_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    if doubled:
        problems.append(f"{doubled} (root cause, period) pairs have more than one update row")

    print(
        f"Stored-once check: {len(markers)} updates posted to {len(posted)} root causes; "
        f"{stored_once} markers found exactly once in the stored updates; "
        f"{versions_once} saved exactly once in the history; "
        f"{doubled} duplicate (root cause, period) rows."
    )
    for problem in problems[:50]:
        print("  PROBLEM:", problem)
    if not markers:
        print("  PROBLEM: the load test posted no update at all")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
