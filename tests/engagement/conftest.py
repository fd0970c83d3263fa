import pytest

from core import roles
from qip.models import ProgrammeRole
from tests.factories import ProgrammeRoleFactory, UserFactory


@pytest.fixture
def engagement_lead(programme):
    user = UserFactory(username="engagement-lead", first_name="Esther", last_name="Lane")
    ProgrammeRoleFactory(programme=programme, user=user, role=ProgrammeRole.Role.ENGAGEMENT_LEAD)
    roles.clear_role_cache(user)
    return user


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error under -W error) when STATIC_ROOT does not exist, as in a
    checkout where collectstatic has not run: point it at an empty folder."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
