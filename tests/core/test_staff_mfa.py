"""R2.2: staff use two-factor authentication; candidates are not asked for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, accounts_by_role, settings):
    settings.STAFF_REQUIRE_MFA = True
    client.force_login(accounts_by_role["central_officer"])

    response = client.get(reverse("payments:pending"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_a_second_factor_reach_their_pages(client, accounts_by_role, settings):
    from allauth.mfa.models import Authenticator

    settings.STAFF_REQUIRE_MFA = True
    officer = accounts_by_role["central_officer"]
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(officer)

    assert client.get(reverse("payments:pending")).status_code == 200


def test_candidates_are_not_asked_for_a_second_factor(client, accounts_by_role, settings, reference_campaign):
    settings.STAFF_REQUIRE_MFA = True
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.force_login(accounts_by_role["candidate"])

    assert client.get(reverse("dossiers:overview")).status_code == 200
