from __future__ import annotations

from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    """The campaign shown in the page frame, looked up once per request."""
    from admissions.campaigns.selectors import current_campaign  # thin: keeps core a leaf app

    if not hasattr(request, "_campaign"):
        request._campaign = current_campaign()
    campaign = request._campaign
    return {
        "campaign": campaign,
        "platform_name": campaign.school.name if campaign else "Admissions",
    }
