"""When a campaign's personal data may be purged (R9.3).

The campaign file keeps personal data until a date (``[retention] personal_data_until``, a
local date, inclusive); the purge is allowed from the next day at 00:00 in the campaign's zone,
the same half-open reading as every other "until" of the platform.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from admissions.rules.params import Campaign


def purge_allowed_from(campaign: Campaign) -> datetime | None:
    """The first instant the campaign may be purged; None when its file sets no retention."""
    retention = campaign.retention
    if retention is None:
        return None
    day_after = retention.personal_data_until + timedelta(days=1)
    return datetime.combine(day_after, time(0, 0), tzinfo=ZoneInfo(campaign.calendar.time_zone))


def may_purge(campaign: Campaign, now: datetime) -> bool:
    """True once the retention period is over; never for a campaign without one."""
    allowed_from = purge_allowed_from(campaign)
    return allowed_from is not None and now >= allowed_from
