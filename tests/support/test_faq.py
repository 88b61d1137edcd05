"""Help: the FAQ link in every page's header and the answers to the notice's questions (R3.9)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.helpers import page_text

pytestmark = pytest.mark.django_db

HELP_LINK = '<a class="fr-btn fr-icon-question-line" href="/aide/">Aide / FAQ</a>'


def _questions(page: str) -> list[str]:
    return re.findall(r'class="fr-accordion__btn"[^>]*>([^<]+)</button>', page)


@pytest.mark.parametrize("path", ["/", "/notice/", "/accounts/login/"])
def test_header_links_to_the_faq_for_visitors(client, reference_campaign, path):
    assert HELP_LINK in client.get(path).content.decode()


def test_header_links_to_the_faq_for_a_candidate_in_the_dossier(
    client, reference_campaign, accounts_by_role, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client.force_login(accounts_by_role["candidate"])

    assert HELP_LINK in client.get(reverse("dossiers:overview")).content.decode()


def test_faq_answers_the_questions_the_notice_raises(client, reference_campaign):
    page = page_text(client.get("/aide/"))

    assert _questions(page) == [
        "Jusqu'à quand puis-je créer mon compte et déposer ma candidature ?",
        "Quels fichiers puis-je déposer ?",
        "Mon fichier dépasse 2 Mo : que faire ?",
        "Combien coûte la candidature ?",
        "Je suis boursier : quel justificatif fournir ?",
        "Mon relevé de notes du premier semestre n'est pas encore disponible : puis-je déposer mon dossier ?",
        "Comment fonctionnent les recommandations ?",
        "Mon établissement ne remplit pas de recommandations individuelles : que faire ?",
        "Je vise un contrat de professionnalisation : qui contacter ?",
        "Comment se déroulent les épreuves probatoires ?",
        "Puis-je changer de jour d'épreuves ?",
        "Dois-je avoir trouvé une entreprise pour candidater ?",
        "Je suis salarié : puis-je candidater en formation continue ?",
        "Qui contacter en cas de difficulté ?",
    ]


def test_faq_is_entirely_in_english_in_the_english_interface(client, reference_campaign):
    client.cookies["django_language"] = "en"

    page = client.get("/aide/").content.decode()

    questions = _questions(page)
    assert len(questions) == 14
    assert 'lang="fr"' not in page.split("fr-accordions-group", 1)[1].split("</main>", 1)[0]
    assert "How much does applying cost?" in page


def test_faq_answers_are_markdown_rendered(client, reference_campaign):
    page = client.get("/aide/").content.decode()

    assert (
        '<a href="mailto:admissions@mines-albi.fr" rel="noopener noreferrer">admissions@mines-albi.fr</a>'
        in page
    )
    assert '<th scope="col">Chaque formation supplémentaire</th>' in page
    assert "<td>Non-boursiers</td>\n<td>77 €</td>\n<td>22 €</td>" in page
    assert "<strong>9 mars 2021 à minuit</strong>" in page
    assert "**" not in page
