"""Request-wide settings taken from the campaign."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class CampaignTimeZoneMiddleware:
    """Dates in pages are shown in the campaign's time zone (R1.5; issue 8, ``{% load dates %}``).

    The campaign is read through request_campaign(), which the page frame reads anyway: a page
    costs no extra query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from admissions.campaigns.selectors import request_campaign  # thin: keeps core a leaf app

        campaign = request_campaign(request)
        if campaign is None:
            return self.get_response(request)
        with timezone.override(campaign.time_zone):
            return self.get_response(request)
