from .change import ChangeRequest
from .escalation import EcibMeeting, Escalation, EscalationRule, Trigger
from .wellled import KloeReport, KloeReportLine

__all__ = [
    "ChangeRequest",
    "EcibMeeting",
    "Escalation",
    "EscalationRule",
    "KloeReport",
    "KloeReportLine",
    "Trigger",
]
