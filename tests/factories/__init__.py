"""One factory per model, grouped by app. Import from here: `from tests.factories import RootCauseFactory`."""

from .boardpapers import BoardPaperFactory, StrategicObjectiveFactory
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
from .governance import (
    ChangeRequestFactory,
    EcibMeetingFactory,
    EscalationFactory,
    EscalationRuleFactory,
)
from .kpis import MeasurementFactory, add_series
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
from .rootcauses import EvidenceFileFactory

__all__ = [
    "BoardPaperFactory",
    "StrategicObjectiveFactory",
    "ActionFactory",
    "ChangeRequestFactory",
    "EcibMeetingFactory",
    "EscalationFactory",
    "EscalationRuleFactory",
    "ActivityFactory",
    "AttendanceFactory",
    "ChampionFactory",
    "ConsentedFeedbackFactory",
    "FeedbackItemFactory",
    "PartnerMeetingFactory",
    "PublicPageFactory",
    "PublishedStoryFactory",
    "StoryFactory",
    "EvidenceFileFactory",
    "FindingFactory",
    "IsgFactory",
    "KPIFactory",
    "MeasurementFactory",
    "ProgrammeFactory",
    "ProgrammeRoleFactory",
    "RootCauseFactory",
    "ThemeFactory",
    "UserFactory",
    "add_series",
]
