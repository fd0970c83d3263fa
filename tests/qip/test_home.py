"""After sign-in, someone whose only part is owning root causes lands on their list."""

import pytest
from django.urls import reverse

from core.roles import clear_role_cache
from qip.views.home import _only_owns_root_causes
from tests.factories import RootCauseFactory

pytestmark = pytest.mark.django_db


def test_an_owner_with_no_other_role_lands_on_my_root_causes(client, owner, root_cause):
    client.force_login(owner)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("my-root-causes")


def test_signing_in_takes_an_owner_to_their_root_causes(client, owner, root_cause):
    response = client.post(
        reverse("login"),
        {"username": "owner", "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("my-root-causes")
    assert root_cause.reference in response.content.decode()


@pytest.mark.parametrize("persona", ["pmo", "executive", "partner"])
def test_everyone_else_keeps_the_home_page(request, client, root_cause, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("home")).status_code == 200


def test_a_chair_who_also_owns_root_causes_keeps_the_home_page(chair, finding, root_cause):
    # Checked on the rule, not the page: the home page links to the ISG page, which is
    # another part of the product (issue 5).
    RootCauseFactory(finding=finding, owner=chair)
    clear_role_cache(chair)
    assert not _only_owns_root_causes(chair)
    assert _only_owns_root_causes(root_cause.owner)
