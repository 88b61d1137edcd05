"""Reading campaigns: which campaign the platform shows, and whether sign-up is open (R2.1)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.rules import deadlines


def current_campaign() -> Campaign | None:
    """The campaign of settings.DEFAULT_CAMPAIGN if it exists, else the latest one, else None."""
    code = getattr(settings, "DEFAULT_CAMPAIGN", "")
    campaigns = Campaign.objects.select_related("school")
    if code:
        campaign = campaigns.filter(code=code).first()
        if campaign is not None:
            return campaign
    return campaigns.order_by("-session", "-applications_opens_at", "-pk").first()


def signup_open(request: HttpRequest | None = None) -> bool:
    """Account creation is open exactly while applications are, extensions for everyone
    included; an extension for one candidate reopens nothing for others (R2.1, R1.6).
    ``request`` is accepted for the sign-up adapter's signature; the answer does not depend on it.
    """
    campaign = current_campaign()
    if campaign is None:
        return False
    return bool(deadlines.can_sign_up(campaign.params(), clock.now()))


def request_campaign(request: HttpRequest) -> Campaign | None:
    """current_campaign(), looked up once per request (views and the page frame share it)."""
    if not hasattr(request, "_campaign"):
        request._campaign = current_campaign()
    return request._campaign
