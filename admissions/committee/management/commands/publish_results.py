"""Publish the admissibility results (R5.2): run every few minutes from cron, like send_reminders."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.committee.services import publish_results
from admissions.core import clock


class Command(BaseCommand):
    help = (
        "Once a campaign's admissibility results are published (calendar.admissibility_results_at, "
        "as staff set it), owe each decided candidate one email with their result. Idempotent."
    )

    def handle(self, *args, **options):
        published = publish_results(now=clock.now())
        self.stdout.write(f"{published} admissibility result(s) published")
