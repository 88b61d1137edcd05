"""Who hands out calendar links (R8.1, R9.2): the admissions officers of the campaign's school,
the central service and the platform's administrators, within the schools of their grants."""

from __future__ import annotations

from admissions.accounts.models import Role
from admissions.accounts.scope import school_scope
from admissions.campaigns.models import Campaign

SUBSCRIPTION_MANAGERS = (Role.SCHOOL_OFFICER, Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN)


def can_manage_subscriptions(user, campaign: Campaign) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return school_scope(user, SUBSCRIPTION_MANAGERS).includes(campaign.school_id)
