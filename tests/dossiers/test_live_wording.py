"""The live panel's words (issue 8): states that agree with the document, real page names."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from admissions.core import demo
from admissions.dossiers.selectors import page_states
from admissions.dossiers.services import open_dossier
from admissions.dossiers.wording import checklist_state
from admissions.rules.documents import RequiredDocument, Source
from tests.dossiers.helpers import IN_WINDOW, complete_dossier

pytestmark = pytest.mark.django_db

RULES = Path(__file__).resolve().parent.parent.parent / "admissions" / "rules"


def checklist_lines(page: str) -> list[str]:
    block = page.split('id="live-checklist"', 1)[1].split("</ul>", 1)[0]
    return [
        " ".join(html.unescape(item).split()) for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


@pytest.fixture
def candidate_client(client, accounts_by_role, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


def test_checklist_states_agree_with_each_document(
    candidate_client, reference_campaign, accounts_by_role
):
    dossier = complete_dossier(accounts_by_role["candidate"], reference_campaign)
    demo.receive_recommendations(dossier, now=IN_WINDOW)

    lines = checklist_lines(candidate_client.get(reverse("dossiers:overview")).content.decode())

    assert "Photo d'identité — fournie" in lines
    assert "Curriculum vitae — fourni" in lines
    assert "Relevés de notes du baccalauréat — fournis" in lines
    assert "Recommandation académique — reçue" in lines
    assert "Recommandation professionnelle — reçue" in lines
    assert [
        line
        for line in lines
        if line.endswith("— fournie") and not line.startswith(("Photo", "Pièce", "Lettre"))
    ] == []


def test_checklist_states_in_english(candidate_client, reference_campaign, accounts_by_role):
    complete_dossier(accounts_by_role["candidate"], reference_campaign)
    candidate_client.cookies["django_language"] = "en"

    lines = checklist_lines(candidate_client.get(reverse("dossiers:overview")).content.decode())

    assert "Curriculum vitae — provided" in lines
    assert "Identity photo — provided" in lines


@pytest.mark.parametrize(
    ("gender", "plural", "source", "state", "expected"),
    [
        ("m", False, Source.UPLOAD, "satisfied", "fourni"),
        ("f", False, Source.UPLOAD, "satisfied", "fournie"),
        ("m", True, Source.UPLOAD, "satisfied", "fournis"),
        ("f", True, Source.UPLOAD, "satisfied", "fournies"),
        ("f", False, Source.REFEREE, "satisfied", "reçue"),
        ("m", False, Source.UPLOAD, "missing", "manquant"),
        ("f", False, Source.UPLOAD, "missing", "manquante"),
        ("m", True, Source.UPLOAD, "refused", "refusés, à remplacer"),
        ("m", False, Source.UPLOAD, "pending", "à envoyer plus tard"),
        ("f", False, Source.REFEREE, "requested", "demandée au référent, en attente"),
    ],
)
def test_checklist_state_words(gender, plural, source, state, expected):
    document = RequiredDocument("x", "X", "X", "", "", source=source, gender=gender, plural=plural)

    with translation.override("fr"):
        assert checklist_state(document, state) == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_the_rules_name_is_a_real_page(reference_campaign, accounts_by_role, language):
    """« Formation » was named for « Parcours de formation »: each page name in the rules'
    texts is the title of a page of the dossier, in both languages."""
    dossier = open_dossier(
        candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
    )
    with translation.override(language):
        titles = {
            page.title for page in page_states(dossier, reference_campaign.params(), language)
        }
    source = " ".join(
        " ".join(re.findall(r'"([^"]*)"', path.read_text(encoding="utf-8")))
        for path in RULES.glob("*.py")
    )
    pattern = r"page « ([^»]+) »" if language == "fr" else r"the “([^”]+)” page"

    named = set(re.findall(pattern, source))

    assert named  # the rules do name pages
    assert named - titles == set()
