"""The outbox's repair round (R8.2): run every few minutes from cron, like send_reminders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from admissions.accounts.emails import send_missing_confirmations
from admissions.dossiers.emails import queue_missing_receipts
from admissions.notifications.services import sweep


class Command(BaseCommand):
    help = (
        "Reclaim email tasks left running by a dead worker, queue again the emails whose task was "
        "lost, and owe the receipts and account confirmations that were never queued."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()  # real time: compared with the worker's timestamps
        receipts = queue_missing_receipts()
        confirmations = send_missing_confirmations(now=now)
        report = sweep(now=now)
        self.stdout.write(
            f"{report.reclaimed_tasks} task(s) reclaimed, {report.requeued} email(s) queued again, "
            f"{report.interrupted} interrupted email(s) marked failed, {receipts} missing receipt(s) "
            f"and {confirmations} missing confirmation(s) queued"
        )
