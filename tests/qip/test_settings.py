"""Settings come from the environment and fail loudly when production values are missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from qip import settings as qip_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "t7Hq-2vLp9ZxR4mWc8NbJ3sK6dYf1gUe5aQo0iTr_wXzPlMnBvCj"


def _load_settings(**env):
    """Import the settings module in a fresh interpreter with exactly this environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CELERY_")
        )
    }
    clean.update(env)
    code = (
        "import json, qip.settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'hosts': s.ALLOWED_HOSTS, "
        "'cache': s.CACHES['default']['BACKEND']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("False", False), ("1", True), ("off", False), ("", True)]
)
def test_booleans_are_parsed_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert qip_settings.env_bool("SOME_FLAG", default=True) is expected


def test_a_misspelt_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "flase")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        qip_settings.env_bool("SOME_FLAG", default=False)


def test_the_embedded_default_is_sqlite_with_tasks_in_process():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.sqlite3"' in result.stdout
    assert '"eager": true' in result.stdout
    assert "LocMemCache" in result.stdout


def test_redis_url_turns_on_the_broker_and_cache():
    result = _load_settings(
        REDIS_URL="redis://127.0.0.1:6379/5", DATABASE_URL="postgres://a:b@db:5432/qip"
    )
    assert result.returncode == 0, result.stderr
    assert '"eager": false' in result.stdout
    assert '"broker": "redis://127.0.0.1:6379/5"' in result.stdout
    assert '"engine": "django.db.backends.postgresql"' in result.stdout
    assert "RedisCache" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_settings(DEBUG="false", ALLOWED_HOSTS="qip.example.nhs.uk")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_or_repetitive_secret_key():
    result = _load_settings(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="qip.example.nhs.uk")
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _load_settings(DEBUG="false", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_production_starts_with_both():
    result = _load_settings(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="qip.example.nhs.uk")
    assert result.returncode == 0, result.stderr
    assert '"debug": false' in result.stdout
    assert '"hosts": ["qip.example.nhs.uk"]' in result.stdout
