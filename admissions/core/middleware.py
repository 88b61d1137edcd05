"""Request-wide behaviour: a body too large is refused before it is read, the candidate's pages
are never kept by a browser or a proxy cache (issue 10), dates are shown in the campaign's time
zone (issue 8)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from admissions.campaigns.selectors import request_campaign

# The candidate's area: dossier pages, receipts (dossier and payment), the data export ZIP.
PRIVATE_PREFIXES = ("/dossier/",)
PRIVATE_CACHE_CONTROL = "private, no-store"


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body exceeds settings.MAX_REQUEST_BYTES with a 413 page,
    before anything reads the body (Django would otherwise spool it to disk first; its own
    DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields only, not files). Placed after the session,
    language and authentication middlewares (they read no body) so the page has its frame."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        if declared_length(request) > limit:
            # No "Connection: close" here: a WSGI application may not set hop-by-hop headers (the
            # server drains or drops the unread body; nginx refuses it first in production).
            return render(
                request,
                "core/request_too_large.html",
                {"limit_mib": round(limit / 1_048_576)},
                status=413,
            )
        return self.get_response(request)


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every page and file of the candidate's area, as
    the documents already had (issue 10)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


class CampaignTimeZoneMiddleware:
    """Dates in pages are shown in the campaign's time zone (R1.5; issue 8, ``{% load dates %}``).

    The campaign is read through request_campaign(), which the page frame reads anyway: a page
    costs no extra query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        campaign = request_campaign(request)
        if campaign is None:
            return self.get_response(request)
        with timezone.override(campaign.time_zone):
            return self.get_response(request)
