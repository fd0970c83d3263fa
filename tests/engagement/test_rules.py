"""Each role's engagement permissions, from the rules in one place."""

import pytest

from tests.factories import PublishedStoryFactory, StoryFactory

pytestmark = pytest.mark.django_db

PROGRAMME_PERMS = [
    "view_engagement",
    "manage_engagement",
    "view_personal",
    "approve_story",
    "manage_public_page",
]
MEMBER = {"view_engagement"}
MANAGER = {"view_engagement", "manage_engagement", "view_personal"}
EXPECTED = {
    "pmo": MANAGER | {"approve_story", "manage_public_page"},
    "engagement_lead": MANAGER,
    "owner": MEMBER,
    "chair": MEMBER,
    "executive": MEMBER,
    "partner": MEMBER,
    "outsider": set(),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_engagement_permissions_by_role(request, programme, isg, root_cause, persona):
    user = request.getfixturevalue(persona)
    held = {perm for perm in PROGRAMME_PERMS if user.has_perm(f"engagement.{perm}", programme)}
    assert held == EXPECTED[persona]


@pytest.mark.parametrize("persona", EXPECTED)
def test_drafts_are_for_managers_and_published_stories_for_everyone(
    request, programme, root_cause, persona
):
    user = request.getfixturevalue(persona)
    draft = StoryFactory(programme=programme)
    published = PublishedStoryFactory(programme=programme)
    can_read_draft = user.has_perm("engagement.view_story", draft)
    can_read_published = user.has_perm("engagement.view_story", published)
    assert can_read_draft == ("manage_engagement" in EXPECTED[persona])
    assert can_read_published == ("view_engagement" in EXPECTED[persona])
