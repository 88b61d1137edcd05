"""Reading support threads for the central service (R3.9), within the schools of its grants."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When

from admissions.accounts.models import User
from admissions.dossiers.models import Dossier
from admissions.dossiers.permissions import dossiers_checkable_by

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ThreadAnnotations(TypedDict):
    unread: int
    last_message_at: datetime
    has_unread: int


def dossiers_with_messages(user: User) -> QuerySet[WithAnnotations[Dossier, ThreadAnnotations]]:
    """Dossiers whose thread ``user`` answers (the central service of their schools, every
    campaign) that have a thread: unread candidate messages first, then the most recent thread
    first. Each carries ``unread`` and ``last_message_at``."""
    return (
        dossiers_checkable_by(user)
        .select_related("candidate", "campaign")
        .defer("campaign__document", "campaign__source_text")
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
