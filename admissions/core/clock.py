"""The platform's one clock (R1.5).

Every rule that depends on time gets its instant from here (views, services, tasks, commands),
so tests and simulations can run a campaign at any date: settings.CLOCK_AT freezes the clock at
an instant; with settings.CLOCK_SINCE as well, time flows from CLOCK_AT at the real pace.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone


def _aware(text: str) -> datetime:
    instant = datetime.fromisoformat(text)
    return timezone.make_aware(instant) if timezone.is_naive(instant) else instant


def now() -> datetime:
    at = getattr(settings, "CLOCK_AT", "")
    if not at:
        return timezone.now()
    since = getattr(settings, "CLOCK_SINCE", "")
    if not since:
        return _aware(at)
    return _aware(at) + (timezone.now() - _aware(since))
