"""BRAG status, derived from the data and never typed.

red = off track (or past its current due date), amber = at risk, green = complete,
blue = complete and independently verified. Open root causes on track, or with no update
yet, are shown as such without a BRAG colour of their own.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Brag:
    code: str  # a CSS-friendly key: red, amber, green, blue, ontrack, grey
    label: str

    def __str__(self) -> str:
        return self.label


RED_OFF_TRACK = Brag("red", "Off track")
RED_OVERDUE = Brag("red", "Overdue")
AMBER = Brag("amber", "At risk")
GREEN = Brag("green", "Complete")
BLUE = Brag("blue", "Complete and verified")
ON_TRACK = Brag("ontrack", "On track")
NO_UPDATE = Brag("grey", "No update yet")
WITHDRAWN = Brag("grey", "Withdrawn")


def brag_for(
    *,
    completed_on: dt.date | None,
    verified_on: dt.date | None,
    withdrawn_on: dt.date | None,
    current_rag: str,
    current_due_date: dt.date,
    today: dt.date,
) -> Brag:
    if withdrawn_on is not None:
        return WITHDRAWN
    if completed_on is not None:
        return BLUE if verified_on is not None else GREEN
    if current_rag == "off_track":
        return RED_OFF_TRACK
    if current_due_date < today:
        return RED_OVERDUE
    if current_rag == "at_risk":
        return AMBER
    if current_rag == "on_track":
        return ON_TRACK
    return NO_UPDATE


def brag_of(root_cause, today: dt.date) -> Brag:
    return brag_for(
        completed_on=root_cause.completed_on,
        verified_on=root_cause.verified_on,
        withdrawn_on=root_cause.withdrawn_on,
        current_rag=root_cause.current_rag,
        current_due_date=root_cause.current_due_date,
        today=today,
    )
