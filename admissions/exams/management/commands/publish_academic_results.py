"""Publish the academic list (R6.4): run every few minutes from cron (publish_results runs it too)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.core import clock
from admissions.exams.services.grading import publish_academic_results


class Command(BaseCommand):
    help = (
        "Once a campaign's academic_results_at has come, owe each candidate on the recorded "
        "academic list one email with their outcome. Idempotent."
    )

    def handle(self, *args, **options):
        published = publish_academic_results(now=clock.now())
        self.stdout.write(f"{published} academic result(s) published")
