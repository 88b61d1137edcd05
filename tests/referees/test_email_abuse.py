"""The referee form cannot be turned into a mailing tool, and a failed email shows as failed
(issue 10): replacements limited per kind and per day, no candidate text in the subject."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from admissions.notifications.models import OutboundEmail
from admissions.referees import services
from admissions.referees.models import Referee
from admissions.referees.services import RefereeError

from .conftest import IN_WINDOW, page_text

pytestmark = pytest.mark.django_db
URL = "/dossier/recommandations/"


def replace(dossier, n: int, *, now, kind: str = "professional") -> Referee:
    return services.replace_referee(
        dossier=dossier,
        kind=kind,
        name=f"Référent {n}",
        role="Tuteur",
        email=f"referent{n}@example.com",
        by=dossier.candidate,
        now=now,
    )


def test_replace_referee_is_refused_twice_within_24_hours(dossier, name_referee):
    name_referee(dossier)
    replace(dossier, 1, now=IN_WINDOW)

    with pytest.raises(RefereeError) as refused:
        replace(dossier, 2, now=IN_WINDOW + timedelta(hours=23))

    assert str(refused.value.message) == (
        "Un remplacement au plus toutes les 24 heures : vous pourrez remplacer ce référent "
        "à partir du 16 février 2021 à 10 h."
    )
    assert Referee.objects.filter(dossier=dossier).count() == 2


def test_replace_referee_is_refused_after_three_replacements_of_a_kind(dossier, name_referee):
    name_referee(dossier)
    name_referee(dossier, "academic", email="academique@example.com")
    for n in range(1, 4):
        replace(dossier, n, now=IN_WINDOW + timedelta(days=n))

    with pytest.raises(RefereeError) as refused:
        replace(dossier, 4, now=IN_WINDOW + timedelta(days=5))
    other_kind = replace(dossier, 5, now=IN_WINDOW + timedelta(days=5), kind="academic")

    assert str(refused.value.message).startswith(
        "Vous avez déjà remplacé ce référent 3 fois : ce n'est plus possible."
    )
    assert other_kind.email == "referent5@example.com"
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REFEREE_REQUEST).count() == 6


def test_replace_referee_refusal_is_in_the_page_language(dossier, name_referee):
    name_referee(dossier)
    replace(dossier, 1, now=IN_WINDOW)

    with translation.override("en"), pytest.raises(RefereeError) as refused:
        replace(dossier, 2, now=IN_WINDOW + timedelta(hours=1))

    assert str(refused.value.message).startswith("At most one replacement every 24 hours:")


def test_referee_request_subject_carries_no_text_typed_by_the_candidate(
    dossier, name_referee, smtp
):
    name_referee(dossier, name="Camille\r\nBcc: victim@example.org", role="GAGNEZ 1000 €")

    assert [message.subject for message in smtp.delivered] == [
        "Demande de recommandation — IMT Mines Albi"
    ]
    assert smtp.delivered[0].to == ["alex.martin@example.com"]
    assert OutboundEmail.objects.get().state == OutboundEmail.State.SENT


def test_referee_reminder_subject_names_the_school(
    dossier, name_referee, smtp, django_capture_on_commit_callbacks
):
    name_referee(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        services.remind_referee(
            dossier=dossier,
            kind="professional",
            by=dossier.candidate,
            now=IN_WINDOW + timedelta(days=1),
        )

    assert [message.subject for message in smtp.delivered] == [
        "Demande de recommandation — IMT Mines Albi",
        "Rappel : Demande de recommandation — IMT Mines Albi",
    ]


def test_page_shows_a_request_that_could_not_be_delivered_as_failed(
    client, dossier, name_referee, smtp, frozen_clock
):
    smtp.refused = {"alex.martin@example.com"}
    name_referee(dossier)
    name_referee(dossier, "academic", email="academique@example.com")
    client.force_login(dossier.candidate)

    page = page_text(client.get(URL))
    with translation.override("en"):
        english = page_text(client.get(URL, headers={"accept-language": "en"}))

    assert page.count("Envoi échoué, vérifiez l'adresse") == 1
    assert "Demande faite le 15 février 2021 à 10 h." in page
    assert english.count("Sending failed, check the address") == 1
