"""Single sign-on end to end, against a real OpenID Connect provider started for the test.

The provider is a second Django site (django-oauth-toolkit with OIDC on) running on loopback
in its own process; our site runs in live_server; Chromium walks through both.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.factories import ProgrammeRoleFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "qip-tracker-test"
CLIENT_SECRET = "a-client-secret-for-the-test-provider-only"  # noqa: S105


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def identity_provider(tmp_path, live_server):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "idp-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(tmp_path / "idp.sqlite3"),
        "OIDC_PROVIDER_KEY": str(key_file),
        "PYTHONWARNINGS": "ignore",
    }
    callback = f"{live_server.url}/oidc/callback/"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.setup_provider",
            callback,
            CLIENT_ID,
            CLIENT_SECRET,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "idp.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"{base}/o/.well-known/openid-configuration", timeout=2
                ) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "idp.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def sso_settings(settings, identity_provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{identity_provider}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{identity_provider}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{identity_provider}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{identity_provider}/o/.well-known/jwks.json"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "core.sso.EmailOIDCBackend",
    ]
    return identity_provider


def _sign_in_at_provider(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with your NHS organisation account").click()
    page.wait_for_load_state()
    assert page.title() == "Example NHS identity provider"
    page.fill("#id_username", email)
    page.fill("#id_password", "provider-pass-2024")
    page.click("#provider-sign-in")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_nhs_account_signs_in_as_the_existing_person_with_that_email(
    page, live_server, sso_settings, programme
):
    person = UserFactory(
        username="owner", first_name="Amara", last_name="Okafor", email="amara.okafor@nhs.net"
    )
    ProgrammeRoleFactory(programme=programme, user=person, role="pmo")
    _sign_in_at_provider(page, live_server, "amara@nhs.net")
    assert page.url.startswith(live_server.url)
    assert "Welcome, Amara Okafor" in page.content()
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email__iexact="amara.okafor@nhs.net").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_account_that_matches_nobody_is_refused_and_nobody_is_created(
    page, live_server, sso_settings
):
    from django.contrib.auth import get_user_model

    before = get_user_model().objects.count()
    _sign_in_at_provider(page, live_server, "stranger@nhs.net")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert "not linked to anyone in this tracker" in page.content()
    assert get_user_model().objects.count() == before


@pytest.mark.django_db
def test_without_sso_configured_its_pages_are_not_there(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "organisation account" not in client.get("/accounts/login/").content.decode()
