"""Reading calendar subscriptions (R8.1)."""

from __future__ import annotations

from admissions.alternation.models import CalendarSubscription


def active_subscription(token: str) -> CalendarSubscription | None:
    """The subscription a feed link opens, with its campaign as it stands now; None when the
    token is unknown or revoked. The campaign row carries its revision, so its parameters
    (the periods) are those of this request, not of a cached older file."""
    found = subscription_of_token(token)
    return found if found is not None and found.is_active else None


def subscription_of_token(token: str) -> CalendarSubscription | None:
    """The subscription of ``token``, revoked or not; None when there is none."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarSubscription.objects.select_related("campaign", "campaign__school")
        .defer("campaign__document", "campaign__source_text")
        .filter(token=token)
        .first()
    )


def apprentice_subscription(dossier) -> CalendarSubscription | None:
    """The active calendar link the company phase gave the apprentice of ``dossier``, if any."""
    return (
        CalendarSubscription.objects.filter(
            dossier=dossier,
            kind=CalendarSubscription.Kind.APPRENTICE,
            revoked_at__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def subscriptions_of(campaign_code: str | None = None):
    rows = CalendarSubscription.objects.select_related("campaign", "dossier")
    if campaign_code:
        rows = rows.filter(campaign__code=campaign_code)
    return rows.order_by("created_at", "pk")
