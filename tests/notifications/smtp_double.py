"""A mail server for the tests that can be down, or refuse an address, and counts deliveries."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class MailServer:
    """The state the backend reads: switched by the tests through the ``smtp`` fixture."""

    def __init__(self) -> None:
        self.down = False
        self.refused: set[str] = set()
        self.delivered: list[EmailMessage] = []

    def recipients(self) -> list[str]:
        return sorted(address for message in self.delivered for address in message.to)


SERVER = MailServer()


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if SERVER.down:
            raise ConnectionRefusedError(111, "Connection refused")
        for message in email_messages:
            message.message()  # headers checked as the SMTP backend would
            refused = {
                address: (550, b"5.1.1 No such user")
                for address in message.to
                if address in SERVER.refused
            }
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
            SERVER.delivered.append(message)
        return len(email_messages)
