"""`make demo` never shows Django's debug page, and still has its styles (issue 8): it runs with
DEBUG off, and WhiteNoise serves the static files in every mode, with nothing to collect."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    "path,content_type",
    [
        ("/static/core/platform.css", 'text/css; charset="utf-8"'),
        ("/static/dsfr/dist/dsfr/dsfr.min.css", 'text/css; charset="utf-8"'),
        ("/static/dsfr/dist/dsfr/dsfr.module.min.js", 'text/javascript; charset="utf-8"'),
    ],
)
def test_static_files_are_served_with_debug_off_and_nothing_collected(path, content_type):
    assert settings.DEBUG is False  # pytest-django runs with DEBUG off, as the demo does now
    assert not (ROOT / "staticfiles" / path.removeprefix("/static/")).exists()

    response = Client().get(path)

    assert (response.status_code, response["Content-Type"]) == (200, content_type)


MAKE = shutil.which("make")


@pytest.mark.skipif(MAKE is None, reason="make is not installed")
def test_make_demo_runs_the_server_with_debug_off():
    dry_run = subprocess.run(
        [str(MAKE), "-n", "demo", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    # The server's command: the lines joined by backslashes that end with runserver.
    command = dry_run.stdout.replace("\\\n", " ").splitlines()
    server = [line for line in command if "manage.py runserver 127.0.0.1:8123" in line]
    assert len(server) == 1
    assert server[0].startswith("export DEBUG=false ")
