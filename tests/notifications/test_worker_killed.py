"""A real ``manage.py db_worker`` process killed with SIGKILL in the middle of a receipt
(issue 10): the task it left RUNNING is reclaimed by the sweep and the receipt sent once.
PostgreSQL only: the worker process and the test share the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from admissions.notifications.models import OutboundEmail
from tests.notifications.test_worker import run_worker, submitted_dossier, sweep, time_passes

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share with the test: PostgreSQL")


def start_worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "admissions.config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"file://{tmp_path}",  # what this worker sends, if anything, lands here
        "DATA_DIR": str(tmp_path / "data"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.05",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not start the task in time"
        time.sleep(0.01)


def test_worker_killed_while_making_the_receipt_is_reclaimed_and_sends_it_once(
    reference_campaign, accounts_by_role, settings, smtp, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    candidate = accounts_by_role["candidate"]
    dossier = submitted_dossier(candidate, reference_campaign)
    worker = start_worker(tmp_path)
    try:
        wait_for(lambda: DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists())
        worker.send_signal(signal.SIGKILL)  # while it makes the PDF (WeasyPrint takes seconds)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    left = (DBTaskResult.objects.get().status, OutboundEmail.objects.get().state)

    time_passes(minutes=11)
    swept = sweep()
    run_worker()

    assert left == (TaskResultStatus.RUNNING, OutboundEmail.State.QUEUED)
    assert list(tmp_path.glob("*.log")) == []  # the killed worker sent nothing
    assert swept.startswith("1 task(s) reclaimed")
    assert smtp.recipients() == [candidate.email]
    email = OutboundEmail.objects.get()
    assert (email.key, email.state, email.attempts) == (
        f"receipt:{dossier.pk}",
        OutboundEmail.State.SENT,
        1,
    )
