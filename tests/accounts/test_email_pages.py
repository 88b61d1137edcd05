"""The pages around the confirmation email (issue 8): clear wording and a real contact (R2.1)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.html_text import element, element_text

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
}


@pytest.fixture
def signed_up(client, reference_campaign, settings, django_capture_on_commit_callbacks):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP, follow=True)
    return response


def test_check_your_email_page_gives_the_central_service_contact(signed_up):
    assert signed_up.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    text, tags = element(signed_up.content.decode(), "verification-contact")

    assert text == (
        "Toujours rien après quelques minutes ? Écrivez au service « Dossier commun Apprentissage » : "
        "support.dossier@imt.fr."
    )
    assert tags["a"]["href"] == "mailto:support.dossier@imt.fr"


def test_confirmation_page_asks_to_confirm_that_the_address_is_yours(client, signed_up):
    path = re.search(r"https?://\S+?(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)

    response = client.get(path)

    assert element_text(response.content.decode(), "confirm-email-text") == (
        "Confirmez que new@example.org est bien votre adresse électronique : c'est à cette adresse "
        "que la plateforme vous écrira au sujet de votre candidature."
    )


def test_confirmation_page_in_english(client, signed_up):
    path = re.search(r"https?://\S+?(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    client.cookies["django_language"] = "en"

    response = client.get(path)

    assert element_text(response.content.decode(), "confirm-email-text") == (
        "Please confirm that new@example.org is your email address: it is the address the platform "
        "will write to about your application."
    )
