"""Removes uploads in progress that a killed web process left behind (issue 10), and, with
--orphans, stored files that no row points to any more (R9.3)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


def sweep(folder: Path, older_than_seconds: float, now: float) -> int:
    """Deletes Django's temporary upload files (``*.upload*``) older than the given age."""
    removed = 0
    if not folder.is_dir():
        return 0
    for entry in folder.iterdir():
        if not (entry.is_file() and ".upload" in entry.name):
            continue
        try:
            if now - entry.stat().st_mtime > older_than_seconds:
                entry.unlink()
                removed += 1
        except FileNotFoundError:  # finished (and deleted by Django) meanwhile
            continue
    return removed


class Command(BaseCommand):
    help = (
        "Delete uploads in progress older than --minutes from FILE_UPLOAD_TEMP_DIR: Django "
        "deletes each one when its request ends, a killed process leaves them. Run hourly. "
        "With --orphans, also delete stored documents and attachments older than --minutes that "
        "no row points to (a rolled-back upload, a purge interrupted after its commit): it lists "
        "the whole storage, so run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=60)
        parser.add_argument(
            "--orphans", action="store_true", help="also delete stored files no row points to"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
        removed = sweep(folder, options["minutes"] * 60, time.time())
        self.stdout.write(f"{removed} upload(s) in progress removed from {folder}")
        if options["orphans"]:
            from admissions.campaigns.purge import sweep_orphan_files  # reads every app's models

            orphans = sweep_orphan_files(
                older_than=timedelta(minutes=options["minutes"]), now=timezone.now()
            )
            self.stdout.write(f"{len(orphans)} stored file(s) that no row points to removed")
