"""One registry of the dossier's pages (dossiers/pages.py, issue 9) drives the side menu, the
page states, the blockers' links and /dossier/<slug>/."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest
from django.urls import reverse

from admissions.dossiers import pages
from admissions.dossiers.selectors import page_states, submission_blockers
from admissions.dossiers.services import open_dossier
from tests.dossiers.helpers import IN_WINDOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


@pytest.fixture
def dossier(accounts_by_role, reference_campaign):
    return open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )


def menu_links(page: str) -> list[tuple[str, str]]:
    """The side menu's links: (href, text without the state badge), in order."""
    menu = page.split('<ul class="fr-sidemenu__list">', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a class="fr-sidemenu__link" href="([^"]+)"[^>]*>(.*?)</a>', menu, re.S)
    return [
        (href, re.sub(r"\s+", " ", re.sub(r"<span class=\"fr-badge.*?</span>", "", text)))
        for href, text in links
    ]


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup).strip())


def test_the_side_menu_lists_the_registry_in_order(candidate_client, dossier):
    page = candidate_client.get(reverse("dossiers:overview")).content.decode()

    assert [(href, text_of(text)) for href, text in menu_links(page)] == [
        ("/dossier/", "Vue d'ensemble"),
        ("/dossier/identite/", "1. Identité et coordonnées"),
        ("/dossier/statut/", "2. Statut visé"),
        ("/dossier/formations/", "3. Formations visées"),
        ("/dossier/parcours/", "4. Parcours de formation"),
        ("/dossier/experience/", "5. Expérience professionnelle"),
        ("/dossier/pieces/", "6. Pièces justificatives"),
        ("/dossier/recommandations/", "7. Recommandations"),
        ("/dossier/motivation/", "8. Lettres de motivation"),
        ("/dossier/frais/", "9. Frais de dossier"),
        ("/dossier/depot/", "Vérification et dépôt"),
        ("/dossier/messages/", "Messages"),
    ]
    assert [(href, text_of(text)) for href, text in menu_links(page)][0][0] == pages.OVERVIEW.url


def test_the_page_states_follow_the_registry(dossier, reference_campaign):
    states = page_states(dossier, reference_campaign.params(), "fr", now=IN_WINDOW)

    assert [(state.slug, state.title) for state in states] == [
        (page.slug, str(page.title)) for page in pages.PAGES if page.checked
    ]


def test_a_page_that_does_not_apply_leaves_the_menu_and_the_states(
    candidate_client, dossier, reference_campaign, monkeypatch
):
    never = dataclasses.replace(pages.EXPERIENCE, applies=lambda dossier, params: False)
    monkeypatch.setattr(
        pages, "PAGES", tuple(never if page is pages.EXPERIENCE else page for page in pages.PAGES)
    )

    states = page_states(dossier, reference_campaign.params(), "fr", now=IN_WINDOW)
    page = candidate_client.get(reverse("dossiers:overview")).content.decode()

    assert "experience" not in [state.slug for state in states]
    texts = [text_of(text) for _href, text in menu_links(page)]
    assert texts[5:7] == ["5. Pièces justificatives", "6. Recommandations"]


def test_each_blocker_links_to_its_page_in_the_registry(dossier, reference_campaign):
    blockers = submission_blockers(dossier, reference_campaign.params(), IN_WINDOW, "fr")

    assert [blocker.url for blocker in blockers] == [
        pages.BY_SLUG[blocker.slug].url for blocker in blockers
    ]
    assert blockers[0].url == "/dossier/identite/"


def test_the_overview_links_each_blocker_to_its_page(candidate_client, dossier):
    page = candidate_client.get(reverse("dossiers:overview")).content.decode()

    missing = page.split('id="missing-items"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="([^"]+)"', missing)[:3] == [
        "/dossier/identite/",
        "/dossier/statut/",
        "/dossier/formations/",
    ]


@pytest.mark.parametrize("slug", sorted(pages.AT_SLUG))
def test_every_page_of_the_registry_is_served_at_its_slug(candidate_client, dossier, slug):
    response = candidate_client.get(reverse("dossiers:page", args=[slug]))

    assert response.status_code == 200


def test_the_pages_served_elsewhere_have_their_own_urls():
    assert [(page.slug, page.url) for page in pages.PAGES if page.view is None] == [
        ("overview", "/dossier/"),
        ("recommandations", "/dossier/recommandations/"),
        ("messages", "/dossier/messages/"),
    ]


@pytest.mark.parametrize("slug", ["overview", "inconnue"])
def test_a_slug_without_a_page_at_it_is_not_found(candidate_client, dossier, slug):
    response = candidate_client.get(reverse("dossiers:page", args=[slug]))

    assert response.status_code == 404
