"""The referee's form, reached through a personal link without an account (R3.5, R9.2, R9.4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from admissions.referees import links, services
from admissions.referees.models import Recommendation, Referee
from tests.html_text import element_text

from .conftest import IN_WINDOW, link_path, page_text, png_bytes

pytestmark = pytest.mark.django_db

FORM = {
    "acquaintance": "Depuis 2019, comme maître d'apprentissage.",
    "strengths": "Une rigueur rare et un vrai sens du travail en équipe.",
    "improvements": "Oser davantage à l'oral.",
    "opinion": "favourable",
    "comment": "",
}


@pytest.fixture
def referee(dossier, name_referee, frozen_clock):
    return name_referee(dossier)


@pytest.fixture
def url(referee):
    return link_path(mail.outbox[-1].body)


def test_form_opens_without_an_account_and_shows_only_name_and_formations(client, url, dossier):
    response = client.get(url)

    assert response.status_code == 200
    page = page_text(response)
    assert "Camille Durand" in page
    assert dossier.choices.get().option.name in page
    assert dossier.reference not in page
    assert "0611223344" not in page
    assert 'for="id_strengths"' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_post_records_the_recommendation_and_shows_the_thanks_page(client, url, referee):
    response = client.post(url, FORM, follow=True)

    assert response.status_code == 200
    assert "Merci, votre recommandation a bien été reçue le 15 février 2021" in page_text(response)
    referee.refresh_from_db()
    assert referee.state == Referee.State.RECEIVED
    assert referee.recommendation.strengths == FORM["strengths"]


def test_attachment_is_judged_by_content_a_png_named_pdf_is_kept_as_png(client, url, referee):
    upload = SimpleUploadedFile("../lettre\u202e.pdf", png_bytes(), "application/pdf")

    client.post(url, {**FORM, "attachment": upload})

    recommendation = Recommendation.objects.get(referee=referee)
    assert (recommendation.format, recommendation.content_type) == ("png", "image/png")
    assert recommendation.attachment.name.endswith(".png")
    assert recommendation.original_name == "lettre.png"  # issue 10: the judged format's extension


def test_attachment_text_file_is_refused_and_what_was_typed_is_kept(client, url, referee):
    upload = SimpleUploadedFile("lettre.pdf", b"juste du texte, pas un PDF", "application/pdf")

    response = client.post(url, {**FORM, "attachment": upload})

    assert response.status_code == 200
    page = page_text(response)
    assert "Ce formulaire contient des erreurs" in page
    assert 'href="#id_attachment"' in page
    assert element_text(response.content.decode(), "id_attachment-desc-error") == (
        "Votre fichier est dans un format non reconnu ; formats acceptés : JPEG, PNG ou PDF. "
        "Enregistrez-le ou exportez-le en JPEG, PNG ou PDF (le nom du fichier ne suffit pas) et "
        "envoyez-le à nouveau."
    )
    assert FORM["strengths"] in page
    referee.refresh_from_db()
    assert referee.state == Referee.State.REQUESTED
    assert not Recommendation.objects.exists()


def test_missing_fields_are_listed_in_the_error_summary(client, url):
    response = client.post(url, {"strengths": "Sérieux."})

    page = page_text(response)
    assert response.status_code == 200
    assert 'href="#id_acquaintance"' in page
    assert 'href="#radio-id_opinion"' in page
    assert "Sérieux." in page


def test_double_post_records_once(client, url, referee):
    first = client.post(url, FORM)
    second = client.post(url, {**FORM, "strengths": "Une autre version."})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Merci, votre recommandation a bien été reçue" in page_text(second)
    assert Recommendation.objects.get().strengths == FORM["strengths"]


def test_used_link_shows_the_thanks_page_without_the_form(client, url):
    client.post(url, FORM)

    response = client.get(url)

    assert response.status_code == 200
    assert "Merci, votre recommandation a bien été reçue le" in page_text(response)
    assert 'name="strengths"' not in page_text(response)


def test_expired_link_explains_what_to_do(client, referee):
    old_token = links.make_token(referee, now=IN_WINDOW - timedelta(days=31))

    response = client.get(f"/recommandation/{old_token}/")

    assert response.status_code == 410
    assert "Lien expiré" in page_text(response)
    assert "Camille" not in page_text(response)


def test_link_after_the_grace_week_is_expired(client, url, settings):
    settings.CLOCK_AT = "2021-03-17T00:00:00+01:00"

    response = client.get(url)

    assert response.status_code == 410
    assert "Lien expiré" in page_text(response)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], "999999", 1),
        lambda token: "x-unknown",
        lambda token: token.split(":")[0],
        lambda token: "%00:%%:" + token,
    ],
    ids=["signature", "other-id", "garbage", "truncated", "junk"],
)
def test_tampered_token_gives_a_clear_page(client, url, mangle):
    token = url.split("/")[2]

    response = client.get(f"/recommandation/{mangle(token)}/")
    posted = client.post(f"/recommandation/{mangle(token)}/", FORM)

    assert response.status_code == 410
    assert posted.status_code == 410
    assert "Lien non reconnu" in page_text(response)
    assert "Camille" not in page_text(response)
    assert not Recommendation.objects.exists()


def test_replaced_referee_old_link_gives_a_clear_page(client, url, dossier):
    services.replace_referee(
        dossier=dossier,
        kind="professional",
        name="Sam Leroy",
        role="Tuteur",
        email="sam.leroy@example.com",
        by=dossier.candidate,
        now=IN_WINDOW,
    )

    response = client.get(url)
    posted = client.post(url, FORM)

    assert response.status_code == 410
    assert "le candidat a désigné un autre référent" in page_text(response)
    assert posted.status_code == 410
    assert not Recommendation.objects.exists()


def test_logged_in_staff_follow_the_same_link_rules(client, url, accounts_by_role):
    client.force_login(accounts_by_role["central_officer"])

    assert client.get(url).status_code == 200


def test_recommendation_text_is_saved_without_invisible_formatting(client, url, referee):
    """Issue 10: a right-to-left override in free text is removed on save, the text kept."""
    client.post(
        url,
        {
            **FORM,
            "strengths": "Rigueur \u202eeuqinhcet\u202c et\u2028équipe",
            "comment": "Zo\u200be",
        },
    )

    recommendation = Recommendation.objects.get(referee=referee)
    assert (recommendation.strengths, recommendation.comment) == (
        "Rigueur euqinhcet et\néquipe",
        "Zoe",
    )
