"""Security settings that must hold on every page."""

import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    inline_script = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
    )
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"<[^>]+\sstyle\s*=", re.I)
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            for name, pattern in (
                ("inline script", inline_script),
                ("on* handler", handler),
                ("style attribute", style_attr),
            ):
                if pattern.search(text):
                    offenders.append(f"{template.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_sign_in_is_locked_after_five_failures_with_a_clear_message(
    client, settings, django_user_model
):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("matron", password="correct-horse-battery-staple")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "matron", "password": "wrong"})
    assert response.status_code == 429
    locked = client.post(
        "/accounts/login/", {"username": "matron", "password": "correct-horse-battery-staple"}
    )
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_different_person_on_the_same_ward_pc_can_still_sign_in(
    client, settings, django_user_model
):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("matron", password="correct-horse-battery-staple")
    django_user_model.objects.create_user("nurse", password="another-good-passphrase")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "matron", "password": "wrong"})
    ok = client.post(
        "/accounts/login/", {"username": "nurse", "password": "another-good-passphrase"}
    )
    assert ok.status_code == 302


def test_health_check_without_a_broker_reports_tasks_in_process(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    assert response.json() == {"Database(alias='default')": "OK", "TasksInProcess()": "OK"}


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_health_check_reports_database_broker_and_worker(client, settings):
    from celery.contrib.testing.worker import start_worker

    from qip.celery import app

    settings.REDIS_URL = os.environ["REDIS_URL"]
    down = client.get("/health/?format=json")
    assert down.status_code == 500
    assert "Celery workers unavailable" in str(down.json())
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        up = client.get("/health/?format=json")
    states = up.json()
    assert up.status_code == 200, states
    assert {key.split("(")[0] for key in states} == {"Database", "Redis", "Ping"}
    assert set(states.values()) == {"OK"}


def test_every_other_page_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
