"""The fees page in a real browser (issue 8): what remains due, how to pay it, the proof's upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from admissions.dossiers.models import FormationChoice
from admissions.dossiers.services import open_dossier
from admissions.payments.services import declare_payment
from tests.browser.axe import serious_violations
from tests.browser.session import log_in
from tests.dossiers.helpers import IN_WINDOW, fill_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"


@pytest.fixture
def owes_the_third_option(reference_campaign, accounts_by_role, settings):
    """Declared 99 € for two options, then added a third (121 €), scholarship claimed."""
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    dossier = fill_pages(
        open_dossier(
            candidate=accounts_by_role["candidate"], campaign=reference_campaign, now=IN_WINDOW
        ),
        reference_campaign,
    )
    options = list(reference_campaign.options_on_offer()[:3])
    dossier.choices.all().delete()
    FormationChoice.objects.create(dossier=dossier, option=options[0], rank=1)
    FormationChoice.objects.create(dossier=dossier, option=options[1], rank=2)
    declare_payment(
        dossier=dossier, reference=dossier.reference, by=dossier.candidate, now=IN_WINDOW
    )
    FormationChoice.objects.create(dossier=dossier, option=options[2], rank=3)
    return dossier


@pytest.mark.parametrize(("language", "width"), [("fr", 1280), ("en", 1280), ("fr", 390)])
def test_fees_page_shows_what_remains_and_how_to_pay(
    page, live_server, owes_the_third_option, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, owes_the_third_option.candidate, language)

    page.goto(live_server.url + "/dossier/frais/")

    still_due = "Reste dû" if language == "fr" else "Still due"
    amount = "22,00\u00a0€" if language == "fr" else "€22.00"
    assert page.locator("#fee-outstanding").inner_text().split("\t") == [still_due, amount]
    assert page.locator("#how-to-pay .iban").inner_text() == "FR14 2004 1010 0505 0001 3M02 606"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"fees-{language}-{width}.png"), full_page=True)
    assert serious_violations(page) == []


def test_staff_desk_shows_total_and_remaining_beside_the_declared_amount(
    page, live_server, owes_the_third_option, accounts_by_role
):
    page.set_viewport_size({"width": 1280, "height": 700})
    log_in(page, live_server, accounts_by_role["central_officer"], "fr")

    page.goto(live_server.url + "/gestion/paiements/")

    cells = page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[2:5] == ["99,00\u00a0€", "121,00\u00a0€", "22,00\u00a0€"]
    page.screenshot(path=str(SCREENSHOTS / "payments-pending-fr.png"), full_page=True)
