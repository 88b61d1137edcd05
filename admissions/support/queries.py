"""Reading support threads for the central service (R3.9)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When

from admissions.dossiers.models import Dossier


def dossiers_with_messages(campaign) -> QuerySet[Dossier]:
    """Dossiers of the campaign that have a thread: unread candidate messages first, then the
    most recent thread first. Each carries ``unread`` and ``last_message_at``."""
    return (
        Dossier.objects.filter(campaign=campaign)
        .select_related("candidate")
        .annotate(
            unread=Count(
                "messages", filter=Q(messages__from_staff=False, messages__read_at__isnull=True)
            ),
            last_message_at=Max("messages__sent_at"),
        )
        .filter(last_message_at__isnull=False)
        .annotate(
            has_unread=Case(
                When(unread__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-has_unread", "-last_message_at", "reference")
    )
