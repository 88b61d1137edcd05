"""R9.3: a campaign's personal data may be purged only after the retention date of its file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from admissions.rules.params import Retention
from admissions.rules.retention import may_purge, purge_allowed_from

PARIS = ZoneInfo("Europe/Paris")


def test_purge_allowed_from_the_day_after_the_retention_date_at_local_midnight(campaign_2021):
    campaign = replace(campaign_2021, retention=Retention(personal_data_until=date(2022, 12, 31)))

    assert purge_allowed_from(campaign) == datetime(2023, 1, 1, 0, 0, tzinfo=PARIS)


def test_may_purge_is_false_until_the_last_instant_of_the_retention_date(campaign_2021):
    campaign = replace(campaign_2021, retention=Retention(personal_data_until=date(2022, 12, 31)))
    allowed_from = datetime(2023, 1, 1, 0, 0, tzinfo=PARIS)

    assert may_purge(campaign, allowed_from - timedelta(microseconds=1)) is False
    assert may_purge(campaign, allowed_from) is True


def test_may_purge_compares_instants_across_a_summer_time_date(campaign_2021):
    campaign = replace(campaign_2021, retention=Retention(personal_data_until=date(2022, 7, 14)))
    utc_instant = datetime(2022, 7, 14, 22, 0, tzinfo=ZoneInfo("UTC"))  # 15 July 00:00 in Paris

    assert may_purge(campaign, utc_instant) is True
    assert may_purge(campaign, utc_instant - timedelta(seconds=1)) is False


def test_campaign_without_retention_is_never_purged(campaign_2021):
    campaign = replace(campaign_2021, retention=None)

    assert purge_allowed_from(campaign) is None
    assert may_purge(campaign, datetime(2100, 1, 1, tzinfo=PARIS)) is False
