"""Writing to the audit trail. Call ``record`` inside the transaction that changes the state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from admissions.audit.models import PLATFORM_ACTOR_LABEL, AuditEntry
from admissions.core import clock


def record(
    actor,
    action: str,
    target: models.Model,
    *,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is an account, or None for the platform itself (a task)."""
    is_person = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEntry.objects.create(
        at=at or clock.now(),
        actor=actor if is_person else None,
        actor_label=str(actor) if is_person else PLATFORM_ACTOR_LABEL,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        data=data or {},
    )
