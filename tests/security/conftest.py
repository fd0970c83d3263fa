"""One world per module for the matrix and tampering tests.

The world is built once inside a transaction that is rolled back when the module ends; each
test runs in a savepoint inside it (pytest-django's usual per-test rollback), so the tests
see the same rows and leave nothing behind.
"""

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings

from .world import PERSONAS, TODAY, build_world


@pytest.fixture(scope="module", autouse=True)
def _fast_passwords():
    """MD5 hashing: the world makes a dozen people, and the browser sweep signs each in."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def private_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


def _storages(folder) -> dict:
    return {
        **django_settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _private_storage(private_folder):
    """Evidence files stay in the module's folder for every test of it (the world's files
    are there), instead of a new empty folder per test (tests/conftest.py)."""
    with override_settings(STORAGES=_storages(private_folder)):
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, private_folder):
    with (
        django_db_blocker.unblock(),
        override_settings(QIP_TODAY=TODAY, STORAGES=_storages(private_folder), AXES_ENABLED=False),
        transaction.atomic(),
    ):
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.QIP_TODAY = TODAY


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """clients(persona): a test client signed in as that persona (a new client each time, on
    a session made once in the module's transaction); "anonymous" is not signed in."""
    keys = {}
    with django_db_blocker.unblock():
        for persona in PERSONAS[1:]:
            client = Client()
            client.force_login(world.user(persona))
            keys[persona] = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    def client_for(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.cookies[django_settings.SESSION_COOKIE_NAME] = keys[persona]
        return client

    return client_for
