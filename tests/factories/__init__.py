"""One factory per model, grouped by app. Import from here: `from tests.factories import RootCauseFactory`."""

from .engagement import (
    ActivityFactory,
    AttendanceFactory,
    ChampionFactory,
    ConsentedFeedbackFactory,
    FeedbackItemFactory,
    PartnerMeetingFactory,
    PublicPageFactory,
    PublishedStoryFactory,
    StoryFactory,
)
from .plan import (
    ActionFactory,
    FindingFactory,
    IsgFactory,
    KPIFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    RootCauseFactory,
    ThemeFactory,
    UserFactory,
)

__all__ = [
    "ActionFactory",
    "ActivityFactory",
    "AttendanceFactory",
    "ChampionFactory",
    "ConsentedFeedbackFactory",
    "FeedbackItemFactory",
    "PartnerMeetingFactory",
    "PublicPageFactory",
    "PublishedStoryFactory",
    "StoryFactory",
    "FindingFactory",
    "IsgFactory",
    "KPIFactory",
    "ProgrammeFactory",
    "ProgrammeRoleFactory",
    "RootCauseFactory",
    "ThemeFactory",
    "UserFactory",
]
