"""The live panel in a real browser: ticking formations updates the fee before any save (R3.6)."""

from __future__ import annotations

import pytest
from django.test import Client

from admissions.dossiers.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ticking_formations_updates_the_fee_without_saving(
    page, live_server, reference_campaign, accounts_by_role, settings
):
    settings.CLOCK_AT = "2021-03-01T10:00:00+01:00"
    client = Client()
    client.force_login(accounts_by_role["candidate"])
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "fr", "url": live_server.url},
        ]
    )
    page.goto(live_server.url + "/dossier/formations/")

    page.locator("label[for=id_options_0]").click()  # DSFR draws the box on the label
    page.locator("label[for=id_options_1]").click()

    page.locator("#live-fee").get_by_text("99").wait_for(timeout=5000)
    assert not Dossier.objects.get().choices.exists()
