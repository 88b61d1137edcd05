"""Freeze the final list (R7.2): run from cron after the freeze instant; idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from admissions.campaigns.models import Campaign
from admissions.companies.services import freeze_final_list
from admissions.core import clock


class Command(BaseCommand):
    help = (
        "Once a campaign's final list is frozen (calendar.final_list_frozen_at), record the list "
        "as it stood then and email the candidates admitted without a company or still waiting. "
        "A campaign already frozen is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="only this campaign's code")

    def handle(self, *args, **options):
        now = clock.now()
        campaigns = Campaign.objects.filter(final_list_frozen_at__lte=now)
        if options.get("campaign"):
            campaigns = campaigns.filter(code=options["campaign"])
        for campaign in campaigns:
            result = freeze_final_list(campaign=campaign, now=now)
            if result.created:
                admitted = sum(len(refs) for refs in result.frozen.admitted.values())
                self.stdout.write(
                    f"{campaign.code}: final list frozen, {admitted} admitted, "
                    f"{result.told} candidate(s) told"
                )
            else:
                self.stdout.write(f"{campaign.code}: already frozen, nothing done")
