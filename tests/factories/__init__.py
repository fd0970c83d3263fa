"""One factory per model, grouped by app. Import from here: `from tests.factories import RootCauseFactory`."""

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
    "ActionFactory",
    "EvidenceFileFactory",
    "FindingFactory",
    "IsgFactory",
    "KPIFactory",
    "ProgrammeFactory",
    "ProgrammeRoleFactory",
    "RootCauseFactory",
    "ThemeFactory",
    "UserFactory",
]
