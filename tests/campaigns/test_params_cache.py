"""Campaign.params() is cached per revision; every change that reaches it is seen at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.campaigns.models import Campaign, CampaignExtension

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_params_are_built_once_per_revision(reference_campaign, django_assert_num_queries):
    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    campaign.params()

    with django_assert_num_queries(0):
        campaign.params()


def test_an_extension_recorded_elsewhere_is_seen_by_the_next_read(reference_campaign):
    before = Campaign.objects.get(pk=reference_campaign.pk).params()
    CampaignExtension.objects.create(
        campaign=reference_campaign,
        window="applications",
        closes_at=datetime(2021, 3, 11, 0, 0, tzinfo=PARIS),
        reason="Panne",
        created_at=datetime(2021, 3, 9, 23, 0, tzinfo=PARIS),
    )

    after = Campaign.objects.get(pk=reference_campaign.pk).params()

    assert before.extensions == ()
    assert [extension.reason for extension in after.extensions] == ["Panne"]


def test_a_date_moved_by_staff_is_seen_by_the_next_read(reference_campaign):
    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    campaign.params()
    campaign.admissibility_results_at = datetime(2021, 3, 25, 12, 0, tzinfo=PARIS)
    campaign.save()

    moved = Campaign.objects.get(pk=reference_campaign.pk).params()

    assert moved.calendar.admissibility_results_at == datetime(2021, 3, 25, 12, 0, tzinfo=PARIS)


def test_a_full_cache_keeps_what_was_just_built():
    """A page builds several things of one revision in a row: when the cache is full, the
    oldest entries go, never the one built a moment before (it was all cleared, so a page could
    build the same thing twice: a flaky query count)."""
    from admissions.campaigns import models

    models._REVISION_CACHE.clear()
    for number in range(models.REVISION_CACHE_SIZE):
        models.per_revision(1, f"old-{number}", "params", lambda: "old")
    builds = []

    for what in ("params", "document"):
        models.per_revision(2, "new", what, lambda what=what: builds.append(what) or what)
    for what in ("params", "document"):
        models.per_revision(2, "new", what, lambda what=what: builds.append(what) or what)

    assert builds == ["params", "document"]
    assert len(models._REVISION_CACHE) == models.REVISION_CACHE_SIZE
    assert ("params", 1, "old-0") not in models._REVISION_CACHE
    models._REVISION_CACHE.clear()
