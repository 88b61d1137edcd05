"""Delete the ZIP files of bulk PDF exports past their expiry (R10.5); run it hourly from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.core import clock
from admissions.verification.services import sweep_bulk_exports


class Command(BaseCommand):
    help = "Delete the files of the check queue's bulk PDF exports once they expire."

    def handle(self, *args, **options) -> None:
        swept = sweep_bulk_exports(now=clock.now())
        self.stdout.write(f"{swept} export(s) expired and deleted.")
