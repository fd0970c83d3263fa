from .activity import Activity, ActivityAttendance, Audience
from .champion import Champion
from .feedback import FeedbackItem
from .public_page import PublicPage
from .story import Story

__all__ = [
    "Activity",
    "ActivityAttendance",
    "Audience",
    "Champion",
    "FeedbackItem",
    "PublicPage",
    "Story",
]
