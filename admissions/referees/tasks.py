"""Background work of the referees (R3.5, R10.2): thin tasks that take ids and call a service."""

from __future__ import annotations

import logging

from django_tasks import task

from admissions.campaigns.models import Campaign
from admissions.core import clock
from admissions.referees import emails, services
from admissions.referees.models import Referee

logger = logging.getLogger(__name__)


@task()
def send_referee_request(referee_id: int, language: str = "fr", reminder: bool = False) -> None:
    """Owe the referee their link in the outbox (kept for tasks queued before the outbox)."""
    referee = Referee.objects.filter(pk=referee_id).first()
    if referee is None:
        logger.warning("referee %s vanished before its email was sent", referee_id)
        return
    emails.queue_request(referee, language=language, reminder=reminder)


@task()
def remind_silent_referees(campaign_id: int | None = None) -> int:
    """Remind referees who have not answered (R10.2); meant to run a few times a day."""
    campaigns = (
        Campaign.objects.all() if campaign_id is None else Campaign.objects.filter(pk=campaign_id)
    )
    now = clock.now()
    return sum(services.remind_silent_referees(campaign=c, now=now) for c in campaigns)
