"""The trajectory counting rule, used by every figure the board sees.

- planned by a date: baseline due date on or before it;
- planned (current): current due date on or before it;
- completed: closure confirmed (or, if the programme counts blue, verified) on or before it;
- a root cause withdrawn by change control leaves all counts from the day of the decision;
- % of trajectory = completed ÷ planned × 100, rounded half up to one decimal; none when
  nothing is planned. Must Do and Should Do are counted apart.

The arithmetic is a pure function; the counting is one aggregate query.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from rootcauses.models import RootCause

MUST_DO = "MUST_DO"
SHOULD_DO = "SHOULD_DO"
FINDING_TYPES = (MUST_DO, SHOULD_DO)


def percent_of_trajectory(completed: int, planned: int) -> Decimal | None:
    if planned <= 0:
        return None
    return (Decimal(completed) * 100 / Decimal(planned)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Counts:
    planned: int = 0
    planned_current: int = 0
    completed: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent_of_trajectory(self.completed, self.planned)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.planned + other.planned,
            self.planned_current + other.planned_current,
            self.completed + other.completed,
        )

    def as_dict(self) -> dict:
        percent = self.percent
        return {
            "planned": self.planned,
            "planned_current": self.planned_current,
            "completed": self.completed,
            "percent": float(percent) if percent is not None else None,
        }


def completion_field(colour: str) -> str:
    """Which date counts a root cause as completed: confirmation (green) or verification (blue)."""
    return "verified_on" if colour == "blue" else "completed_on"


def counts_by_isg(
    root_causes: QuerySet, as_of: dt.date, colour: str = "green"
) -> dict[tuple[int, str], Counts]:
    """{(isg id, finding type): Counts} as of the end of `as_of`, in one GROUP BY query."""
    in_plan = Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of)
    done = completion_field(colour)
    rows = (
        root_causes.order_by()
        .values("isg_id", "finding__finding_type")
        .annotate(
            planned=Count("pk", filter=in_plan & Q(baseline_due_date__lte=as_of)),
            planned_current=Count("pk", filter=in_plan & Q(current_due_date__lte=as_of)),
            completed=Count("pk", filter=in_plan & Q(**{f"{done}__lte": as_of})),
        )
    )
    return {
        (row["isg_id"], row["finding__finding_type"]): Counts(
            row["planned"], row["planned_current"], row["completed"]
        )
        for row in rows
    }


def programme_totals(by_isg: dict[tuple[int, str], Counts]) -> dict[str, Counts]:
    totals = {kind: Counts() for kind in FINDING_TYPES}
    for (_isg, kind), counts in by_isg.items():
        totals[kind] = totals[kind] + counts
    return totals


def trajectory_as_of(programme, as_of: dt.date) -> dict:
    """The figures `manage.py trajectory --json` prints, computed live from the plan."""
    by_isg = counts_by_isg(
        RootCause.objects.filter(programme=programme), as_of, programme.trajectory_colour
    )
    totals = programme_totals(by_isg)
    isgs = []
    for isg in programme.isgs.order_by("order", "name"):
        isgs.append(
            {
                "name": isg.name,
                **{
                    kind.lower(): by_isg.get((isg.pk, kind), Counts()).as_dict()
                    for kind in FINDING_TYPES
                },
            }
        )
    combined = totals[MUST_DO] + totals[SHOULD_DO]
    return {
        "as_of": as_of.isoformat(),
        "programme": {
            "must_do": totals[MUST_DO].as_dict(),
            "should_do": totals[SHOULD_DO].as_dict(),
            "combined": combined.as_dict(),
        },
        "isgs": isgs,
    }
