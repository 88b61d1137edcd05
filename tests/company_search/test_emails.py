"""The company-search help's emails (R7.3, R8.2): the invitation, the cancellation and the
change of a session, in the candidate's language, composed from the outbox row; an invitation
or a change of a session cancelled before it left is not sent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from admissions.company_search import services
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import compose
from tests.companies.conftest import JUNE, make_dossier

from .conftest import SESSION_AT, details

pytestmark = pytest.mark.django_db

Kind = OutboundEmail.Kind


def test_the_invitation_says_when_where_and_how_to_register(campaign, officer, session):
    make_dossier(campaign, "c@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)

    message = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_INVITATION))

    assert message is not None
    assert message.to == ["c@example.org"]
    assert (
        message.subject
        == "IMT Mines Albi-Carmaux : session de formation à la recherche d'entreprise"
    )
    assert "Le 15 juin 2021 à 14 h, jusqu'à 17 h" in message.body
    assert "Lieu : Campus de Jarlard, amphi 1" in message.body
    assert "Apportez votre CV." in message.body
    assert "/dossier/entreprise/" in message.body


def invite_in_english(campaign, officer, session) -> None:
    """Invite a candidate whose account reads English."""
    dossier = make_dossier(campaign, "en@example.org")
    dossier.candidate.language = "en"
    dossier.candidate.save()
    services.invite_without_company(session=session, by=officer, now=JUNE)


def test_the_invitation_is_in_english_for_an_english_account(campaign, officer, session):
    invite_in_english(campaign, officer, session)

    message = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_INVITATION))

    assert message is not None
    assert message.subject == "IMT Mines Albi-Carmaux: company-search training session"
    assert "On 15 June 2021 at 14:00, until 17:00" in message.body
    assert "Seats are limited (2)" in message.body


def test_an_invitation_to_a_cancelled_session_is_not_sent_but_the_cancellation_is(
    campaign, officer, session
):
    make_dossier(campaign, "c@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    services.cancel_session(session=session, reason="Grève des transports", by=officer, now=JUNE)

    invitation = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_INVITATION))
    cancellation = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_CANCELLED))

    assert invitation is None
    assert cancellation is not None
    assert (
        "est annulée" in cancellation.body and "Motif : Grève des transports" in cancellation.body
    )


def move(session, officer, **changes) -> None:
    services.save_session(
        campaign=session.campaign, details=details(**changes), by=officer, now=JUNE, session=session
    )


LATER = {
    "starts_at": SESSION_AT + timedelta(days=1),
    "ends_at": SESSION_AT + timedelta(days=1, hours=2),
}


def test_a_change_names_the_session_and_says_what_now_applies(campaign, officer, session):
    dossier = make_dossier(campaign, "c@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    services.register(dossier=dossier, session_id=session.pk, by=None, now=JUNE)
    move(session, officer, place="Campus de Jarlard, amphi 2", **LATER)

    message = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_CHANGED))

    assert message is not None
    assert message.to == ["c@example.org"]
    assert message.subject == "IMT Mines Albi-Carmaux : session de recherche d'entreprise modifiée"
    assert (
        "La session de formation à la recherche d'entreprise du 15 juin 2021 à 14 h a changé."
        in message.body
    )
    assert "Le 16 juin 2021 à 14 h, jusqu'à 16 h\nLieu : Campus de Jarlard, amphi 2" in message.body
    assert "Votre inscription est maintenue." in message.body


def test_a_change_is_in_english_for_an_english_account_invited_only(campaign, officer, session):
    invite_in_english(campaign, officer, session)
    move(session, officer, remote=True, link="https://visio.example.org/x")

    message = compose(OutboundEmail.objects.get(kind=Kind.TRAINING_CHANGED))

    assert message is not None
    assert message.subject == "IMT Mines Albi-Carmaux: company-search session changed"
    assert (
        "The company-search training session of 15 June 2021 at 14:00 has changed." in message.body
    )
    assert "Remote : https://visio.example.org/x" in message.body
    assert "To take part, register on the “Host company” page" in message.body


def test_a_change_of_a_session_cancelled_before_it_left_is_not_sent(campaign, officer, session):
    make_dossier(campaign, "c@example.org")
    services.invite_without_company(session=session, by=officer, now=JUNE)
    move(session, officer, place="Amphi 2")
    services.cancel_session(session=session, reason="Salle", by=officer, now=JUNE)

    assert compose(OutboundEmail.objects.get(kind=Kind.TRAINING_CHANGED)) is None
