"""Accounts (R2.1, R9.3): sign-up inside the window only, confirmation email, purpose shown."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from admissions.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
}


def test_signup_page_shows_the_purpose_of_personal_data(client, reference_campaign, settings):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"

    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert "servent uniquement à examiner votre candidature" in response.content.decode()


def test_signup_sends_the_confirmation_email_that_leads_to_the_dossier(
    client, reference_campaign, settings, django_capture_on_commit_callbacks
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)

    assert User.objects.filter(email="new@example.org").exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert client.get(reverse("dossiers:overview")).status_code == 200


def test_signup_is_closed_after_the_application_window_with_the_dates(
    client, reference_campaign, settings
):
    settings.CLOCK_AT = "2021-03-10T00:00:00+01:00"

    response = client.post(reverse("account_signup"), SIGNUP)

    assert not User.objects.filter(email="new@example.org").exists()
    page = response.content.decode()
    assert "La création de compte est close" in page
    assert "9 mars 2021 à minuit" in page


def test_signup_is_open_one_second_before_the_close(client, reference_campaign, settings):
    settings.CLOCK_AT = "2021-03-09T23:59:59+01:00"

    client.post(reverse("account_signup"), SIGNUP)

    assert User.objects.filter(email="new@example.org").exists()


def test_existing_candidate_can_still_log_in_after_the_close(client, reference_campaign, settings):
    from allauth.account.models import EmailAddress

    settings.CLOCK_AT = "2021-04-01T10:00:00+02:00"
    user = User.objects.create_user("old@example.org", "un-mot-de-passe-solide-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"),
        {"login": "old@example.org", "password": "un-mot-de-passe-solide-42"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:overview")


def test_repeated_login_failures_are_throttled(client, reference_campaign):
    User.objects.create_user("old@example.org", "un-mot-de-passe-solide-42")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "old@example.org", "password": "wrong"})

    response = client.post(
        reverse("account_login"), {"login": "old@example.org", "password": "wrong"}
    )

    assert (
        response.status_code == 429
        or "Trop de tentatives" in response.content.decode()
        or "Too many" in response.content.decode()
    )


def test_password_reset_sends_a_link_in_the_background(
    client, reference_campaign, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    user = User.objects.create_user("forgot@example.org", "un-mot-de-passe-solide-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})

    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_candidate_reads_their_dossier_after_the_close(client, reference_campaign, settings):
    from allauth.account.models import EmailAddress

    settings.CLOCK_AT = "2021-04-01T10:00:00+02:00"
    user = User.objects.create_user("old@example.org", "un-mot-de-passe-solide-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(
        reverse("account_login"),
        {"login": "old@example.org", "password": "un-mot-de-passe-solide-42"},
    )

    response = client.get(reverse("dossiers:page", args=["identite"]))

    assert response.status_code == 200
    assert (
        "Le dépôt des candidatures est clos : votre dossier est en lecture seule."
        in html.unescape(response.content.decode())
    )
