"""When to remind candidates whose dossier is not submitted (R10.2).

Reminders go a few days and a few hours before the application window closes. Each stage is
sent once; a stage whose moment has passed while the platform was down is still sent, as long
as the window is open, but only the latest such stage (no burst of stale reminders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from admissions.rules import clock
from admissions.rules.params import Window


@dataclass(frozen=True)
class ReminderStage:
    code: str  # "days", "hours"
    before_close: timedelta


DEFAULT_STAGES = (
    ReminderStage("days", timedelta(days=3)),
    ReminderStage("hours", timedelta(hours=6)),
)


def due_stage(
    window: Window, now: datetime, already_sent: frozenset[str], stages=DEFAULT_STAGES
) -> ReminderStage | None:
    """The stage to send at ``now``, or None: the latest stage reached and not sent yet."""
    instant = clock.utc(now)
    if not (clock.utc(window.opens_at) <= instant < clock.utc(window.closes_at)):
        return None
    reached = [
        stage for stage in stages if instant >= clock.utc(window.closes_at) - stage.before_close
    ]
    if not reached:
        return None
    latest = min(reached, key=lambda stage: stage.before_close)
    return None if latest.code in already_sent else latest
