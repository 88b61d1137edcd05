"""manage.py export_campaign CODE [--output PATH]: write a campaign back as its file (R1.1)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admissions.campaigns.models import Campaign
from admissions.campaigns.services import export_campaign


class Command(BaseCommand):
    help = "Export a campaign in the campaign-file format (TOML), to stdout or --output PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the campaign code, e.g. imt-mines-albi-2021")
        parser.add_argument("--output", type=Path, help="write to this file instead of stdout")

    def handle(self, *args, code: str, output: Path | None, **options) -> None:
        campaign = Campaign.objects.select_related("school").filter(code=code).first()
        if campaign is None:
            known = ", ".join(Campaign.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no campaign {code!r} (campaigns: {known})", returncode=1)
        text = export_campaign(campaign)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"exported: {campaign.code} -> {output}")
