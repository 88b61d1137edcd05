"""The notice (R3.1): Markdown in the campaign file, rendered and sanitised, with its contents."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from admissions.campaigns.models import Campaign
from admissions.campaigns.texts import render_markdown
from tests.rules.annex3 import ANNEX3_2021_ROWS

pytestmark = pytest.mark.django_db

ANNEX3 = "annexe-3-planning-general-des-alternances-ecoleentreprise"


@pytest.fixture
def notice_page(client, reference_campaign) -> str:
    response = client.get(reverse("dossiers:notice"))
    assert response.status_code == 200
    return response.content.decode()


def _annex3_body_rows(page: str) -> list[list[str]]:
    after_heading = page.split(f'id="{ANNEX3}"', 1)[1]
    body = after_heading.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_notice_links_are_links(notice_page):
    assert (
        '<a href="https://dossier-apprentissage.imt.fr" rel="noopener noreferrer">'
        "https://dossier-apprentissage.imt.fr</a>"
    ) in notice_page
    assert '<a href="mailto:support.dossier@imt.fr" rel="noopener noreferrer">' in notice_page
    assert "&lt;https://" not in notice_page  # no Markdown autolink left as text


def test_notice_annex3_is_a_table_with_every_week_of_2021_2022(notice_page):
    rows = _annex3_body_rows(notice_page)

    assert len(rows) == 52
    assert [(int(row[0]), *row[1:]) for row in rows] == list(ANNEX3_2021_ROWS)
    assert rows[0] == ["40", "1", "1", "1"]
    assert rows[-3] == ["37", "15", "15", "Soutenances"]
    assert "<strong>Année scolaire 2021-2022.</strong>" in notice_page


def test_notice_annex1_is_a_table(notice_page):
    after = notice_page.split('id="annexe-1-nature-des-epreuves-probatoires"', 1)[1]
    table = after.split("<table>", 1)[1].split("</table>", 1)[0]

    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers == ["Épreuve d'entretien avec le jury", "Épreuve d'anglais"]


def test_notice_has_headings_and_a_table_of_contents_whose_links_all_land(notice_page):
    ids = set(re.findall(r'<h[23] id="([^"]+)"', notice_page))
    toc = re.findall(r'class="fr-summary__link" href="#([^"]+)"', notice_page)
    in_text = re.findall(r'<a href="#([^"]+)"', notice_page)

    assert '<h2 id="1-conditions-dadmission">1. Conditions d\'admission</h2>' in notice_page
    assert '<h2 id="5-annexes">5. Annexes</h2>' in notice_page
    assert len(toc) == 17
    # DSFR numbers the summary itself: the titles' own numbers are left out there.
    assert (
        '<a class="fr-summary__link" href="#1-conditions-dadmission">Conditions d&#x27;admission</a>'
        in notice_page
    )
    assert set(toc) == ids
    assert sorted(in_text) == [
        "3-modalites-de-candidature",
        "annexe-1-nature-des-epreuves-probatoires",
        "annexe-2-informations-sur-le-cursus",
        ANNEX3,
    ]


def test_notice_drops_the_word_processor_artefacts(notice_page):
    assert "Erreur" not in notice_page
    assert "Source du renvoi" not in notice_page
    assert "**" not in notice_page


def test_notice_script_written_in_the_campaign_file_is_stripped(client, reference_campaign):
    document = reference_campaign.document
    document["texts"]["notice"] = (
        "## Titre\n\nTexte <script>alert('x')</script> "
        '<a href="javascript:alert(1)" onclick="alert(2)">lien</a> <img src=x onerror="alert(3)">'
    )
    Campaign.objects.filter(pk=reference_campaign.pk).update(document=document, revision="other")

    page = client.get(reverse("dossiers:notice")).content.decode()

    assert (
        "alert("
        not in page.split('class="fr-col-12 fr-col-md-8 notice-text"', 1)[1].split("</main>")[0]
    )
    assert '<h2 id="titre">Titre</h2>' in page


def test_render_markdown_strips_scripts_and_event_handlers():
    rendered = render_markdown('<script>alert(1)</script>\n\n<p onclick="x()">Bonjour</p>')

    assert rendered.html == "\n<p>Bonjour</p>"


def test_notice_is_rendered_once_per_revision(reference_campaign, django_assert_num_queries):
    campaign = Campaign.objects.get(pk=reference_campaign.pk)
    first = campaign.notice_html()

    with django_assert_num_queries(0):
        assert campaign.notice_html() is first


def test_the_english_notice_page_says_the_notice_is_french_only(client, reference_campaign):
    """The notice is campaign data written in French: an English reader is told so, and the
    French text is marked as French for screen readers."""
    from django.utils import translation

    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(reverse("dossiers:notice")).content.decode()

    assert (
        'id="notice-language">The notice exists in French only: the French text is the one that applies.</p>'
        in page
    )
    assert '<ol class="fr-summary__list" lang="fr">' in page
