"""The home page: the campaign at a glance, and the way in for each visitor (R1.5, R10.1)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_visitors_are_invited_to_create_an_account_while_applications_are_open(
    client, reference_campaign, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"

    page = client.get("/").content.decode()

    assert "Créer mon compte candidat" in page
    assert "Dépôt des candidatures" in page


def test_no_invitation_to_sign_up_after_the_close(client, reference_campaign, settings):
    settings.CLOCK_AT = "2021-03-10T00:00:00+01:00"

    page = client.get("/").content.decode()

    assert "Créer mon compte candidat" not in page


def test_a_logged_in_candidate_is_sent_to_their_dossier(
    client, reference_campaign, accounts_by_role, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.force_login(accounts_by_role["candidate"])

    page = client.get("/").content.decode()

    assert 'href="/dossier/"' in page
    assert "Créer mon compte candidat" not in page


def test_home_page_without_any_campaign_says_so(client, db):
    page = client.get("/").content.decode()

    assert "Aucune campagne" in page


def test_the_central_service_finds_its_pages_on_the_home_page(
    client, reference_campaign, accounts_by_role
):
    client.force_login(accounts_by_role["central_officer"])

    page = client.get("/").content.decode()

    assert 'href="/gestion/paiements/"' in page
    assert 'href="/gestion/messages/"' in page
    assert 'href="/admin/"' not in page


def test_candidates_see_no_staff_links(client, reference_campaign, accounts_by_role):
    client.force_login(accounts_by_role["candidate"])

    assert "staff-links" not in client.get("/").content.decode()
