"""Settings come from the environment; production mode passes `check --deploy` (issue 3, §1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from admissions.config.env import email_settings, env_bool

ROOT = Path(__file__).resolve().parent.parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the test process only
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_mode_passes_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        PRODUCTION="true",
        SECRET_KEY="x" * 30 + "-a-long-random-secret-key-42",
        ALLOWED_HOSTS="candidature.example.fr",
        DATA_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_requires_a_secret_key(tmp_path):
    result = run_manage("check", PRODUCTION="true", SECRET_KEY="", DATA_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required in production" in result.stderr


def test_env_bool_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


@pytest.mark.parametrize(
    "url,expected",
    [
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://user:p%40ss@mail.example.fr:587",
            {
                "EMAIL_HOST": "mail.example.fr",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtps://u:p@mail.example.fr",
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False},
        ),
        ("smtp://mail.example.fr", {"EMAIL_TIMEOUT": 30}),  # issue 10: a hung server is retried
    ],
)
def test_email_url_is_parsed(url, expected):
    settings = email_settings(url)

    assert {key: settings[key] for key in expected} == expected


SHOW_SESSIONS = (
    "from django.conf import settings; from django.core.cache import cache; "
    "cache.set('settings-test', 'ok', 5); "
    "print(settings.SESSION_ENGINE, cache.get('settings-test'))"
)


def test_sessions_are_read_from_redis_when_it_is_configured(tmp_path):
    """REDIS_URL gives the shared cache (with its client installed) and sessions read from it."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SESSIONS,
        REDIS_URL="redis://127.0.0.1:6379/9",
        DATA_DIR=str(tmp_path),
    )

    if "Connection refused" in result.stderr:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.sessions.backends.cached_db", "ok"]


def test_sessions_stay_in_the_database_without_a_shared_cache(tmp_path):
    result = run_manage(
        "shell", "--no-imports", "-c", SHOW_SESSIONS, REDIS_URL="", DATA_DIR=str(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.sessions.backends.db", "ok"]


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit_compilation():
    """JIT compiling cost a queue filter 220 of its 315 ms at 100,000 dossiers: it is off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (jit,) = cursor.fetchone()

    assert jit == "off"


def test_the_wsgi_application_imports_every_view_before_its_first_request():
    """A new gunicorn worker must not import the URLconf and the views in its first request
    (1 to 2 s: the back office benchmark's slowest request, issue 11)."""
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    # ... and leaves what it imported out of the garbage collector's full collections (they
    # walked it all, about 80 ms once every ~25 requests: the benchmark's p95 outliers).
    code = (
        "import gc, sys; import admissions.config.wsgi; "
        "print('admissions.verification.views.queue' in sys.modules, gc.get_freeze_count() > 0)"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (result.returncode, result.stdout.strip()) == (0, "True True"), result.stderr[-2000:]
