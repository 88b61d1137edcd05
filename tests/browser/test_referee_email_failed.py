"""A referee email the server refused is shown as failed on the candidate's page (issue 10),
on a phone-sized screen, in French and English, without serious accessibility violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from admissions.dossiers.services import open_dossier
from admissions.referees import services
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in
from tests.helpers import IN_WINDOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"
FAILED = {
    "fr": "Envoi échoué, vérifiez l'adresse : le dernier message n'a pas pu être remis à ce référent.",
    "en": "Sending failed, check the address: the last message could not be delivered to this referee.",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_failed_referee_email_is_shown_as_failed(
    page,
    live_server,
    reference_campaign,
    accounts_by_role,
    settings,
    smtp,
    language,
):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    candidate = accounts_by_role["candidate"]
    dossier = open_dossier(candidate=candidate, campaign=reference_campaign, now=IN_WINDOW)
    smtp.refused = {"camille.durand@exemple.org"}
    services.name_referee(
        dossier=dossier,
        kind="academic",
        name="Camille Durand",
        role="Professeure",
        email="camille.durand@exemple.org",
        by=candidate,
        now=IN_WINDOW,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, candidate, language)

    page.goto(live_server.url + "/dossier/recommandations/")

    assert page.get_by_test_id("email-failed-academic").inner_text() == FAILED[language]
    assert page.get_by_test_id("email-failed-professional").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"referee-email-failed-{language}.png"), full_page=True)
    assert serious_violations(page) == []
