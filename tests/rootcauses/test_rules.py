"""Each role's permissions on a root cause and its programme, from the rules in one place."""

import pytest

from core import roles
from qip.models import ProgrammeRole
from tests.factories import ProgrammeRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT_CAUSE_PERMS = [
    "rootcauses.view_root_cause",
    "rootcauses.post_update",
    "rootcauses.request_closure",
    "rootcauses.view_evidence",
    "rootcauses.confirm_closure",
    "rootcauses.verify_closure",
    "rootcauses.propose_change",
]

EXPECTED = {
    # persona: the permissions they hold on the owner's root cause
    "owner": {
        "view_root_cause",
        "post_update",
        "request_closure",
        "view_evidence",
        "propose_change",
    },
    "other_owner": set(),
    "chair": {
        "view_root_cause",
        "post_update",
        "view_evidence",
        "confirm_closure",
        "verify_closure",
        "propose_change",
    },
    "pmo": {
        "view_root_cause",
        "post_update",
        "request_closure",
        "view_evidence",
        "verify_closure",
        "propose_change",
    },
    "executive": {"view_root_cause", "view_evidence"},
    "partner": {"view_root_cause"},
    "outsider": set(),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_root_cause_permissions_by_role(request, root_cause, other_root_cause, persona):
    user = request.getfixturevalue(persona)
    if persona in ("pmo", "executive", "partner", "outsider"):
        pass  # their programme roles come from the fixture
    held = {perm.split(".")[1] for perm in ROOT_CAUSE_PERMS if user.has_perm(perm, root_cause)}
    assert held == EXPECTED[persona]


def test_an_isg_lead_acts_for_the_chair(root_cause, isg):
    lead = UserFactory(username="lead")
    isg.leads.add(lead)
    assert lead.has_perm("rootcauses.confirm_closure", root_cause)
    assert lead.has_perm("qip.chair_isg", isg)


def test_a_chair_who_owns_a_root_cause_cannot_confirm_its_closure(root_cause, chair):
    root_cause.owner = chair
    root_cause.save()
    roles.clear_role_cache(chair)
    assert chair.has_perm("rootcauses.post_update", root_cause)
    assert not chair.has_perm("rootcauses.confirm_closure", root_cause)


def test_chair_of_another_isg_cannot_see_it(root_cause, other_isg):
    assert not other_isg.chair.has_perm("rootcauses.view_root_cause", root_cause)


PROGRAMME_PERMS = {
    "pmo": {
        "view_programme",
        "manage_programme",
        "view_board_papers",
        "issue_board_paper",
        "manage_engagement",
    },
    "executive": {"view_programme", "view_board_papers", "decide_at_ecib"},
    "partner": {"view_programme"},
    "outsider": set(),
}


@pytest.mark.parametrize("persona", PROGRAMME_PERMS)
def test_programme_permissions_by_role(request, programme, persona):
    user = request.getfixturevalue(persona)
    perms = [
        "view_programme",
        "manage_programme",
        "view_board_papers",
        "issue_board_paper",
        "decide_at_ecib",
        "manage_engagement",
    ]
    held = {perm for perm in perms if user.has_perm(f"qip.{perm}", programme)}
    assert held == PROGRAMME_PERMS[persona]


def test_owner_and_chair_are_programme_members_through_the_plan(
    programme, root_cause, owner, chair, isg
):
    assert owner.has_perm("qip.view_programme", programme)
    assert chair.has_perm("qip.chair_isg", isg)
    assert not owner.has_perm("qip.chair_isg", isg)
    assert not owner.has_perm("qip.manage_programme", programme)


def test_visible_to_matches_the_view_rule(
    root_cause, other_root_cause, owner, chair, partner, outsider
):
    from rootcauses.models import RootCause

    for user in (owner, chair, partner, outsider):
        visible = set(RootCause.objects.visible_to(user))
        expected = {
            rc
            for rc in (root_cause, other_root_cause)
            if user.has_perm("rootcauses.view_root_cause", rc)
        }
        assert visible == expected


def test_engagement_lead_role(programme):
    lead = UserFactory(username="engagement")
    ProgrammeRoleFactory(programme=programme, user=lead, role=ProgrammeRole.Role.ENGAGEMENT_LEAD)
    assert lead.has_perm("qip.manage_engagement", programme)
    assert not lead.has_perm("qip.manage_programme", programme)
