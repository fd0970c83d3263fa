"""The authorisation matrix: every URL of the project × every persona × GET and POST.

The URLs come from the resolver (tests/security/urlwalk.py), so a page added anywhere is
walked; its expected answers come from tests/security/expectations.py, and a URL without a
row there fails the first test below with its name. Each request runs in a savepoint that is
rolled back, so every persona meets the same world; an empty POST must change no row unless
the row says the POST is the action itself.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.test import override_settings

from tests.responses import close as close_response

from . import expectations as exp
from .fingerprint import counts_changed, row_counts
from .urlwalk import all_patterns, check_resolves, pattern_id
from .world import PERSONAS

pytestmark = pytest.mark.django_db

PATTERNS = all_patterns()
PATTERN_IDS = [pattern_id(p) for p in PATTERNS]
SIGN_IN_PAGES = ("/accounts/login/", "/admin/login/")


def test_every_url_of_the_resolver_has_a_row_in_the_table():
    missing = sorted({p.key for p in PATTERNS if exp.row_for(p) is None})
    assert not missing, (
        "These URLs have no row in tests/security/expectations.py TABLE; add one saying who "
        "may open them: " + ", ".join(missing)
    )


def test_the_table_lists_no_url_that_is_gone():
    keys = {p.key for p in PATTERNS} | {"admin:*"}
    assert sorted(set(exp.TABLE) - keys) == []


def test_the_walk_reaches_every_kind_of_url():
    """The walk goes through every include: the admin, the API router, each app, static."""
    keys = {p.key for p in PATTERNS}
    for name in (
        "login",
        "health",
        "accessibility",
        "public-progress",
        "oidc_authentication_callback",
        "admin:index",
        "api-root",
        "api-root-cause-detail",
        "rootcause-update",
        "wellled-edit",
        "engagement-story-decide",
        "^static/(?P<path>.*)$",
    ):
        assert name in keys
    assert len(PATTERNS) > 400


def test_only_the_deliberately_public_pages_answer_without_signing_in():
    """Nothing but sign-in, static files, /health/, the accessibility statement, the OIDC
    callbacks, the API's own 401 and the opt-in public progress page answers anonymously."""
    public = set()
    for pattern in PATTERNS:
        row = exp.row_for(pattern)
        if row is None:
            continue
        for method in ("GET", "POST"):
            answer = row.expected(method)[exp.ANON]
            if answer not in (exp.LOGIN, 401):
                public.add(pattern.key)
    assert public == exp.PUBLIC


# ---------------------------------------------------------------------------------------------


def _answer_matches(expected, response) -> bool:
    status = response.status_code
    if expected == exp.OK:
        return status < 500 and status not in (401, 403, 404)
    if expected == exp.LOGIN:
        return status == 302 and response["Location"].startswith(SIGN_IN_PAGES)
    if expected == 302:
        return status == 302 and not response["Location"].startswith(SIGN_IN_PAGES)
    return status == expected


def _describe(response) -> str:
    text = str(response.status_code)
    if response.status_code in (301, 302):
        text += f" to {response['Location']}"
    return text


def _check(world, clients, pattern, method):
    row = exp.row_for(pattern)
    assert row is not None, f"{pattern.key} has no row in tests/security/expectations.py"
    path = exp.path_for(world, pattern, row)
    check_resolves(pattern, path)
    expected = row.expected(method)
    problems = []
    with override_settings(**row.settings):
        for persona in PERSONAS:
            client = clients(persona)
            with transaction.atomic():
                before = row_counts() if method == "POST" else None
                try:
                    response = client.get(path) if method == "GET" else client.post(path, {})
                except Exception as exc:  # a server error: report it with the persona
                    problems.append(f"{method} {path} ({pattern.key}) as {persona}: {exc!r}")
                    transaction.set_rollback(True)
                    continue
                close_response(response)  # a file download holds its file open until closed
                if not _answer_matches(expected[persona], response):
                    problems.append(
                        f"{method} {path} ({pattern.key}) as {persona}: expected "
                        f"{expected[persona]}, got {_describe(response)}"
                    )
                if method == "POST" and not (row.writes and expected[persona] == exp.OK):
                    after = row_counts()
                    changed = counts_changed(before, after)
                    if changed:
                        problems.append(
                            f"POST {path} ({pattern.key}) as {persona} with an empty body "
                            f"changed data: {', '.join(changed)}"
                        )
                transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("pattern", PATTERNS, ids=PATTERN_IDS)
def test_get(world, clients, pattern):
    """Every persona's answer to GET is the table's (_check asserts, listing each mismatch)."""
    _check(world, clients, pattern, "GET")


@pytest.mark.parametrize("pattern", PATTERNS, ids=PATTERN_IDS)
def test_post_with_an_empty_body(world, clients, pattern):
    """Every persona's answer to an empty POST is the table's and, unless the POST is the
    action itself, no row changed (_check asserts both, listing each mismatch)."""
    _check(world, clients, pattern, "POST")


def test_the_sessions_are_real(world, clients):
    client = clients("owner")
    assert client.session[SESSION_KEY] == str(world.owner.pk)
