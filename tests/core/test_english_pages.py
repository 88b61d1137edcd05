"""The candidate's pages in English carry no French leftovers (issue 8, "Emails and texts")."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from admissions.core import demo
from admissions.dossiers.services import submit_dossier
from tests.dossiers.helpers import IN_WINDOW, complete_dossier

pytestmark = pytest.mark.django_db

DOSSIER_PAGES = [
    "/dossier/",
    *(
        f"/dossier/{slug}/"
        for slug in (
            "identite",
            "statut",
            "formations",
            "parcours",
            "experience",
            "pieces",
            "recommandations",
            "motivation",
            "frais",
            "depot",
        )
    ),
    "/dossier/messages/",
]
PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/no-such-key/",
    "/aide/",
]
# Seen in English pages before: French spacing before a colon, French words beside English
# ones, Django's default English date ("10:14 a.m.").
LEFTOVERS = re.compile(
    r"\s:|\u00a0:|\ba\.m\.|\bp\.m\.|Fichier actuel|\bfournie?s?\b|\bdéposé\b|\bBonjour\b| à \d"
)


def visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(
        r"<(script|style|select)\b.*?</\1>", " ", page, flags=re.S
    )  # country lists are names
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def leftovers(client, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response)
        hits = [text[max(0, m.start() - 30) : m.end() + 10] for m in LEFTOVERS.finditer(text)]
        if hits:
            found[path] = hits
    return found


@pytest.fixture
def english(client, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.cookies["django_language"] = "en"
    return client


def test_public_pages_in_english(english, reference_campaign):
    assert leftovers(english, PUBLIC_PAGES) == {}


def test_home_page_shows_the_english_campaign_title(english, reference_campaign):
    page = english.get(reverse("home")).content.decode()

    assert html.unescape(re.search(r"<h1>(.*?)</h1>", page).group(1)) == reference_campaign.name_en
    title = " ".join(html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).split())
    assert title == f"{reference_campaign.name_en} — IMT Mines Albi-Carmaux"


def test_dossier_pages_in_english_while_filling(english, reference_campaign, accounts_by_role):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    demo.receive_recommendations(dossier, now=IN_WINDOW)
    english.force_login(accounts_by_role["candidate"])

    assert leftovers(english, DOSSIER_PAGES) == {}


def test_dossier_pages_in_english_once_submitted(english, reference_campaign, accounts_by_role):
    candidate = accounts_by_role["candidate"]
    dossier = complete_dossier(candidate, reference_campaign)
    demo.receive_recommendations(dossier, now=IN_WINDOW)
    submit_dossier(dossier=dossier, by=candidate, now=IN_WINDOW)
    english.force_login(candidate)

    assert leftovers(english, DOSSIER_PAGES) == {}
    assert "Application submitted on 1 March 2021 at 10:00." in visible_text(
        english.get("/dossier/")
    )
