"""Reading campaigns: which campaign the platform shows, and whether sign-up is open (R2.1)."""

from __future__ import annotations

import copy

from django.conf import settings
from django.http import Http404, HttpRequest

from admissions.campaigns.models import Campaign, per_revision
from admissions.core import clock
from admissions.rules import deadlines


def current_campaign() -> Campaign | None:
    """The campaign of settings.DEFAULT_CAMPAIGN if it exists, else the latest one, else None.

    One narrow query per call (pk and revision); the row itself, without the file's text and
    document (~40 kB, read through the per-revision cache), is read again only after a change."""
    code = getattr(settings, "DEFAULT_CAMPAIGN", "")
    heads = Campaign.objects.values_list("pk", "revision")
    head = heads.filter(code=code).first() if code else None
    if head is None:
        head = heads.order_by("-session", "-applications_opens_at", "-pk").first()
    if head is None:
        return None
    pk, revision = head
    campaign = per_revision(
        pk,
        revision,
        "row",
        lambda: (
            Campaign.objects.select_related("school").defer("document", "source_text").get(pk=pk)
        ),
    )
    return copy.copy(campaign)  # a request may change its copy; the cached row stays as read


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
    cache = vars(request)  # an attribute of this request only, unknown to HttpRequest's type
    if "_campaign" not in cache:
        cache["_campaign"] = current_campaign()
    return cache["_campaign"]


def campaign_or_404(request: HttpRequest) -> Campaign:
    """request_campaign(), or 404 when no campaign is loaded yet."""
    campaign = request_campaign(request)
    if campaign is None:
        raise Http404
    return campaign
