"""Background work of the check queue (R10.5, R8.3): thin tasks around ``services.build_bulk_export``
and ``services.recount_campaign``."""

from __future__ import annotations

from django_tasks import task


@task()
def build_bulk_export(export_id: int) -> str:
    from admissions.core import clock  # the clock reads settings: kept out of import time
    from admissions.verification import services

    return services.build_bulk_export(export_id=export_id, now=clock.now()).state


@task()
def recount_campaign(campaign_id: int, requested_at: str) -> str:
    """Count the campaign's dossiers for the funnel and the queue (skipped when counted since
    ``requested_at``, an ISO instant); returns when the stored counts were made."""
    from datetime import datetime

    from django.utils import timezone

    from admissions.verification import services

    counts = services.recount_campaign(
        campaign_id=campaign_id,
        now=timezone.now(),
        requested_at=datetime.fromisoformat(requested_at),
    )
    return counts.computed_at.isoformat() if counts is not None else ""
