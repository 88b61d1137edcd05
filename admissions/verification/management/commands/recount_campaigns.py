"""Count every campaign's dossiers for the funnel and the queue (R8.3, R10.5) in the background;
run it every minute or few from cron. Pages also queue a recount when the counts are stale."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from admissions.campaigns.models import Campaign
from admissions.verification.services import recount_campaign


class Command(BaseCommand):
    help = "Count each campaign's dossiers for the funnel and the counts above the check queue."

    def handle(self, *args, **options) -> None:
        for campaign_id in Campaign.objects.order_by("pk").values_list("pk", flat=True):
            counts = recount_campaign(campaign_id=campaign_id, now=timezone.now())
            if counts is not None:
                self.stdout.write(
                    f"campaign {campaign_id}: counted at {counts.computed_at:%H:%M:%S}"
                )
