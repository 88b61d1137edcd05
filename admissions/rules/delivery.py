"""When an email that could not be handed to the mail server is tried again (R8.2).

Pure: no Django. The outbox (admissions/notifications) asks these functions after each failed
attempt; the delays cover an SMTP outage of several hours on the last evening.
"""

from __future__ import annotations

from datetime import timedelta

# Minutes to wait after the 1st, 2nd, ... failed attempt; after the last, the email is failed.
RETRY_DELAYS_MINUTES: tuple[int, ...] = (1, 5, 15, 60, 60, 60, 60, 60)
MAX_ATTEMPTS = len(RETRY_DELAYS_MINUTES) + 1  # about 5 hours of outage are absorbed


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait before the next attempt after ``attempts`` failed ones; None: give up."""
    if attempts < 1:
        raise ValueError("attempts counts the failed attempts: at least 1")
    if attempts >= MAX_ATTEMPTS:
        return None
    return timedelta(minutes=RETRY_DELAYS_MINUTES[attempts - 1])
