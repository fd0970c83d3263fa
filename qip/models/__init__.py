from .calendar import PeriodSignoff, ReportingPeriod
from .isg import CrossCuttingTheme, ImprovementSteeringGroup
from .programme import Inspection, InspectionRating, Programme, ProgrammeRole
from .reminders import ReminderSent
from .snapshot import Snapshot

__all__ = [
    "CrossCuttingTheme",
    "ImprovementSteeringGroup",
    "Inspection",
    "InspectionRating",
    "PeriodSignoff",
    "Programme",
    "ProgrammeRole",
    "ReminderSent",
    "ReportingPeriod",
    "Snapshot",
]
