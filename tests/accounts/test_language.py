"""The account keeps the language it uses the platform in; its emails follow (R8.2)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from admissions.accounts.languages import recipient_language
from admissions.accounts.models import User
from admissions.dossiers.reminders import send_due_reminders
from admissions.dossiers.services import open_dossier
from admissions.notifications.models import OutboundEmail
from tests.helpers import IN_WINDOW

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
THREE_DAYS_BEFORE = datetime(2021, 3, 7, 9, 0, tzinfo=PARIS)
PASSWORD = "un-mot-de-passe-solide-42"


def confirmed_account(email: str = "ana@example.org", language: str = "fr") -> User:
    user = User.objects.create_user(email, PASSWORD, language=language)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_sign_up_from_an_english_page_keeps_english(
    client, reference_campaign, settings, django_capture_on_commit_callbacks
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.cookies["django_language"] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )

    assert User.objects.get(email="new@example.org").language == "en"
    assert OutboundEmail.objects.get().language == "en"


def test_sign_up_from_a_french_page_keeps_french(client, reference_campaign, settings):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"

    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert User.objects.get(email="new@example.org").language == "fr"


def test_login_after_choosing_english_keeps_english(client, reference_campaign):
    user = confirmed_account()
    client.cookies["django_language"] = "en"

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.language == "en"


def test_login_from_a_browser_that_chose_no_language_keeps_the_accounts(client, reference_campaign):
    user = confirmed_account(language="en")

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    user.refresh_from_db()
    assert (response.status_code, user.language) == (302, "en")


def test_switching_language_while_signed_in_keeps_the_choice(client, reference_campaign):
    user = confirmed_account(language="en")
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    user.refresh_from_db()
    assert (response.status_code, user.language) == (302, "fr")


def test_switching_to_an_unknown_language_changes_nothing(client, reference_campaign):
    user = confirmed_account(language="en")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "de", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"


def test_switching_language_signed_out_still_works(client, reference_campaign):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert (response.status_code, response.cookies["django_language"].value) == (302, "en")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (User(email="a@example.org", language="en"), "en"),
        (User(email="b@example.org", language="fr"), "fr"),
        (User(email="c@example.org", language="xx"), "fr"),
        (None, "fr"),
    ],
)
def test_recipient_language_falls_back_to_french(who, expected):
    assert recipient_language(who) == expected


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "Hello,",
                "",
                "Your application (IMT Mines Albi-Carmaux) has not been submitted yet. Submission "
                "closes at midnight at the end of 9 March 2021 (Paris time): after that date, no "
                "application can be submitted.",
            ],
        ),
        (
            "fr",
            [
                "Bonjour,",
                "",
                "Votre dossier de candidature (IMT Mines Albi-Carmaux) n'est pas encore déposé. Le "
                "dépôt ferme le 9 mars 2021 à minuit (heure de Paris) : après cette date, aucun "
                "dossier ne peut plus être déposé.",
            ],
        ),
    ],
)
def test_a_candidate_gets_reminders_in_their_accounts_language(
    reference_campaign, django_capture_on_commit_callbacks, language, lines
):
    """An English candidate gets English reminders; a French one French (R8.2, R10.2)."""
    candidate = confirmed_account("late@example.org", language=language)
    open_dossier(candidate=candidate, campaign=reference_campaign, now=IN_WINDOW)

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(campaign=reference_campaign, now=THREE_DAYS_BEFORE)

    (message,) = mail.outbox
    email = OutboundEmail.objects.get()
    assert (email.language, email.dossier.candidate) == (language, candidate)
    assert message.body.splitlines()[:3] == lines
