"""Background work of the support thread (R3.9, R8.2): thin tasks that take ids."""

from __future__ import annotations

import logging

from django_tasks import task

from admissions.support import emails
from admissions.support.models import Message

logger = logging.getLogger(__name__)


@task()
def notify_new_message(message_id: int) -> None:
    """Owe the other side the notice in the outbox (kept for tasks queued before the outbox)."""
    message = (
        Message.objects.select_related("dossier__campaign", "dossier__candidate")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        logger.warning("support message %s vanished before its email was sent", message_id)
        return
    emails.queue_new_message(message)
