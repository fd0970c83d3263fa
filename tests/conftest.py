"""Test set-up: personas in a small hand-built programme, and the rules for real components.

Tests that need PostgreSQL, Redis or Chromium carry a marker (needs_postgres, needs_redis,
browser). On a laptop without them they are skipped with a clear reason; in CI (CI=true)
they fail instead, so a missing service can never pass unnoticed.
"""

import datetime as dt
import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from core import roles
from qip.models import ProgrammeRole
from qip.services import calendar_build
from tests.factories import (
    FindingFactory,
    IsgFactory,
    ProgrammeFactory,
    ProgrammeRoleFactory,
    RootCauseFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the main thread; without this, ORM calls made
# after the first browser test raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _postgres_problem() -> str | None:
    engine = django_settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (the suite is running on SQLite)"
    return None


def _redis_problem() -> str | None:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return None
    except OSError:
        return f"needs Redis, but nothing answers at {parsed.hostname}:{parsed.port or 6379}"


def _chromium_problem() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


REQUIREMENTS = {
    "needs_postgres": _postgres_problem,
    "needs_redis": _redis_problem,
    "browser": _chromium_problem,
}


def pytest_sessionstart(session):
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, as in a fresh clone
    # before collectstatic; the first test that makes a request would fail on it.
    os.makedirs(django_settings.STATIC_ROOT, exist_ok=True)
    if IN_CI and _postgres_problem():
        raise pytest.UsageError(
            "CI=true but the database is not PostgreSQL: " + _postgres_problem()
        )


def pytest_runtest_setup(item):
    for marker, check in REQUIREMENTS.items():
        if item.get_closest_marker(marker):
            problem = check()
            if problem:
                if IN_CI:
                    pytest.fail(f"{problem} — CI must provide it", pytrace=False)
                pytest.skip(problem)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium instead of a Playwright-downloaded build."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Evidence files go to a temporary folder in tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def today(settings):
    """The programme calendar's today: Tuesday 20 February 2024, in sprint 4 (12–25 Feb)."""
    settings.QIP_TODAY = "2024-02-20"
    return dt.date(2024, 2, 20)


@pytest.fixture
def programme(db, today):
    programme = ProgrammeFactory(sprint_anchor=dt.date(2024, 1, 1))
    calendar_build(programme=programme, until=dt.date(2024, 12, 31))
    return programme


@pytest.fixture
def chair(db):
    return UserFactory(username="chair", first_name="Helen", last_name="Carter")


@pytest.fixture
def isg(programme, chair):
    return IsgFactory(programme=programme, name="Women's and Children's", code="WC", chair=chair)


@pytest.fixture
def other_isg(programme):
    return IsgFactory(programme=programme, name="Scheduled Care", code="SC")


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", first_name="Amara", last_name="Okafor")


@pytest.fixture
def other_owner(db):
    return UserFactory(username="other-owner", first_name="Ben", last_name="Morgan")


def _role(programme, username, role):
    user = UserFactory(username=username)
    ProgrammeRoleFactory(programme=programme, user=user, role=role)
    roles.clear_role_cache(user)
    return user


@pytest.fixture
def pmo(programme):
    return _role(programme, "pmo", ProgrammeRole.Role.PMO)


@pytest.fixture
def executive(programme):
    return _role(programme, "exec", ProgrammeRole.Role.EXECUTIVE)


@pytest.fixture
def partner(programme):
    return _role(programme, "partner", ProgrammeRole.Role.PARTNER)


@pytest.fixture
def outsider(db):
    """Signed in, but part of another trust's programme."""
    other = ProgrammeFactory(name="Another trust's plan")
    return _role(other, "outsider", ProgrammeRole.Role.PMO)


@pytest.fixture
def finding(isg):
    return FindingFactory(isg=isg, programme=isg.programme, reference="WC-MD-07")


@pytest.fixture
def root_cause(finding, owner):
    return RootCauseFactory(
        finding=finding,
        owner=owner,
        reference="WC-MD-07 RC2",
        title="Midwife staffing escalation not followed",
        baseline_due_date=dt.date(2024, 3, 15),
    )


@pytest.fixture
def other_root_cause(finding, other_owner):
    return RootCauseFactory(finding=finding, owner=other_owner, reference="WC-MD-07 RC3")


@pytest.fixture
def current_sprint(programme, today):
    return programme.periods.get(cadence="fortnightly", starts_on__lte=today, ends_on__gte=today)


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Tasks run in-process in tests, except those that start a real worker over Redis."""
    from qip.celery import app

    eager = request.node.get_closest_marker("needs_redis") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
