"""Account emails (confirmation, password reset) leave through the outbox (R2.1, R8.2).

This task remains for tasks queued before the outbox: it owes the email there, once.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from admissions.accounts.emails import queue_account_email


@task()
def send_account_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str = ""
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    queue_account_email(template_prefix="", message=message)
