"""Which campaign the platform shows, and whether sign-up is open (R2.1)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from admissions.campaigns.schema import load_campaign_file
from admissions.campaigns.selectors import current_campaign, signup_open
from admissions.campaigns.services import extend_window, load_campaign

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def campaign(reference_text):
    loaded, _ = load_campaign(load_campaign_file(reference_text), source_text=reference_text)
    return loaded


def test_current_campaign_is_the_default_one(campaign, settings):
    settings.DEFAULT_CAMPAIGN = "imt-mines-albi-2021"

    assert current_campaign() == campaign


def test_current_campaign_falls_back_to_the_latest(campaign, settings, reference_text):
    settings.DEFAULT_CAMPAIGN = "unknown"
    later_text = reference_text.replace(
        'code = "imt-mines-albi-2021"', 'code = "imt-mines-albi-2022"'
    ).replace("session = 2021", "session = 2022")
    later, _ = load_campaign(load_campaign_file(later_text), source_text=later_text)

    assert current_campaign() == later


def test_current_campaign_none_without_campaigns():
    assert current_campaign() is None


def test_signup_open_until_the_close_of_applications(campaign, settings):
    settings.CLOCK_AT = "2021-03-09T23:59:59+01:00"
    assert signup_open(None) is True

    settings.CLOCK_AT = "2021-03-10T00:00:00+01:00"
    assert signup_open(None) is False


def test_signup_reopened_by_an_extension_for_everyone_only(campaign, settings):
    settings.CLOCK_AT = "2021-03-10T12:00:00+01:00"
    extend_window(
        campaign=campaign,
        window="applications",
        closes_at=datetime(2021, 3, 11, tzinfo=PARIS),
        reason="Panne le 9 mars au soir",
        candidate_ref="A-0042",
    )
    assert signup_open(None) is False

    extend_window(
        campaign=campaign,
        window="applications",
        closes_at=datetime(2021, 3, 11, tzinfo=PARIS),
        reason="Panne le 9 mars au soir",
    )
    assert signup_open(None) is True


def test_signup_closed_without_campaign(settings):
    settings.CLOCK_AT = "2021-03-01T00:00:00+01:00"

    assert signup_open(None) is False


def test_current_campaign_reads_only_the_revision_once_the_row_is_known(
    campaign, django_assert_num_queries
):
    current_campaign()

    with django_assert_num_queries(1):
        again = current_campaign()

    assert again == campaign
    assert again.school.name == campaign.school.name  # read with the row, no query


def test_a_change_to_the_campaign_is_seen_by_the_next_read(campaign):
    current_campaign()
    campaign.name = "Campagne renommée"
    campaign.save()

    assert current_campaign().name == "Campagne renommée"


def test_a_renamed_school_is_seen_by_the_next_read(campaign):
    current_campaign()
    school = campaign.school
    school.name = "École renommée"
    school.save()

    assert current_campaign().school.name == "École renommée"


def test_a_request_changing_its_campaign_does_not_change_the_next_ones(campaign):
    mine = current_campaign()
    mine.name = "Changé en mémoire seulement"

    assert current_campaign().name == campaign.name


def test_the_notice_and_contacts_are_read_without_the_file_columns(
    campaign, django_assert_num_queries
):
    first = current_campaign()
    assert "document" in first.get_deferred_fields()
    first.notice_text()  # reads the document once for this revision

    with django_assert_num_queries(1):  # the revision only
        again = current_campaign()
        assert again.notice_text() == campaign.notice_text()
        assert again.contacts() == campaign.contacts()
