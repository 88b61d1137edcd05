"""The recommendations page sits in the dossier's frame; reminding is the main action, replacing
is folded away (R3.5, R10.1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from admissions.rules.clock import format_instant

from .conftest import IN_WINDOW, page_text

pytestmark = pytest.mark.django_db
URL = "/dossier/recommandations/"


@pytest.fixture
def signed_in(client, candidate, dossier, frozen_clock):
    client.force_login(candidate)
    return client


def section(page: str, kind: str) -> str:
    return page.split(f'id="referee-{kind}"', 1)[1].split("</section>", 1)[0]


def test_page_has_the_dossier_side_menu_and_live_panel(signed_in):
    page = page_text(signed_in.get(URL))

    assert 'id="dossier-menu"' in page
    assert 'id="live-panel"' in page
    assert re.search(
        r'href="/dossier/recommandations/" aria-current="page">\s*<span class="sidemenu-page">7\. Recommandations',
        page,
    )


def test_reminder_is_the_primary_action_when_it_can_be_sent(signed_in, dossier, name_referee):
    name_referee(dossier, now=IN_WINDOW - timedelta(days=2))

    professional = section(page_text(signed_in.get(URL)), "professional")

    assert '<button class="fr-btn" type="submit">Envoyer une relance</button>' in professional
    assert "Vous pourrez relancer" not in professional


def test_reminder_not_yet_possible_says_when_instead_of_an_active_button(
    signed_in, dossier, name_referee
):
    name_referee(dossier, now=IN_WINDOW - timedelta(hours=2))

    professional = section(page_text(signed_in.get(URL)), "professional")

    at = format_instant(
        IN_WINDOW + timedelta(hours=22), "Europe/Paris", "fr"
    )  # as the page words it
    assert "Envoyer une relance" not in professional
    assert (
        f"Vous pourrez relancer ce référent à partir du {at} (une relance au plus toutes les 24 heures)."
    ) in professional
    assert at.startswith("16 février 2021")


def test_replacing_is_folded_and_secondary(signed_in, dossier, name_referee):
    name_referee(dossier, now=IN_WINDOW - timedelta(days=2))

    professional = section(page_text(signed_in.get(URL)), "professional")

    assert '<details class="referee-replace" data-testid="replace-professional">' in professional
    assert (
        '<button class="fr-btn fr-btn--secondary" type="submit">Remplacer et envoyer la demande</button>'
        in professional
    )


def test_replacing_with_an_error_opens_the_fold(signed_in, dossier, name_referee):
    name_referee(dossier, now=IN_WINDOW - timedelta(days=2))

    response = signed_in.post(
        URL, {"action": "replace", "kind": "professional", "professional-name": "Sam Leroy"}
    )

    professional = section(page_text(response), "professional")
    assert response.status_code == 200
    assert (
        '<details class="referee-replace" open data-testid="replace-professional">' in professional
    )
    assert 'id="dossier-menu"' in page_text(response)


def test_naming_a_first_referee_stays_open_and_primary(signed_in):
    academic = section(page_text(signed_in.get(URL)), "academic")

    assert "<details" not in academic
    assert '<button class="fr-btn" type="submit">Envoyer la demande</button>' in academic
