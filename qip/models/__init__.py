from .board_paper import BoardPaper, BoardPaperFile, StrategicObjective
from .calendar import PeriodSignoff, ReportingPeriod
from .isg import CrossCuttingTheme, ImprovementSteeringGroup
from .programme import Inspection, InspectionRating, Programme, ProgrammeRole
from .reminders import ReminderSent
from .snapshot import Snapshot

__all__ = [
    "BoardPaper",
    "BoardPaperFile",
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
    "StrategicObjective",
]
