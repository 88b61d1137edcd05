from __future__ import annotations

import pytest

from tests.conftest import REFERENCE_FILE


@pytest.fixture
def officer(reference_campaign):
    """An admissions officer of the reference campaign's school."""
    from admissions.accounts.models import Role, RoleGrant, User

    user = User.objects.create_user("officer-calendar@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=user, role=Role.SCHOOL_OFFICER, school=reference_campaign.school)
    return user


def reload_reference(replace: tuple[str, str] | None = None):
    """Load the reference file again, with one text replaced (a period moved)."""
    from admissions.campaigns.schema import load_campaign_file
    from admissions.campaigns.services import load_campaign

    text = REFERENCE_FILE.read_text(encoding="utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    campaign, _changed = load_campaign(load_campaign_file(text), source_text=text)
    return campaign
