"""The company-search help's emails (R7.3, R8.2): the invitation and the cancellation, in the
candidate's language, composed from the outbox row; an invitation to a session cancelled before
it left is not sent."""

from __future__ import annotations

import pytest

from admissions.company_search import services
from admissions.notifications.models import OutboundEmail
from admissions.notifications.services import compose
from tests.companies.conftest import JUNE, make_dossier

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


def test_the_invitation_is_in_english_for_an_english_account(campaign, officer, session):
    dossier = make_dossier(campaign, "en@example.org")
    dossier.candidate.language = "en"
    dossier.candidate.save()
    services.invite_without_company(session=session, by=officer, now=JUNE)

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
