"""The back office shows campaigns read-only where the file rules, and records extensions (R1.6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from admissions.audit.models import AuditEntry
from admissions.campaigns.models import Campaign, CampaignExtension
from admissions.campaigns.schema import load_campaign_file
from admissions.campaigns.services import load_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(reference_text):
    loaded, _ = load_campaign(load_campaign_file(reference_text), source_text=reference_text)
    return loaded


@pytest.fixture
def admin_client_logged(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin@example.org", "x" * 12)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize(
    "name",
    [
        "admin:campaigns_campaign_changelist",
        "admin:campaigns_option_changelist",
        "admin:campaigns_alternationperiod_changelist",
        "admin:campaigns_campaignextension_changelist",
    ],
)
def test_admin_lists_open(campaign, admin_client_logged, name):
    client, _ = admin_client_logged

    assert client.get(reverse(name)).status_code == 200


def test_admin_campaign_page_shows_the_document_read_only(campaign, admin_client_logged):
    client, _ = admin_client_logged

    response = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))

    assert response.status_code == 200
    assert 'name="document"' not in response.content.decode()
    assert "imt-mines-albi" in response.content.decode()


def test_admin_adds_an_extension_through_the_service(campaign, admin_client_logged):
    client, user = admin_client_logged

    response = client.post(
        reverse("admin:campaigns_campaignextension_add"),
        {
            "campaign": campaign.pk,
            "window": "applications",
            "closes_at_0": "2021-03-11",
            "closes_at_1": "00:00:00",
            "reason": "Panne de la plateforme le 9 mars au soir",
            "candidate_ref": "",
        },
    )

    assert response.status_code == 302
    extension = CampaignExtension.objects.get()
    assert (extension.created_by, extension.source) == (user, CampaignExtension.Source.STAFF)
    assert AuditEntry.objects.filter(action="campaigns.extension.created").count() == 1
    assert Campaign.objects.get().params().extensions[0].reason.startswith("Panne")


def test_admin_refuses_an_extension_that_does_not_extend(campaign, admin_client_logged):
    client, _ = admin_client_logged

    response = client.post(
        reverse("admin:campaigns_campaignextension_add"),
        {
            "campaign": campaign.pk,
            "window": "applications",
            "closes_at_0": "2021-03-09",
            "closes_at_1": "00:00:00",
            "reason": "Erreur",
        },
    )

    assert response.status_code == 200
    assert "Une prolongation doit fermer après la clôture prévue" in response.content.decode()
    assert CampaignExtension.objects.count() == 0


def test_admin_refuses_a_moved_date_that_breaks_the_calendar_order(reference_campaign):
    """Staff may move a date (R1.2), but not so that the campaign would no longer load."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.forms.models import model_to_dict

    from admissions.campaigns.admin import CampaignAdminForm
    from admissions.campaigns.models import Campaign

    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    data = {k: v for k, v in model_to_dict(campaign).items() if v is not None}
    data["admissibility_results_at"] = datetime(2021, 3, 25, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))

    form = CampaignAdminForm(data=data, instance=campaign)

    assert form.is_valid() is False
    assert "admissibility_results_at" in " ".join(form.non_field_errors())
    assert (
        Campaign.objects.get(pk=campaign.pk).admissibility_results_at
        != data["admissibility_results_at"]
    )


def test_admin_accepts_a_moved_date_that_keeps_the_order(reference_campaign):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.forms.models import model_to_dict

    from admissions.campaigns.admin import CampaignAdminForm
    from admissions.campaigns.models import Campaign

    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    data = {k: v for k, v in model_to_dict(campaign).items() if v is not None}
    data["admissibility_results_at"] = datetime(2021, 3, 23, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))

    form = CampaignAdminForm(data=data, instance=campaign)

    assert form.is_valid() is True, form.errors
