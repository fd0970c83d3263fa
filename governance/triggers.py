"""When an escalation rule fires: pure functions over plain data, tested without a database.

The escalation service (governance/escalations.py) loads a programme's periods, updates,
change requests and escalations in a few queries, turns them into these plain shapes, and
asks each function whether its rule fires for one root cause.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

OFF_TRACK = "off_track"


@dataclass(frozen=True)
class PeriodRag:
    """One reporting period of a root cause's ISG, and the RAG of its update there (None: none)."""

    period_id: int
    starts_on: dt.date
    ends_on: dt.date
    rag: str | None
    ended: bool


def off_track_run(periods: Sequence[PeriodRag], threshold: int) -> list[PeriodRag]:
    """The run of `threshold` or more off-track periods that is still running (oldest first), or [].

    `periods` are oldest first. A current period with no update yet does not break the run
    (the owner still has time to post); any other period without an off-track update does.
    """
    items = list(periods)
    if items and items[-1].rag is None and not items[-1].ended:
        items.pop()
    run: list[PeriodRag] = []
    for item in reversed(items):
        if item.rag != OFF_TRACK:
            break
        run.append(item)
    return run[::-1] if len(run) >= max(threshold, 1) else []


def missed_updates(periods: Sequence[PeriodRag], threshold: int) -> list[PeriodRag]:
    """The ended periods with no update (oldest first) when there are `threshold` or more, else []."""
    missed = [item for item in periods if item.ended and item.rag is None]
    return missed if len(missed) >= max(threshold, 1) else []


def due_date_requests(
    requested_at: Sequence[dt.datetime], threshold: int, since: dt.datetime | None
) -> dt.datetime | None:
    """When the `threshold`-th (or a later) request to change the due date was made, if one was
    made after `since` (the last escalation for this reason); else None."""
    ordered = sorted(requested_at)
    if len(ordered) < max(threshold, 1):
        return None
    latest = ordered[-1]
    if since is not None and latest <= since:
        return None
    return latest


def kpi_concern(
    values: Sequence[Any],
    *,
    improvement: str,
    target: Any,
    analyse: Callable[..., Any] | None,
) -> bool | None:
    """Whether the KPI's latest point shows special-cause concern; None if SPC is not available.

    `analyse` is kpis.spc.analyse(values, improvement=…, target=…), whose result has
    `points[-1].point_type == "special_cause_concern"` for a concerning latest point.
    """
    if analyse is None:
        return None
    if not values:
        return False
    result = analyse(list(values), improvement=improvement, target=target)
    points = list(getattr(result, "points", None) or [])
    return bool(points) and getattr(points[-1], "point_type", None) == "special_cause_concern"
