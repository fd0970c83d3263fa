"""Fixtures for the owner's pages: signed-in clients and a little plan around the owner."""

import datetime as dt

import pytest
from django.test import Client

from rootcauses import services
from tests.factories import ActionFactory


@pytest.fixture
def client_for():
    """client_for(user): a test client signed in as that person (None: signed out)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def actions(root_cause, owner):
    return [
        ActionFactory(
            root_cause=root_cause, owner=owner, description="Rewrite the policy", order=1
        ),
        ActionFactory(
            root_cause=root_cause,
            owner=owner,
            description="Brief all midwives at huddles",
            due_date=dt.date(2024, 3, 8),
            order=2,
        ),
    ]


@pytest.fixture
def posted_update(root_cause, owner, current_sprint):
    """The owner's update for the current sprint (version 1)."""
    return services.update_post(
        by=owner,
        root_cause=root_cause,
        period=current_sprint,
        rag="on_track",
        narrative="Policy drafted; out for comment.",
        expected_version=0,
    )
