"""Permission holes the matrix and the tampering tests found, each pinned by its own test."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from governance import services
from governance.selectors import people_for_programme
from tests.factories import ProgrammeFactory, ProgrammeRoleFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


# 1. /api/schema/ answered anyone: drf-spectacular serves the schema with AllowAny by default.


def test_the_api_schema_needs_a_token(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_the_api_schema_is_served_with_a_token(client, pmo):
    token = Token.objects.create(user=pmo)
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert b"/api/root-causes/" in response.content


# 2. Change control offered every person on the site as a root cause's new owner, and the
#    PMO's theme form every person as a theme's lead: another trust's staff were listed by
#    name, and handing them a root cause or a theme would show them this programme's work.


@pytest.fixture
def stranger(db):
    """Someone from another trust's programme (they own a root cause there)."""
    other = ProgrammeFactory(name="Another trust's plan")
    person = UserFactory(username="stranger", first_name="Sam", last_name="Stranger")
    ProgrammeRoleFactory(programme=other, user=person, role="executive")
    return person


@pytest.fixture
def new_starter(db):
    """Someone who takes part in no programme yet."""
    return UserFactory(username="new-starter", first_name="Nia", last_name="Newton")


def test_people_for_a_programme_are_its_people_and_newcomers_only(
    programme, root_cause, owner, other_owner, chair, pmo, stranger, new_starter
):
    people = set(people_for_programme(programme.pk))
    assert {owner, chair, pmo, new_starter} <= people
    assert stranger not in people


def test_change_of_owner_to_another_trusts_person_is_refused(root_cause, owner, stranger):
    with pytest.raises(ValidationError, match="another programme"):
        services.change_request_propose(
            by=owner,
            root_cause=root_cause,
            kind="change_owner",
            rationale="Moving on.",
            proposed_owner=stranger,
        )
    assert not root_cause.change_requests.exists()


def test_change_of_owner_to_a_new_starter_is_allowed(root_cause, owner, new_starter):
    change = services.change_request_propose(
        by=owner,
        root_cause=root_cause,
        kind="change_owner",
        rationale="Moving on.",
        proposed_owner=new_starter,
    )
    assert change.proposed_owner == new_starter


def test_the_change_form_does_not_list_another_trusts_people(
    client, root_cause, owner, other_owner, stranger
):
    client.force_login(owner)
    page = client.get(f"/changes/new/{root_cause.pk}/").content.decode()
    assert other_owner.get_full_name() in page
    assert "Sam Stranger" not in page


def test_a_theme_led_by_another_trusts_person_is_refused(isg, pmo, stranger, new_starter):
    theme = ThemeFactory(reporting_isg=isg)
    with pytest.raises(ValidationError, match="another programme"):
        services.theme_update(by=pmo, theme=theme, reporting_isg=isg, lead=stranger)
    theme.refresh_from_db()
    assert theme.lead is None
    services.theme_update(by=pmo, theme=theme, reporting_isg=isg, lead=new_starter)
    theme.refresh_from_db()
    assert theme.lead == new_starter


def test_the_theme_form_does_not_list_another_trusts_people(client, isg, pmo, stranger):
    theme = ThemeFactory(reporting_isg=isg)
    client.force_login(pmo)
    page = client.get(f"/themes/{theme.pk}/edit/").content.decode()
    assert "Sam Stranger" not in page
    assert "Helen Carter" in page  # the chair of the programme's ISG
