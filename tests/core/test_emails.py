"""Emails name the school and read as plain text (issue 8, "Emails and texts"; R2.1, R8.2)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from admissions.accounts.models import User
from admissions.notifications.services import deliver
from tests.helpers import PARIS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
SIGNUP = {
    "email": "new@example.org",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
}
AWKWARD = "O'Brien & Fils"
IN_WINDOW = datetime(2021, 3, 1, 10, 14, tzinfo=PARIS)


def sign_up(client, settings, capture, language: str = "fr"):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.cookies["django_language"] = language
    with capture(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_signup_confirmation_names_the_school_in_subject_and_body(
    client, reference_campaign, settings, django_capture_on_commit_callbacks
):
    email = sign_up(client, settings, django_capture_on_commit_callbacks)

    assert email.subject == "[IMT Mines Albi-Carmaux] Confirmez votre adresse électronique"
    lines = email.body.splitlines()
    assert lines[0] == "Bonjour,"
    assert lines[2] == (
        "Un compte candidat a été créé avec votre adresse new@example.org sur la plateforme de "
        "candidature en apprentissage (IMT Mines Albi-Carmaux)."
    )
    assert lines[-2] == "Le service des admissions — IMT Mines Albi-Carmaux"
    assert "[127." not in email.body
    assert "c'est  !" not in email.body


def test_signup_confirmation_in_english(
    client, reference_campaign, settings, django_capture_on_commit_callbacks
):
    email = sign_up(client, settings, django_capture_on_commit_callbacks, language="en")

    assert email.subject == "[IMT Mines Albi-Carmaux] Confirm your email address"
    assert email.body.splitlines()[0] == "Hello,"
    assert email.body.splitlines()[-2] == "The admissions office — IMT Mines Albi-Carmaux"


def test_every_plain_text_email_template_turns_html_escaping_off():
    """One way for all .txt emails: {% autoescape off %}, as allauth's own templates do."""
    templates = sorted(ROOT.glob("admissions/**/templates/**/email/*.txt"))

    assert len(templates) >= 12
    escaping = [
        str(path.relative_to(ROOT))
        for path in templates
        if "{% autoescape off %}" not in path.read_text()
    ]
    assert escaping == []


@pytest.fixture
def awkward_dossier(reference_campaign):
    """A candidate of a school whose names carry an apostrophe and an ampersand."""
    from admissions.dossiers.services import open_dossier

    school = reference_campaign.school
    school.name = AWKWARD
    school.save()
    candidate = User.objects.create_user("obrien@example.org", "a-long-password-1")
    dossier = open_dossier(candidate=candidate, campaign=reference_campaign, now=IN_WINDOW)
    dossier.first_name, dossier.last_name = "Seán", AWKWARD
    dossier.submitted_at = IN_WINDOW
    dossier.save()
    dossier.campaign.school = school  # the campaign row is cached per revision
    return dossier


def test_signup_confirmation_keeps_an_apostrophe_and_ampersand(
    client, reference_campaign, settings, django_capture_on_commit_callbacks
):
    reference_campaign.school.name = AWKWARD
    reference_campaign.school.save()
    reference_campaign.save()  # a new revision: the cached campaign row is read again

    email = sign_up(client, settings, django_capture_on_commit_callbacks)

    assert email.subject == f"[{AWKWARD}] Confirmez votre adresse électronique"
    assert email.body.splitlines()[-2] == f"Le service des admissions — {AWKWARD}"


def test_receipt_email_keeps_names_as_written_and_dates_in_words(awkward_dossier):
    send_receipt(awkward_dossier, "fr")

    lines = mail.outbox[0].body.splitlines()
    assert lines[0] == f"Bonjour Seán {AWKWARD},"
    assert lines[2] == (
        f"Votre dossier {awkward_dossier.reference} pour la campagne « Admission en 1re année du cycle "
        "ingénieur généraliste par la voie de l'alternance — session 2021 » "
        f"({AWKWARD}) a bien été déposé le 1er mars 2021 à 10 h 14."
    )


def test_receipt_email_in_english_shows_the_english_campaign_title(awkward_dossier):
    send_receipt(awkward_dossier, "en")

    assert mail.outbox[0].body.splitlines()[2] == (
        f"Your application {awkward_dossier.reference} for “Admission to the first year of the general "
        f"engineering degree through work-study — 2021 session” ({AWKWARD}) was submitted on "
        "1 March 2021 at 10:14."
    )


def test_reminder_email_keeps_names_as_written(awkward_dossier):
    from admissions.dossiers.emails import queue_reminder
    from admissions.dossiers.models import DossierReminder

    awkward_dossier.submitted_at = None
    awkward_dossier.save()
    reminder = DossierReminder.objects.create(
        dossier=awkward_dossier, stage="j-7", sent_at=IN_WINDOW
    )

    deliver(email_id=queue_reminder(reminder=reminder).pk)

    lines = mail.outbox[0].body.splitlines()
    assert lines[0] == f"Bonjour Seán {AWKWARD},"
    assert lines[2].startswith(f"Votre dossier de candidature ({AWKWARD}) n'est pas encore déposé.")


def test_referee_request_keeps_names_as_written(awkward_dossier):
    from admissions.referees.emails import queue_request
    from admissions.referees.models import Referee

    referee = Referee.objects.create(
        dossier=awkward_dossier,
        kind=Referee.Kind.PROFESSIONAL,
        name=AWKWARD,
        role="Maître d'apprentissage",
        email="ref@example.org",
        requested_at=IN_WINDOW,
    )

    deliver(email_id=queue_request(referee, language="fr", reminder=False).pk)

    email = mail.outbox[0]
    # The school's short name, and no text the candidate typed (issue 10).
    assert email.subject == "Demande de recommandation — IMT Mines Albi"
    assert email.body.splitlines()[0] == f"Bonjour {AWKWARD},"
    assert email.body.splitlines()[2] == (
        f"Seán {AWKWARD} vous a désigné(e) comme référent(e) professionnel(le) pour sa candidature "
        f"au cycle ingénieur par la voie de l'alternance ({AWKWARD})."
    )


def test_message_notice_keeps_names_as_written(awkward_dossier):
    from admissions.support.emails import queue_new_message
    from admissions.support.models import Message

    message = Message.objects.create(
        dossier=awkward_dossier,
        author=awkward_dossier.candidate,
        from_staff=True,
        body="Réponse",
        sent_at=IN_WINDOW,
    )

    deliver(email_id=queue_new_message(message).pk)

    assert (
        mail.outbox[0].body.strip().splitlines()[-1]
        == f"Plateforme de candidature en apprentissage — {AWKWARD}"
    )


def send_receipt(dossier, language: str) -> None:
    """The receipt as the worker sends it: owed in the outbox, then delivered."""
    from admissions.dossiers.emails import queue_receipt

    deliver(email_id=queue_receipt(dossier=dossier, language=language).pk)
