"""A second school for the tests of R9.2: the reference campaign file under other codes."""

from __future__ import annotations

from admissions.campaigns.models import Campaign
from tests.conftest import REFERENCE_FILE

REFERENCE_SCHOOL = "imt-mines-albi"
REFERENCE_CAMPAIGN = "imt-mines-albi-2021"


def load_school_campaign(school_code: str, campaign_code: str) -> Campaign:
    """The reference campaign copied for another school: same rules and dates, other codes
    (the reference itself under its own codes)."""
    from admissions.campaigns.schema import load_campaign_file
    from admissions.campaigns.services import load_campaign

    text = REFERENCE_FILE.read_text(encoding="utf-8")
    text = text.replace(f'code = "{REFERENCE_CAMPAIGN}"', f'code = "{campaign_code}"')
    text = text.replace(f'code = "{REFERENCE_SCHOOL}"', f'code = "{school_code}"')
    campaign, _changed = load_campaign(load_campaign_file(text), source_text=text)
    return campaign
