"""Removes uploads in progress that a killed web process left behind (issue 10)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


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
        "deletes each one when its request ends, a killed process leaves them. Run hourly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
        removed = sweep(folder, options["minutes"] * 60, time.time())
        self.stdout.write(f"{removed} upload(s) in progress removed from {folder}")
