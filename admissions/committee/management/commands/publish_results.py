"""Publish the admissibility results (R5.2): run every few minutes from cron, like send_reminders."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.committee.services import publish_results
from admissions.core import clock
from admissions.exams.services.grading import publish_academic_results


class Command(BaseCommand):
    help = (
        "Once a campaign's admissibility results are published (calendar.admissibility_results_at, "
        "as staff set it), owe each decided candidate one email with their result; likewise for "
        "the academic list from calendar.academic_results_at (R6.4). Idempotent."
    )

    def handle(self, *args, **options):
        published = publish_results(now=clock.now())
        self.stdout.write(f"{published} admissibility result(s) published")
        # The demo's loop runs this command only: the academic list goes out with it.
        academic = publish_academic_results(now=clock.now())
        self.stdout.write(f"{academic} academic result(s) published")
