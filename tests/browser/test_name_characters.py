"""A name with an emoji, in a real browser: the refusal shows at the field, in the page's
language, at desktop and phone width (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from admissions.dossiers.models import Dossier
from tests.browser.axe import serious_violations
from tests.browser.test_pages_accessibility import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"
EXPECTED = {
    "fr": "Seuls les lettres (de toute écriture, accents compris), les espaces, les traits "
    "d'union et les apostrophes sont acceptés ici, comme sur une pièce d'identité (à retirer "
    ": « 😀 »).",
    "en": "Only letters (of any script, accents included), spaces, hyphens and apostrophes are "
    "accepted here, as on an identity document (to remove: “😀”).",
}


@pytest.mark.parametrize(("language", "width"), [("fr", 1280), ("en", 1280), ("fr", 390)])
def test_a_name_with_an_emoji_is_refused_at_the_field(
    page, live_server, reference_campaign, accounts_by_role, settings, language, width
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, accounts_by_role["candidate"], language=language)
    page.goto(live_server.url + "/dossier/identite/")

    page.fill("#id_last_name", "Martin")
    page.fill("#id_first_name", "Camille 😀")
    with page.expect_navigation():
        page.locator("#id_first_name").press("Enter")

    error = page.locator("#id_first_name").locator(
        "xpath=ancestor::div[contains(@class,'fr-input-group')]"
    )
    assert error.locator(".fr-error-text").inner_text().strip() == EXPECTED[language]
    assert page.input_value("#id_first_name") == "Camille 😀"  # what was typed is kept
    assert Dossier.objects.get().first_name == ""
    SCREENSHOTS.mkdir(exist_ok=True)
    error.screenshot(path=str(SCREENSHOTS / f"identity-name-refused-{language}-{width}.png"))
    page.screenshot(path=str(SCREENSHOTS / f"identity-page-name-refused-{language}-{width}.png"))
    assert serious_violations(page) == []
