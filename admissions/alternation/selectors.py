"""Reading calendar subscriptions (R8.1)."""

from __future__ import annotations

from admissions.alternation.models import CalendarSubscription


def active_subscription(token: str) -> CalendarSubscription | None:
    """The subscription a feed link opens, with its campaign as it stands now; None when the
    token is unknown or revoked. The campaign row carries its revision, so its parameters
    (the periods) are those of this request, not of a cached older file."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarSubscription.objects.select_related("campaign", "campaign__school")
        .defer("campaign__document", "campaign__source_text")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def subscriptions_of(campaign_code: str | None = None):
    rows = CalendarSubscription.objects.select_related("campaign", "dossier")
    if campaign_code:
        rows = rows.filter(campaign__code=campaign_code)
    return rows.order_by("created_at", "pk")
