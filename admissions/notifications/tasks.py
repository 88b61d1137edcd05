"""Background delivery of the outbox's emails (R8.2): a thin task around ``services.deliver``."""

from __future__ import annotations

from django_tasks import task

from admissions.notifications import services


@task()
def deliver_email(email_id: int) -> str:
    return services.deliver(email_id=email_id)
