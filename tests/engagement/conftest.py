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
