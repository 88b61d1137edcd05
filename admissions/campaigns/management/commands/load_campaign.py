"""manage.py load_campaign PATH: create or update a campaign from its file (R1.1)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from admissions.campaigns.models import Campaign
from admissions.campaigns.schema import CampaignFileError, load_campaign_file
from admissions.campaigns.services import load_campaign


class Command(BaseCommand):
    help = (
        "Load a campaign file (TOML). Prints created, updated or unchanged; on errors prints "
        "every 'field.path: problem' line and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="the campaign file, e.g. imt-mines-albi-2021.toml"
        )

    def handle(self, *args, path: Path, **options) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}", returncode=1) from error
        try:
            document = load_campaign_file(text)
        except CampaignFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"{path}: {count} problem{'s' if count != 1 else ''}; nothing was loaded.",
                returncode=1,
            ) from None
        existed = Campaign.objects.filter(code=document.campaign.code).exists()
        campaign, changed = load_campaign(document, source_text=text)
        outcome = "updated" if existed and changed else "unchanged" if existed else "created"
        self.stdout.write(f"{outcome}: {campaign.code} ({campaign.name})")
